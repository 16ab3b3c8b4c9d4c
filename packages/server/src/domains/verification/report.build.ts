/**
 * From source records to the verification report's summaries and flags. Pure: the service reads
 * the rows and the parameters, this file only computes, so it is tested without a database.
 *
 * How each summary is read from the departments' records in force on the date:
 *  - wages: the tax source's latest income year up to the report's year, all employers summed, ÷ 12;
 *  - pensions: social insurance "receiving pension" records. Employee-scheme pensions count as
 *    income; the resident scheme's pension is mostly the central basic pension, which the national
 *    rules do not count, so it is shown apart as exempt (an approximation, said in the report);
 *  - other transfers: unemployment benefit (social insurance);
 *  - financial assets: bank deposits and wealth products, securities and funds at market value,
 *    commercial insurance at cash value, per person;
 *  - homes: real-estate records whose use is residential or homestead; commercial property listed too;
 *  - vehicles: every vehicle and boat except those flagged as disability vehicles (counted apart);
 *  - business roles: market-entity registrations (legal representative, shareholder, operator).
 */
import type { ParameterValue } from '@doudi/rules';
import { findSource } from '../sources/catalogue/index.ts';
import type { CoveredPerson, RecordRow } from './verification.repo.ts';

export type ParameterLookup = (name: string) => ParameterValue;

export interface PersonIncome {
  wageIncome: number;
  wageYear: number | null;
  pensionIncome: number;
  exemptPension: number;
  transferIncome: number;
}

export interface PersonAssets {
  deposits: number;
  securities: number;
  insurance: number;
  total: number;
}

export interface Flag {
  code: 'housing' | 'vehicle' | 'business' | 'financialAssets';
  personId: string | null;
  text: string;
  textEn: string;
  parameter: ParameterValue;
  /** Other parameters the threshold was computed from (the standard, for financial assets). */
  also?: ParameterValue[];
}

