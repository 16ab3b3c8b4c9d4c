/**
 * Policy finds people, end to end: `npx tsx bench/screening/screen.bench.ts [--households 100000]
 * [--database NAME] [--seed 1] [--workers 2] [--batch 4000] [--region 420921101] [--keep]`.
 *
 * Screens every household stored in PostgreSQL against the whole catalogue and stores the results,
 * the way the `screening-run` job does (facts assembled in SQL in keyset batches, evaluated on worker
 * threads, results written per batch with the run's cursor). Reports households/s, total time, the
 * phases (waiting for reads / evaluating / waiting for writes), peak RSS and what was found.
 *
 * Without --database it creates a database, seeds N synthetic households (`doudi seed`, which also
 * writes their declared economic facts) and drops it at the end unless --keep. With --database it
 * uses an existing seeded database (never dropped): it is migrated, and households without economic
 * facts get their declared figures from the same synthetic draw (--seed and --households must be the
 * ones it was seeded with); that backfill is timed separately.
 *
 * Measured (2 cores shared with other work, load average 10–15 during the runs; 1M database
 * doudi_bench_registry_mws2t066, 丰山镇 420921101 = 49,569 households, 2 workers, 2025-11-22;
 * repeats differ by ±15% with the load, so read the last rows as one figure, ≈750–850/s):
 *
 * | pages in …                           | batch | households/s | reads / evaluating / writes (s) | total | RSS    |
 * | ------------------------------------ | ----- | ------------ | ------------------------------- | ----- | ------ |
 * | id order (before)                    | 4,000 | 580          | 27.9 / 56.6 / 0.2               | 85 s  | 533 MB |
 * | (village, household number) order    | 4,000 | 671          | 7.2 / 65.9 / 0.2                | 74 s  | 466 MB |
 * | + previous run read while evaluating | 4,000 | 751          | 4.9 / 60.2 / 0.1                | 66 s  | 469 MB |
 * | the same                             | 2,000 | 825          | 5.1 / 53.1 / 0.1                | 60 s  | 448 MB |
 * | the same, again                      | 4,000 | 850          | 7.6 / 50.3 / 0.1                | 58 s  | 544 MB |
 *
 * Reading is now almost fully hidden behind evaluation (the rest is mostly the first page, read
 * before anything can be evaluated); the workers are busy for the whole evaluating phase, so the
 * rate is set by the rules engine's CPU per household (≈1.2 ms per household per worker thread
 * under this load) plus what PostgreSQL and the main thread take from the same two cores. At
 * these rates the whole county (1M) would take 20+ minutes; it was not run. A page costs
 * PostgreSQL ≈1.3 s warm (≈3 s cold) for 4,000 households: about 12,000 members, each found through
 * four index lookups into tables with no physical order by region (person_transfer twice, person,
 * person_attribute); no plan change helped (LATERAL "last event" tried: same time).
 */
import { loadavg } from 'node:os';
import { generateCounty, type Household, loadVillagesFromChinaDivision } from '@doudi/synth';
import pg from 'pg';
import { loadConfig } from '../../packages/server/src/config.ts';
import { openPostgres } from '../../packages/server/src/db/database.ts';
import { migrate } from '../../packages/server/src/db/migrate.ts';
import { asSystem } from '../../packages/server/src/db/scope.ts';
import { systemActor } from '../../packages/server/src/demo/demoAccounts.ts';
import { backfillEconomy } from '../../packages/server/src/domains/householdFacts/economy.repo.ts';
import { regionBounds } from '../../packages/server/src/domains/householdFacts/householdFacts.ts';
import { cipherFor } from '../../packages/server/src/domains/registry/personalData.crypto.ts';
import { seedRegistry } from '../../packages/server/src/domains/registry/seed.ts';
import * as repo from '../../packages/server/src/domains/screening/screening.repo.ts';
import { runScreening } from '../../packages/server/src/domains/screening/screening.run.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};
const households = Number(option('households', '100000'));
const seed = Number(option('seed', '1'));
const workers = Number(option('workers', '2'));
const batchSize = Number(option('batch', '4000'));
const existing = option('database', '');
const keep = args.includes('--keep') || existing !== '';
const adminUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
// --region screens one township (9 digits) of the county, for a shorter measurement on a big database.
const REGION = option('region', '420921').padEnd(12, '0');
const AS_OF = '2025-06-30';
const ON_DATE = '2025-07-01';

