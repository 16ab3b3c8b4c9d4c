/**
 * Self-check (救助助手), the public API: answers agree with the engine for the catalogue's own
 * household shapes, money is converted exactly, nothing is stored, the rate limit holds, and
 * hostile input gets a clear Chinese error.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { evaluate, type HouseholdFacts } from '@doudi/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { chinaDate } from '../src/domains/registry/registry.model.ts';
import { diskCatalog } from '../src/domains/rules/activeCatalog.ts';
import { catalogDir } from '../src/domains/rules/catalogFiles.ts';
import { yuanToFen } from '../src/domains/selfcheck/selfCheck.facts.ts';
import { selfCheck } from '../src/domains/selfcheck/selfCheck.service.ts';
import { regions, seedRegions } from './factories.ts';
import { createTestApp, type TestApp } from './testApp.ts';

const URL = '/api/public/self-check';
const FIXTURES = parse(readFileSync(path.join(catalogDir(), 'scenarios/fixtures.yaml'), 'utf8'), {
  merge: true,
}) as Record<string, { household: Record<string, unknown>; members: Record<string, unknown>[] }>;

const CARE = ['Eating', 'Dressing', 'BedTransfer', 'Toilet', 'WalkingIndoors', 'Bathing'];
const yuan = (fen: unknown) => Number(fen) / 100;

/** The form a resident would fill for one of the catalogue's fixture households. */
function requestFor(name: string, regionCode = regions.huayuanVillage) {
  const { household: h, members } = FIXTURES[name] as (typeof FIXTURES)[string];
  return {
    regionCode,
    urban: h.urban as boolean,
    members: members.map((m, i) => ({
      relationship: i === 0 ? 'self' : 'other',
      age: m.age,
      sex: m.sex,
      health: m.health,
      disabilityGrade: m.disabilityGrade,
      disabilityType: m.disabilityType,
      workCapacity: m.workCapacity,
      employment: m.employment,
      schoolingStage: m.schoolingStage,
      careNeeds: CARE.filter((c) => m[`care${c}`] === false).map((c) => c[0]?.toLowerCase() + c.slice(1)),
    })),
    incomeYuanPerMonth: {
      wage: yuan(h.wageIncome),
      business: yuan(h.businessIncome),
      agricultural: yuan(h.agriculturalIncome),
      property: yuan(h.propertyIncome),
      remittance: yuan(h.remittanceIncome),
      pension: yuan(h.pensionIncome),
      transfer: yuan(h.transferIncome),
    },
    spendingYuanPerYear: {
      medical: yuan(h.medicalExpenseAnnual),
      education: yuan(h.educationExpenseAnnual),
      pensionContribution: yuan(h.pensionContributionAnnual),
    },
    property: {
      // The form asks for the number of homes; none means no home of one's own.
      housingUnits: h.ownsHome ? h.housingUnits : 0,
      vehicles: h.vehicleCount,
      businesses: h.businessCount,
      depositsYuan: yuan(h.financialAssets),
      dilapidatedHouse: h.dilapidatedHouse,
    },
    circumstances: { currentCategories: h.currentCategories },
  };
}

/**
 * An adult son living apart with no income: a liable supporter (so not tekun) who owes nothing (so
 * dibao is the scenario's figure). Without him the elderly couple qualifies for tekun, which
 * supersedes dibao.
 */
function withSonApart(request: ReturnType<typeof requestFor>) {
  request.members.push({
    ...request.members[0],
    relationship: 'child',
    age: 46,
    livesApart: true,
    monthlyIncomeYuan: 0,
  } as never);
  return request;
}

function withCategory(facts: HouseholdFacts, category: string | undefined): HouseholdFacts {
  const current = (facts.household?.currentCategories as string[] | undefined) ?? [];
  return { ...facts, household: { ...facts.household, currentCategories: [...current, category ?? '?'] } };
}