export interface ReportSummaries {
  incomeByPerson: Map<string, PersonIncome>;
  assetsByPerson: Map<string, PersonAssets>;
  household: {
    wageIncome: number;
    pensionIncome: number;
    exemptIncome: number;
    transferIncome: number;
    financialAssets: number;
    housingUnits: number;
    vehicleCount: number;
    disabilityVehicles: number;
    businessCount: number;
  };
  properties: RecordRow[];
  vehicles: RecordRow[];
  businesses: RecordRow[];
  flags: Flag[];
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
/** Yuan for people: 380000 yuan → "38万元", 4500.5 → "4,500.5元". */
export function yuanText(fen: number): string {
  const yuan = fen / 100;
  if (yuan >= 10_000 && Number.isInteger(yuan / 100)) return `${(yuan / 10_000).toLocaleString('zh-CN')}万元`;
  return `${yuan.toLocaleString('zh-CN', { maximumFractionDigits: 2 })}元`;
}
const yuanEn = (fen: number) => `¥${(fen / 100).toLocaleString('en', { maximumFractionDigits: 2 })}`;

const HOME_USES = new Set(['residential', 'homestead']);
const ROLE_ZH: Record<string, string> = {
  legalRepresentative: '法定代表人',
  shareholder: '股东',
  operator: '经营者',
};
const ROLE_EN: Record<string, string> = {
  legalRepresentative: 'legal representative',
  shareholder: 'shareholder',
  operator: 'operator',
};
const KIND_ZH: Record<string, string> = { company: '企业', individualBusiness: '个体工商户' };

export function summarise(
  persons: readonly CoveredPerson[],
  records: readonly RecordRow[],
  asOf: string,
  urban: boolean,
  param: ParameterLookup,
): ReportSummaries {
  const members = new Set(persons.filter((p) => p.role === 'member').map((p) => p.id));
  const nameOf = new Map(persons.map((p) => [p.id, p.name]));
  const reportYear = Number(asOf.slice(0, 4));
  const incomeByPerson = new Map<string, PersonIncome>();
  const assetsByPerson = new Map<string, PersonAssets>();
  for (const p of persons) {
    incomeByPerson.set(p.id, {
      wageIncome: 0,
      wageYear: null,
      pensionIncome: 0,
      exemptPension: 0,
      transferIncome: 0,
    });
    assetsByPerson.set(p.id, { deposits: 0, securities: 0, insurance: 0, total: 0 });
  }
  // Wages: the latest tax year per person, not later than the report's year.
  const wageYears = new Map<string, number>();
  for (const r of records)
    if (r.source === 'tax') {
      const year = num(r.data.year);
      if (year <= reportYear && year > (wageYears.get(r.person_id) ?? 0)) wageYears.set(r.person_id, year);
    }
  const properties: RecordRow[] = [];
  const vehicles: RecordRow[] = [];
  const businesses: RecordRow[] = [];
  let disabilityVehicles = 0;
  for (const r of records) {
    const income = incomeByPerson.get(r.person_id);
    const assets = assetsByPerson.get(r.person_id);
    if (!income || !assets) continue;
    const d = r.data;
    switch (r.source) {
      case 'tax':
        if (num(d.year) === wageYears.get(r.person_id)) {
          income.wageYear = num(d.year);
          income.wageIncome += num(d.wageIncomeFen);
        }
        break;
      case 'socialInsurance':
        if (d.status === 'receivingPension') {
          if (d.scheme === 'employee') income.pensionIncome += num(d.monthlyPensionFen);
          else income.exemptPension += num(d.monthlyPensionFen);
        }
        income.transferIncome += num(d.unemploymentBenefitMonthlyFen);
        break;
      case 'bankDeposit':
        assets.deposits += num(d.balanceFen);
        break;
      case 'securities':
        assets.securities += num(d.marketValueFen);
        break;
      case 'commercialInsurance':
        assets.insurance += num(d.cashValueFen);
        break;
      case 'realEstate':
        properties.push(r);
        break;
      case 'vehicle':
        if (d.disabilityVehicle === true) disabilityVehicles += members.has(r.person_id) ? 1 : 0;
        else vehicles.push(r);
        break;
      case 'business':
        businesses.push(r);
        break;
    }
  }
  for (const income of incomeByPerson.values()) income.wageIncome = Math.round(income.wageIncome / 12);
  for (const a of assetsByPerson.values()) a.total = a.deposits + a.securities + a.insurance;

  const sumMembers = <T>(map: Map<string, T>, pick: (v: T) => number) =>
    [...map].reduce((s, [id, v]) => s + (members.has(id) ? pick(v) : 0), 0);
  const memberHomes = properties.filter((r) => members.has(r.person_id) && HOME_USES.has(String(r.data.use)));
  const memberVehicles = vehicles.filter((r) => members.has(r.person_id));
  const memberBusinesses = new Set(
    businesses
      .filter((r) => members.has(r.person_id))
      .map((r) => String(r.data.creditCode ?? '') || String(r.data.entityName)),
  );
  const household = {
    wageIncome: sumMembers(incomeByPerson, (v) => v.wageIncome),
    pensionIncome: sumMembers(incomeByPerson, (v) => v.pensionIncome),
    exemptIncome: sumMembers(incomeByPerson, (v) => v.exemptPension),
    transferIncome: sumMembers(incomeByPerson, (v) => v.transferIncome),
    financialAssets: sumMembers(assetsByPerson, (v) => v.total),
    housingUnits: memberHomes.length,
    vehicleCount: memberVehicles.length,
    disabilityVehicles,
    businessCount: memberBusinesses.size,
  };

  const flags: Flag[] = [];
  const maxHomes = param('maxHousingUnits');
  if (household.housingUnits > Number(maxHomes.value))
    flags.push({
      code: 'housing',
      personId: null,
      text: `家庭成员名下有住房${household.housingUnits}套，超过上限${maxHomes.value}套`,
      textEn: `Household members own ${household.housingUnits} homes; the limit is ${maxHomes.value}`,
      parameter: maxHomes,
    });
  const priceLimit = param('vehiclePurchasePriceLimit');
  for (const v of vehicles) {
    const price = num(v.data.purchasePriceFen);
    if (price <= Number(priceLimit.value)) continue;
    const who = nameOf.get(v.person_id) ?? '';
    const role = members.has(v.person_id) ? '' : '（赡养义务人）';
    flags.push({
      code: 'vehicle',
      personId: v.person_id,
      text: `${who}${role}名下车辆${String(v.data.plate ?? '')}购置价${yuanText(price)}，超过提示线${yuanText(Number(priceLimit.value))}`,
      textEn: `${who} owns vehicle ${String(v.data.plate ?? '')} bought for ${yuanEn(price)}, above ${yuanEn(Number(priceLimit.value))}`,
      parameter: priceLimit,
    });
  }
  const capitalLimit = param('businessCapitalLimit');
  for (const b of businesses) {
    const capital = num(b.data.registeredCapitalFen);
    if (capital <= Number(capitalLimit.value)) continue;
    const who = nameOf.get(b.person_id) ?? '';
    const role = String(b.data.role);
    flags.push({
      code: 'business',
      personId: b.person_id,
      text: `${who}担任注册资本${yuanText(capital)}${KIND_ZH[String(b.data.entityType)] ?? '市场主体'}“${String(b.data.entityName)}”的${ROLE_ZH[role] ?? role}`,
      textEn: `${who} is ${ROLE_EN[role] ?? role} of “${String(b.data.entityName)}”, registered capital ${yuanEn(capital)}`,
      parameter: capitalLimit,
    });
  }
  const months = param('financialAssetMonths');
  const standard = param(urban ? 'dibaoStandardUrban' : 'dibaoStandardRural');
  const size = members.size;
  const assetLimit = Number(standard.value) * Number(months.value) * size;
  if (size > 0 && household.financialAssets > assetLimit)
    flags.push({
      code: 'financialAssets',
      personId: null,
      text: `家庭金融资产${yuanText(household.financialAssets)}，超过上限${yuanText(assetLimit)}（低保标准${yuanText(Number(standard.value))}×${months.value}个月×${size}人）`,
      textEn: `Financial assets ${yuanEn(household.financialAssets)} exceed ${yuanEn(assetLimit)} (standard × ${months.value} months × ${size})`,
      parameter: months,
      also: [standard],
    });
  return { incomeByPerson, assetsByPerson, household, properties, vehicles, businesses, flags };
}

/** The source's label and a one-line description of a record, for the page and the PDF. */
export function describeRecord(r: RecordRow): { sourceLabel: string; sourceLabelEn: string; text: string } {
  const spec = findSource(r.source);
  const parts: string[] = [];
  for (const field of spec?.fields ?? []) {
    const v = r.data[field.name];
    if (v === undefined || v === null || v === '') continue;
    let shown: string;
    if (field.type === 'money') shown = yuanText(num(v));
    else if (field.type === 'decimal2') shown = (num(v) / 100).toString();
    else if (field.type === 'enum') shown = field.values?.[String(v)] ?? String(v);
    else if (field.type === 'boolean') shown = v === true ? '是' : '否';
    else shown = String(v);
    parts.push(`${field.header.replace(/\(元\)|\(平方米\)/, '')}：${shown}`);
  }
  return {
    sourceLabel: spec?.label ?? r.source,
    sourceLabelEn: spec?.labelEn ?? r.source,
    text: parts.join('；'),
  };
}
