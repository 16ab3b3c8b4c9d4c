import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regions, TEST_PASSWORD } from './factories.ts';
import { householdBody, idFor, seedRegistryPeople } from './registryFactories.ts';
import { createTestApp, type TestApp, type TestClient } from './testApp.ts';

interface Detail {
  id: string;
  headPersonId: string;
  members: {
    id: string;
    name: string;
    relationshipToHead: string;
    attributes: { kind: string; value: Record<string, unknown> }[];
  }[];
  categories: { id: string; category: string; monthlyAmountFen: number | null }[];
}

describe('registry history: attributes, categories, transfers, as-of, duplicates', () => {
  let t: TestApp;
  let huayuan: TestClient;
  let county: TestClient;
  let fengshan: TestClient;
  let a: Detail;
  let b: Detail;

  async function login(name: string) {
    const client = t.client();
    expect((await client.login(name, TEST_PASSWORD)).statusCode).toBe(200);
    return client;
  }
  const asOf = async (id: string, date: string): Promise<Detail> => {
    const response = await huayuan.request('GET', `/api/households/${id}?asOf=${date}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };
  const post = async (client: TestClient, url: string, body: unknown, status = 200) => {
    const response = await client.request('POST', url, body);
    expect(response.statusCode, response.body).toBe(status);
    return response.json();
  };

  beforeAll(async () => {
    t = await createTestApp();
    await seedRegistryPeople(t.db);
    huayuan = await login('huayuan');
    county = await login('county');
    fengshan = await login('fengshan');
    a = await post(huayuan, '/api/households', householdBody());
    b = await post(huayuan, '/api/households', householdBody({ members: [], registeredOn: '2021-01-01' }));
    const spouse = a.members[1]?.id as string;
    await post(huayuan, `/api/persons/${spouse}/attributes`, {
      kind: 'workCapacity',
      value: { capacity: 'full' },
      validFrom: '2020-01-01',
    });
    await post(huayuan, `/api/persons/${spouse}/attributes`, {
      kind: 'workCapacity',
      value: { capacity: 'partial' },
      validFrom: '2023-06-01',
    });
    await post(huayuan, `/api/persons/${spouse}/attributes`, {
      kind: 'workCapacity',
      value: { capacity: 'none' },
      validFrom: '2025-01-01',
    });
    await post(huayuan, `/api/persons/${spouse}/attributes`, {
      kind: 'disability',
      value: { type: 'physical', grade: 2 },
      validFrom: '2023-06-01',
    });
    const dibao = await post(huayuan, `/api/households/${a.id}/categories`, {
      category: 'dibao',
      validFrom: '2021-01-01',
      monthlyAmountFen: 48_000,
    });
    await post(huayuan, `/api/households/${a.id}/categories/${dibao.id}/end`, {
      validTo: '2024-01-01',
      reason: '收入超过标准',
    });
    await post(huayuan, `/api/households/${a.id}/categories`, {
      category: 'nearDibao',
      validFrom: '2024-01-01',
    });
    await post(huayuan, `/api/persons/${a.members[2]?.id}/transfer`, {
      toHouseholdId: b.id,
      relationshipToHead: 'other',
      reason: '投靠亲属',
      movedOn: '2022-03-01',
    });
  });
  afterAll(() => t.drop());

  it('answers "what did we know about this household on date D" for several dates', async () => {
    expect((await asOf(a.id, '2019-12-31')).members).toEqual([]);

    const d2021 = await asOf(a.id, '2021-06-01');
    expect(d2021.members.map((m) => m.name)).toEqual(['张建国', '李桂英', '张小明']);
    expect(d2021.members[1]?.attributes).toEqual([
      expect.objectContaining({ kind: 'workCapacity', value: { capacity: 'full' } }),
    ]);
    expect(d2021.categories.map((c) => [c.category, c.monthlyAmountFen])).toEqual([['dibao', 48_000]]);

    const d2023 = await asOf(a.id, '2023-07-01');
    expect(d2023.members.map((m) => m.name)).toEqual(['张建国', '李桂英']);
    const spouse2023 = d2023.members[1]?.attributes.map((x) => [x.kind, x.value]);
    expect(spouse2023).toEqual(
      expect.arrayContaining([
        ['workCapacity', { capacity: 'partial' }],
        ['disability', { type: 'physical', grade: 2 }],
      ]),
    );
    expect(d2023.categories.map((c) => c.category)).toEqual(['dibao']);

    const d2024 = await asOf(a.id, '2024-02-01');
    expect(d2024.categories.map((c) => c.category)).toEqual(['nearDibao']);
    const d2025 = await asOf(a.id, '2025-01-01');
    expect(d2025.members[1]?.attributes.find((x) => x.kind === 'workCapacity')?.value).toEqual({
      capacity: 'none',
    });

    expect((await asOf(b.id, '2022-02-28')).members.map((m) => m.name)).toEqual(['张建国']);
    const bAfter = await asOf(b.id, '2022-03-01');
    expect(bAfter.members.map((m) => [m.name, m.relationshipToHead])).toEqual([
      ['张建国', 'head'],
      ['张小明', 'other'],
    ]);
  });

  it('recording a value closes the previous one; overlapping and malformed values are refused', async () => {
    const spouse = a.members[1]?.id as string;
    const person = (await huayuan.request('GET', `/api/persons/${spouse}`)).json();
    const work = person.attributes.filter((x: { kind: string }) => x.kind === 'workCapacity');
    expect(work.map((x: { validFrom: string; validTo: string | null }) => [x.validFrom, x.validTo])).toEqual([
      ['2020-01-01', '2023-06-01'],
      ['2023-06-01', '2025-01-01'],
      ['2025-01-01', null],
    ]);
    const overlap = await huayuan.request('POST', `/api/persons/${spouse}/attributes`, {
      kind: 'workCapacity',
      value: { capacity: 'full' },
      validFrom: '2024-01-01',
    });
    expect(overlap.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'validFrom' });
    const grade = await huayuan.request('POST', `/api/persons/${spouse}/attributes`, {
      kind: 'disability',
      value: { type: 'physical', grade: 5 },
      validFrom: '2026-01-01',
    });
    expect(grade.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'value.grade',
      message: '残疾等级应为1至4级',
    });
    const care = await huayuan.request('POST', `/api/persons/${spouse}/attributes`, {
      kind: 'careDependency',
      value: { eating: true, dressing: true, bedTransfer: false, toilet: true, walkingIndoors: true },
      validFrom: '2026-01-01',
    });
    expect(care.json()).toMatchObject({ field: 'value.bathing' });
    const okCare = await huayuan.request('POST', `/api/persons/${spouse}/attributes`, {
      kind: 'careDependency',
      value: {
        eating: true,
        dressing: true,
        bedTransfer: false,
        toilet: true,
        walkingIndoors: true,
        bathing: false,
      },
      validFrom: '2026-01-01',
    });
    expect(okCare.statusCode).toBe(200);
    const audit = await t.db.query<{ before: unknown; after: { kind: string } }>(
      `SELECT before, after FROM audit_log WHERE action = 'person.attribute.record' AND entity_id = $1 ORDER BY seq`,
      [spouse],
    );
    expect(audit.rows).toHaveLength(5);
    expect(audit.rows[1]?.before).toMatchObject({ kind: 'workCapacity', validFrom: '2020-01-01' });
  });

  it('records the transfer, refuses moving a head, and refuses a destination outside scope', async () => {
    const moved = (await huayuan.request('GET', `/api/persons/${a.members[2]?.id}`)).json();
    expect(moved.householdId).toBe(b.id);
    expect(moved.transfers.map((x: { kind: string; movedOn: string }) => [x.kind, x.movedOn])).toEqual([
      ['join', '2020-01-01'],
      ['transfer', '2022-03-01'],
    ]);
    const audit = await t.db.query(
      `SELECT 1 FROM audit_log WHERE action = 'person.transfer' AND entity_id = $1`,
      [moved.id],
    );
    expect(audit.rows).toHaveLength(1);
    const head = await huayuan.request('POST', `/api/persons/${a.headPersonId}/transfer`, {
      toHouseholdId: b.id,
      relationshipToHead: 'other',
      reason: '测试',
    });
    expect(head.json().code).toBe('HEAD_CANNOT_MOVE');
    const theirs = await post(
      fengshan,
      '/api/households',
      householdBody({ regionCode: regions.fengshanVillage, members: [] }),
    );
    const outside = await huayuan.request('POST', `/api/persons/${a.members[1]?.id}/transfer`, {
      toHouseholdId: theirs.id,
      relationshipToHead: 'other',
      reason: '测试',
    });
    expect(outside.statusCode).toBe(404);
    // The county can move across townships; both townships keep seeing their side of the history.
    const across = await county.request('POST', `/api/persons/${a.members[1]?.id}/transfer`, {
      toHouseholdId: theirs.id,
      relationshipToHead: 'spouse',
      reason: '婚迁',
    });
    expect(across.statusCode, across.body).toBe(200);
    expect(
      (await fengshan.request('GET', `/api/persons/${a.members[1]?.id}`)).json().attributes.length,
    ).toBeGreaterThan(3);
    expect((await huayuan.request('GET', `/api/persons/${a.members[1]?.id}`)).statusCode).toBe(404);
  });

  it('changes the head only to an adult member, recording both relationships', async () => {
    const h = await post(huayuan, '/api/households', householdBody());
    const child = h.members.find((m: { relationshipToHead: string }) => m.relationshipToHead === 'son');
    const spouse = h.members.find((m: { relationshipToHead: string }) => m.relationshipToHead === 'spouse');
    const current = (await huayuan.request('GET', `/api/households/${h.id}`)).json();
    const refused = await huayuan.request('PATCH', `/api/households/${h.id}`, {
      version: current.version,
      headPersonId: child?.id,
    });
    expect(refused.json()).toMatchObject({ field: 'headPersonId' });
    const changed = await huayuan.request('PATCH', `/api/households/${h.id}`, {
      version: current.version,
      headPersonId: spouse?.id,
      previousHeadRelationship: 'spouse',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().headPersonId).toBe(spouse?.id);
    expect(changed.json().members[0]).toMatchObject({ id: spouse?.id, relationshipToHead: 'head' });
  });

  it('lists likely duplicates and merges them, keeping the removed row for traceability', async () => {
    const birth = '1988-08-08';
    const x = await post(huayuan, '/api/households', householdBody({ members: [] }));
    const first = await post(huayuan, `/api/households/${x.id}/members`, {
      name: '钱七',
      idNumber: idFor(birth),
      relationshipToHead: 'son',
    });
    const y = await post(huayuan, '/api/households', householdBody({ members: [] }));
    const second = await post(huayuan, `/api/households/${y.id}/members`, {
      name: '钱七',
      idNumber: idFor(birth),
      relationshipToHead: 'other',
      phone: '13700001234',
    });
    await post(huayuan, `/api/persons/${second.id}/attributes`, {
      kind: 'schooling',
      value: { stage: 'college' },
      validFrom: '2006-09-01',
    });
    expect((await huayuan.request('GET', '/api/registry/duplicates')).statusCode).toBe(403);
    const list = (
      await county.request('GET', `/api/registry/duplicates?regionCode=${regions.huayuan}`)
    ).json();
    const pair = list.find((d: { persons: { name: string }[] }) => d.persons[0]?.name === '钱七');
    expect(pair.persons.map((p: { id: string }) => p.id).sort()).toEqual([first.id, second.id].sort());
    expect(pair.regionName).toBe('花园社区居委会');

    const headMerge = await county.request('POST', '/api/registry/duplicates/merge', {
      keepPersonId: first.id,
      removePersonId: x.headPersonId,
      reason: '测试',
    });
    expect(headMerge.json().code).toBe('HEAD_CANNOT_MERGE');

    const merged = await post(county, '/api/registry/duplicates/merge', {
      keepPersonId: first.id,
      removePersonId: second.id,
      reason: '同一人重复登记，身份证号录入错误',
    });
    expect(merged.removed).toMatchObject({ id: second.id, mergedInto: first.id, householdId: null });
    expect(merged.kept.phoneMasked).toBe('137****1234');
    expect(merged.attributesMoved).toBe(1);
    const kept = (await huayuan.request('GET', `/api/persons/${first.id}`)).json();
    expect(kept.attributes.map((x: { kind: string }) => x.kind)).toEqual(['schooling']);
    expect((await huayuan.request('GET', `/api/households/${y.id}`)).json().members).toHaveLength(1);
    const after = (
      await county.request('GET', `/api/registry/duplicates?regionCode=${regions.huayuan}`)
    ).json();
    expect(after.find((d: { persons: { name: string }[] }) => d.persons[0]?.name === '钱七')).toBeUndefined();
    const audit = await t.db.query(
      `SELECT 1 FROM audit_log WHERE action = 'person.merge' AND entity_id = $1`,
      [first.id],
    );
    expect(audit.rows).toHaveLength(1);
    // The removed ID number is free again for a correct registration.
    const again = await county.request('POST', '/api/registry/duplicates/merge', {
      keepPersonId: first.id,
      removePersonId: second.id,
      reason: '再次',
    });
    expect(again.json().code).toBe('PERSON_MERGED');
  });
});