describe('self-check API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ selfCheckRateLimit: 1000 });
    await seedRegions(t.db);
  });
  afterAll(() => t.drop());

  it.each(['ruralElderCouple', 'ruralFamily3', 'ruralElderAlone', 'urbanDibaoFamily', 'urbanWellOff'])(
    'answers %s exactly as the engine does for the catalogue fixture',
    async (name) => {
      const response = await t.client().request('POST', URL, requestFor(name));
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json();
      const today = chinaDate(new Date());
      expect(body).toMatchObject({
        date: today,
        regionCode: regions.huayuanVillage,
        regionName: '花园社区居委会',
      });
      expect(body.notice).toContain('以审核结果为准');
      expect(body.notice).toContain('不会被保存');
      // The self-check form always asks for dispersed tekun support (a resident applying from home).
      const base = FIXTURES[name] as HouseholdFacts;
      const fixture = { ...base, household: { ...base.household, tekunPlacement: 'dispersed' } };
      const expected = new Map(
        evaluate(diskCatalog().catalog, fixture, today, regions.huayuanVillage).map((r) => [r.policyId, r]),
      );
      const statusOf = {
        eligible: 'likely',
        ineligible: 'unlikely',
        needsInformation: 'maybe',
        error: 'maybe',
      };
      expect(body.results.length).toBeGreaterThanOrEqual(30);
      for (const r of body.results) {
        // A policy that follows from a status (e.g. 低保) is evaluated as if it had been granted.
        const granted = r.after
          ? new Map(
              evaluate(
                diskCatalog().catalog,
                withCategory(fixture, r.after),
                today,
                regions.huayuanVillage,
              ).map((x) => [x.policyId, x]),
            )
          : expected;
        if (r.after) expect(expected.get(r.policyId)?.status, r.policyId).toBe('ineligible');
        const engine = granted.get(r.policyId);
        expect(engine, r.policyId).toBeDefined();
        expect(r.status, r.policyId).toBe(statusOf[engine?.status ?? 'error']);
        expect(r.amountFen, r.policyId).toBe(r.status === 'likely' ? engine?.amountFen : null);
        expect(r.office, r.policyId).not.toBe('');
        expect(r.phone, r.policyId).toMatch(/^[0-9-]+$/);
        expect(r.documents.length, r.policyId).toBeGreaterThan(0);
        if (r.status !== 'maybe') expect(r.why.length, r.policyId).toBeGreaterThan(0);
      }
      // Likely first, then maybe, then unlikely; internal screening tools are not offered.
      const order = body.results.map((r: { status: string }) =>
        ['likely', 'maybe', 'unlikely'].indexOf(r.status),
      );
      expect(order).toEqual([...order].sort());
      expect(body.results.map((r: { policyId: string }) => r.policyId)).not.toContain(
        'difficultyIndexScreening',
      );
    },
  );

  it('offers tekun, not dibao as well, to an elderly couple with no one liable to support them', async () => {
    const body = await selfCheck(t.db, requestFor('ruralElderCouple') as never, '2025-06-01');
    const tekun = body.results.find((r) => r.policyId === 'tekun');
    const dibao = body.results.find((r) => r.policyId === 'dibao');
    expect(tekun?.status).toBe('likely');
    expect(dibao).toMatchObject({ status: 'unlikely', amountFen: null });
    expect(dibao?.why).toEqual(['可按「特困人员救助供养」办理，不重复享受本项']);
  });

  it('gives the scenario’s figure and a Chinese reason for an elderly rural couple (dibao 998 元/月)', async () => {
    // catalog/policies/dibao.scenarios.yaml: (590 − 150) × 2 + 增发 59 × 2 = 998 元 on 2025-06-01.
    const body = await selfCheck(t.db, withSonApart(requestFor('ruralElderCouple')) as never, '2025-06-01');
    expect(body.results.find((r) => r.policyId === 'tekun')?.status).toBe('unlikely');
    const dibao = body.results.find((r) => r.policyId === 'dibao');
    expect(dibao).toMatchObject({
      status: 'likely',
      amountFen: 99800,
      amountPeriod: 'month',
      department: '民政',
    });
    expect(dibao?.why.join('')).toContain('低于本地低保标准 590.00 元');
    expect(dibao?.documents).toContain('家庭经济状况核对授权书');
    expect(dibao?.office).toBe('孝昌县民政局社会救助股');
  });

  it('shows what follows once a status is granted (medical aid after 低保), and only then', async () => {
    const body = await selfCheck(t.db, withSonApart(requestFor('ruralElderCouple')) as never, '2025-06-01');
    const following = body.results.filter((r) => r.after !== null);
    expect(following.length).toBeGreaterThan(0);
    for (const r of following) {
      expect(r.status).toBe('likely');
      expect(r.why[0]).toMatch(/^认定为.+后可以申请$/);
    }
    // Already on dibao: nothing waits for it any more.
    const request = withSonApart(requestFor('ruralElderCouple'));
    request.circumstances.currentCategories = ['dibao'];
    const onDibao = await selfCheck(t.db, request as never, '2025-06-01');
    expect(onDibao.results.filter((r) => r.after === 'dibao')).toEqual([]);
    expect(following.some((f) => f.after === 'dibao' && f.why[0] === '认定为低保后可以申请')).toBe(true);
    for (const r of following.filter((f) => f.after === 'dibao'))
      expect(onDibao.results.find((x) => x.policyId === r.policyId)?.status).toBe('likely');
    // A well-off household is offered nothing that waits for a status.
    const wellOff = await selfCheck(t.db, requestFor('urbanWellOff') as never, '2025-06-01');
    expect(wellOff.results.filter((r) => r.after !== null)).toEqual([]);
  });

  it('says what is missing when the resident does not know the deposits or care needs', async () => {
    const request = requestFor('ruralElderAlone');
    delete (request.property as { depositsYuan?: number }).depositsYuan;
    delete (request.members[0] as { careNeeds?: string[] }).careNeeds;
    const body = (await t.client().request('POST', URL, request)).json();
    const dibao = body.results.find((r: { policyId: string }) => r.policyId === 'dibao');
    expect(dibao.status).toBe('maybe');
    expect(dibao.missing.join('')).toContain('家庭金融资产');
    const tekun = body.results.find((r: { policyId: string }) => r.policyId === 'tekun');
    expect(tekun.status).toBe('maybe');
    expect(tekun.missing).toContain('第1位成员的能独立洗澡');
  });

  it('converts yuan to fen exactly, including amounts floating point gets wrong', async () => {
    expect(yuanToFen(0.29, 'x')).toBe(29); // 0.29 × 100 = 28.999999999999996
    expect(yuanToFen(1234.56, 'x')).toBe(123456);
    expect(yuanToFen(1.1, 'x')).toBe(110);
    expect(yuanToFen(1_000_000, 'x')).toBe(100_000_000);
    expect(() => yuanToFen(0.001, 'x')).toThrow('两位小数');
    expect(() => yuanToFen(1e-7, 'x')).toThrow('两位小数');
    const request = withSonApart(requestFor('ruralElderCouple'));
    request.incomeYuanPerMonth.transfer = 300.07;
    const body = await selfCheck(t.db, request as never, '2025-06-01');
    const fixture = structuredClone(FIXTURES.ruralElderCouple) as HouseholdFacts;
    Object.assign(fixture.household as Record<string, unknown>, {
      transferIncome: 30007,
      tekunPlacement: 'dispersed',
    });
    const son = { ...fixture.members?.[0], age: 46, supporterOutside: true, monthlyIncome: 0 };
    fixture.members = [...(fixture.members ?? []), son];
    const engine = evaluate(diskCatalog().catalog, fixture, '2025-06-01', regions.huayuanVillage);
    expect(body.results.find((r) => r.policyId === 'dibao')?.amountFen).toBe(
      engine.find((r) => r.policyId === 'dibao')?.amountFen,
    );
  });

  it('counts a child living apart only for the support owed', async () => {
    const request = requestFor('ruralElderCouple');
    request.members.push({
      ...request.members[0],
      relationship: 'child',
      age: 46,
      livesApart: true,
      monthlyIncomeYuan: 4000,
    } as never);
    const body = await selfCheck(t.db, request as never, '2025-06-01');
    const withSupport = body.results.find((r) => r.policyId === 'dibao')?.amountFen ?? 0;
    expect(withSupport).toBeGreaterThan(0);
    expect(withSupport).toBeLessThan(99800); // support owed (5 % of 4,000 元) is counted as income
  });

  it('finds the orphan allowance for a grandchild whose parents have both died', async () => {
    const request = requestFor('ruralElderCouple');
    const child = {
      ...request.members[0],
      relationship: 'grandchild',
      age: 10,
      employment: 'inSchool',
      schoolingStage: 'primary',
      parentsSituation: 'bothDeceased',
    };
    request.members.push(child as never);
    const status = async () =>
      (await selfCheck(t.db, request as never, '2025-06-01')).results.find(
        (r) => r.policyId === 'orphanAllowance',
      )?.status;
    expect(await status()).toBe('likely');
    (child as { parentsSituation: string }).parentsSituation = 'none';
    expect(await status()).toBe('unlikely');
  });

  it('looks up regions without a login: counties, townships, villages', async () => {
    const client = t.client();
    const counties = (await client.request('GET', '/api/public/regions')).json();
    expect(counties).toEqual([
      { code: regions.county, name: '孝昌县', level: 3, urban: null, childCount: 2 },
    ]);
    const towns = (await client.request('GET', `/api/public/regions/${regions.county}/children`)).json();
    expect(towns.map((r: { name: string }) => r.name)).toEqual(['花园镇', '丰山镇']);
    const province = await client.request('GET', `/api/public/regions/${regions.province}/children`);
    expect(province.statusCode).toBe(400);
    expect(province.json().message).toBe('只能查询县或乡镇的下级地区');
  });
});
