/**
 * Policy finds people, end to end: `npx tsx bench/screening/screen.bench.ts [--households 100000]
 * [--database NAME] [--seed 1] [--workers 2] [--batch 4000] [--region 420921101] [--keep]`.
 *
 * Screens every household stored in PostgreSQL against the whole catalogue and stores the results,
 * the way the `screening-run` job does (the facts snapshot read in keyset pages, decoded and
 * evaluated on worker threads, results written per batch with the run's cursor). Reports
 * households/s, total time, the phases (snapshot refresh / waiting for reads / evaluating / waiting
 * for writes), peak RSS and what was found.
 *
 * Without --database it creates a database, seeds N synthetic households (`doudi seed`, which also
 * writes their declared economic facts) and drops it at the end unless --keep. With --database it
 * uses an existing seeded database (never dropped): it is migrated, and households without economic
 * facts get their declared figures from the same synthetic draw (--seed and --households must be the
 * ones it was seeded with); that backfill is timed separately, and so is the first build of the
 * household facts snapshot (migration 008).
 *
 * Earlier measurements (sessions 1–6, from 580 to 2,465 households/s): bench/screening/HISTORY.md.
 *
 * **1,000,000 households, session 9 (2026-11-23 18:38, load 3.4–4.2, 2 cores; database
 * doudi_bench_monitoring_mwtkjcxj, seeded by `monitoring.bench.ts --households 1000000 --keep`),
 * `--database … --households 1000000`, two runs back to back (target < 60 s):**
 *
 * | run    | total  | reads / evaluating / writes | process CPU (main / workers) | PostgreSQL | per household | peak RSS |
 * | ------ | ------ | --------------------------- | ---------------------------- | ---------- | ------------- | -------- |
 * | first  | 40.6 s | 1.3 / 30.5 / 7.6 s          | 57.0 s (8.3 / 19.8 + 19.3)   | 20.3 s     | 77 µs         | 605 MB   |
 * | second | 42.2 s | 2.7 / 29.5 / 9.0 s          | 55.2 s (9.1 / 18.7 + 18.2)   | 24.4 s     | 80 µs         | 605 MB   |
 *
 * 701,482 households / 1,562,739 pairs found both times, 0 newly in the second (the same draw).
 *
 * Session 6 (2026-11-23, load 17–25, last run 9; database doudi_bench_screening_mwsu7rqc, 200,000, same draw).
 * HEAD run from a copy of HEAD, alternating with the tree; 2nd and later runs of the county:
 * | code                                                     | total     | process CPU | PostgreSQL | per household |
 * | -------------------------------------------------------- | --------- | ----------- | ---------- | ------------- |
 * | HEAD (two runs)                                          | 105–172 s | 27.1–28.7 s | 10.0 s     | 186–194 µs    |
 * | lenient forms: missing facts as a value, not a throw     | 97 s      | 25.8 s      | 8.6 s      | 172 µs        |
 * | + records straight from the snapshot, 027 (no run FK)    | 41–86 s   | 24.0–25.1 s | 8.1–10.4 s | 166–175 µs    |
 * Same 140,173 households / 313,634 pairs in every run. One thread, 10,000 households: evaluating
 * 53.7 → 33.0 µs (min), snapshot → records 21 → 16 µs (JSON.parse ≈ 7); the run FK cost 10–13 µs
 * of backend CPU per stored row. Where the ≈ 125 µs of process CPU goes now (by thread): main 18,
 * workers 74, V8 helper threads (GC, optimising compiler) 32, real work: with --single-threaded the total
 * is the same. 1,000,000 households at ≈ 170 µs ≈ 170 CPU-s: ≥ 85 s on two idle cores, target 60 s.
 *
 * Session 7 (2026-11-23, screen8; load 10–24 from four other engineers). New 200,000-household
 * database doudi_bench_screening_mwt0a7k6 (same draw; seeded in 631 s, snapshot built in 82 s; its
 * first run, old code: 117 µs per household, load 12). "HEAD" ran from an export of HEAD, "tree" from
 * an export of HEAD plus this area's files (other engineers' migrations kept out). 2nd and later runs:
 * | code                                                    | load  | total    | main / workers / V8 helpers (s) | PostgreSQL | per household |
 * | ------------------------------------------------------- | ----- | -------- | ------------------------------- | ---------- | ------------- |
 * | HEAD                                                    | 10    | 111.8 s  | 2.7 / 5.6 + 4.9 / 5.7           | 63.8 s     | 414 µs        |
 * | + previous run's findings by primary key (eligibleIn)   | 13    | 47.5 s   | 2.7 / 5.7 + 5.6 / 5.9           | 6.4 s      | 132 µs        |
 * |   the same, again (alternating with the next row)       | 15–24 | 86–91 s  | 2.9–3.0 / 12.0–12.4 / 5.8–6.1   | 8.2–8.4 s  | 146–148 µs    |
 * | + COPY into a temporary table, result rows per group    | 14–21 | 51–82 s  | 2.5–2.8 / 10.9–11.5 / 5.7–6.0   | 5.0–7.4 s  | 126–138 µs    |
 * Same 140,173 households / 313,634 pairs in every run. The first row is a bug, not load: with no
 * statistics on screening_result (autovacuum off), the prepared eligibleIn statement's generic
 * plan walked the (run_id, region_code) index over the whole previous run for every batch and
 * tested each row against the batch's 4,000 ids (6–9 s of backend CPU per batch in the server log;
 * at 1M, quadratic: hours). Storage alone (4,000 rows, backend CPU per row): one JSON document
 * 13–18 µs, COPY + INSERT … SELECT 10 µs. Page read alone: 9 µs per row (jsonb → text ≈ 3.5).
 * Where the rest goes: the V8 helper threads are 4 platform threads of ≈1.3–1.5 s each; with
 * --single-threaded-gc they drop by 1.5 s (GC, mostly the main thread's: the page strings live
 * across batches) and the owning threads gain 0.6 s; the remaining ≈ 4.4 s is largely fixed
 * (one township, 9,954 households: 2.3 s): compiling the catalogue's generated code in two workers.
 * So at 1M the per-household figure falls: ≈ 12 main + ≈ 47 workers + ≈ 21 helpers + ≈ 28–35
 * PostgreSQL ≈ 110–115 µs, at the 110 µs that 60 s on two idle cores allows; to be measured there.
 * Tried, no effect (dropped): a 96 MB young generation for the workers (resourceLimits), the
 * fact setter without its per-call map lookup. In a worker (profile) snapshot decoding is ≈ 30%,
 * JSON.parse of members most of it; the engine the rest.
 *
 * Session 8 (quiet machine, new 30,000-household county, 2nd and later runs): 37.6–42.0 s and
 * 55–58 s of PostgreSQL CPU per run, in both plan cache modes and at b6a7d36, against 4.8 s for the
 * first run. eligibleIn's primary-key probe of the previous run had become a scan of the whole run
 * per household: under row-level security and without statistics the planner took the (run_id,
 * region_code) index. A run now ends with ANALYZE screening_result: 2nd runs 5.8 / 5.5 s, 1.0–1.3 s
 * PostgreSQL CPU, 330–352 µs per household (at 30,000 the V8 helper threads' warm-up dominates).
 */
