/**
 * 政策测算 (what-if) over HTTP on a seeded county: raising the dibao standard 5% against an
 * independent recount (the catalogue recompiled from edited YAML, every household evaluated one by
 * one), nothing in live tables changed, permission refusals and hostile input.
 */
import { evaluate, loadCatalog } from '@doudi/rules';
import { SAMPLE_VILLAGES } from '@doudi/synth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMap, parseDocument, type YAMLMap } from 'yaml';
import { systemActor } from '../src/demo/demoAccounts.ts';
import type { Actor } from '../src/domains/access/permissions.ts';
import {
  type AssembledHousehold,
  streamHouseholdFacts,
} from '../src/domains/householdFacts/householdFacts.ts';
import { cipherFor } from '../src/domains/registry/personalData.crypto.ts';
import { seedRegistry } from '../src/domains/registry/seed.ts';
import { diskCatalog } from '../src/domains/rules/activeCatalog.ts';
import { startWhatIf } from '../src/domains/whatIf/whatIf.service.ts';
import { MAX_RUNNING, WhatIfStore } from '../src/domains/whatIf/whatIf.store.ts';
import { buildUser, regions, TEST_PASSWORD } from './factories.ts';
import { seedRegistryPeople } from './registryFactories.ts';
import { createTestApp, type TestApp, type TestClient } from './testApp.ts';

const ON = '2025-07-01';
const HOUSEHOLDS = 300;
const DIBAO_STANDARDS = ['dibaoStandardRural', 'dibaoStandardUrban'];
const LIVE_TABLES = [
  'household',
  'person',
  'person_attribute',
  'person_transfer',
  'household_category',
  'household_economy',
  'screening_run',
  'screening_result',
  'policy_version',
];

/** The YAML text with the value in force on `date` scaled at every level (what the API promises). */
function scaleYaml(text: string, date: string, percent: number): string {
  const doc = parseDocument(text);
  const scaleDates = (map: YAMLMap) => {
    const dates = map.items.map((i) => String((i.key as { value: unknown }).value)).filter((d) => d <= date);
    const inForce = dates.sort().at(-1);
    if (inForce === undefined) return;
    const old = Number(map.get(inForce));
    map.set(inForce, Math.floor(old * (1 + percent / 100) + 0.5));
  };
  const values = doc.get('values');
  if (isMap(values)) scaleDates(values);
  const regionsNode = doc.get('regions');
  if (isMap(regionsNode)) {
    for (const item of regionsNode.items) {
      const region = item.value as YAMLMap;
      const inner = region.get('values');
      scaleDates(isMap(inner) ? inner : region);
    }
  }
  return doc.toString();
}

async function snapshot(t: TestApp): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of LIVE_TABLES) {
    const r = await t.db.query<{ h: string | null; n: number }>(
      `SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h, count(*)::int AS n FROM ${table} x`,
    );
    out[table] = `${r.rows[0]?.n}:${r.rows[0]?.h}`;
  }
  return out;
}

