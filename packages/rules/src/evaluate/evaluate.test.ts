/**
 * The worked dibao example from DOMAIN.md: benefit = (local standard − household per-capita monthly
 * income) × members, with one-vote vetoes and needsInformation for missing facts.
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/loadCatalog.ts';
import { exampleCatalogSources } from '../example/dibaoExample.ts';
import { evaluate } from './evaluate.ts';
import type { HouseholdFacts } from './facts.ts';
import { renderTraceZh } from './renderTraceZh.ts';

const catalog = loadCatalog(exampleCatalogSources);
const XIAONAN_TOWNSHIP = '420902002000'; // 孝感市孝南区: city standard 650 yuan, rounding to the yuan
const WUHAN = '420100000000'; // Hubei province standard 600 yuan, rounding to the fen

const noWorkCapacity = { severeDisability: false, severeIllness: false, student: false };
const household = (
  overrides: Record<string, unknown> = {},
  members?: Record<string, unknown>[],
): HouseholdFacts => ({
  household: {
    monthlyIncome: 96000,
    vehicleCount: 0,
    registeredBusiness: false,
    financialAssets: 100000,
    ...overrides,
  },
  members: members ?? [
    { ...noWorkCapacity, age: 72 },
    { ...noWorkCapacity, age: 45, severeIllness: true },
    { ...noWorkCapacity, age: 15, student: true },
  ],
});

const dibao = (facts: HouseholdFacts, date = '2025-03-01', region = XIAONAN_TOWNSHIP) => {
  const [result] = evaluate(catalog, facts, date, region, { policies: ['dibao'] });
  if (!result) throw new Error('no result');
  return result;
};

describe('dibao worked example', () => {
  it('fills the gap: (650 − 320) × 3 members = 990.00 yuan a month', () => {
    const result = dibao(household());
    expect(result.status).toBe('eligible');
    expect(result.amountFen).toBe(99000);
    const trace = result.trace;
    expect(trace.variables.find((v) => v.name === 'perCapitaIncome')?.value).toBe(32000);
    expect(trace.parameters.find((p) => p.name === 'dibaoStandard')).toEqual({
      name: 'dibaoStandard',
      description: '城乡最低生活保障标准（每人每月）',
      unit: 'fen/month',
      value: 65000,
      effectiveDate: '2025-01-01',
      regionPrefix: '4209',
      reference: '孝感市民政局 2025 年标准',
    });
    expect(trace.conditions.map((c) => [c.id, c.outcome])).toEqual([
      ['ownsVehicle', false],
      ['runsBusiness', false],
      ['assetsOverLimit', false],
      ['incomeBelowStandard', true],
    ]);
    expect(trace.amount).toMatchObject({ raw: 99000, rounding: 'yuan', amountFen: 99000 });
  });

  it('renders the trace as a caseworker would write it', () => {
    const text = renderTraceZh(dibao(household()).trace);
    expect(text).toContain('最低生活保障：符合条件，金额 990.00 元。');
    expect(text).toContain(
      '家庭月人均收入 320.00 元，低于本地低保标准 650.00 元（孝感市民政局 2025 年标准，自 2025-01-01 起执行）',
    );
    expect(text).toContain('劳动力系数（各成员）：0；0；0');
    expect(text).toContain('按元四舍五入，为 990.00 元');
  });

  it('rules a household out on a veto even while other facts are missing', () => {
    const result = dibao({ household: { vehicleCount: 1 }, members: [{ age: 40 }] });
    expect(result.status).toBe('ineligible');
    expect(result.amountFen).toBeNull();
    expect(result.trace.conditions[0]).toMatchObject({ id: 'ownsVehicle', veto: true, outcome: true });
    expect(renderTraceZh(result.trace)).toContain('【一票否决】家庭成员名下有机动车辆');
  });

  it('asks for a missing income instead of crashing or answering false', () => {
    const facts = household();
    delete facts.household?.monthlyIncome;
    const result = dibao(facts);
    expect(result.status).toBe('needsInformation');
    expect(result.missingFacts).toEqual(['household.monthlyIncome']);
    const condition = result.trace.conditions.find((c) => c.id === 'incomeBelowStandard');
    expect(condition).toMatchObject({ outcome: 'missing', missingFacts: ['household.monthlyIncome'] });
    expect(renderTraceZh(result.trace)).toContain('请补充：家庭月收入。');
  });

  it('asks for every missing fact at once, members included', () => {
    const result = dibao({ household: { vehicleCount: 0 }, members: [{ age: 40 }, {}] });
    expect(result.status).toBe('needsInformation');
    expect(result.missingFacts).toEqual(
      expect.arrayContaining([
        'household.monthlyIncome',
        'household.financialAssets',
        'members[1].age',
        'members[0].severeDisability',
      ]),
    );
    expect(dibao({ household: { monthlyIncome: 1 } }).missingFacts).toContain('members');
  });

  it('counts imputed work income of members able to work', () => {
    // 40-year-old healthy: coefficient 1 × 2100 yuan × 8 months / 12 = 1400 yuan a month.
    const result = dibao(household({ monthlyIncome: 0 }, [{ ...noWorkCapacity, age: 40 }]));
    expect(result.trace.variables.find((v) => v.name === 'imputedWorkIncome')?.memberValues).toEqual([
      140000,
    ]);
    expect(result.status).toBe('ineligible');
    const older = dibao(household({ monthlyIncome: 0 }, [{ ...noWorkCapacity, age: 65 }]));
    expect(older.trace.variables.find((v) => v.name === 'laborCoefficient')?.memberValues).toEqual([0.5]);
    // 0.5 × 1400 = 700 yuan imputed, above the 650 yuan standard.
    expect(older.status).toBe('ineligible');
  });

  it('rounds half-up to the yuan or to the fen as the region says', () => {
    const single = (income: number) => household({ monthlyIncome: income }, [{ ...noWorkCapacity, age: 80 }]);
    expect(dibao(single(12350)).amountFen).toBe(52700); // 526.50 → 527 yuan in Xiaogan
    expect(dibao(single(12351)).amountFen).toBe(52600); // 526.49 → 526 yuan
    expect(dibao(single(12350), '2025-03-01', WUHAN).amountFen).toBe(47650); // to the fen elsewhere in Hubei
  });

  it('answers error, naming the parameter, date and region, when no standard is in force', () => {
    const result = dibao(household(), '2023-06-01');
    expect(result.status).toBe('error');
    expect(result.error).toMatch(/dibaoStandard has no value in force on 2023-06-01 for region 420902002000/);
  });

  it('uses the township override while it lasts, then the city standard', () => {
    const township = '420902001000';
    expect(
      dibao(household(), '2025-03-01', township).trace.parameters.find((p) => p.name === 'dibaoStandard')
        ?.value,
    ).toBe(68000);
    expect(dibao(household(), '2025-07-01', township).amountFen).toBe(99000);
  });

  it('reuses parameter and variable traces only where they are the same, and freezes them', () => {
    const township = '420902001000';
    const standard = (date: string) =>
      dibao(household(), date, township).trace.parameters.find((p) => p.name === 'dibaoStandard');
    // Cached per date and region: a later date gets its own value, an earlier one its own again.
    expect([
      standard('2025-03-01')?.value,
      standard('2025-07-01')?.value,
      standard('2025-03-01')?.value,
    ]).toEqual([68000, 65000, 68000]);
    const results = evaluate(catalog, household(), '2025-03-01', township);
    const perCapita = (i: number) => results[i]?.trace.variables.find((v) => v.name === 'perCapitaIncome');
    expect(perCapita(0)).toBeDefined();
    expect(perCapita(1)).toBe(perCapita(0));
    expect(Object.isFrozen(perCapita(0))).toBe(true);
    // A new household gets new variable traces.
    const other = evaluate(catalog, household({ monthlyIncome: 30000 }), '2025-03-01', township);
    expect(other[0]?.trace.variables.find((v) => v.name === 'perCapitaIncome')?.value).toBe(10000);
  });

  it('evaluates every policy of the catalogue', () => {
    const results = evaluate(
      catalog,
      household({ rigidExpenseMonthly: 200000 }),
      '2025-03-01',
      XIAONAN_TOWNSHIP,
    );
    expect(results.map((r) => [r.policyId, r.status, r.amountFen])).toEqual([
      // Rigid expense above income: counted income 0, so the full standard for 3 members.
      ['dibao', 'eligible', 195000],
      ['nearDibao', 'ineligible', null],
      // The 45-year-old is gravely ill but can still work on paper: not tekun.
      ['tekun', 'ineligible', null],
      // min(2000 − 960, 3 months × 3 × 650) yuan.
      ['temporaryAid', 'eligible', 104000],
    ]);
  });
});
