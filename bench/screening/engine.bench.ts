/**
 * The rules engine on real stored households, one thread, CPU time per phase:
 * `npx tsx bench/screening/engine.bench.ts --database NAME [--households 20000] [--repeats 5]
 * [--region 420921101000] [--per-policy] [--details]`.
 *
 * Reads N rows of the household facts snapshot of a seeded database (e.g. one kept by
 * screen.bench.ts --keep), then, N households at a time on this thread: decodes the snapshot JSON
 * (snapshotFacts.ts, as the screening workers do), builds fact records, evaluates the whole
 * catalogue without trace. Reports CPU microseconds per household for each phase (the first
 * repeat warms up and is left out of the minimum and median), so that a change to the engine can
 * be judged on the machine's CPU time rather than its wall clock, which on a shared machine
 * follows the load. `--per-policy` adds each policy evaluated alone (its variables included).
 * Evaluation leaves out the per-cell details (missing facts, errors), as a screening run does;
 * `--details` keeps them.
 *
 * 2026-11-22, database doudi_bench_screening_mwsg6w80 (200,000 households), 20,000 households,
 * load average 18–25: evaluate 70–75 µs per household before the shared MissingFactError per
 * path and field, 49–58 after; decoding 17–22 µs; records 4–5 µs.
 * 2026-11-23, database doudi_bench_screening_mwsnagtf (200,000), 10,000 households, 4 repeats, load
 * 28–31, alternating: evaluate with details 73.3 / 89.9 and 62.8 / 84.3 µs (min / median), without
 * 65.9 / 79.2 and 64.9 / 67.5: the median ≈ 10–20% lower, the minimum within the load's noise.
 * 2026-11-23, database doudi_bench_screening_mwsu7rqc (200,000), 10,000 households, load 25–27,
 * without details: HEAD 53.7 / 57.5, lenient forms (cel/compile.ts, evaluate/decideStatus.ts)
 * 33.0 / 37.3. (A run decodes with `householdRecords`, 16 µs here against 21 for decode + records.)
 */
import { loadavg } from 'node:os';
import pg from 'pg';
import { evaluateRecords } from '../../packages/rules/src/evaluate/batch.ts';
import { evaluationContext } from '../../packages/rules/src/evaluate/engine.ts';
import { buildRecords } from '../../packages/rules/src/evaluate/facts.ts';
import {
  decodeHouseholds,
  type SnapshotRow,
  snapshotItem,
} from '../../packages/server/src/domains/householdFacts/snapshotFacts.ts';
import { loadCatalogFromDir } from '../../packages/server/src/domains/rules/catalogFiles.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};
const database = option('database', '');
if (!database) throw new Error('--database NAME (a seeded database with its facts snapshot) is required');
const n = Number(option('households', '20000'));
const repeats = Math.max(2, Number(option('repeats', '5')));
const region = option('region', '420921101000');
const details = args.includes('--details');
const DATE = '2025-07-01';
const adminUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const url = new URL(adminUrl);
url.pathname = `/${database}`;

const client = new pg.Client({ connectionString: url.toString() });
await client.connect();
const read = await client.query<SnapshotRow>(
  `SELECT household_id, household_number, region_code, urban, members::text AS members,
          categories::text AS categories, economy::text AS economy
     FROM household_facts ORDER BY region_code, household_number LIMIT $1`,
  [n],
);
await client.end();
const count = read.rows.length;
const items = read.rows.map(snapshotItem);
const { catalog } = loadCatalogFromDir();

const cpuMs = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};
const perHousehold = (ms: number) => (1000 * ms) / count;
const phases = { decode: [] as number[], records: [] as number[], evaluate: [] as number[] };
for (let r = 0; r < repeats; r++) {
  let start = process.cpuUsage();
  const facts = decodeHouseholds(items, DATE);
  phases.decode.push(perHousehold(cpuMs(start)));
  start = process.cpuUsage();
  const records = facts.map((f) => buildRecords(catalog.facts, f));
  phases.records.push(perHousehold(cpuMs(start)));
  const ctx = evaluationContext(catalog, DATE, region);
  start = process.cpuUsage();
  evaluateRecords(ctx, count, (h) => records[h] as (typeof records)[number], { details });
  phases.evaluate.push(perHousehold(cpuMs(start)));
}

const summary = (xs: number[]) => {
  const warm = xs.slice(1).sort((a, b) => a - b);
  return `${(warm[0] as number).toFixed(1)} / ${(warm[Math.floor(warm.length / 2)] as number).toFixed(1)}`;
};
console.log(
  `engine on stored households: ${database}, ${count.toLocaleString('en')} households, region ${region}, ` +
    `${details ? 'with' : 'without'} details, ` +
    `load average ${loadavg()
      .slice(0, 2)
      .map((l) => l.toFixed(1))
      .join(' / ')}`,
);
console.log('| phase (one thread)                | CPU µs per household, min / median |');
console.log('| --------------------------------- | ---------------------------------- |');
console.log(`| decode snapshot JSON              | ${summary(phases.decode)} |`);
console.log(`| build fact records                | ${summary(phases.records)} |`);
console.log(`| evaluate the catalogue (no trace) | ${summary(phases.evaluate)} |`);

if (args.includes('--per-policy')) {
  const facts = decodeHouseholds(items, DATE);
  const rows: [string, number][] = [];
  for (const policy of catalog.policies) {
    const records = facts.map((f) => buildRecords(catalog.facts, f));
    const ctx = evaluationContext(catalog, DATE, region, [policy.id]);
    const start = process.cpuUsage();
    evaluateRecords(ctx, count, (h) => records[h] as (typeof records)[number], { details });
    rows.push([policy.id, perHousehold(cpuMs(start))]);
  }
  console.log('\n| policy alone (variables included) | CPU µs per household |');
  console.log('| ---------------------------------- | -------------------- |');
  for (const [id, us] of rows.sort((a, b) => b[1] - a[1])) console.log(`| ${id} | ${us.toFixed(1)} |`);
}
