/**
 * The verification report (家庭经济状况核对报告) of a household as of a date: every person it covers
 * (members, and liable supporters living apart), every departmental record of theirs in force on the
 * date with its provenance, the summaries and the flags checked against the region's parameters in
 * force on that date. Computed on every read, never stored; every read is written to the audit
 * trail (who saw which household's economic data, as of which date, and whether as a print).
 * ID numbers are masked; a full number is revealed one person at a time through the registry's
 * reveal (logged with its purpose).
 */
import { lookupParameter, type ParameterValue } from '@doudi/rules';
import type { Database, Queryable } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { checkDate, today } from '../registry/registry.model.ts';
import { findHousehold, type HouseholdRow } from '../registry/registry.repo.ts';
import { activeCatalog } from '../rules/activeCatalog.ts';
import { findSource } from '../sources/catalogue/index.ts';
import type { Figures } from './figures.ts';
import { describeRecord, type ReportSummaries, summarise } from './report.build.ts';
import { type CoveredPerson, type RecordRow, reportRows } from './verification.repo.ts';

export interface VerificationDeps {
  db: Database;
  /** Today's date in China (YYYY-MM-DD), the default as-of date; injectable for tests. */
  today?: () => string;
}

export function checkAsOf(deps: VerificationDeps, value: string | undefined): string {
  if (value === undefined || value === '') return (deps.today ?? today)();
  return checkDate(value, 'asOf');
}

/** Figures the departments' data give: null where the source was never loaded by the date. */
export function verifiedFigures(s: ReportSummaries, loaded: ReadonlySet<string>): Figures {
  const out: Figures = {};
  const set = (name: string, value: number, ...sources: string[]) => {
    if (sources.some((src) => loaded.has(src))) out[name] = value;
  };
  set('wageIncome', s.household.wageIncome, 'tax');
  set('pensionIncome', s.household.pensionIncome, 'socialInsurance');
  set('transferIncome', s.household.transferIncome, 'socialInsurance');
  set('financialAssets', s.household.financialAssets, 'bankDeposit', 'securities', 'commercialInsurance');
  set('housingUnits', s.household.housingUnits, 'realEstate');
  set('vehicleCount', s.household.vehicleCount, 'vehicle');
  set('businessCount', s.household.businessCount, 'business');
  return out;
}

export interface ComputedReport {
  household: HouseholdRow;
  asOf: string;
  persons: CoveredPerson[];
  records: RecordRow[];
  summaries: ReportSummaries;
  loaded: Map<string, string>;
  hiddenSupporters: number;
}

/** Everything the report shows, read in the caller's transaction. Not found → 404. */
export async function computeReport(
  tx: Queryable,
  householdId: string,
  asOf: string,
): Promise<ComputedReport> {
  const household = await findHousehold(tx, householdId);
  if (!household) throw errors.notFound('家庭');
  const rows = await reportRows(tx, householdId, household.region_code, asOf);
  // Head first, then by birth date; supporters after the members.
  const persons = rows.persons.sort(
    (a, b) =>
      Number(b.role === 'member') - Number(a.role === 'member') ||
      Number(b.relationship === 'head') - Number(a.relationship === 'head') ||
      (a.birth_date < b.birth_date ? -1 : a.birth_date > b.birth_date ? 1 : 0),
  );
  const records = rows.records;
  const catalog = await activeCatalog(tx, asOf);
  const param = (name: string): ParameterValue => {
    const p = catalog.catalog.parameters.get(name);
    try {
      if (!p) throw new Error(name);
      return lookupParameter(p, asOf, household.region_code);
    } catch {
      throw errors.validation(
        'asOf',
        `核对日期${asOf}没有生效的参数“${p?.description ?? name}”`,
        `no ${name} in force`,
      );
    }
  };
  return {
    household,
    asOf,
    persons,
    records,
    summaries: summarise(persons, records, asOf, household.urban, param),
    loaded: new Map(rows.loaded.map((r) => [r.source, r.last_as_of])),
    hiddenSupporters: rows.hidden,
  };
}

export function documentNumber(household: { household_number: string }, asOf: string): string {
  return `核〔${asOf.slice(0, 4)}〕${household.household_number}-${asOf.replaceAll('-', '')}号`;
}

const paramView = (p: ParameterValue) => ({
  name: p.name,
  description: p.description,
  value: Number(p.value),
  unit: p.unit,
  effectiveDate: p.effectiveDate,
  regionPrefix: p.regionPrefix,
  reference: p.reference,
});

