/**
 * 校准 as a county bureau does it before publishing a model version: `npx tsx
 * bench/monitoring/calibration.bench.ts --database NAME [--households 100000] [--every 10]
 * [--red 10 --yellow 6 --blue 3] [--red2 … --yellow2 … --blue2 …]`, on a database seeded by
 * `monitoring.bench.ts --keep` (same households and seed).
 *
 * Sample villages (every `--every`-th village with 50 households or more, by code) stand for the villages where the bureau knows what came of each household (home visits): here the
 * synthetic county's answer key for those villages only. On them it prints
 *  1. every item of the Xiaochang model: households it fired for, the share of them in hardship, and
 *     its lift over the sample's base rate (an item with lift ≤ 1 is noise for finding hardship);
 *  2. precision / recall of red + yellow for a grid of red and yellow lines;
 *  3. the product's own calibration (calibrate(): two band settings on the sample villages, kept in
 *     monitoring_calibration beside the model version) for the settings given.
 * The whole county is the hold-out: the monitoring bench's full run gives the county-wide figures.
 */
import { evaluateIndicatorsBatch, type HouseholdFacts } from '@doudi/rules';
import { loadVillagesFromChinaDivision } from '@doudi/synth';
import { asSystem } from '../../packages/server/src/db/scope.ts';
import { readSnapshotPage } from '../../packages/server/src/domains/householdFacts/snapshot.repo.ts';
import {
  decodeHouseholds,
  snapshotItem,
} from '../../packages/server/src/domains/householdFacts/snapshotFacts.ts';
import { calibrate } from '../../packages/server/src/domains/monitoring/calibration.service.ts';
import { MONITORING_SYSTEM } from '../../packages/server/src/domains/monitoring/monitoring.service.ts';
import { synthTruth } from '../../packages/server/src/domains/monitoring/synthTruth.ts';
import { activeCatalog } from '../../packages/server/src/domains/rules/activeCatalog.ts';
import { benchDatabase, option, printTable } from '../lib/index.ts';

const AS_OF = '2025-06-30';
const COUNTY = '420921000000';
const households = Number(option('households', '100000'));
const every = Number(option('every', '10'));
const existing = option('database', '');
if (!existing) throw new Error('--database NAME: a database seeded by monitoring.bench.ts --keep');

const bench = await benchDatabase('calibration', { existing, keep: true, migrate: false });
const { db } = bench;
const actor = { ...MONITORING_SYSTEM, role: 'countyOfficer' as const, regionCode: COUNTY };
try {
  const villages = await loadVillagesFromChinaDivision('420921');
  const synth = { households, seed: 1, under: '420921', villages, asOf: AS_OF };
  const present = await asSystem(db, (tx) =>
    tx.query<{ village: string; n: number }>(
      `SELECT region_code AS village, count(*)::int AS n FROM household_facts GROUP BY 1 ORDER BY 1`,
    ),
  );
  // Every `--every`-th village (of those with 50 households or more) by code: spread over every
  // township, towns and countryside alike. (The first villages of each township by code are mostly
  // town-seat communities: calibrated there, the lines did not hold for the county.)
  const sample = present.rows
    .filter((r) => r.n >= 50)
    .map((r) => r.village)
    .filter((_, i) => i % every === 0);
  const truth = await asSystem(db, (tx) => synthTruth(tx, synth));

  // 1. Items on the sample villages.
  const active = await activeCatalog(db, AS_OF);
  const rows = [];
  for (const village of sample) {
    const page = await asSystem(db, (tx) => readSnapshotPage(tx, { regionCode: village, limit: 100000 }));
    rows.push(...page);
  }
  const facts: HouseholdFacts[] = decodeHouseholds(
    rows.map((r) => snapshotItem(r)),
    AS_OF,
  );
  const batch = evaluateIndicatorsBatch(active.catalog, facts, AS_OF, COUNTY, {
    models: ['xiaochang'],
    detailColours: { xiaochang: ['red', 'yellow', 'blue', 'green'] },
  });
  let base = 0;
  const items = new Map<string, { n: number; good: number }>();
  rows.forEach((r, i) => {
    const t = truth.get(r.household_id) === true;
    if (t) base += 1;
    for (const f of batch.details.get(i)?.fired ?? []) {
      const s = items.get(f.item) ?? { n: 0, good: 0 };
      s.n += 1;
      if (t) s.good += 1;
      items.set(f.item, s);
    }
  });
  const rate = base / rows.length;
  console.log(
    `sample: ${sample.length} villages, ${rows.length} households, ${base} in hardship (${(rate * 100).toFixed(1)}%)`,
  );
  printTable(
    ['item', 'households', 'in hardship', 'lift'],
    [...items.entries()]
      .sort((a, b) => b[1].good / b[1].n - a[1].good / a[1].n)
      .map(([id, s]) => [id, String(s.n), (s.good / s.n).toFixed(3), (s.good / s.n / rate).toFixed(2)]),
    ['left', 'right', 'right', 'right'],
  );

  // 2. A grid of red / yellow lines (blue does not raise).
  const scores = Array.from(rows, (_, i) => batch.scores[i] as number);
  const grid: string[][] = [];
  for (const yellow of [1, 1.5, 2, 2.5, 3, 3.5, 4, 5, 6, 8, 10]) {
    let raised = 0;
    let good = 0;
    scores.forEach((s, i) => {
      if (s >= yellow) {
        raised += 1;
        if (truth.get((rows[i] as { household_id: string }).household_id)) good += 1;
      }
    });
    grid.push([String(yellow), String(raised), (good / raised).toFixed(3), (good / base).toFixed(3)]);
  }
  printTable(['yellow line', 'raised', 'precision', 'recall (model alone)'], grid, [
    'right',
    'right',
    'right',
    'right',
  ]);

  // 3. The product's calibration: two settings on the sample villages, kept with the version.
  const setting = (suffix: string, d: [number, number, number]) => ({
    label: suffix ? '校准方案' : '原示例方案',
    red: Number(option(`red${suffix}`, String(d[0]))),
    yellow: Number(option(`yellow${suffix}`, String(d[1]))),
    blue: Number(option(`blue${suffix}`, String(d[2]))),
  });
  const result = await calibrate(
    db,
    actor,
    {
      asOf: AS_OF,
      villages: sample,
      settings: [setting('', [10, 6, 3]), setting('2', [8, 3.5, 1])],
      note: `样本村 ${sample.length} 个（按代码每 ${every} 个村取 1 个），对照合成县答案`,
    },
    undefined,
    { truth },
  );
  printTable(
    ['setting', 'bounds', 'raised', 'precision', 'recall'],
    result.settings.map((s) => [
      s.label,
      `${s.bounds.red}/${s.bounds.yellow}/${s.bounds.blue}`,
      String(s.raised),
      String(s.precision),
      String(s.recall),
    ]),
    ['left', 'left', 'right', 'right', 'right'],
  );
  console.log(`calibration ${result.id} kept with model version ${result.modelVersion}`);
} finally {
  await bench.close();
}