import { readdirSync, readFileSync } from 'node:fs';
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
import { refreshSnapshot } from '../../packages/server/src/domains/householdFacts/snapshot.repo.ts';
import { cipherFor } from '../../packages/server/src/domains/registry/personalData.crypto.ts';
import { seedRegistry } from '../../packages/server/src/domains/registry/seed.ts';
import * as repo from '../../packages/server/src/domains/screening/screening.repo.ts';
import { runScreening } from '../../packages/server/src/domains/screening/screening.run.ts';
import { backendCpu } from '../lib/cpu.ts';

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
/**
 * CPU seconds of this process's threads by name (/proc/self/task): the main thread, the rules
 * workers, V8's helper threads (concurrent marking, compiling), libuv's pool. Threads end with the
 * run, so the bench samples while it runs and keeps each thread's last reading.
 */
const threadSeconds = new Map<string, number>();
function sampleThreads(): void {
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threadSeconds.set(`${name}#${tid}`, (Number(fields[11]) + Number(fields[12])) / 100);
    }
  } catch {
    // No /proc: the table leaves the row out.
  }
}
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
  // The first run over a database that predates migration 008 builds the facts snapshot of every
  // household; timed here, apart, like the backfill (a later run rebuilds only what changed).
  const dirty =
    (
      await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM household_facts_dirty WHERE region_code BETWEEN $1 AND $2',
        [REGION, regionBounds(REGION).high],
      )
    ).rows[0]?.n ?? 0;
  if (dirty > 1000) {
    const t0 = performance.now();
    const officer = { ...systemActor, role: 'countyOfficer' as const, regionCode: REGION };
    const built = await refreshSnapshot(db, officer, REGION, 20_000);
    rows.push([
      'household facts snapshot built (not part of the screening figure)',
      `${built.toLocaleString('en')} households in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
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

  let peak = process.memoryUsage.rss();
  sampleThreads();
  const threadsBefore = new Map(threadSeconds);
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss()); // rss() alone: memoryUsage() walks the heap
    sampleThreads();
  }, 200);
  const cpuStart = process.cpuUsage();
  const pgStart = await backendCpu(db);
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
  sampleThreads();
  // Node names no threads on Linux ("node" all): the busiest ones, main thread first.
  const mainKey = [...threadSeconds.keys()].find((k) => k.endsWith(`#${process.pid}`));
  const used = (key: string) => (threadSeconds.get(key) ?? 0) - (threadsBefore.get(key) ?? 0);
  const busiest = [...threadSeconds.keys()]
    .filter((k) => k !== mainKey)
    .map((k): [string, number] => [k, used(k)])
    .sort((a, b) => b[1] - a[1]);
  const pgEnd = await backendCpu(db);
  let pgSeconds: number | undefined;
  if (pgStart && pgEnd) {
    pgSeconds = 0;
    for (const [pid, seconds] of pgEnd) pgSeconds += seconds - (pgStart.get(pid) ?? 0);
  }
  const done = await asSystem(db, (tx) => repo.findRun(tx, run.id));
  const stored = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM screening_result WHERE run_id = $1',
    [run.id],
  );
  const phases = outcome.phases ?? {
    refreshMs: 0,
    readWaitMs: 0,
    evaluateMs: 0,
    writeWaitMs: 0,
    workerDecodeMs: 0,
    workerEvaluateMs: 0,
  };
  rows.push(
    ['households screened (36 policies each)', outcome.processed.toLocaleString('en')],
    ['total time (job start → run done)', `${outcome.seconds.toFixed(1)} s`],
    ['households/s end to end', Math.round(outcome.processed / outcome.seconds).toLocaleString('en')],
    [
      'of which snapshot refresh (households changed since the last run)',
      `${(phases.refreshMs / 1000).toFixed(1)} s`,
    ],
    [
      'waiting for reads / evaluating / waiting for writes',
      `${(phases.readWaitMs / 1000).toFixed(1)} / ${(phases.evaluateMs / 1000).toFixed(1)} / ${(phases.writeWaitMs / 1000).toFixed(1)} s`,
    ],
    [
      'inside the workers, summed: decoding apart / evaluating, decoding included since 2026-11-23 (busy, wall)',
      `${(phases.workerDecodeMs / 1000).toFixed(1)} / ${(phases.workerEvaluateMs / 1000).toFixed(1)} s`,
    ],
    [`workers / batch`, `${workers} / ${batchSize.toLocaleString('en')}`],
    // process.cpuUsage counts every thread of the process: the main thread and the workers.
    ['process CPU, main thread + workers (user+sys)', `${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`],
    [
      '  by thread: main / busiest others (workers) / all the rest (V8 helpers, libuv), s',
      `${mainKey ? used(mainKey).toFixed(1) : '?'} / ${busiest
        .slice(0, workers)
        .map(([, s]) => s.toFixed(1))
        .join(' + ')} / ${busiest
        .slice(workers)
        .reduce((sum, [, s]) => sum + s, 0)
        .toFixed(1)}`,
    ],
    [
      '  the other threads over 0.2 s (name#tid: s)',
      busiest
        .slice(workers)
        .filter(([, s]) => s > 0.2)
        .map(([k, s]) => `${k}: ${s.toFixed(1)}`)
        .join(', '),
    ],
    [
      "PostgreSQL CPU, this database's backends (user+sys)",
      pgSeconds === undefined ? 'n/a' : `${pgSeconds.toFixed(1)} s`,
    ],
    [
      'CPU per household, process + PostgreSQL',
      pgSeconds === undefined
        ? 'n/a'
        : `${((1e6 * ((cpu.user + cpu.system) / 1e6 + pgSeconds)) / Math.max(1, outcome.processed)).toFixed(0)} µs`,
    ],
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
