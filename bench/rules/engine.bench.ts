/**
 * Rules-engine benchmark. Run: `npx tsx bench/rules/engine.bench.ts` (add `--quick` for a smoke run).
 *  1. one household × every policy of the example catalogue: p50 / p99 latency, with and without trace;
 *  2. a batch of 100,000 synthetic households: households/s on one thread and on a worker pool;
 *  3. the same dibao rule four ways: compiled CEL (generated JavaScript), the cel-js interpreter,
 *     json-rules-engine, and a hand-written TypeScript function, with the ratios the issue sets
 *     (compiled ≥ 50% of hand-written, ≥ 100× json-rules-engine).
 *
 * Figures, 2026-11-22, full run, this 2-core machine shared by six engineers (load average 15–18):
 *   dibao rule, per CPU-second     compiled CEL   hand-written   ratio   cel-js    json-rules-engine
 *   closures (before, same method)     3.9 M          51.8 M        8%     0.70 M        42 k   (94×)
 *   generated JavaScript (after)      44.3 M          64.3 M       69%     1.15 M        50 k  (878×)
 *   generated JavaScript, 2nd run     34.7 M          49.7 M       70%     0.75 M        40 k  (859×)
 *   generated JavaScript, 3rd run     39.0 M          73.1 M       53%     0.79 M        39 k  (994×)
 *   generated JavaScript, 4th (load 7) 34.0 M         53.1 M       64%     0.78 M        43 k  (793×)
 *   The hand-written function's figure swings most with the load; the ratio stayed ≥ 53%.
 *   Example catalogue batch, one thread: 30 k households/s before (load 2–3), 73–81 k after (load 7–14).
 *   The old bench warmed 5,000 calls and timed 2 ms rounds, which flattered nobody: it reported the
 *   closures at 11% and the hand-written function anywhere from 15 M to 78 M.
 */
import { availableParallelism, loadavg } from 'node:os';
import { Engine } from 'json-rules-engine';
import {
  createCelEnvironment,
  evaluate,
  evaluateBatch,
  exampleCatalogSources,
  FactRecord,
  type HouseholdFacts,
  inlineSource,
  loadCatalog,
  prepareExpression,
  RulesWorkerPool,
} from '../../packages/rules/src/index.ts';

const quick = process.argv.includes('--quick');
const DATE = '2025-03-01';
const REGION = '420902002000';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function households(count: number): HouseholdFacts[] {
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  return Array.from({ length: count }, () => ({
    household: {
      monthlyIncome: Math.floor(random() * 400000),
      vehicleCount: random() < 0.05 ? 1 : 0,
      registeredBusiness: random() < 0.03,
      financialAssets: Math.floor(random() * 6000000),
      ...(random() < 0.2 ? { rigidExpenseMonthly: Math.floor(random() * 300000) } : {}),
    },
    members: Array.from({ length: 1 + Math.floor(random() * 5) }, () => ({
      age: Math.floor(random() * 95),
      severeDisability: random() < 0.05,
      severeIllness: random() < 0.05,
      student: random() < 0.15,
    })),
  }));
}