const name = existing || `doudi_bench_screening_${Date.now().toString(36)}`;
if (!existing) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
}
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const db = await openPostgres(url.toString(), 6);
const rows: [string, string][] = [];
const count = async (table: string) =>
  (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n ?? 0;

try {
  await migrate(db);
  if (!existing) {
    const seeded = await seedRegistry(db, cipherFor(loadConfig({ NODE_ENV: 'test' }).dataKey), systemActor, {
      households,
      seed,
      under: '420921',
      asOf: AS_OF,
    });
    rows.push(['seed (not part of the screening figure)', `${seeded.seconds.toFixed(1)} s`]);
  } else if ((await count('household_economy')) < (await count('household'))) {
    // The same draw as the seed that made the database, so the figures are the ones it would have written.
    const t0 = performance.now();
    const villages = await loadVillagesFromChinaDivision('420921');
    let batch: Household[] = [];
    let written = 0;
    const flush = async () => {
      const chunk = batch;
      batch = [];
      written += await asSystem(db, (tx) => backfillEconomy(tx, chunk, new Set(), AS_OF));
    };
    for (const { household } of generateCounty({ seed, households, villages, asOf: AS_OF })) {
      batch.push(household);
      if (batch.length >= 5000) await flush();
    }
    await flush();
    await db.exec('ANALYZE household_economy');
    rows.push([
      'backfill of declared economic facts (not part of the screening figure)',
      `${written.toLocaleString('en')} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    ]);
  }
  const total =
    (
      await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM household WHERE region_code BETWEEN $1 AND $2',
        [REGION, regionBounds(REGION).high],
      )
    ).rows[0]?.n ?? 0;
  // An earlier bench killed midway leaves its run unfinished; close it so a new one may start.
  await db.query(
    `UPDATE screening_run SET status = 'failed', error = 'abandoned by the benchmark' WHERE status IN ('queued', 'running')`,
  );
  const previous = await asSystem(db, (tx) => repo.previousRun(tx, REGION));
  const run = await asSystem(db, (tx) =>
    repo.insertRun(tx, {
      region_code: REGION,
      region_high: regionBounds(REGION).high,
      on_date: ON_DATE,
      started_by: 'bench',
      started_by_name: '基准测试',
      started_by_role: 'countyOfficer',
      previous_run_id: previous?.id ?? null,
    }),
  );

  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 200);
  const cpuStart = process.cpuUsage();
  let next = total / 10;
  const outcome = await runScreening(db, run.id, {
    workers,
    batchSize,
    onBatch: (processed) => {
      if (processed >= next) {
        process.stderr.write(`${processed} / ${total}\n`);
        next += total / 10;
      }
    },
  });
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpuStart);
  const done = await asSystem(db, (tx) => repo.findRun(tx, run.id));
  const stored = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM screening_result WHERE run_id = $1',
    [run.id],
  );
  const phases = outcome.phases ?? { readWaitMs: 0, evaluateMs: 0, writeWaitMs: 0 };
  rows.push(
    ['households screened (36 policies each)', outcome.processed.toLocaleString('en')],
    ['total time (job start → run done)', `${outcome.seconds.toFixed(1)} s`],
    ['households/s end to end', Math.round(outcome.processed / outcome.seconds).toLocaleString('en')],
    [
      'waiting for reads / evaluating / waiting for writes',
      `${(phases.readWaitMs / 1000).toFixed(1)} / ${(phases.evaluateMs / 1000).toFixed(1)} / ${(phases.writeWaitMs / 1000).toFixed(1)} s`,
    ],
    [`workers / batch`, `${workers} / ${batchSize.toLocaleString('en')}`],
    // process.cpuUsage counts every thread of the process: the main thread and the workers.
    ['process CPU, main thread + workers (user+sys)', `${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`],
    // The figures only mean something next to how busy the machine was (it is shared).
    [
      'load average (1 / 5 min) at the end',
      loadavg()
        .slice(0, 2)
        .map((l) => l.toFixed(1))
        .join(' / '),
    ],
    [
      'peak RSS main process (sampled / process max)',
      `${mb(peak)} MB / ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
    ],
    ['result rows stored', stored.rows[0]?.n.toLocaleString('en') ?? '?'],
    [
      'households found / pairs found / newly',
      `${done?.households_found?.toLocaleString('en')} / ${done?.pairs_found?.toLocaleString('en')} / ${done?.pairs_newly?.toLocaleString('en')}${previous ? '' : ' (first run)'}`,
    ],
  );
} finally {
  await db.close();
  if (!keep) {
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await cleanup.end();
  }
}

const width = Math.max(...rows.map(([k]) => k.length));
console.log(
  `screening benchmark: database ${name}${existing ? ' (existing)' : ''}, region ${REGION}, on ${ON_DATE}`,
);
console.log(`| ${'measure'.padEnd(width)} | value |`);
console.log(`| ${'-'.repeat(width)} | ----- |`);
for (const [k, v] of rows) console.log(`| ${k.padEnd(width)} | ${v} |`);
