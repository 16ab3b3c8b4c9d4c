/**
 * The screening run itself (no HTTP): results stored per household, idempotent re-runs, resumption
 * after a crash, "newly qualifying" against the previous run, and the pg-boss job path.
 */
import { SAMPLE_VILLAGES } from '@doudi/synth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import type { Queryable } from '../src/db/database.ts';
import { asActor, asSystem } from '../src/db/scope.ts';
import { systemActor } from '../src/demo/demoAccounts.ts';
import type { Actor } from '../src/domains/access/permissions.ts';
import { cipherFor } from '../src/domains/registry/personalData.crypto.ts';
import { seedRegistry } from '../src/domains/registry/seed.ts';
import * as repo from '../src/domains/screening/screening.repo.ts';
import { runScreening } from '../src/domains/screening/screening.run.ts';
import { JobRunner } from '../src/jobs/queue.ts';
import { regions, seedRegions } from './factories.ts';
import { createTestDatabase, type TestDatabase } from './testDb.ts';

const ON = '2025-07-01';
const HOUSEHOLDS = 120;

describe('screening run', () => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createTestDatabase();
    await seedRegions(t.db);
    const cipher = cipherFor(loadConfig({ NODE_ENV: 'test' }).dataKey);
    await seedRegistry(t.db, cipher, systemActor, {
      households: HOUSEHOLDS,
      seed: 11,
      under: '420921',
      villages: SAMPLE_VILLAGES,
    });
  });
  afterAll(() => t.drop());

  const newRun = (region = regions.county, previous: string | null = null) =>
    asSystem(t.db, (tx) =>
      repo.insertRun(tx, {
        region_code: region,
        region_high: `${region.slice(0, region === regions.county ? 6 : 9)}`.padEnd(12, '9'),
        on_date: ON,
        started_by: 'tester',
        started_by_name: '测试',
        started_by_role: 'countyOfficer',
        previous_run_id: previous,
      }),
    );
  const results = async (runId: string) =>
    (
      await t.db.query<{ household_id: string; eligible: string[]; newly: string[]; needs_info: string[] }>(
        'SELECT household_id, eligible, newly, needs_info FROM screening_result WHERE run_id = $1 ORDER BY household_id',
        [runId],
      )
    ).rows;
  const runRow = async (id: string) => (await asSystem(t.db, (tx) => repo.findRun(tx, id))) as repo.RunRow;

  let first: string;
  let latest: string;

  it('doudi seed writes the declared figures of each household, and a re-seed restores missing ones identically', async () => {
    const rows = await t.db.query<{
      household_id: string;
      facts: Record<string, unknown>;
      source: string;
      as_of: string;
    }>('SELECT household_id, facts, source, as_of FROM household_economy ORDER BY household_id');
    expect(rows.rows).toHaveLength(HOUSEHOLDS);
    for (const r of rows.rows) {
      expect(r.source).toBe('declared');
      expect(r.as_of).toBe('2025-06-30');
      // Every line of the application form; facts the form does not ask (sudden hardship …) stay unknown.
      expect(Object.keys(r.facts).sort()).toEqual([
        'agriculturalIncome',
        'businessCount',
        'businessIncome',
        'educationExpenseAnnual',
        'exemptIncome',
        'financialAssets',
        'housingUnits',
        'luxuryConsumption',
        'medicalExpenseAnnual',
        'pensionContributionAnnual',
        'pensionIncome',
        'propertyIncome',
        'publicEmployee',
        'recentHousePurchase',
        'refusedVerification',
        'remittanceIncome',
        'transferIncome',
        'vehicleCount',
        'wageIncome',
      ]);
      for (const [name, v] of Object.entries(r.facts)) {
        if (
          ['publicEmployee', 'luxuryConsumption', 'recentHousePurchase', 'refusedVerification'].includes(name)
        )
          expect(typeof v, name).toBe('boolean');
        else expect(Number.isSafeInteger(v) && (v as number) >= 0, name).toBe(true);
      }
      // Households state that they do not refuse checking and do not live lavishly.
      expect(r.facts).toMatchObject({
        refusedVerification: false,
        luxuryConsumption: false,
        propertyIncome: 0,
      });
    }
    const lost = rows.rows.slice(0, 10).map((r) => r.household_id);
    await t.db.query('DELETE FROM household_economy WHERE household_id = ANY($1::uuid[])', [lost]);
    const cipher = cipherFor(loadConfig({ NODE_ENV: 'test' }).dataKey);
    const again = await seedRegistry(t.db, cipher, systemActor, {
      households: HOUSEHOLDS,
      seed: 11,
      under: '420921',
      villages: SAMPLE_VILLAGES,
    });
    expect(again).toMatchObject({ households: 0, householdsSkipped: HOUSEHOLDS, economies: 10 });
    const restored = await t.db.query<{
      household_id: string;
      facts: Record<string, unknown>;
      source: string;
      as_of: string;
    }>('SELECT household_id, facts, source, as_of FROM household_economy ORDER BY household_id');
    expect(restored.rows).toEqual(rows.rows);
  }, 60_000);

  it('screens every household once and records progress, counts and the catalogue version', async () => {
    first = (await newRun()).id;
    const progress: number[] = [];
    const outcome = await runScreening(t.db, first, {
      workers: 0,
      batchSize: 50,
      onBatch: (n) => void progress.push(n),
    });
    expect(outcome).toMatchObject({ status: 'done', processed: HOUSEHOLDS });
    expect(progress).toEqual([50, 100, 120]);
    const run = await runRow(first);
    expect(run).toMatchObject({ status: 'done', total: HOUSEHOLDS, processed: HOUSEHOLDS, attempts: 1 });
    expect(run.catalog_version).toMatch(/^(disk|pv)-[0-9a-f]{12}$/);
    expect(run.duration_ms).toBeGreaterThanOrEqual(0);
    const rows = await results(first);
    const found = rows.filter((r) => r.eligible.length > 0);
    expect(found.length).toBe(run.households_found);
    expect(found.length).toBeGreaterThan(0);
    expect(rows.reduce((n, r) => n + r.eligible.length, 0)).toBe(run.pairs_found);
    // A first run has nothing to compare with: nothing is "new".
    expect(rows.every((r) => r.newly.length === 0)).toBe(true);
    const counts = run.policy_counts ?? {};
    for (const [policy, c] of Object.entries(counts))
      expect(c.eligible).toBe(rows.filter((r) => r.eligible.includes(policy)).length);
    // Categories held are not "found" again: no household in dibao is listed for dibao.
    const inDibao = await t.db.query<{ household_id: string }>(
      `SELECT household_id FROM household_category WHERE category = 'dibao' AND valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1)`,
      [ON],
    );
    const dibaoIds = new Set(inDibao.rows.map((r) => r.household_id));
    expect(rows.filter((r) => dibaoIds.has(r.household_id) && r.eligible.includes('dibao'))).toEqual([]);
    // The finished run leaves statistics behind (ANALYZE sets reltuples; never analyzed is -1), so
    // the next run's probes of these rows plan on counts, not guesses (screening.repo analyzeResults).
    const stats = await t.db.query<{ reltuples: number }>(
      `SELECT reltuples::float8 AS reltuples FROM pg_class WHERE relname = 'screening_result'`,
    );
    expect(stats.rows[0]?.reltuples).toBe(HOUSEHOLDS);
  }, 120_000);

  it('does nothing more when run again, and writes no duplicate', async () => {
    const before = await results(first);
    const outcome = await runScreening(t.db, first, { workers: 0 });
    expect(outcome.status).toBe('done');
    expect(await results(first)).toEqual(before);
  }, 60_000);

  it('stores a batch through COPY as the JSON statement does, and a repeated batch writes nothing', async () => {
    const officer: Actor = { ...systemActor, role: 'countyOfficer', regionCode: regions.county };
    const households = (
      await t.db.query<{ id: string; region_code: string }>(
        'SELECT id, region_code FROM household ORDER BY id LIMIT 3',
      )
    ).rows;
    const rows: repo.ResultRow[] = households.map((h, i) => ({
      householdId: h.id,
      regionCode: h.region_code,
      eligible: i === 0 ? [] : ['dibao', 'temporaryAid'],
      amountsFen: i === 0 ? [] : [123_456, null],
      newly: i === 2 ? ['temporaryAid'] : [],
      needsInfo: i === 1 ? [] : ['medicalAid', 'nearDibao'],
      monthlyTotalFen: i === 0 ? 0 : 123_456,
    }));
    const progress = (cursor: string) => ({
      cursor,
      processed: rows.length,
      householdsFound: 2,
      pairsFound: 4,
      pairsNewly: 1,
      counts: {},
    });
    const stored = async (runId: string) =>
      (
        await t.db.query(
          `SELECT household_id, region_code, eligible, amounts_fen::text AS amounts, newly, needs_info,
                  monthly_total_fen::text AS total FROM screening_result WHERE run_id = $1 ORDER BY household_id`,
          [runId],
        )
      ).rows.map(({ household_id: _, ...rest }) => rest);
    const last = (households.at(-1) as { id: string }).id;
    // One active run per region at a time: each is closed before the next is made.
    const storedBy = async (store: (tx: Queryable, runId: string) => Promise<void>) => {
      const runId = (await newRun()).id;
      try {
        await asActor(t.db, officer, undefined, (tx) => store(tx, runId));
        // Repeated in its own transaction, as a run that crashed after storing would.
        await asActor(t.db, officer, undefined, (tx) => store(tx, runId));
      } finally {
        await asSystem(t.db, (tx) => repo.markFinished(tx, runId, 'failed', 'storage test'));
      }
      return runId;
    };
    const viaCopy = await storedBy(async (tx, runId) => {
      await repo.storeBatch(tx, runId, rows, progress(last));
      await repo.storeBatch(tx, runId, rows, progress(last));
    });
    // The same batch through the JSON statement: a connection without COPY.
    const viaJson = await storedBy((tx, runId) =>
      repo.storeBatch(
        { query: (q, p) => tx.query(q, p), exec: (q) => tx.exec(q) },
        runId,
        rows,
        progress(last),
      ),
    );
    const copied = await stored(viaCopy);
    expect(copied).toHaveLength(3);
    expect(copied).toEqual(await stored(viaJson));
    expect(copied.map((r) => r.amounts)).toContain('{123456,NULL}');
  }, 60_000);

  it('continues a crashed run after its last stored batch, with the same results as a clean run', async () => {
    const crashed = (await newRun(regions.county, first)).id;
    let batches = 0;
    await expect(
      runScreening(t.db, crashed, {
        workers: 0,
        batchSize: 40,
        onBatch: () => {
          batches += 1;
          if (batches === 2) throw new Error('process killed');
        },
      }),
    ).rejects.toThrow('process killed');
    const halfway = await runRow(crashed);
    expect(halfway.status).toBe('failed');
    expect(halfway.processed).toBeGreaterThanOrEqual(40);
    expect(halfway.processed).toBeLessThan(HOUSEHOLDS);
    const stored = (await results(crashed)).length;
    // The retry (pg-boss would send it again) continues; nothing before the cursor is evaluated twice.
    const seen: number[] = [];
    await runScreening(t.db, crashed, { workers: 0, batchSize: 40, onBatch: (n) => void seen.push(n) });
    expect(seen[0]).toBe(halfway.processed + 40);
    const done = await runRow(crashed);
    expect(done).toMatchObject({ status: 'done', processed: HOUSEHOLDS, attempts: 2, error: null });
    expect((await results(crashed)).length).toBeGreaterThanOrEqual(stored);
    const strip = (rows: Awaited<ReturnType<typeof results>>) =>
      rows.map((r) => [r.household_id, r.eligible, r.needs_info]);
    expect(strip(await results(crashed))).toEqual(strip(await results(first)));
    expect(done.households_found).toBe((await runRow(first)).households_found);
    expect(done.pairs_newly).toBe(0);
  }, 120_000);

  it('reports households newly qualifying since the previous run', async () => {
    const previous = await runRow(first);
    // Someone in a household not found for the severe-disability care subsidy gets a grade-1 certificate.
    const candidate = await t.db.query<{ id: string; household_id: string; region_code: string }>(
      `SELECT p.id, p.household_id, p.region_code FROM person p
        WHERE p.death_date IS NULL AND p.birth_date < '2000-01-01'
          AND NOT EXISTS (SELECT 1 FROM screening_result r WHERE r.run_id = $1 AND r.household_id = p.household_id
                           AND 'severeDisabilityCareSubsidy' = ANY (r.eligible))
          AND NOT EXISTS (SELECT 1 FROM person_attribute a WHERE a.person_id = p.id AND a.kind = 'disability')
        ORDER BY p.id LIMIT 1`,
      [first],
    );
    const person = candidate.rows[0];
    expect(person).toBeDefined();
    await t.db.query(
      `INSERT INTO person_attribute (person_id, kind, value, valid_from, region_code)
       VALUES ($1, 'disability', '{"type":"physical","grade":1}', '2025-01-01', $2)`,
      [person?.id, person?.region_code],
    );
    const second = (await newRun(regions.county, previous.id)).id;
    await runScreening(t.db, second, { workers: 0, batchSize: 500 });
    latest = second;
    const rows = await results(second);
    const changed = rows.find((r) => r.household_id === person?.household_id);
    expect(changed?.eligible).toContain('severeDisabilityCareSubsidy');
    expect(changed?.newly).toContain('severeDisabilityCareSubsidy');
    const run = await runRow(second);
    expect(run.policy_counts?.severeDisabilityCareSubsidy?.newly).toBeGreaterThanOrEqual(1);
    // Every "new" pair is eligible now and was not found by the previous run.
    const before = new Map((await results(first)).map((r) => [r.household_id, r.eligible]));
    for (const r of rows)
      for (const p of r.newly) {
        expect(r.eligible).toContain(p);
        expect(before.get(r.household_id) ?? []).not.toContain(p);
      }
  }, 120_000);

  it('runs as a pg-boss job on worker threads, over one township only', async () => {
    const config = { ...loadConfig({ NODE_ENV: 'test' }), databaseUrl: t.url };
    const runner = new JobRunner(t.db, config, { info: () => undefined, error: () => undefined });
    await runner.start();
    try {
      const run = await newRun(regions.huayuan);
      expect(await runner.send('screening-run', { runId: run.id })).toBeTruthy();
      const deadline = Date.now() + 90_000;
      let row = await runRow(run.id);
      while (row.status !== 'done' && row.status !== 'failed' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        row = await runRow(run.id);
      }
      expect(row.error).toBeNull();
      expect(row.status).toBe('done');
      const inTownship = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM household WHERE region_code LIKE '420921100%'`,
      );
      expect(row.total).toBe(inTownship.rows[0]?.n);
      const rows = await results(run.id);
      const regionsSeen = await t.db.query<{ region_code: string }>(
        'SELECT DISTINCT region_code FROM screening_result WHERE run_id = $1',
        [run.id],
      );
      expect(regionsSeen.rows.every((r) => r.region_code.startsWith('420921100'))).toBe(true);
      // Same findings as the latest in-process county run, for the township's households.
      const county = new Map((await results(latest)).map((r) => [r.household_id, r.eligible]));
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(r.eligible).toEqual(county.get(r.household_id) ?? []);
    } finally {
      await runner.stop();
    }
  }, 150_000);
});