const rows: [string, string][] = [];
/** CPU time of this process (all threads), ms: on a shared machine, wall time includes waiting. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const report = (name: string, value: string) => {
  rows.push([name, value]);
  console.log(`${name.padEnd(58)} ${value}`);
};

// --- load ---------------------------------------------------------------------------------------
report(
  'load average at start (shared machine)',
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' '),
);
let t0 = performance.now();
const catalog = loadCatalog(exampleCatalogSources);
report(
  'load + compile example catalogue (4 policies, 5 variables)',
  `${(performance.now() - t0).toFixed(1)} ms`,
);

// --- 1. one household × all policies ------------------------------------------------------------
const one = households(1)[0] as HouseholdFacts;
function latency(label: string, fn: () => unknown, iterations: number) {
  for (let i = 0; i < 2000; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  samples.sort((a, b) => a - b);
  report(label, `p50 ${percentile(samples, 50).toFixed(1)} µs, p99 ${percentile(samples, 99).toFixed(1)} µs`);
}
const iterations = quick ? 2000 : 20000;
latency(
  `one household × ${catalog.policies.length} policies, full trace (evaluate)`,
  () => evaluate(catalog, one, DATE, REGION),
  iterations,
);
latency(
  `one household × ${catalog.policies.length} policies, no trace (evaluateBatch)`,
  () => evaluateBatch(catalog, [one], DATE, REGION),
  iterations,
);

// --- 2. batch of 100,000 ------------------------------------------------------------------------
const batchSize = quick ? 10_000 : 100_000;
const batch = households(batchSize);
evaluateBatch(catalog, batch.slice(0, 2000), DATE, REGION);
t0 = performance.now();
const result = evaluateBatch(catalog, batch, DATE, REGION);
let elapsed = (performance.now() - t0) / 1000;
const eligible = result.statuses.filter((s, i) => i % result.policyIds.length === 0 && s === 0).length;
report(
  `batch ${batchSize.toLocaleString('en')} households × ${result.policyIds.length} policies, 1 thread`,
  `${Math.round(batchSize / elapsed).toLocaleString('en')} households/s (${elapsed.toFixed(2)} s; ${eligible} dibao-eligible)`,
);
const workers = Math.min(4, availableParallelism());
const pool = new RulesWorkerPool(exampleCatalogSources, { size: workers });
await pool.evaluateBatch(batch.slice(0, 2000), DATE, REGION);
t0 = performance.now();
const parallel = await pool.evaluateBatch(batch, DATE, REGION);
elapsed = (performance.now() - t0) / 1000;
await pool.close();
report(
  `batch ${batchSize.toLocaleString('en')} households, ${workers} worker threads`,
  `${Math.round(batchSize / elapsed).toLocaleString('en')} households/s (${elapsed.toFixed(2)} s, incl. copying facts)`,
);
if (parallel.statuses.some((s, i) => s !== result.statuses[i])) throw new Error('worker results differ');

// --- 3. the same dibao rule four ways -----------------------------------------------------------
// eligible = no vehicle && per-capita income < standard; amount = (standard − per-capita) × members.
const CONDITION = 'household.vehicleCount == 0 && household.monthlyIncome / household.memberCount < standard';
const AMOUNT = '(standard - household.monthlyIncome / household.memberCount) * household.memberCount';
const STANDARD = 65000;
type Simple = { monthlyIncome: number; vehicleCount: number; memberCount: number };
const simple: Simple[] = batch.map((h) => ({
  monthlyIncome: h.household?.monthlyIncome as number,
  vehicleCount: h.household?.vehicleCount as number,
  memberCount: h.members?.length ?? 1,
}));
const ruleCount = quick ? 20_000 : 100_000;
// The two fast contenders run 20 passes over the households per round, so that a round lasts tens
// of milliseconds: CPU time is measured in scheduler ticks, too coarse for a 2 ms round.
const fastCount = ruleCount * 20;

/**
 * Inputs are converted to each engine's own representation before timing (cel-js needs bigint ints),
 * so the figures compare rule evaluation only. Every contender gets the same treatment: one
 * unmeasured round over the same households to warm up (optimising compilers included), then the
 * best of five measured rounds, by CPU time (this machine is shared; wall time counts waiting).
 * Each round's money total must be the same, and the same across contenders (checked below).
 */
const cpuRates = new Map<string, number>();
function throughput<I>(
  label: string,
  inputs: I[],
  fn: (input: I) => number | null,
  count = ruleCount,
): number {
  let total = 0;
  for (let i = 0; i < count; i++) total += fn(inputs[i % inputs.length] as I) ?? 0;
  const warmTotal = total;
  let best = Number.POSITIVE_INFINITY;
  let bestCpu = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    total = 0;
    const c = cpuMs();
    t0 = performance.now();
    for (let i = 0; i < count; i++) total += fn(inputs[i % inputs.length] as I) ?? 0;
    best = Math.min(best, performance.now() - t0);
    bestCpu = Math.min(bestCpu, cpuMs() - c);
    if (total !== warmTotal) throw new Error(`${label}: totals differ between rounds`);
  }
  const rate = (ms: number) => Math.round(count / (ms / 1000)).toLocaleString('en');
  cpuRates.set(label, count / (bestCpu / 1000));
  report(label, `${rate(best)} households/s wall, ${rate(bestCpu)} per CPU-second`);
  return total;
}

