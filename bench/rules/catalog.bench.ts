/**
 * Full policy catalogue benchmark. Run: `npx tsx bench/rules/catalog.bench.ts [--quick]`.
 *  1. one household × every policy of catalog/: p50 / p99 latency of evaluate() (with traces);
 *  2. a batch of 100,000 synthetic households × every policy with evaluateBatch() on one core.
 */

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { evaluate, evaluateBatch, type HouseholdFacts } from '../../packages/rules/src/index.ts';
import { loadCatalogFromDir } from '../../packages/server/src/domains/rules/catalogFiles.ts';
import { DEMO_DATE, DEMO_REGION } from '../../packages/server/src/domains/rules/scenarios.ts';

const quick = process.argv.includes('--quick');
const { catalog, dir } = loadCatalogFromDir();
const example = JSON.parse(readFileSync(path.join(dir, 'examples/household.json'), 'utf8')) as HouseholdFacts;

let seed = 7;
const random = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
function synthetic(): HouseholdFacts {
  const size = 1 + Math.floor(random() * 5);
  const money = (p: number, max: number) => (random() < p ? Math.floor(random() * max) : 0);
  return {
    household: {
      ...(example.household as Record<string, unknown>),
      urban: random() < 0.3,
      wageIncome: money(0.5, 600000),
      agriculturalIncome: money(0.4, 150000),
      transferIncome: money(0.3, 60000),
      medicalExpenseAnnual: money(0.3, 4000000),
      financialAssets: money(0.8, 8000000),
      vehicleCount: random() < 0.1 ? 1 : 0,
      currentCategories: random() < 0.1 ? ['dibao'] : [],
      disasterAffected: random() < 0.02,
    },
    members: Array.from({ length: size }, () => {
      const age = Math.floor(random() * 95);
      return {
        age,
        sex: pick(['male', 'female']),
        health: pick(['healthy', 'healthy', 'healthy', 'chronicIllness', 'seriousIllness']),
        disabilityType: pick(['none', 'none', 'none', 'none', 'physical', 'intellectual', 'visual']),
        disabilityGrade: random() < 0.1 ? 1 + Math.floor(random() * 4) : 0,
        workCapacity: pick(['full', 'full', 'partial', 'none']),
        employment:
          age < 16
            ? 'inSchool'
            : pick(['farming', 'localEmployee', 'unemployed', 'casualWork', 'notWorking']),
        schoolingStage:
          age < 6 ? 'preschool' : age < 12 ? 'primary' : age < 15 ? 'junior' : age < 18 ? 'senior' : 'none',
        careEating: true,
        careDressing: random() < 0.9,
        careBedTransfer: true,
        careToilet: random() < 0.9,
        careWalkingIndoors: random() < 0.85,
        careBathing: random() < 0.8,
      };
    }),
  };
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;

// 1. one household, full catalogue, with traces
const runs = quick ? 500 : 5000;
for (let i = 0; i < 200; i++) evaluate(catalog, example, DEMO_DATE, DEMO_REGION);
const times: number[] = [];
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  evaluate(catalog, example, DEMO_DATE, DEMO_REGION);
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
console.log(`policies in catalogue: ${catalog.policies.length}`);
console.log(
  `one household × catalogue (evaluate, with trace): p50 ${pct(times, 50).toFixed(3)} ms, p99 ${pct(times, 99).toFixed(3)} ms`,
);

const quickTimes: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  evaluateBatch(catalog, [example], DEMO_DATE, DEMO_REGION);
  quickTimes.push(performance.now() - t0);
}
quickTimes.sort((a, b) => a - b);
console.log(
  `one household × catalogue (evaluateBatch, no trace): p50 ${pct(quickTimes, 50).toFixed(3)} ms, p99 ${pct(quickTimes, 99).toFixed(3)} ms`,
);

// 2. batch on one core
const count = quick ? 10_000 : 100_000;
const households = Array.from({ length: count }, synthetic);
evaluateBatch(catalog, households.slice(0, 1000), DEMO_DATE, DEMO_REGION);
const t = performance.now();
const result = evaluateBatch(catalog, households, DEMO_DATE, DEMO_REGION);
const seconds = (performance.now() - t) / 1000;
const eligible = result.statuses.reduce((n, s) => n + (s === 0 ? 1 : 0), 0);
console.log(
  `batch ${count} households × ${catalog.policies.length} policies (evaluateBatch, one core): ${seconds.toFixed(2)} s, ${Math.round(count / seconds)} households/s (${eligible} eligible cells)`,
);
