/**
 * Batch re-verification, the pure part: a household's compact summary (what its verification report
 * yields, through report.build.ts's `summarise`), and the changes that matter between two
 * summaries, each with its reason in Chinese (and English). No database here.
 *
 * The summary keeps only what a later comparison needs: members alive and dead, member-owned
 * properties, vehicles (disability vehicles excluded, as in the report), financial assets per
 * member, business roles, monthly income by type, and the report's flags each under a stable key.
 */
import { type ParameterLookup, type ReportSummaries, summarise, yuanText } from './report.build.ts';
import type { CoveredPerson, RecordRow } from './verification.repo.ts';

export interface BatchPerson {
  household_id: string;
  id: string;
  name: string;
  birth_date: string;
  sex: 'male' | 'female';
  role: 'member' | 'deceased' | 'supporter';
  relationship: string;
  death_date: string | null;
}

export interface BatchRecord {
  person_id: string;
  source: string;
  record_key: string;
  data: Record<string, unknown>;
}

export interface HouseholdSummary {
  v: 1;
  members: string[];
  deaths: { id: string; date: string }[];
  properties: { key: string; personId: string; use: string; location: string }[];
  vehicles: { key: string; personId: string; priceFen: number; brand: string }[];
  assets: Record<string, number>;
  businesses: { key: string; personId: string; entity: string; role: string; capitalFen: number }[];
  income: { wage: number; pension: number; exempt: number; transfer: number };
  flags: { key: string; code: string; text: string; textEn: string }[];
}

export type ChangeKind =
  | 'newVehicle'
  | 'newProperty'
  | 'depositIncrease'
  | 'death'
  | 'newBusiness'
  | 'newFlag';

