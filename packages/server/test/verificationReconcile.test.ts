/**
 * Take-highest reconciliation (就高原则): declared, home-visit and verified figures side by side,
 * the highest approved with its source, overrides only with a written reason, every write audited,
 * retries that never duplicate, and the approved figures as the facts the rules engine reads.
 * Also the supporter link (adult children living apart) and its hostile inputs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSystem } from '../src/db/scope.ts';
import { householdFactsFor } from '../src/domains/householdFacts/householdFacts.ts';
import { reconcile } from '../src/domains/verification/figures.ts';
import { regions } from './factories.ts';
import { householdBody, idFor } from './registryFactories.ts';
import { login } from './sourcesFactories.ts';
import { createTestApp, type TestApp } from './testApp.ts';
import { REPORT_DATE, seedVerification, type VerificationWorld } from './verificationFactories.ts';

describe('take-highest reconciliation (就高原则)', () => {
  let t: TestApp;
  let w: VerificationWorld;
  let base: string;
  const figure = (view: { figures: { name: string }[] }, name: string) =>
    view.figures.find((f) => f.name === name) as Record<string, unknown>;

  // Seeding and six department imports: minutes on a busy shared PostgreSQL.
  beforeAll(async () => {
    t = await createTestApp();
    w = await seedVerification(t);
    base = `/api/verification/households/${w.householdId}`;
  }, 300_000);
  afterAll(() => t.drop());

  it('the rule itself: highest wins, ties name the best-evidenced source, unknown stays unknown', () => {
    const figures = reconcile(
      { wageIncome: 100, housingUnits: 1 },
      { wageIncome: 300 },
      { wageIncome: 300, housingUnits: 1 },
    );
    const wage = figures.find((f) => f.name === 'wageIncome');
    expect(wage).toMatchObject({ approved: 300, approvedFrom: 'verified', highestFrom: 'verified' });
    expect(figures.find((f) => f.name === 'housingUnits')).toMatchObject({
      approved: 1,
      approvedFrom: 'verified',
    });
    expect(figures.find((f) => f.name === 'businessIncome')).toMatchObject({
      approved: null,
      approvedFrom: null,
    });
    const over = reconcile(
      { wageIncome: 100 },
      {},
      {},
      { wageIncome: { value: 50, reason: '已离职，见证明' } },
    );
    expect(over.find((f) => f.name === 'wageIncome')).toMatchObject({
      approved: 50,
      approvedFrom: 'override',
      highest: 100,
      overrideReason: '已离职，见证明',
    });
  });

  it('records the declaration and the home visit; retrying changes nothing new', async () => {
    const declared = {
      asOf: '2025-06-01',
      figures: { wageIncome: 200_000, financialAssets: 5_000_000, housingUnits: 1 },
    };
    for (let i = 0; i < 2; i++) {
      const r = await w.huayuan.request('PUT', `${base}/statements/declared`, declared);
      expect(r.statusCode, r.body).toBe(200);
    }
    const visit = {
      asOf: '2025-06-20',
      figures: { wageIncome: 600_000, agriculturalIncome: 80_000 },
      investigators: ['王芳', '刘强'],
      note: '邻居反映配偶在县城务工',
    };
    for (let i = 0; i < 2; i++) {
      const r = await w.huayuan.request('PUT', `${base}/statements/homeVisit`, visit);
      expect(r.statusCode, r.body).toBe(200);
    }
    const rows = await t.db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM household_economy WHERE household_id = $1)::int
            + (SELECT count(*) FROM verification_home_visit WHERE household_id = $1)::int AS n`,
      [w.householdId],
    );
    expect(rows.rows[0]?.n).toBe(2);
  });

  it('shows each figure from its three sources and suggests the highest', async () => {
    const r = await w.huayuan.request('GET', `${base}/reconciliation?asOf=${REPORT_DATE}`);
    expect(r.statusCode, r.body).toBe(200);
    const view = r.json();
    expect(view.declaredAsOf).toBe('2025-06-01');
    expect(view.homeVisit).toMatchObject({ visitedOn: '2025-06-20', investigators: ['王芳', '刘强'] });
    expect(figure(view, 'wageIncome')).toMatchObject({
      declared: 200_000,
      homeVisit: 600_000,
      verified: 500_000,
      approved: 600_000,
      approvedFrom: 'homeVisit',
    });
    expect(figure(view, 'financialAssets')).toMatchObject({
      declared: 5_000_000,
      verified: 10_000_000,
      approvedFrom: 'verified',
    });
    expect(figure(view, 'housingUnits')).toMatchObject({ declared: 1, verified: 2, approved: 2 });
    expect(figure(view, 'agriculturalIncome')).toMatchObject({ verified: null, approved: 80_000 });
    expect(view.approval).toBeNull();
  });

  it('refuses overrides without a reason, with an oversized reason, unknown figures and bad values', async () => {
    const bad: [unknown, string][] = [
      [{ wageIncome: { value: 550_000, reason: '' } }, 'overrides.wageIncome.reason'],
      [{ wageIncome: { value: 550_000, reason: '  好  ' } }, 'overrides.wageIncome.reason'],
      [{ wageIncome: { value: 550_000, reason: '理'.repeat(501) } }, 'overrides.wageIncome.reason'],
      [{ salary: { value: 1, reason: '理由充分的说明' } }, 'overrides.salary'],
      [{ wageIncome: { value: -1, reason: '理由充分的说明' } }, 'overrides.wageIncome'],
      [{ wageIncome: { value: 1.5, reason: '理由充分的说明' } }, 'overrides.wageIncome'],
      [{ housingUnits: { value: 1e9, reason: '理由充分的说明' } }, 'overrides.housingUnits'],
    ];
    for (const [overrides, field] of bad) {
      const r = await w.huayuan.request('POST', `${base}/approval`, { asOf: REPORT_DATE, overrides });
      expect(r.statusCode, JSON.stringify(overrides).slice(0, 80)).toBe(400);
      expect(r.json().field).toBe(field);
    }
    const noReason = await w.huayuan.request('POST', `${base}/approval`, {
      asOf: REPORT_DATE,
      overrides: { wageIncome: { value: 1 } },
    });
    expect(noReason.statusCode).toBe(400);
    const badDate = await w.huayuan.request('POST', `${base}/approval`, { asOf: '2025-13-01' });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().field).toBe('asOf');
    const visitAlone = await w.huayuan.request('PUT', `${base}/statements/homeVisit`, {
      asOf: '2025-06-21',
      figures: { wageIncome: 1 },
      investigators: ['王芳'],
    });
    expect(visitAlone.statusCode).toBe(400);
    expect(visitAlone.json().field).toBe('investigators');
    const unknownFigure = await w.huayuan.request('PUT', `${base}/statements/declared`, {
      asOf: '2025-06-01',
      figures: { publicEmployee: 1 },
    });
    expect(unknownFigure.statusCode).toBe(400);
    const nothing = await w.huayuan.request('PUT', `${base}/statements/declared`, {
      asOf: '2025-06-01',
      figures: {},
    });
    expect(nothing.statusCode).toBe(400);
    const count = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM verification_approval');
    expect(count.rows[0]?.n).toBe(0);
  });

  it('approves the highest with one written override, audited, and the rules engine reads the approved figures', async () => {
    const body = {
      asOf: REPORT_DATE,
      overrides: { wageIncome: { value: 550_000, reason: '入户所见为旺季收入，按全年工资流水核定' } },
    };
    const first = await w.huayuan.request('POST', `${base}/approval`, body);
    expect(first.statusCode, first.body).toBe(200);
    const again = await w.huayuan.request('POST', `${base}/approval`, body);
    expect(again.statusCode).toBe(200);
    const view = again.json();
    expect(view.approval.figures.find((f: { name: string }) => f.name === 'wageIncome')).toMatchObject({
      approved: 550_000,
      approvedFrom: 'override',
      highest: 600_000,
      overrideReason: '入户所见为旺季收入，按全年工资流水核定',
    });
    expect(view.approval.approvedBy).toBe('huayuan');
    const rows = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM household_economy WHERE household_id = $1 AND source = 'approved'",
      [w.householdId],
    );
    expect(rows.rows[0]?.n).toBe(1);
    const facts = await asSystem(t.db, (tx) => householdFactsFor(tx, w.householdId, REPORT_DATE));
    expect(facts?.economySource).toBe('approved');
    expect(facts?.facts.household).toMatchObject({
      wageIncome: 550_000,
      financialAssets: 10_000_000,
      housingUnits: 2,
      vehicleCount: 1,
      businessCount: 1,
      agriculturalIncome: 80_000,
    });
    // Before the approval date the declaration still decides.
    const earlier = await asSystem(t.db, (tx) => householdFactsFor(tx, w.householdId, '2025-06-10'));
    expect(earlier?.economySource).toBe('declared');
    const audit = await t.db.query<{ after: { overrides: Record<string, { reason: string }> } }>(
      "SELECT after FROM audit_log WHERE action = 'verification.approve' AND entity_id = $1 ORDER BY seq",
      [w.householdId],
    );
    expect(audit.rows).toHaveLength(2);
    expect(audit.rows[1]?.after.overrides.wageIncome?.reason).toContain('工资流水');
  });

  it('the verification centre reads but does not approve; another township cannot touch the household', async () => {
    expect((await w.verify.request('GET', `${base}/reconciliation?asOf=${REPORT_DATE}`)).statusCode).toBe(
      200,
    );
    const denied = await w.verify.request('POST', `${base}/approval`, { asOf: REPORT_DATE });
    expect(denied.statusCode).toBe(403);
    const fengshan = await login(t, 'fengshan');
    expect((await fengshan.request('POST', `${base}/approval`, { asOf: REPORT_DATE })).statusCode).toBe(404);
    const statement = await fengshan.request('PUT', `${base}/statements/declared`, {
      asOf: REPORT_DATE,
      figures: { wageIncome: 1 },
    });
    expect(statement.statusCode).toBe(404);
  });

  it('links an adult child living apart once, and refuses bad, unknown, member and minor ID numbers', async () => {
    const url = `${base}/supporters`;
    const ok = { idNumber: w.supporter.idNumber, relationship: 'son', validFrom: '2024-01-01' };
    const first = await w.county.request('POST', url, ok);
    expect(first.json()).toMatchObject({ created: true });
    const second = await w.county.request('POST', url, ok);
    expect(second.json()).toMatchObject({ created: false, id: first.json().id });
    const bad: [Record<string, unknown>, number][] = [
      [{ ...ok, idNumber: '420921198804021234' }, 400], // check digit
      [{ ...ok, idNumber: 'x'.repeat(31) }, 400],
      [{ ...ok, idNumber: idFor('1990-01-01') }, 400], // nobody registered
      [{ ...ok, idNumber: w.spouse.idNumber }, 400], // a member, not a supporter
      [{ ...ok, idNumber: w.son.idNumber }, 400],
      [{ ...ok, relationship: 'neighbour' }, 400],
      [{ ...ok, validFrom: '2024-02-30' }, 400],
    ];
    for (const [body, status] of bad)
      expect((await w.county.request('POST', url, body)).statusCode).toBe(status);
    // A child of 13 in another household cannot be a liable supporter.
    const minor = idFor('2012-02-03', 'female');
    const family = await w.county.request(
      'POST',
      '/api/households',
      householdBody({
        regionCode: regions.fengshanVillage,
        head: { name: '周红', idNumber: idFor('1985-01-01', 'female') },
        members: [{ name: '周小妹', idNumber: minor, relationshipToHead: 'daughter' }],
      }),
    );
    expect(family.statusCode, family.body).toBe(200);
    const child = await w.county.request('POST', url, { idNumber: minor, relationship: 'daughter' });
    expect(child.statusCode).toBe(400);
    expect(child.json().message).toContain('成年子女');
    const list = (await w.huayuan.request('GET', url)).json();
    // The Huayuan caseworker sees the link, not the person registered in Fengshan.
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ relationship: 'son', name: null, validTo: null });
    const ended = await w.county.request('POST', `${url}/${first.json().id}/end`, { validTo: '2025-01-01' });
    expect(ended.statusCode, ended.body).toBe(200);
    const report = (await w.county.request('GET', `${base}/report?asOf=${REPORT_DATE}`)).json();
    expect(report.persons.some((p: { role: string }) => p.role === 'supporter')).toBe(false);
  });
});
