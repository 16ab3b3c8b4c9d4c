/**
 * Apply where you live (居住地申办): a household registered in 丰山镇 whose members live in 花园镇 applies
 * at the 花园镇 window. The residence township finds it by ID number, receives the application and
 * handles its cases with the extended time limit; the database lets it read that household and no
 * other, read-only; the hukou township follows the cases' state without having them on its desk.
 * Refused with a clear message: before the region allowed it, a household registered here, a village
 * outside one's scope, a malformed permit, a resident online.
 * Also the other intake rule of DOMAIN.md's dibao procedure step 1: applications of close relatives of
 * assistance staff or village committee members are registered separately (近亲属备案).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regions } from './factories.ts';
import { createIntakeApp, type IntakeTestApp, idempotencyKey, submit } from './intakeFactories.ts';
import { householdBody } from './registryFactories.ts';
import type { TestClient } from './testApp.ts';

describe('intake: apply where you live', () => {
  let t: IntakeTestApp;
  let huayuan: TestClient;
  let fengshan: TestClient;
  let county: TestClient;
  let householdId: string;
  let headIdNumber: string;
  const residence = { regionCode: regions.huayuanVillage, permitNumber: '4209211002026001' };
  const dibao = (extra: object = {}) => ({
    householdId,
    channel: 'window',
    items: [{ policyId: 'dibao', documents: ['idCard'] }],
    residence,
    ...extra,
  });

  beforeAll(async () => {
    t = await createIntakeApp('2026-03-02');
    huayuan = await t.login('huayuan');
    fengshan = await t.login('fengshan');
    county = await t.login('county');
    const body = householdBody({ regionCode: regions.fengshanVillage });
    headIdNumber = body.head.idNumber;
    const created = await county.request('POST', '/api/households', body);
    expect(created.statusCode).toBe(200);
    householdId = created.json().id;
  }, 180_000);
  afterAll(() => t?.drop());

  it('finds the household registered elsewhere by ID number, without personal data, and logs the look-up', async () => {
    const found = await huayuan.request('POST', '/api/intake/residence-lookup', {
      idNumber: headIdNumber,
      regionCode: regions.huayuanVillage,
    });
    expect(found.statusCode).toBe(200);
    expect(found.json()).toMatchObject({
      householdId,
      hukouRegionCode: regions.fengshanVillage,
      hukouTownshipName: '丰山镇',
      registeredHere: false,
      allowed: true,
    });
    expect(JSON.stringify(found.json())).not.toContain(headIdNumber);
    const logged = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'intake.residenceLookup' AND entity_id = $1`,
      [householdId],
    );
    expect(logged.rows[0]?.n).toBe(1);
    // Before any application the residence township cannot read the household ...
    expect((await huayuan.request('GET', `/api/households/${householdId}`)).statusCode).toBe(404);
    expect((await huayuan.request('POST', '/api/intake/suggestions', { householdId })).statusCode).toBe(404);
    // ... so the wizard lists the items and their papers without evaluating the household.
    const items = await huayuan.request('POST', '/api/intake/suggestions', {
      householdId,
      residenceRegionCode: regions.huayuanVillage,
    });
    expect(items.statusCode).toBe(200);
    const dibaoItem = items.json().items.find((i: { policyId: string }) => i.policyId === 'dibao');
    expect(dibaoItem).toMatchObject({ status: 'needsInformation', amountFen: null, suggested: false });
    expect(dibaoItem.documents.map((d: { id: string }) => d.id)).toContain('idCard');
    expect(items.json().notice).toContain('居住地申办');
    const elsewhere = await huayuan.request('POST', '/api/intake/suggestions', {
      householdId: t.huayuanHousehold,
      residenceRegionCode: regions.huayuanVillage,
    });
    expect(elsewhere.statusCode).toBe(400);
  });

  it('the residence township receives it, handles it with the extended limit, and may read that household only', async () => {
    const key = idempotencyKey();
    const first = await submit(huayuan, dibao(), key);
    expect(first.statusCode).toBe(200);
    const application = first.json();
    expect(application).toMatchObject({
      regionCode: regions.huayuanVillage,
      residence: { permitNumber: residence.permitNumber, hukouRegionCode: regions.fengshanVillage },
    });
    const caseId = application.cases[0].id as string;
    const detail = (await huayuan.request('GET', `/api/intake/cases/${caseId}`)).json();
    expect(detail.extendedReason).toContain('户籍地与居住地不一致');
    // 45 working days from 2026-03-02 (dibao's extended limit), not 30.
    expect(detail.caseDueOn > '2026-04-20').toBe(true);
    // A retry is the same application.
    const retry = await submit(huayuan, dibao(), key);
    expect(retry.json()).toMatchObject({ id: application.id, replayed: true });

    // Now readable, read-only; another 丰山镇 household stays invisible.
    expect((await huayuan.request('GET', `/api/households/${householdId}`)).statusCode).toBe(200);
    const edit = await huayuan.request('PATCH', `/api/households/${householdId}`, {
      version: 1,
      address: '花园镇改写的地址',
    });
    expect([403, 404]).toContain(edit.statusCode);
    expect((await huayuan.request('GET', `/api/households/${t.fengshanHousehold}`)).statusCode).toBe(404);
    const still = await t.db.query<{ address: string }>('SELECT address FROM household WHERE id = $1', [
      householdId,
    ]);
    expect(still.rows[0]?.address).not.toBe('花园镇改写的地址');

    // The hukou township follows the state, but the case is not on its desk.
    const followed = await fengshan.request('GET', `/api/intake/households/${householdId}/residence-cases`);
    expect(followed.statusCode).toBe(200);
    expect(followed.json()).toEqual([
      expect.objectContaining({ caseId, policyId: 'dibao', status: 'open', regionName: expect.any(String) }),
    ]);
    const desk = (await fengshan.request('GET', '/api/intake/cases')).json();
    expect(desk.items.map((c: { id: string }) => c.id)).not.toContain(caseId);
    // ... and a township that is neither sees nothing.
    const other = await huayuan.request(
      'GET',
      `/api/intake/households/${t.fengshanHousehold}/residence-cases`,
    );
    expect(other.json()).toEqual([]);
  });

  it('refuses what the rule does not allow, each with its reason', async () => {
    // A household registered in one's own township applies normally.
    const here = await submit(huayuan, { ...dibao(), householdId: t.huayuanHousehold });
    expect(here.statusCode).toBe(400);
    expect(here.json().message).toContain('户籍在您的辖区内');
    // A village outside one's scope.
    const far = await submit(
      huayuan,
      dibao({ residence: { ...residence, regionCode: regions.fengshanVillage } }),
    );
    expect(far.statusCode).toBe(400);
    expect(far.json().field).toBe('residence.regionCode');
    // Malformed and hostile permits.
    for (const permitNumber of ["1'; DROP TABLE intake_application; --", 'x', '长'.repeat(20)]) {
      const bad = await submit(huayuan, dibao({ residence: { ...residence, permitNumber } }));
      expect(bad.statusCode).toBe(400);
    }
    const extra = await submit(huayuan, dibao({ residence: { ...residence, hukouRegionCode: '1' } }));
    expect(extra.statusCode).toBe(400);
    // Before the county allowed it (the parameter is true from 2024-01-01).
    t.setToday('2023-06-01');
    const early = await submit(huayuan, dibao());
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'RESIDENCE_APPLICATION_NOT_ALLOWED' });
    const lookedUp = await huayuan.request('POST', '/api/intake/residence-lookup', {
      idNumber: headIdNumber,
      regionCode: regions.huayuanVillage,
    });
    expect(lookedUp.json()).toMatchObject({ allowed: false });
    t.setToday('2026-03-02');
    // A malformed ID number and an unknown one.
    const malformed = await huayuan.request('POST', '/api/intake/residence-lookup', {
      idNumber: '42092119700305001',
      regionCode: regions.huayuanVillage,
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().field).toBe('idNumber');
    const unknown = await huayuan.request('POST', '/api/intake/residence-lookup', {
      idNumber: '11010519491231002X',
      regionCode: regions.huayuanVillage,
    });
    expect(unknown.statusCode).toBe(404);
    const count = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM intake_application WHERE residence IS NOT NULL',
    );
    expect(count.rows[0]?.n).toBe(1);
  });
});

describe('intake: close relatives of staff are registered separately (近亲属备案)', () => {
  let t: IntakeTestApp;
  let huayuan: TestClient;
  let county: TestClient;
  const staffRelative = {
    memberName: '张建国',
    staffName: '李敏',
    post: 'villageCommittee',
    relation: '兄妹',
  };

  beforeAll(async () => {
    t = await createIntakeApp('2026-03-02');
    huayuan = await t.login('huayuan');
    county = await t.login('county');
  }, 180_000);
  afterAll(() => t?.drop());

  it('flags every case of the application, lists them for the county, and keeps the declaration', async () => {
    const body = {
      householdId: t.huayuanHousehold,
      channel: 'window',
      items: [
        { policyId: 'dibao', documents: ['idCard'] },
        { policyId: 'compulsoryEducationAid', documents: [] },
      ],
      staffRelative,
    };
    const submitted = await submit(huayuan, body);
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json().staffRelative).toEqual(staffRelative);
    const ids = submitted.json().cases.map((c: { id: string }) => c.id);
    for (const c of submitted.json().cases) expect(c.flags).toContain('staffRelative');
    // An ordinary application of another household is not on the list.
    const plain = await submit(huayuan, {
      householdId: await t.newHousehold(),
      channel: 'window',
      items: [{ policyId: 'dibao', documents: ['idCard'] }],
    });
    expect(plain.json().cases[0].flags).not.toContain('staffRelative');
    const listed = (await county.request('GET', '/api/intake/cases?flag=staffRelative')).json();
    expect(listed.items.map((c: { id: string }) => c.id).sort()).toEqual([...ids].sort());
    const audit = await t.db.query<{ after: { staffRelative: unknown } }>(
      `SELECT after FROM audit_log WHERE action = 'intake.submit' AND entity_id = $1`,
      [submitted.json().id],
    );
    expect(audit.rows[0]?.after.staffRelative).toEqual(staffRelative);
    // The home visit stays a step of its own: dibao cannot reach a decision without it.
    const templates = (await huayuan.request('GET', '/api/intake/templates')).json();
    const dibao = templates.find((x: { id: string }) => x.id === 'dibaoApproval');
    expect(dibao.steps.map((s: { id: string }) => s.id)).toContain('homeVisit');
  });

  it('refuses malformed declarations', async () => {
    for (const bad of [
      { ...staffRelative, post: 'mayor' },
      { ...staffRelative, staffName: '' },
      { ...staffRelative, relation: '长'.repeat(21) },
      { ...staffRelative, extra: 1 },
    ]) {
      const r = await submit(huayuan, {
        householdId: t.huayuanHousehold,
        channel: 'window',
        items: [{ policyId: 'nearDibao', documents: [] }],
        staffRelative: bad,
      });
      expect(r.statusCode).toBe(400);
    }
    expect((await county.request('GET', '/api/intake/cases?flag=notAFlag')).statusCode).toBe(400);
  });
});