export interface ChangeDraft {
  kind: ChangeKind;
  subjectKey: string;
  personId: string | null;
  reasonZh: string;
  reasonEn: string;
  detail: Record<string, unknown>;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const yuanEn = (fen: number) => `¥${(fen / 100).toLocaleString('en', { maximumFractionDigits: 2 })}`;
const USE_ZH: Record<string, string> = {
  residential: '住宅',
  homestead: '宅基地房屋',
  commercial: '商业用房',
};
const ROLE_ZH: Record<string, string> = {
  legalRepresentative: '法定代表人',
  shareholder: '股东',
  operator: '经营者',
};

/** Keys the report's flags so that the same flag is recognised next month, whatever its figures. */
function flagKeys(s: ReportSummaries): HouseholdSummary['flags'] {
  const vehicleFlags = s.flags.filter((f) => f.code === 'vehicle');
  const businessFlags = s.flags.filter((f) => f.code === 'business');
  // summarise() raises one flag per vehicle or business over the limit, in their order.
  const overVehicles = vehicleFlags[0]
    ? s.vehicles.filter((v) => num(v.data.purchasePriceFen) > Number(vehicleFlags[0]?.parameter.value))
    : [];
  const overBusinesses = businessFlags[0]
    ? s.businesses.filter((b) => num(b.data.registeredCapitalFen) > Number(businessFlags[0]?.parameter.value))
    : [];
  return s.flags.map((f) => {
    let subject = '';
    if (f.code === 'vehicle') {
      const v = overVehicles[vehicleFlags.indexOf(f)];
      subject = v ? str(v.data.plate) || v.record_key : f.text;
    } else if (f.code === 'business') {
      const b = businessFlags.indexOf(f) >= 0 ? overBusinesses[businessFlags.indexOf(f)] : undefined;
      subject = b ? `${str(b.data.creditCode) || str(b.data.entityName)}|${str(b.data.role)}` : f.text;
    }
    return {
      key: `${f.code}:${f.personId ?? ''}:${subject}`.slice(0, 200),
      code: f.code,
      text: f.text,
      textEn: f.textEn,
    };
  });
}

/** One household's summary as of the date, from its persons and their records in force. */
export function householdSummary(
  persons: readonly BatchPerson[],
  records: readonly BatchRecord[],
  asOf: string,
  urban: boolean,
  param: ParameterLookup,
): HouseholdSummary {
  const covered = persons
    .filter((p) => p.role !== 'deceased')
    .map((p) => ({ ...p, id_number_masked: '', region_code: '' }) as unknown as CoveredPerson);
  const rows = records.map((r) => ({ ...r, data: r.data ?? {} }) as unknown as RecordRow);
  const s = summarise(covered, rows, asOf, urban, param);
  const members = new Set(covered.filter((p) => p.role === 'member').map((p) => p.id));
  const assets: Record<string, number> = {};
  for (const [id, a] of s.assetsByPerson) if (members.has(id)) assets[id] = a.total;
  return {
    v: 1,
    members: [...members].sort(),
    deaths: persons
      .filter((p) => p.role === 'deceased')
      .map((p) => ({ id: p.id, date: str(p.death_date).slice(0, 10) }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    properties: s.properties
      .filter((r) => members.has(r.person_id))
      .map((r) => ({
        key: str(r.data.certificateNumber) || r.record_key,
        personId: r.person_id,
        use: str(r.data.use),
        location: str(r.data.location),
      })),
    vehicles: s.vehicles
      .filter((r) => members.has(r.person_id))
      .map((r) => ({
        key: str(r.data.plate) || r.record_key,
        personId: r.person_id,
        priceFen: num(r.data.purchasePriceFen),
        brand: str(r.data.brand),
      })),
    assets,
    businesses: s.businesses
      .filter((r) => members.has(r.person_id))
      .map((r) => ({
        key: `${r.person_id}|${str(r.data.creditCode) || str(r.data.entityName)}|${str(r.data.role)}`,
        personId: r.person_id,
        entity: str(r.data.entityName),
        role: str(r.data.role),
        capitalFen: num(r.data.registeredCapitalFen),
      })),
    income: {
      wage: s.household.wageIncome,
      pension: s.household.pensionIncome,
      exempt: s.household.exemptIncome,
      transfer: s.household.transferIncome,
    },
    flags: flagKeys(s),
  };
}

/**
 * What changed since the previous summary, as changes that matter. No previous summary: the
 * first run only records a baseline, nothing is raised. `threshold` is the deposit increase (fen)
 * above which a member's financial assets are reported.
 */
export function diffSummaries(
  previous: HouseholdSummary | undefined,
  current: HouseholdSummary,
  names: ReadonlyMap<string, string>,
  threshold: number,
): ChangeDraft[] {
  if (!previous) return [];
  const out: ChangeDraft[] = [];
  const who = (id: string) => names.get(id) ?? '家庭成员';
  const had = <T extends { key: string }>(list: readonly T[]) => new Set(list.map((x) => x.key));
  const oldVehicles = had(previous.vehicles);
  for (const v of current.vehicles)
    if (!oldVehicles.has(v.key))
      out.push({
        kind: 'newVehicle',
        subjectKey: v.key,
        personId: v.personId,
        reasonZh: `${who(v.personId)}名下新增车辆${v.key}${v.brand ? `（${v.brand}` : '（'}，购置价${yuanText(v.priceFen)}）`,
        reasonEn: `New vehicle ${v.key} owned by ${who(v.personId)}, bought for ${yuanEn(v.priceFen)}`,
        detail: { ...v },
      });
  const oldProperties = had(previous.properties);
  for (const p of current.properties)
    if (!oldProperties.has(p.key))
      out.push({
        kind: 'newProperty',
        subjectKey: p.key,
        personId: p.personId,
        reasonZh: `${who(p.personId)}名下新增不动产${p.location ? `“${p.location}”` : ''}（${USE_ZH[p.use] ?? (p.use || '用途未登记')}，证号${p.key}）`,
        reasonEn: `New property registered to ${who(p.personId)}${p.location ? ` at ${p.location}` : ''} (${p.use || 'use unknown'})`,
        detail: { ...p },
      });
  for (const [id, now] of Object.entries(current.assets)) {
    const before = previous.assets[id];
    if (before === undefined || now - before <= threshold) continue;
    out.push({
      kind: 'depositIncrease',
      subjectKey: id,
      personId: id,
      reasonZh: `${who(id)}名下存款等金融资产由${yuanText(before)}增至${yuanText(now)}，增加${yuanText(now - before)}，超过提示额${yuanText(threshold)}`,
      reasonEn: `${who(id)}'s financial assets rose from ${yuanEn(before)} to ${yuanEn(now)} (+${yuanEn(now - before)}), above ${yuanEn(threshold)}`,
      detail: { before, after: now, threshold },
    });
  }
  const oldDeaths = new Set(previous.deaths.map((d) => d.id));
  for (const d of current.deaths)
    if (!oldDeaths.has(d.id))
      out.push({
        kind: 'death',
        subjectKey: d.id,
        personId: d.id,
        reasonZh: `家庭成员${who(d.id)}已于${d.date}死亡，请核减家庭人口并复核待遇`,
        reasonEn: `Member ${who(d.id)} died on ${d.date}: review the household size and benefit`,
        detail: { ...d },
      });
  const oldBusinesses = had(previous.businesses);
  for (const b of current.businesses)
    if (!oldBusinesses.has(b.key))
      out.push({
        kind: 'newBusiness',
        subjectKey: b.key.slice(0, 200),
        personId: b.personId,
        reasonZh: `${who(b.personId)}新登记为“${b.entity}”的${ROLE_ZH[b.role] ?? b.role}（注册资本${yuanText(b.capitalFen)}）`,
        reasonEn: `${who(b.personId)} newly registered as ${b.role} of “${b.entity}” (capital ${yuanEn(b.capitalFen)})`,
        detail: { ...b },
      });
  const oldFlags = had(previous.flags);
  for (const f of current.flags)
    if (!oldFlags.has(f.key))
      out.push({
        kind: 'newFlag',
        subjectKey: f.key,
        personId: null,
        reasonZh: `新增核对疑点：${f.text}`,
        reasonEn: `New verification flag: ${f.textEn}`,
        detail: { code: f.code },
      });
  return out;
}
