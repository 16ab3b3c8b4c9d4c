/**
 * 政策找人 over HTTP: start a run, follow it, list and filter results, open a household's trace and
 * prescription; permission refusals, region scope (row-level security) and hostile parameters.
 */
import { SAMPLE_VILLAGES } from '@doudi/synth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/demo/demoAccounts.ts';
import { cipherFor } from '../src/domains/registry/personalData.crypto.ts';
import { seedRegistry } from '../src/domains/registry/seed.ts';
import { regions, TEST_PASSWORD } from './factories.ts';
import { seedRegistryPeople } from './registryFactories.ts';
import { createTestApp, type TestApp, type TestClient } from './testApp.ts';

const ON = '2025-07-01';

describe('screening API', () => {
  let t: TestApp;
  let county: TestClient;
  let huayuan: TestClient;
  let runId: string;

  async function login(name: string) {
    const client = t.client();
    expect((await client.login(name, TEST_PASSWORD)).statusCode).toBe(200);
    return client;
  }

  async function waitForRun(client: TestClient, id: string) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const run = (await client.request('GET', `/api/screening/runs/${id}`)).json();
      if (run.status === 'done' || run.status === 'failed' || Date.now() > deadline) return run;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  beforeAll(async () => {
    t = await createTestApp();
    await seedRegistryPeople(t.db);
    await seedRegistry(t.db, cipherFor(t.config.dataKey), systemActor, {
      households: 90,
      seed: 5,
      under: '420921',
      villages: SAMPLE_VILLAGES,
    });
    county = await login('county');
    huayuan = await login('huayuan');
  });
  afterAll(() => t.drop());

  it('a county officer starts a run; it runs to the end with progress and an audit entry', async () => {
    const started = await county.request('POST', '/api/screening/runs', { onDate: ON });
    expect(started.statusCode).toBe(200);
    runId = started.json().id;
    expect(started.json()).toMatchObject({ regionCode: regions.county, onDate: ON, startedBy: 'county' });
    const run = await waitForRun(county, runId);
    expect(run).toMatchObject({ status: 'done', total: 90, processed: 90, error: null });
    expect(run.policies.length).toBeGreaterThan(10);
    expect(run.policies[0]).toMatchObject({ name: expect.stringMatching(/[\u4e00-\u9fa5]/) });
    const audit = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'screening.start' AND entity_id = $1`,
      [runId],
    );
    expect(audit.rows[0]?.n).toBe(1);
    const runs = (await county.request('GET', '/api/screening/runs')).json();
    expect(runs.items[0].id).toBe(runId);
  }, 90_000);

  it('lists results paged and filtered by township, policy and "newly", with masked ID numbers', async () => {
    const all = (await county.request('GET', `/api/screening/runs/${runId}/results?pageSize=200`)).json();
    expect(all.total).toBeGreaterThan(0);
    expect(all.items.length).toBe(all.total);
    for (const item of all.items) {
      expect(item.policies.length).toBeGreaterThan(0);
      if (item.headIdNumberMasked) expect(item.headIdNumberMasked).toMatch(/\*{4,}/);
    }
    const page2 = (
      await county.request('GET', `/api/screening/runs/${runId}/results?page=2&pageSize=5`)
    ).json();
    expect(page2.items.map((i: { householdId: string }) => i.householdId)).toEqual(
      all.items.slice(5, 10).map((i: { householdId: string }) => i.householdId),
    );
    const policy = all.items[0].policies[0].policyId;
    const byPolicy = (
      await county.request('GET', `/api/screening/runs/${runId}/results?policy=${policy}&pageSize=200`)
    ).json();
    expect(byPolicy.total).toBe(
      all.items.filter((i: { policies: { policyId: string }[] }) =>
        i.policies.some((p) => p.policyId === policy),
      ).length,
    );
    const township = (
      await county.request(
        'GET',
        `/api/screening/runs/${runId}/results?regionCode=${regions.huayuan}&pageSize=200`,
      )
    ).json();
    expect(township.items.every((i: { regionCode: string }) => i.regionCode.startsWith('420921100'))).toBe(
      true,
    );
    expect(township.items[0]?.townshipName).toBe('花园镇');
    const newly = (await county.request('GET', `/api/screening/runs/${runId}/results?newly=true`)).json();
    expect(newly.total).toBe(0); // first run: nothing to compare with
    const needs = (
      await county.request('GET', `/api/screening/runs/${runId}/results?kind=needsInfo&policy=dibao`)
    ).json();
    for (const item of needs.items) expect(item.needsInformation).toContain('dibao');
  });

  it('shows one household with the Chinese trace and an ordered prescription', async () => {
    const list = (await county.request('GET', `/api/screening/runs/${runId}/results?pageSize=200`)).json();
    const item = list.items.find((i: { policies: unknown[] }) => i.policies.length >= 2) ?? list.items[0];
    const detail = await county.request('GET', `/api/screening/runs/${runId}/households/${item.householdId}`);
    expect(detail.statusCode).toBe(200);
    const body = detail.json();
    expect(body.catalogChanged).toBe(false);
    expect(body.household.householdId).toBe(item.householdId);
    expect(body.policies.length).toBeGreaterThan(30);
    const found = item.policies.map((p: { policyId: string }) => p.policyId).sort();
    const items = body.prescription.items;
    expect(items.map((p: { policyId: string }) => p.policyId).sort()).toEqual(found);
    for (let i = 1; i < items.length; i++) expect(items[i].group).toBeGreaterThanOrEqual(items[i - 1].group);
    for (const p of items) {
      expect(p.why).toMatch(/[\u4e00-\u9fa5]/);
      expect(p.documents.length).toBeGreaterThan(0);
      expect(p.office).not.toBe('');
      expect(p.phone).toMatch(/\d/);
    }
    const eligibleTrace = body.policies.find((p: { status: string }) => p.status === 'eligible');
    expect(eligibleTrace.traceZh.length).toBeGreaterThan(10);
  });

  it('a township caseworker sees the county run but only their township', async () => {
    const run = await huayuan.request('GET', `/api/screening/runs/${runId}`);
    expect(run.statusCode).toBe(200);
    const mine = (await huayuan.request('GET', `/api/screening/runs/${runId}/results?pageSize=200`)).json();
    const all = (await county.request('GET', `/api/screening/runs/${runId}/results?pageSize=200`)).json();
    expect(mine.items.every((i: { regionCode: string }) => i.regionCode.startsWith('420921100'))).toBe(true);
    expect(mine.total).toBe(
      all.items.filter((i: { regionCode: string }) => i.regionCode.startsWith('420921100')).length,
    );
    expect(mine.total).toBeLessThan(all.total);
    const other = all.items.find((i: { regionCode: string }) => !i.regionCode.startsWith('420921100'));
    const detail = await huayuan.request(
      'GET',
      `/api/screening/runs/${runId}/households/${other.householdId}`,
    );
    expect(detail.statusCode).toBe(404);
    const outside = await huayuan.request(
      'GET',
      `/api/screening/runs/${runId}/results?regionCode=420921106000`,
    );
    expect(outside.statusCode).toBe(403);
    expect(outside.json().code).toBe('OUT_OF_SCOPE');
    // Even asking for the whole county returns only the township.
    const widened = (
      await huayuan.request(
        'GET',
        `/api/screening/runs/${runId}/results?regionCode=${regions.county}&pageSize=200`,
      )
    ).json();
    expect(widened.total).toBe(mine.total);
    // A fengshan caseworker does not see huayuan's households either.
    const fengshan = await login('fengshan');
    const theirs = (
      await fengshan.request('GET', `/api/screening/runs/${runId}/results?pageSize=200`)
    ).json();
    expect(theirs.items.every((i: { regionCode: string }) => i.regionCode.startsWith('420921101'))).toBe(
      true,
    );
  });

  it('refuses those without the permission', async () => {
    expect((await huayuan.request('POST', '/api/screening/runs', {})).statusCode).toBe(403);
    const grid = await login('grid');
    expect((await grid.request('GET', `/api/screening/runs/${runId}`)).statusCode).toBe(403);
    expect((await grid.request('GET', `/api/screening/runs/${runId}/results`)).statusCode).toBe(403);
    const anonymous = t.client();
    expect((await anonymous.request('GET', `/api/screening/runs/${runId}`)).statusCode).toBe(401);
    expect((await anonymous.request('POST', '/api/screening/runs', {})).statusCode).toBe(401);
    // Without the CSRF header a start is refused too.
    expect((await county.request('POST', '/api/screening/runs', {}, { csrf: false })).statusCode).toBe(403);
  });

  it('refuses a second run for a region while one is unfinished', async () => {
    await t.db.query(
      `INSERT INTO screening_run (region_code, region_high, on_date, started_by, started_by_name, started_by_role)
       VALUES ($1, '420921100999', $2, 'x', 'x', 'countyOfficer')`,
      [regions.huayuan, ON],
    );
    const second = await county.request('POST', '/api/screening/runs', {
      regionCode: regions.huayuan,
      onDate: ON,
    });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('SCREENING_ALREADY_RUNNING');
  });

  it('rejects malformed, oversized and hostile parameters', async () => {
    const bad = [
      `/api/screening/runs/not-a-uuid`,
      `/api/screening/runs/${runId}/results?policy=dibao'%3B%20DROP%20TABLE%20household%3B--`,
      `/api/screening/runs/${runId}/results?policy=${'a'.repeat(100)}`,
      `/api/screening/runs/${runId}/results?pageSize=100000`,
      `/api/screening/runs/${runId}/results?page=0`,
      `/api/screening/runs/${runId}/results?regionCode=42092110000%25`,
      `/api/screening/runs/${runId}/results?kind=everything`,
      `/api/screening/runs/${runId}/results?newly=maybe`,
      `/api/screening/runs/${runId}/results?unknown=1`,
      `/api/screening/runs/${runId}/households/1%20OR%201=1`,
    ];
    for (const url of bad) {
      const response = await county.request('GET', url);
      expect(response.statusCode, url).toBe(400);
      expect(response.json().code).toBe('VALIDATION_FAILED');
    }
    const missing = await county.request('GET', '/api/screening/runs/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    const bodies: unknown[] = [
      { onDate: '2025-02-30' },
      { onDate: '2025-07-01T00:00:00Z' },
      { regionCode: '4209' },
      { regionCode: '420000000000' },
      { regionCode: '420921000000', extra: true },
      'not json',
      { onDate: 'x'.repeat(100_000) },
    ];
    for (const body of bodies) {
      const response = await county.request('POST', '/api/screening/runs', body);
      expect([400, 403, 413], JSON.stringify(body).slice(0, 60)).toContain(response.statusCode);
    }
    // Nothing was started by any of them.
    const runs = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM screening_run WHERE region_code <> $1`,
      [regions.huayuan],
    );
    expect(runs.rows[0]?.n).toBe(1);
  });
});
