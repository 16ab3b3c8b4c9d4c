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
 */
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
    ['main-thread CPU (user+sys)', `${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`],
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