describe('what-if API', () => {
  let t: TestApp;
  let county: TestClient;
  let countyActor: Actor;

  async function login(name: string) {
    const client = t.client();
    expect((await client.login(name, TEST_PASSWORD)).statusCode).toBe(200);
    return client;
  }

  async function waitFor(client: TestClient, id: string) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const run = (await client.request('GET', `/api/what-if/runs/${id}`)).json();
      if (run.status !== 'running' || Date.now() > deadline) return run;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  beforeAll(async () => {
    t = await createTestApp();
    const people = await seedRegistryPeople(t.db);
    await buildUser(t.db, 'townofficer', 'countyOfficer', regions.huayuan);
    await seedRegistry(t.db, cipherFor(t.config.dataKey), systemActor, {
      households: HOUSEHOLDS,
      seed: 7,
      under: '420921',
      villages: SAMPLE_VILLAGES,
    });
    // The seed declares the whole application form (incomes, rigid expenses, the veto questions).
    // A verified county holds an approved record per household; here verification confirmed each
    // declaration as it stood, so what-if reads approved figures as it would in production.
    await t.db.query(
      `INSERT INTO household_economy (household_id, region_code, as_of, source, facts, recorded_by)
       SELECT he.household_id, he.region_code, '2025-01-01', 'approved', he.facts, he.recorded_by
         FROM household_economy he WHERE he.source = 'declared'`,
    );
    county = await login('county');
    countyActor = {
      userId: people.county.id,
      username: 'county',
      displayName: 'county',
      role: 'countyOfficer',
      department: null,
      regionCode: regions.county,
    };
  }, 120_000);
  afterAll(() => t.drop());

  it('lists the parameters the policies read, with label, unit and the value in force', async () => {
    const response = await county.request('GET', `/api/what-if/parameters?onDate=${ON}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.regionCode).toBe(regions.county);
    const rural = body.items.find((p: { name: string }) => p.name === 'dibaoStandardRural');
    expect(rural).toMatchObject({
      unit: 'fen/month',
      type: 'int',
      value: 59000,
      effectiveDate: '2025-01-01',
    });
    expect(rural.description).toMatch(/最低生活保障/);
    expect(rural.policies).toContain('dibao');
  });

  it('raising the dibao standard 5% finds newly eligible households, loses none, costs more, and matches a recount', async () => {
    const before = await snapshot(t);
    const started = await county.request('POST', '/api/what-if/runs', {
      onDate: ON,
      changes: DIBAO_STANDARDS.map((parameter) => ({ parameter, change: { scalePercent: 5 } })),
    });
    expect(started.statusCode).toBe(200);
    expect(started.json()).toMatchObject({ regionCode: regions.county, onDate: ON, total: HOUSEHOLDS });
    const run = await waitFor(county, started.json().id);
    expect(run).toMatchObject({ status: 'done', processed: HOUSEHOLDS, error: null });
    const result = run.result;
    const dibao = result.policies.find((p: { policyId: string }) => p.policyId === 'dibao');
    expect(dibao.newlyIneligible).toBe(0);
    expect(dibao.newlyEligible).toBeGreaterThanOrEqual(0);
    expect(dibao.changeFen).toBeGreaterThanOrEqual(0);
    expect(dibao.scenarioEligible).toBe(dibao.baselineEligible + dibao.newlyEligible);
    expect(result.summary.households).toBe(HOUSEHOLDS);
    expect(result.townships.map((x: { name: string }) => x.name).sort()).toEqual(
      expect.arrayContaining(['花园镇']),
    );

    // The recount: the catalogue recompiled from YAML with the standards raised, each household alone.
    const disk = diskCatalog();
    const sources = structuredClone(disk.sources);
    for (const name of DIBAO_STANDARDS) {
      const file = `parameters/${name}.yaml`;
      sources.parameters[file] = scaleYaml(sources.parameters[file] as string, ON, 5);
    }
    const raised = loadCatalog(sources);
    const households: AssembledHousehold[] = [];
    for await (const batch of streamHouseholdFacts(t.db, { scope: countyActor, onDate: ON, batchSize: 97 }))
      households.push(...batch.households);
    expect(households.length).toBe(HOUSEHOLDS);
    for (const policy of result.policies) {
      const recount = { baseline: 0, scenario: 0, newly: 0, lost: 0, before: 0, after: 0, undecided: 0 };
      const byTownship = new Map<string, number>();
      for (const h of households) {
        const options = { policies: [policy.policyId] };
        const was = evaluate(disk.catalog, h.facts, ON, h.regionCode, options)[0];
        const is = evaluate(raised, h.facts, ON, h.regionCode, options)[0];
        const wasEligible = was?.status === 'eligible';
        const isEligible = is?.status === 'eligible';
        if (was?.status === 'needsInformation') recount.undecided += 1;
        if (wasEligible) {
          recount.baseline += 1;
          recount.before += was?.amountFen ?? 0;
        }
        if (isEligible) {
          recount.scenario += 1;
          recount.after += is?.amountFen ?? 0;
        }
        if (isEligible && !wasEligible) {
          recount.newly += 1;
          const town = `${h.regionCode.slice(0, 9)}000`;
          byTownship.set(town, (byTownship.get(town) ?? 0) + 1);
        }
        if (wasEligible && !isEligible) recount.lost += 1;
      }
      expect(policy, policy.policyId).toMatchObject({
        baselineEligible: recount.baseline,
        scenarioEligible: recount.scenario,
        newlyEligible: recount.newly,
        newlyIneligible: recount.lost,
        baselineAmountFen: recount.before,
        scenarioAmountFen: recount.after,
        changeFen: recount.after - recount.before,
        needsInformation: recount.undecided,
      });
      for (const town of policy.townships)
        expect(town.newlyEligible, `${policy.policyId} ${town.regionCode}`).toBe(
          byTownship.get(town.regionCode) ?? 0,
        );
    }
    // Evaluated only where the change can matter; a seeded county this size has dibao households.
    expect(result.policies.map((p: { policyId: string }) => p.policyId)).toContain('dibao');
    expect(dibao.baselineEligible).toBeGreaterThan(0);

    expect(await snapshot(t)).toEqual(before);
    const audit = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'whatIf.run' AND region_code = $1`,
      [regions.county],
    );
    expect(audit.rows[0]?.n).toBe(1);
  }, 120_000);

  it('a township officer runs over their township only; others cannot read the run', async () => {
    const town = await login('townofficer');
    const outside = await town.request('POST', '/api/what-if/runs', {
      onDate: ON,
      regionCode: regions.county,
      changes: [{ parameter: 'dibaoStandardRural', change: { set: 60000 } }],
    });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().message).toMatch(/管辖范围/);
    const started = await town.request('POST', '/api/what-if/runs', {
      onDate: ON,
      changes: [{ parameter: 'dibaoStandardRural', change: { set: 60000 } }],
    });
    expect(started.statusCode).toBe(200);
    const run = await waitFor(town, started.json().id);
    expect(run.status).toBe('done');
    expect(run.regionCode).toBe(regions.huayuan);
    for (const x of run.result.townships) expect(x.regionCode).toBe(regions.huayuan);
    expect(run.result.summary.households).toBe(run.total);
    // Private to whoever started it, even for a county officer above.
    expect((await county.request('GET', `/api/what-if/runs/${run.id}`)).statusCode).toBe(404);
  }, 60_000);

  it('runs one at a time per officer, and a few at a time per server', async () => {
    const store = new WhatIfStore();
    const deps = { db: t.db, store };
    const body = { onDate: ON, changes: [{ parameter: 'dibaoStandardUrban', change: { scalePercent: 10 } }] };
    const running = (ownerId: string) =>
      store.add({
        ownerId,
        ownerName: ownerId,
        regionCode: regions.county,
        onDate: ON,
        catalogVersion: 'x',
        changes: [],
        total: 0,
      });
    running(countyActor.userId);
    await expect(startWhatIf(deps, countyActor, body)).rejects.toMatchObject({
      statusCode: 409,
      code: 'WHAT_IF_ALREADY_RUNNING',
      message: expect.stringMatching(/正在进行/),
    });
    const other = new WhatIfStore();
    for (let i = 0; i < MAX_RUNNING; i++)
      other.add({
        ownerId: `u${i}`,
        ownerName: 'x',
        regionCode: regions.county,
        onDate: ON,
        catalogVersion: 'x',
        changes: [],
        total: 0,
      });
    await expect(startWhatIf({ db: t.db, store: other }, countyActor, body)).rejects.toMatchObject({
      statusCode: 503,
      code: 'WHAT_IF_BUSY',
    });
  });

  it('refuses users without the permission, and anonymous or CSRF-less requests', async () => {
    const body = { onDate: ON, changes: [{ parameter: 'dibaoStandardRural', change: { scalePercent: 5 } }] };
    for (const name of ['huayuan', 'auditor', 'grid', 'resident', 'verifier']) {
      const client = await login(name);
      const response = await client.request('POST', '/api/what-if/runs', body);
      expect(response.statusCode, name).toBe(403);
      expect(response.json().message).toMatch(/权限/);
      expect((await client.request('GET', '/api/what-if/parameters')).statusCode, name).toBe(403);
    }
    const anonymous = t.client();
    expect((await anonymous.request('GET', '/api/what-if/parameters')).statusCode).toBe(401);
    expect((await anonymous.request('POST', '/api/what-if/runs', body)).statusCode).toBe(401);
    const noCsrf = await county.request('POST', '/api/what-if/runs', body, { csrf: false });
    expect(noCsrf.statusCode).toBe(403);
    const admin = await login('admin');
    expect((await admin.request('GET', `/api/what-if/parameters?onDate=${ON}`)).statusCode).toBe(200);
  });

  it('answers hostile and malformed input with a Chinese 400 naming the field', async () => {
    const one = (change: unknown, parameter: unknown = 'dibaoStandardRural') => ({
      onDate: ON,
      changes: [{ parameter, change }],
    });
    const cases: [unknown, string, RegExp][] = [
      [one({ scalePercent: 5 }, 'noSuchParameter'), 'changes.0.parameter', /不存在/],
      [one({ scalePercent: 5 }, '__proto__'), 'changes.0.parameter', /./],
      [one({ scalePercent: 5 }, 'x'.repeat(5000)), 'changes.0.parameter', /字符/],
      [one({ scalePercent: 5000 }), 'changes.0.change.scalePercent', /-100%到\+1000%/],
      [one({ scalePercent: -101 }), 'changes.0.change.scalePercent', /之间/],
      [one({ scalePercent: 'five' }), 'changes.0.change.scalePercent', /类型/],
      [one({ scalePercent: 5, set: 1 }), '', /不允许的字段/],
      [one({ set: 1.5 }), 'changes.0.change.set', /整数/],
      [one({ set: -1 }), 'changes.0.change.set', /负数/],
      [one({ set: 1e15 }), 'changes.0.change.set', /过大/],
      [one({ set: true }), 'changes.0.change.set', /整数/],
      [one({ set: 'half' }, 'dibaoRounding'), 'changes.0.change.set', /只能是/],
      [one({ scalePercent: 5 }, 'dibaoRounding'), 'changes.0.change.scalePercent', /不是数值/],
      [
        {
          onDate: ON,
          changes: [
            { parameter: 'dibaoStandardRural', change: { scalePercent: 5 } },
            { parameter: 'dibaoStandardRural', change: { set: 1 } },
          ],
        },
        'changes.1.parameter',
        /重复/,
      ],
      [{ onDate: ON, changes: [] }, 'changes', /至少/],
      [
        {
          onDate: ON,
          changes: Array.from({ length: 21 }, () => ({
            parameter: 'dibaoStandardRural',
            change: { set: 1 },
          })),
        },
        'changes',
        /过多/,
      ],
      [{ ...one({ scalePercent: 5 }), onDate: '2025-02-30' }, 'onDate', /有效日期/],
      [{ ...one({ scalePercent: 5 }), onDate: "2025-01-01'; DROP TABLE household;--" }, 'onDate', /格式/],
      [{ ...one({ scalePercent: 5 }), regionCode: regions.huayuanVillage }, 'regionCode', /县.*乡镇/],
      [{ ...one({ scalePercent: 5 }), regionCode: '420921999000' }, 'regionCode', /不存在/],
      [{ ...one({ scalePercent: 5 }), extra: 1 }, '', /不允许的字段/],
    ];
    for (const [body, field, message] of cases) {
      const response = await county.request('POST', '/api/what-if/runs', body);
      const label = JSON.stringify(body).slice(0, 120);
      expect(response.statusCode, label).toBe(400);
      const error = response.json();
      if (field) expect(error.field, label).toBe(field);
      expect(error.message, label).toMatch(message);
      expect(error.message, label).toMatch(/[\u4e00-\u9fa5]/);
    }
    const notJson = await county.request('POST', '/api/what-if/runs', '{"changes": [', {
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.statusCode).toBe(400);
    expect((await county.request('GET', '/api/what-if/runs/not-a-uuid')).statusCode).toBe(400);
    expect(
      (await county.request('GET', '/api/what-if/runs/00000000-0000-4000-8000-000000000000')).statusCode,
    ).toBe(404);
    expect((await county.request('GET', '/api/what-if/parameters?onDate=2025-13-01')).statusCode).toBe(400);
  });
});
