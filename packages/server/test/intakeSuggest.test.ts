/**
 * Suggestions at intake: the rules engine evaluates the household's registry facts, with what is
 * declared at the window, against the catalogue in force; each item carries its trace, template and
 * document checklist. Hostile facts never reach the engine; nothing is stored; staff only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntakeApp, type IntakeTestApp, submit } from './intakeFactories.ts';
import type { TestClient } from './testApp.ts';

interface Item {
  policyId: string;
  status: string;
  suggested: boolean;
  openCaseId: string | null;
  traceZh: string;
  templateId: string;
  documents: { id: string; from: string }[];
  missingFacts: string[];
}

describe('intake: rules-engine suggestions with trace', () => {
  let t: IntakeTestApp;
  let huayuan: TestClient;
  let household: string;
  const poor = {
    wageIncome: 0,
    businessIncome: 0,
    agriculturalIncome: 20_000,
    propertyIncome: 0,
    remittanceIncome: 0,
    pensionIncome: 0,
    transferIncome: 0,
    medicalExpenseAnnual: 0,
    educationExpenseAnnual: 0,
    financialAssets: 100_000,
    housingUnits: 1,
    vehicleCount: 0,
    businessCount: 0,
    ownsHome: true,
    dilapidatedHouse: false,
    publicEmployee: false,
  };
  const suggest = (client: TestClient, body: unknown) =>
    client.request('POST', '/api/intake/suggestions', body);
  const count = async (table: string) =>
    (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n ?? 0;

  beforeAll(async () => {
    t = await createIntakeApp('2026-03-02');
    huayuan = await t.login('huayuan');
    household = await t.newHousehold();
  }, 180_000);
  afterAll(() => t?.drop());

  it('lists the catalogue’s items for the household with trace, template and applicant documents', async () => {
    const r = await suggest(huayuan, { householdId: household });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ householdId: household, notice: expect.stringContaining('仅供受理参考') });
    const dibao = body.items.find((i: Item) => i.policyId === 'dibao') as Item;
    expect(dibao.templateId).toBe('dibaoApproval');
    expect(dibao.documents.map((d) => d.id)).toEqual(['idCard', 'authorisation', 'declaration']);
    expect(dibao.documents.every((d) => d.from === 'applicant')).toBe(true);
    expect(dibao.traceZh.length).toBeGreaterThan(20);
    expect(body.items.some((i: Item) => i.policyId === 'lowIncomeMonitoring')).toBe(false);
  });

  it('what is declared at the window stands in for the recorded figures, and moves the answer', async () => {
    const without = (await suggest(huayuan, { householdId: household })).json();
    const withDeclared = (await suggest(huayuan, { householdId: household, declared: poor })).json();
    expect(withDeclared.economySource).toBe('declared');
    const before = without.items.find((i: Item) => i.policyId === 'dibao') as Item;
    const after = withDeclared.items.find((i: Item) => i.policyId === 'dibao') as Item;
    expect(after.missingFacts.length).toBeLessThan(before.missingFacts.length || 1);
    const rich = (
      await suggest(huayuan, { householdId: household, declared: { ...poor, wageIncome: 5_000_000 } })
    ).json();
    const richDibao = rich.items.find((i: Item) => i.policyId === 'dibao') as Item;
    expect(richDibao.suggested).toBe(false);
    expect(richDibao.status).not.toBe('eligible');
    expect(richDibao.traceZh).not.toEqual(after.traceZh);
    // Suggested items come first.
    const flags = withDeclared.items.map((i: Item) => i.suggested);
    expect(flags).toEqual([...flags].sort((a: boolean, b: boolean) => Number(b) - Number(a)));
  });

  it('an item with an open case is pointed at that case, not suggested again', async () => {
    const submitted = await submit(huayuan, {
      householdId: household,
      channel: 'window',
      items: [{ policyId: 'dibao' }],
    });
    const items = (await suggest(huayuan, { householdId: household, declared: poor })).json().items as Item[];
    const dibao = items.find((i) => i.policyId === 'dibao') as Item;
    expect(dibao).toMatchObject({ openCaseId: submitted.json().cases[0].id, suggested: false });
  });

  it('refuses hostile facts before the engine sees them, and stores nothing', async () => {
    const before = await Promise.all(['household_economy', 'intake_application', 'audit_log'].map(count));
    const hostile: unknown[] = [
      { householdId: household, declared: { wageIncome: '1 || true' } },
      { householdId: household, declared: { wageIncome: -1 } },
      { householdId: household, declared: { wageIncome: 1.5 } },
      { householdId: household, declared: { wageIncome: 1e20 } },
      { householdId: household, declared: { financialAssets: 'Infinity' } },
      { householdId: household, declared: { currentCategories: ['dibao'] } },
      { householdId: household, declared: { urban: true } },
      { householdId: household, declared: { refusedVerification: false } },
      { householdId: household, declared: { 'household.wageIncome': 0 } },
      { householdId: household, declared: JSON.parse('{"__proto__": {"polluted": true}}') },
      { householdId: household, declared: { constructor: { prototype: { polluted: true } } } },
      { householdId: household, declared: { ownsHome: 'yes' } },
      { householdId: household, declared: [1, 2] },
      { householdId: household, declared: { housingUnits: { $gt: 0 } } },
      { householdId: "' OR 1=1 --" },
      { householdId: household, members: [] },
      {},
    ];
    for (const body of hostile) {
      const r = await suggest(huayuan, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const oversized = await suggest(huayuan, { householdId: household, note: 'x'.repeat(20_000) });
    expect(oversized.statusCode).toBe(413);
    const broken = await suggest(huayuan, '{"householdId": ');
    expect(broken.statusCode).toBe(400);
    const after = await Promise.all(['household_economy', 'intake_application', 'audit_log'].map(count));
    expect(after).toEqual(before);
  });

  it('staff only, and only within the region', async () => {
    const resident = await t.login('resident');
    expect((await suggest(resident, { householdId: household })).statusCode).toBe(403);
    const fengshan = await t.login('fengshan');
    expect((await suggest(fengshan, { householdId: household })).statusCode).toBe(404);
    expect((await suggest(huayuan, { householdId: t.fengshanHousehold })).statusCode).toBe(404);
    const anonymous = await huayuan.request('POST', '/api/auth/logout', {});
    expect(anonymous.statusCode).toBeLessThan(500);
    expect((await suggest(huayuan, { householdId: household })).statusCode).toBe(401);
  });
});
