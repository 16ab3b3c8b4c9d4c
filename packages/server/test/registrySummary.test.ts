/**
 * The per-village summary (migration 004) against the rows themselves: after every kind of
 * registry write, the kept counts must equal a fresh count; the region browser reads them.
 */
import { SAMPLE_VILLAGES } from '@doudi/synth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/demo/demoAccounts.ts';
import { cipherFor } from '../src/domains/registry/personalData.crypto.ts';
import { today } from '../src/domains/registry/registry.model.ts';
import { seedRegistry } from '../src/domains/registry/seed.ts';
import { recountSummary } from '../src/domains/registry/summary.repo.ts';
import { jobs } from '../src/jobs/queue.ts';
import { regions, TEST_PASSWORD } from './factories.ts';
import { householdBody, idFor, seedRegistryPeople } from './registryFactories.ts';
import { createTestApp, type TestApp, type TestClient } from './testApp.ts';

type Counted = Record<string, number>;

describe('registry summary: counts per village kept right by every write', () => {
  let t: TestApp;
  let huayuan: TestClient;
  let county: TestClient;

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

  /** The summary as kept, without zero rows: "village|measure" → n. */
  async function kept(): Promise<Counted> {
    const rows = await t.db.query<{ k: string; n: number }>(
      `SELECT region_code || '|' || measure AS k, n FROM registry_summary WHERE n <> 0`,
    );
    return Object.fromEntries(rows.rows.map((r) => [r.k, r.n]));
  }

  /** The same figures counted from the rows now, for the date the summary counts categories on. */
  async function truth(): Promise<Counted> {
    const rows = await t.db.query<{ k: string; n: number }>(
      `WITH d AS (SELECT categories_on AS on FROM registry_summary_state)
       SELECT region_code || '|households' AS k, count(*)::int AS n FROM household GROUP BY 1
       UNION ALL
       SELECT region_code || '|persons', count(*)::int FROM person
        WHERE merged_into IS NULL AND death_date IS NULL GROUP BY 1
       UNION ALL
       SELECT c.region_code || '|category:' || c.category, count(DISTINCT c.household_id)::int
         FROM household_category c, d WHERE c.valid_from <= d.on AND (c.valid_to IS NULL OR c.valid_to > d.on)
        GROUP BY 1`,
    );
    return Object.fromEntries(rows.rows.map((r) => [r.k, r.n]));
  }

  const expectRight = async () => expect(await kept()).toEqual(await truth());

  beforeAll(async () => {
    t = await createTestApp();
    await seedRegistryPeople(t.db);
    // Count for China's today, as the first reader would: the migration counted for PostgreSQL's
    // current_date, a day earlier from 16:00 to 24:00 UTC.
    await recountSummary(t.db, today(), false);
    huayuan = await login('huayuan');
    county = await login('county');
  });
  afterAll(() => t.drop());

  it('after create, add member, category start, successor and end, transfer and merge', async () => {
    const a = await post(huayuan, '/api/households', householdBody());
    const b = await post(huayuan, '/api/households', householdBody({ members: [] }));
    const c = await post(
      county,
      '/api/households',
      householdBody({ regionCode: regions.fengshanVillage, members: [] }),
    );
    await expectRight();
    expect((await kept())[`${regions.huayuanVillage}|persons`]).toBe(4);

    await post(huayuan, `/api/households/${b.id}/members`, {
      name: '周小红',
      idNumber: idFor('2001-04-04', 'female'),
      relationshipToHead: 'daughter',
    });
    await expectRight();

    const dibao = await post(huayuan, `/api/households/${a.id}/categories`, {
      category: 'dibao',
      validFrom: '2023-01-01',
      monthlyAmountFen: 50_000,
    });
    // A new period of the same category closes the old one: still one household on dibao.
    await post(huayuan, `/api/households/${a.id}/categories`, {
      category: 'dibao',
      validFrom: '2024-01-01',
      monthlyAmountFen: 60_000,
    });
    // A period that ended in the past and one that starts later are not in force today.
    await post(huayuan, `/api/households/${b.id}/categories`, {
      category: 'tekun',
      validFrom: '2020-01-01',
      validTo: '2021-01-01',
    });
    await post(huayuan, `/api/households/${b.id}/categories`, {
      category: 'nearDibao',
      validFrom: '2099-01-01',
    });
    await expectRight();
    expect((await kept())[`${regions.huayuanVillage}|category:dibao`]).toBe(1);
    expect((await kept())[`${regions.huayuanVillage}|category:nearDibao`]).toBeUndefined();
    expect(dibao.id).toBeTruthy();

    const open = (await huayuan.request('GET', `/api/households/${a.id}`)).json().categories[0];
    await post(huayuan, `/api/households/${a.id}/categories/${open.id}/end`, {
      validTo: today(),
      reason: '收入超过标准，停发',
    });
    await expectRight();
    expect((await kept())[`${regions.huayuanVillage}|category:dibao`]).toBeUndefined();

    // Across townships: one person fewer in 花园, one more in 丰山.
    await post(county, `/api/persons/${a.members[1].id}/transfer`, {
      toHouseholdId: c.id,
      relationshipToHead: 'spouse',
      reason: '婚迁',
    });
    await expectRight();
    expect((await kept())[`${regions.fengshanVillage}|persons`]).toBe(2);

    const twin = await post(huayuan, `/api/households/${b.id}/members`, {
      name: a.members[2].name,
      idNumber: idFor(a.members[2].birthDate),
      relationshipToHead: 'other',
    });
    const before = (await kept())[`${regions.huayuanVillage}|persons`];
    await post(county, '/api/registry/duplicates/merge', {
      keepPersonId: a.members[2].id,
      removePersonId: twin.id,
      reason: '重复登记',
    });
    await expectRight();
    expect((await kept())[`${regions.huayuanVillage}|persons`]).toBe((before ?? 0) - 1);
  });

  it('concurrent registrations in one village all count', async () => {
    await Promise.all(
      Array.from({ length: 6 }, () =>
        huayuan.request('POST', '/api/households', householdBody({ members: [] })),
      ),
    );
    await expectRight();
  });

  it('the region browser reads the summary: exact figures, in scope only, with their date and time', async () => {
    const stats = (await county.request('GET', `/api/regions/${regions.county}/registry-stats`)).json();
    const truthNow = await truth();
    const sum = (prefix: string, measure: string) =>
      Object.entries(truthNow)
        .filter(([k]) => k.startsWith(prefix) && k.endsWith(`|${measure}`))
        .reduce((s, [, n]) => s + n, 0);
    const hy = stats.children.find((c: { code: string }) => c.code === regions.huayuan);
    expect(hy.households).toBe(sum('420921100', 'households'));
    expect(hy.persons).toBe(sum('420921100', 'persons'));
    expect(stats.total.households).toBe(sum('420921', 'households'));
    expect(stats.total.persons).toBe(sum('420921', 'persons'));
    expect(stats.asOf).toBe(today());
    expect(Date.now() - Date.parse(stats.countedAt)).toBeLessThan(60_000);
    expect(Date.parse(stats.categoriesCountedAt)).toBeLessThanOrEqual(Date.parse(stats.countedAt));
    const village = (
      await county.request('GET', `/api/regions/${regions.fengshanVillage}/registry-stats`)
    ).json();
    expect(village.total.households).toBe(sum(regions.fengshanVillage, 'households'));
    expect(village.children).toEqual([]);
    const own = (await huayuan.request('GET', `/api/regions/${regions.county}/registry-stats`)).json();
    expect(own.total.households).toBe(sum('420921100', 'households'));
  });

  it('the application role reads only its scope and cannot write the summary', async () => {
    const seen = await t.db.transaction(async (tx) => {
      await tx.query('SET LOCAL ROLE doudi_app');
      await tx.query(`SELECT set_config('doudi.scope', '420921100', true)`);
      const rows = await tx.query<{ region_code: string }>(
        'SELECT DISTINCT region_code FROM registry_summary',
      );
      return rows.rows.map((r) => r.region_code);
    });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((code) => code.startsWith('420921100'))).toBe(true);
    for (const sql of [
      `UPDATE registry_summary SET n = n + 1`,
      `INSERT INTO registry_summary (region_code, measure, n) VALUES ('420921100001', 'households', 5)`,
      `SELECT registry_summary_recount(current_date, true)`,
      `SELECT registry_summary_apply(ARRAY['420921100001'], ARRAY['households'], ARRAY[5])`,
    ]) {
      await expect(
        t.db.transaction(async (tx) => {
          await tx.query('SET LOCAL ROLE doudi_app');
          await tx.query(`SELECT set_config('doudi.scope', '420921', true)`);
          await tx.query(sql);
        }),
        sql,
      ).rejects.toThrow(/permission denied/);
    }
  });

  it('categories are recounted when the date moves on, by the first reader of the day or the nightly job', async () => {
    // Pretend the figures were counted yesterday: the next reader recounts for today.
    await t.db.query(`UPDATE registry_summary_state SET categories_on = current_date - 1`);
    const stats = (await county.request('GET', `/api/regions/${regions.county}/registry-stats`)).json();
    expect(stats.asOf).toBe(today());
    await expectRight();
    // Counted for 2099, the period starting then is in force.
    await recountSummary(t.db, '2099-06-01', false);
    expect((await kept())[`${regions.huayuanVillage}|category:nearDibao`]).toBe(1);
    await expectRight();
    // The nightly job repairs any drift and counts for today again.
    await t.db.query(`UPDATE registry_summary SET n = 999 WHERE measure = 'households'`);
    const job = jobs.find((j) => j.name === 'registry-summary-recount');
    expect(job?.cron).toBeTruthy();
    await job?.run(t.db, { info: () => undefined, error: () => undefined });
    await expectRight();
    const state = await t.db.query<{ categories_on: string }>(
      'SELECT categories_on FROM registry_summary_state',
    );
    expect(state.rows[0]?.categories_on).toBe(today());
  });

  it('doudi seed keeps it right without a refresh', async () => {
    const cipher = cipherFor(t.config.dataKey);
    const result = await seedRegistry(t.db, cipher, systemActor, {
      households: 150,
      seed: 11,
      under: '420921',
      villages: SAMPLE_VILLAGES,
      batchSize: 40,
    });
    expect(result.households).toBe(150);
    await expectRight();
  });
});