export function reportView(c: ComputedReport) {
  const s = c.summaries;
  const nameOf = new Map(c.persons.map((p) => [p.id, p.name]));
  const byPerson = new Map<string, RecordRow[]>();
  for (const r of c.records) byPerson.set(r.person_id, [...(byPerson.get(r.person_id) ?? []), r]);
  type Scalar = string | number | boolean | null;
  const f = (r: RecordRow, name: string): Scalar => (r.data[name] as Scalar | undefined) ?? null;
  const label = (source: string, field: string, code: unknown) =>
    findSource(source)?.fields.find((f) => f.name === field)?.values?.[String(code)] ?? String(code ?? '');
  const notes: { zh: string; en: string }[] = [];
  if (c.hiddenSupporters > 0)
    notes.push({
      zh: `有${c.hiddenSupporters}名赡养义务人登记在本辖区以外，其数据须提请其所在地核对机构协查`,
      en: `${c.hiddenSupporters} liable supporter(s) live outside your region: ask their verification centre`,
    });
  if (s.household.exemptIncome > 0)
    notes.push({
      zh: '城乡居民基本养老保险待遇按基础养老金不计入家庭收入处理，单列为不计入收入的款项',
      en: 'Resident-scheme pensions are shown as exempt income (the central basic pension is not counted)',
    });
  return {
    documentNumber: documentNumber(c.household, c.asOf),
    asOf: c.asOf,
    household: {
      id: c.household.id,
      householdNumber: c.household.household_number,
      regionCode: c.household.region_code,
      regionName: c.household.region_name,
      townshipName: c.household.township_name,
      address: c.household.address,
      urban: c.household.urban,
    },
    sourcesLoaded: [...c.loaded].map(([source, lastAsOf]) => ({
      source,
      label: findSource(source)?.label ?? source,
      labelEn: findSource(source)?.labelEn ?? source,
      lastAsOf,
    })),
    persons: c.persons.map((p) => ({
      id: p.id,
      name: p.name,
      idNumberMasked: p.id_number_masked,
      sex: p.sex,
      birthDate: p.birth_date,
      role: p.role,
      relationship: p.relationship,
      income: s.incomeByPerson.get(p.id) ?? null,
      assets: s.assetsByPerson.get(p.id) ?? null,
      records: (byPerson.get(p.id) ?? []).map((r) => ({
        id: r.id,
        source: r.source,
        department: r.department,
        recordKey: r.record_key,
        nameMismatch: r.name_mismatch,
        ...describeRecord(r),
        provenance: {
          importId: r.import_id,
          fileName: r.file_name,
          via: r.via,
          importedAt: r.imported_at ? new Date(r.imported_at).toISOString() : null,
          validFrom: r.valid_from,
          seenAsOf: r.seen_as_of,
        },
      })),
    })),
    totals: s.household,
    properties: s.properties.map((r) => ({
      personId: r.person_id,
      personName: nameOf.get(r.person_id) ?? '',
      certificateNumber: f(r, 'certificateNumber'),
      location: f(r, 'location'),
      use: f(r, 'use'),
      registeredOn: f(r, 'registeredOn'),
      useLabel: label('realEstate', 'use', r.data.use),
      areaM2: typeof r.data.areaCentiM2 === 'number' ? r.data.areaCentiM2 / 100 : null,
    })),
    vehicles: s.vehicles.map((r) => ({
      personId: r.person_id,
      personName: nameOf.get(r.person_id) ?? '',
      plate: f(r, 'plate'),
      kind: f(r, 'kind'),
      brand: f(r, 'brand'),
      purchasePriceFen: f(r, 'purchasePriceFen'),
      registeredOn: f(r, 'registeredOn'),
      kindLabel: label('vehicle', 'kind', r.data.kind),
    })),
    businessRoles: s.businesses.map((r) => ({
      personId: r.person_id,
      personName: nameOf.get(r.person_id) ?? '',
      entityName: f(r, 'entityName'),
      creditCode: f(r, 'creditCode'),
      entityType: f(r, 'entityType'),
      role: f(r, 'role'),
      registeredCapitalFen: f(r, 'registeredCapitalFen'),
      registeredOn: f(r, 'registeredOn'),
      roleLabel: label('business', 'role', r.data.role),
    })),
    flags: s.flags.map((f) => ({
      code: f.code,
      personId: f.personId,
      text: f.text,
      textEn: f.textEn,
      parameter: paramView(f.parameter),
      also: (f.also ?? []).map(paramView),
    })),
    notes,
  };
}

export type ReportView = ReturnType<typeof reportView>;

export async function getReport(
  deps: VerificationDeps,
  actor: Actor | undefined,
  householdId: string,
  query: { asOf?: string | undefined },
  requestId?: string,
  printed = false,
): Promise<ReportView> {
  authorize(actor, Permission.verificationRead);
  const asOf = checkAsOf(deps, query.asOf);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const computed = await computeReport(tx, householdId, asOf);
    const view = reportView(computed);
    await appendAudit(tx, {
      action: printed ? 'verification.report.print' : 'verification.report.view',
      entityType: 'household',
      entityId: householdId,
      regionCode: computed.household.region_code,
      actorRole: actor.role,
      after: {
        asOf,
        documentNumber: view.documentNumber,
        persons: computed.persons.length,
        records: computed.records.length,
        flags: view.flags.map((f) => f.code),
      },
    });
    return view;
  });
}
