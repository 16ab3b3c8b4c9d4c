/**
 * The home-visit form's values, the draft kept on the phone while the signal comes and goes
 * (localStorage, per case), and the conversion to the API body (yuan typed → fen sent).
 */
import type { HomeVisit, SaveVisitBody } from './intakeApi';

export const INCOME_FIELDS = [
  'wageIncome',
  'businessIncome',
  'agriculturalIncome',
  'propertyIncome',
  'remittanceIncome',
  'pensionIncome',
  'transferIncome',
] as const;
export const COUNT_FIELDS = ['housingUnits', 'vehicleCount', 'businessCount'] as const;
export const STRUCTURES = ['brickConcrete', 'brickWood', 'earthWood', 'simple', 'other'] as const;

type Income = (typeof INCOME_FIELDS)[number];
type Count = (typeof COUNT_FIELDS)[number];

export type VisitValues = {
  /** datetime-local text in the phone's own time zone */
  visitedAt: string;
  locationSource: 'device' | 'manual';
  latitude?: number | undefined;
  longitude?: number | undefined;
  accuracyM?: number | undefined;
  address?: string | undefined;
  secondInvestigator: string;
  financialAssetsYuan?: number | null | undefined;
  housingStructure?: (typeof STRUCTURES)[number] | undefined;
  floorAreaM2?: number | null | undefined;
  dilapidatedHouse?: boolean | undefined;
  appliances?: string | undefined;
  condition?: string | undefined;
  note?: string | undefined;
} & Partial<Record<`${Income}Yuan`, number | null>> &
  Partial<Record<Count, number | null>>;

const key = (caseId: string) => `doudi.homeVisitDraft.${caseId}`;

export function loadDraft(caseId: string): Partial<VisitValues> | undefined {
  try {
    const text = localStorage.getItem(key(caseId));
    return text ? (JSON.parse(text) as Partial<VisitValues>) : undefined;
  } catch {
    return undefined;
  }
}

export function saveDraft(caseId: string, values: Partial<VisitValues>): void {
  try {
    localStorage.setItem(key(caseId), JSON.stringify(values));
  } catch {
    // Storage full or forbidden (private mode): the form still works, only without a draft.
  }
}

export function clearDraft(caseId: string): void {
  try {
    localStorage.removeItem(key(caseId));
  } catch {
    // nothing to clear
  }
}

/** Now, as a datetime-local value in the phone's time zone. */
export function localNow(date = new Date()): string {
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
}

const fen = (yuan: number | null | undefined) =>
  typeof yuan === 'number' && Number.isFinite(yuan) ? Math.round(yuan * 100) : undefined;
const yuan = (f: number | undefined) => (typeof f === 'number' ? f / 100 : undefined);
const present = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== ''));

export function toBody(v: VisitValues): SaveVisitBody {
  const figures: Record<string, number | undefined> = { financialAssets: fen(v.financialAssetsYuan) };
  for (const f of INCOME_FIELDS) figures[f] = fen(v[`${f}Yuan`]);
  for (const f of COUNT_FIELDS) figures[f] = v[f] ?? undefined;
  return {
    visitedAt: new Date(v.visitedAt).toISOString(),
    location:
      v.locationSource === 'device'
        ? present({
            source: 'device',
            latitude: v.latitude,
            longitude: v.longitude,
            accuracyM: v.accuracyM,
            address: v.address?.trim() || undefined,
          })
        : { source: 'manual', address: v.address?.trim() ?? '' },
    secondInvestigator: v.secondInvestigator.trim(),
    figures: present(figures),
    living: present({
      housingStructure: v.housingStructure,
      floorAreaM2: v.floorAreaM2,
      dilapidatedHouse: v.dilapidatedHouse,
      appliances: v.appliances?.trim(),
      condition: v.condition?.trim(),
    }),
    ...(v.note?.trim() ? { note: v.note.trim() } : {}),
  } as SaveVisitBody;
}

/** A saved visit back into form values. */
export function fromVisit(visit: HomeVisit): Partial<VisitValues> {
  const f = visit.figures as Record<string, number>;
  const l = visit.living as Record<string, unknown>;
  const out: Partial<VisitValues> = {
    visitedAt: localNow(new Date(visit.visitedAt)),
    locationSource: visit.location.source as 'device' | 'manual',
    latitude: visit.location.latitude ?? undefined,
    longitude: visit.location.longitude ?? undefined,
    accuracyM: visit.location.accuracyM ?? undefined,
    address: visit.location.address ?? undefined,
    secondInvestigator: visit.secondInvestigator.username,
    financialAssetsYuan: yuan(f.financialAssets),
    housingStructure: l.housingStructure as VisitValues['housingStructure'],
    floorAreaM2: l.floorAreaM2 as number | undefined,
    dilapidatedHouse: l.dilapidatedHouse as boolean | undefined,
    appliances: l.appliances as string | undefined,
    condition: l.condition as string | undefined,
    note: visit.note ?? undefined,
  };
  for (const name of INCOME_FIELDS) out[`${name}Yuan`] = yuan(f[name]);
  for (const name of COUNT_FIELDS) out[name] = f[name];
  return out;
}