const env = createCelEnvironment({
  types: { Household: { monthlyIncome: 'int', vehicleCount: 'int', memberCount: 'int' } },
  variables: { household: 'Household', standard: 'int' },
});
const condition = prepareExpression(env, inlineSource(CONDITION), ['bool']);
const amount = prepareExpression(env, inlineSource(AMOUNT), ['int']);
const celInputs = simple.map((h) => ({
  monthlyIncome: BigInt(h.monthlyIncome),
  vehicleCount: BigInt(h.vehicleCount),
  memberCount: BigInt(h.memberCount),
}));
// The compiled closures hold ints as numbers (safe integers); the interpreter needs bigint.
const records = simple.map((h) => Object.assign(new FactRecord('household'), h));
const scope = {
  root: { household: undefined as unknown, standard: STANDARD },
  locals: [],
  budget: 1e5,
};
const COMPILED = 'dibao rule: Doudi compiled CEL (generated JavaScript)';
const compiledTotal = throughput(
  COMPILED,
  records,
  (record) => {
    scope.root.household = record;
    return condition.run(scope) === true ? Number(amount.run(scope)) : null;
  },
  fastCount,
);

const interpretedCondition = env.parse(CONDITION);
const interpretedAmount = env.parse(AMOUNT);
const context = { household: undefined as unknown, standard: BigInt(STANDARD) };
const interpretedTotal = throughput(
  'dibao rule: cel-js interpreter (parsed once)',
  celInputs,
  (household) => {
    context.household = household;
    return interpretedCondition(context) === true ? Number(interpretedAmount(context)) : null;
  },
);

const HAND = 'dibao rule: hand-written TypeScript';
const handTotal = throughput(
  HAND,
  simple,
  (h) => {
    const perCapita = Math.trunc(h.monthlyIncome / h.memberCount);
    return h.vehicleCount === 0 && perCapita < STANDARD ? (STANDARD - perCapita) * h.memberCount : null;
  },
  fastCount,
);

const engine = new Engine([], { allowUndefinedFacts: false });
engine.addRule({
  conditions: {
    all: [
      { fact: 'vehicleCount', operator: 'equal', value: 0 },
      { fact: 'perCapitaIncome', operator: 'lessThan', value: { fact: 'standard' } },
    ],
  },
  event: { type: 'dibao' },
});
const jreCount = quick ? 5_000 : 20_000;
let jreTotal = 0;
// Warmed like the others (a shorter round: it is four orders of magnitude slower).
for (let i = 0; i < Math.min(jreCount, 2000); i++) {
  const h = simple[i] as Simple;
  await engine.run({ vehicleCount: h.vehicleCount, perCapitaIncome: 0, standard: STANDARD });
}
const jreCpu = cpuMs();
t0 = performance.now();
for (let i = 0; i < jreCount; i++) {
  const h = simple[i % simple.length] as Simple;
  const perCapitaIncome = Math.trunc(h.monthlyIncome / h.memberCount);
  const { events } = await engine.run({ vehicleCount: h.vehicleCount, perCapitaIncome, standard: STANDARD });
  // json-rules-engine decides; it has no arithmetic, so the amount is computed outside it.
  if (events.length > 0) jreTotal += (STANDARD - perCapitaIncome) * h.memberCount;
}
const jreRate = jreCount / ((cpuMs() - jreCpu) / 1000);
report(
  'dibao rule: json-rules-engine (async; amount outside)',
  `${Math.round(jreCount / ((performance.now() - t0) / 1000)).toLocaleString('en')} households/s wall, ${Math.round(jreRate).toLocaleString('en')} per CPU-second`,
);
const compiledRate = cpuRates.get(COMPILED) as number;
report(
  'dibao rule: compiled ÷ hand-written (CPU; target ≥ 50%)',
  `${((100 * compiledRate) / (cpuRates.get(HAND) as number)).toFixed(0)}%`,
);
report(
  'dibao rule: compiled ÷ json-rules-engine (CPU; target ≥ 100×)',
  `${Math.round(compiledRate / jreRate)}×`,
);

// All four must agree on the money (json-rules-engine ran on a prefix of the same households).
// (The interpreter ran 1/20 of the passes: ruleCount divides into whole passes over the inputs.)
if (compiledTotal !== handTotal || compiledTotal !== interpretedTotal * (fastCount / ruleCount)) {
  throw new Error(`totals differ: ${compiledTotal} ${interpretedTotal} ${handTotal}`);
}
let handPrefix = 0;
for (let i = 0; i < jreCount; i++) {
  const h = simple[i % simple.length] as Simple;
  const perCapita = Math.trunc(h.monthlyIncome / h.memberCount);
  if (h.vehicleCount === 0 && perCapita < STANDARD) handPrefix += (STANDARD - perCapita) * h.memberCount;
}
if (handPrefix !== jreTotal) throw new Error('json-rules-engine total differs');

report(
  'load average at end',
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' '),
);
console.log('\n| measure | result |\n| --- | --- |');
for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);
