/** Ending a dated period: a person's attribute and a household's category share one code path. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regions, TEST_PASSWORD } from './factories.ts';
import { householdBody, seedRegistryPeople } from './registryFactories.ts';
import { createTestApp, type TestApp, type TestClient } from './testApp.ts';

describe('registry: ending attributes and categories', () => {
  let t: TestApp;
  let huayuan: TestClient;
  let fengshan: TestClient;
  let grid: TestClient;

  async function login(name: string) {
    const client = t.client();
    expect((await client.login(name, TEST_PASSWORD)).statusCode).toBe(200);
    return client;
  }

  async function post(client: TestClient, url: string, body: unknown) {
    const response = await client.request('POST', url, body);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }

  const audits = async (action: string, entityId: string) =>
    (
      await t.db.query<{
        before: { validTo: string | null };
        after: { validTo: string; endReason?: string };
      }>('SELECT before, after FROM audit_log WHERE action = $1 AND entity_id = $2', [action, entityId])
    ).rows;

  beforeAll(async () => {
    t = await createTestApp();
    await seedRegistryPeople(t.db);
    huayuan = await login('huayuan');
    fengshan = await login('fengshan');
    grid = await login('grid');
  });
  afterAll(() => t.drop());

  it('ends each kind once, audited, with the reason for a category; refuses the rest', async () => {
    const h = await post(huayuan, '/api/households', householdBody({ regionCode: regions.huayuanVillage }));
    const person = h.members[1].id;
    const attribute = await post(huayuan, `/api/persons/${person}/attributes`, {
      kind: 'employment',
      value: { status: 'localEmployee' },
      validFrom: '2022-01-01',
    });
    const category = await post(huayuan, `/api/households/${h.id}/categories`, {
      category: 'dibao',
      validFrom: '2022-01-01',
    });
    const cases = [
      {
        url: `/api/persons/${person}/attributes/${attribute.id}/end`,
        owner: person,
        extra: {},
        action: 'person.attribute.end',
      },
      {
        url: `/api/households/${h.id}/categories/${category.id}/end`,
        owner: h.id,
        extra: { reason: '  家庭收入已超过低保标准  ' },
        action: 'household.category.end',
      },
    ];
    for (const c of cases) {
      const early = await huayuan.request('POST', c.url, { validTo: '2022-01-01', ...c.extra });
      expect(early.statusCode).toBe(400);
      expect(early.json().message).toContain('结束日期应晚于生效日期2022-01-01');
      expect((await huayuan.request('POST', c.url, { validTo: '2022-13-40', ...c.extra })).statusCode).toBe(
        400,
      );
      expect((await grid.request('POST', c.url, { validTo: '2023-06-01', ...c.extra })).statusCode).toBe(403);
      expect((await fengshan.request('POST', c.url, { validTo: '2023-06-01', ...c.extra })).statusCode).toBe(
        404,
      );
      const ended = await post(huayuan, c.url, { validTo: '2023-06-01', ...c.extra });
      expect(ended.validTo).toBe('2023-06-01');
      const again = await huayuan.request('POST', c.url, { validTo: '2023-07-01', ...c.extra });
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toBe('ALREADY_ENDED');
      const rows = await audits(c.action, c.owner);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.before.validTo).toBeNull();
      expect(rows[0]?.after.validTo).toBe('2023-06-01');
    }
    const detail = (await huayuan.request('GET', `/api/households/${h.id}`)).json();
    expect(detail.categoryHistory[0].endReason).toBe('家庭收入已超过低保标准');
    expect(detail.version).toBeGreaterThan(h.version);
    // An id that belongs to another owner is not found, whichever kind.
    const other = await post(huayuan, '/api/households', householdBody({ members: [] }));
    const wrongOwner = await huayuan.request(
      'POST',
      `/api/households/${other.id}/categories/${category.id}/end`,
      {
        validTo: '2024-01-01',
        reason: '测试',
      },
    );
    expect(wrongOwner.statusCode).toBe(404);
    const missingReason = await huayuan.request(
      'POST',
      `/api/households/${h.id}/categories/${category.id}/end`,
      {
        validTo: '2024-01-01',
      },
    );
    expect(missingReason.statusCode).toBe(400);
  });
});
