/**
 * 动态监测 at scale: `npx tsx bench/monitoring/monitoring.bench.ts [--households 100000]
 * [--database NAME] [--batch 2000] [--keep] [--incremental-only]`.
 *
 * On DATABASE_URL's server: seeds N synthetic households (or reuses --database, seeded by an
 * earlier --keep run of this bench), imports the same county's medical claims, deaths and
 * disability certificates through the real importer, then measures
 *  1. a full re-screen (the monthly job): the Xiaochang model + every event trigger over every
 *     household, alerts stored (the `monitoring-run` job's code path);
 *  2. the same run again (every alert updated, none repeated);
 *  3. incremental: 10,000 new medical-claim rows imported, then the import's incremental run;
 * and prints the alert precision and recall against the synthetic ground truth.
 * Targets (issue 7): 1M households under 60 s; incremental after 10,000 records under 2 s.
 *
 * Measured 2026-11-23 on the shared 2-core machine (database doudi_bench_monitoring_mwsgu938, 100,000
 * households, 58,163 medical claims, 567 deaths, 20,035 disability certificates, batch 2,000):
 *
 * | code                                    | load  | full 100k | process CPU | incremental (6,753 households) |
 * | --------------------------------------- | ----- | --------- | ----------- | ------------------------------ |
 * | first version (members from person)     | 20–21 | 285 s     | 26.2 s      | 48.4 s                          |
 * | members from the snapshot, pipelined    | 18–21 | 222 s     | 22.7 s      | 18.7 s                          |
 * | + ages without dayjs, records converted |       |           |             |                                 |
 * |   once per source                       | 7–12  | 57.7 s    | 15.1 s      | 7.5 s (CPU 2.3 s)               |
 * | the same, again (all 30,766 updated)    | 6–11  | 41.8 s    | 13.0 s      |                                 |
 *
 * Where the time goes (last row): reads of the facts snapshot 29 s, scoring + triggers on the main
 * thread 25 s, writes 0.3 s (overlapped). 1M households would take ≈10× (≈150 s of CPU on this
 * thread alone): the 60 s target is missed; scoring on worker threads (as screening does) and
 * reading pages in parallel are the next steps. Incremental: 7.5 s against 2 s, half of it reads.
 * Alert precision against the synthetic ground truth (100k, after the bench's duplicated claims):
 * 0.51, recall 0.63; the Xiaochang model alone 0.48 / 0.49 (its sample bands are not calibrated);
 * disability certificate and main-earner death triggers 1.0; serious illness 0.69.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadVillagesFromChinaDivision, writeCountyCsv } from '@doudi/synth';
import pg from 'pg';
import { loadConfig } from '../../packages/server/src/config.ts';
import { openPostgres } from '../../packages/server/src/db/database.ts';
import { migrate } from '../../packages/server/src/db/migrate.ts';
import { asSystem } from '../../packages/server/src/db/scope.ts';
import { systemActor } from '../../packages/server/src/demo/demoAccounts.ts';
import { refreshSnapshot } from '../../packages/server/src/domains/householdFacts/snapshot.repo.ts';
import { backTestWithTruth } from '../../packages/server/src/domains/monitoring/calibration.ts';
import { runMonitoring } from '../../packages/server/src/domains/monitoring/monitoring.run.ts';
import {
  createRun,
  MONITORING_SYSTEM,
} from '../../packages/server/src/domains/monitoring/monitoring.service.ts';
import { synthTruth } from '../../packages/server/src/domains/monitoring/synthTruth.ts';
import { cipherFor } from '../../packages/server/src/domains/registry/personalData.crypto.ts';
import { seedRegistry } from '../../packages/server/src/domains/registry/seed.ts';
import { hashFile } from '../../packages/server/src/domains/sources/files.ts';
import { startImport } from '../../packages/server/src/domains/sources/import.service.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};
const households = Number(option('households', '100000'));
const batchSize = Number(option('batch', '2000'));
const existing = option('database', '');
const keep = args.includes('--keep') || existing !== '';
const adminUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const AS_OF = '2025-06-30';
const COUNTY = '420921000000';
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

const name = existing || `doudi_bench_monitoring_${Date.now().toString(36)}`;
if (!existing) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
}
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const db = await openPostgres(url.toString(), 6);
const dir = await mkdtemp(join(tmpdir(), 'doudi-bench-monitoring-'));
const table: string[] = [];
const row = (what: string, figure: string, note = '') => {
  table.push(`| ${what} | ${figure} | ${note} |`);
  console.log(`${what}: ${figure} ${note}`);
};
const config = loadConfig({ NODE_ENV: 'test' });
const cipher = cipherFor(config.dataKey);
const importer = { ...systemActor, role: 'verificationCentre' as const, regionCode: COUNTY };

async function importFile(source: string, path: string, fileName: string) {
  const file = await hashFile(path, 1 << 30);
  const handle = await startImport({ db, cipher, maxBytes: 1 << 30 }, importer, {
    source,
    file,
    fileName,
    asOf: AS_OF,
    via: 'cli',
  });
  const result = await handle.finished;
  return { id: result.id, result };
}

async function timedRun(kind: 'full' | 'incremental', sourceImportId: string | null) {
  const actor = { ...MONITORING_SYSTEM, role: 'countyOfficer' as const, regionCode: COUNTY };
  const { row: run } = await createRun(db, actor, { kind, regionCode: COUNTY, asOf: AS_OF, sourceImportId });
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const outcome = await runMonitoring(db, run.id, { batchSize });
  const seconds = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu);
  return { outcome, seconds, cpu: (used.user + used.system) / 1e6 };
}

try {
  await migrate(db);
  const villages = await loadVillagesFromChinaDivision('420921');
  const synth = { households, seed: 1, under: '420921', villages, asOf: AS_OF };
  if (!existing) {
    const seeded = await seedRegistry(db, cipher, systemActor, synth);
    row(
      'seed (not measured)',
      `${seeded.seconds.toFixed(0)} s`,
      `${households.toLocaleString('en-US')} households`,
    );
  }
  // Deterministic: a reused database gets the same files it was seeded with.
  await writeCountyCsv({ ...synth, outDir: dir });
  if (!existing) {
    for (const [source, file] of [
      ['medicalClaim', 'medical-claims.csv'],
      ['death', 'deaths.csv'],
      ['disabilityCertificate', 'disability-certificates.csv'],
    ] as const) {
      const t0 = performance.now();
      const { result } = await importFile(source, join(dir, file), file);
      row(
        `import ${source} (not measured)`,
        `${((performance.now() - t0) / 1000).toFixed(1)} s`,
        `${result.inserted} rows`,
      );
    }
    // Imports finished before monitoring existed in this database: no incremental runs for them.
    const t0 = performance.now();
    await refreshSnapshot(db, { ...importer, role: 'countyOfficer' }, COUNTY);
    row('facts snapshot first build (not measured)', `${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  await db.exec('ANALYZE');

  const phases = (o: { phases: Record<string, number> }) =>
    Object.entries(o.phases)
      .map(([k, v]) => `${k.replace(/Ms$/, '')} ${(v / 1000).toFixed(1)}`)
      .join(' / ');
  if (!args.includes('--incremental-only')) {
    console.log(`load average before the full run: ${load()}`);
    const full = await timedRun('full', null);
    row(
      'full re-screen',
      `${full.seconds.toFixed(1)} s`,
      `${full.outcome.done.toLocaleString('en-US')} households, ${Math.round(full.outcome.done / full.seconds)}/s, ` +
        `process CPU ${full.cpu.toFixed(1)} s, ${full.outcome.raised} alerts raised, ${full.outcome.updated} updated; ` +
        `phases (s) ${phases(full.outcome)}; load ${load()}`,
    );
    const again = await timedRun('full', null);
    row(
      'full re-screen again',
      `${again.seconds.toFixed(1)} s`,
      `${again.outcome.raised} raised, ${again.outcome.updated} updated (none repeated); CPU ${again.cpu.toFixed(1)} s; load ${load()}`,
    );
  }

  // 10,000 new medical-claim rows: the synthetic claims again under new record numbers, discharged
  // in the last month (so they fall in every trigger's window).
  const claims = join(dir, 'medical-claims.csv');
  {
    const lines: string[] = [];
    let header = '';
    for await (const line of createInterface({ input: createReadStream(claims) })) {
      if (!header) header = line;
      else if (line) lines.push(line);
    }
    // New record numbers on every run of the bench, so a reused database gets new records.
    const tag = Date.now().toString(36);
    const out: string[] = [header];
    for (let i = 0; i < 10_000 && lines.length > 0; i++) {
      const line = lines[i % lines.length] as string;
      const comma = line.indexOf(',');
      out.push(`${line.slice(0, comma)}-${tag}${i}${line.slice(comma)}`);
    }
    const path = join(dir, 'medical-claims-new.csv');
    await writeFile(path, `${out.join('\n')}\n`);
    const t0 = performance.now();
    const imported = await importFile('medicalClaim', path, 'medical-claims-new.csv');
    row(
      'import 10,000 new claims (not measured)',
      `${((performance.now() - t0) / 1000).toFixed(1)} s`,
      `${imported.result.inserted} inserted`,
    );
    const inc = await timedRun('incremental', imported.id);
    row(
      'incremental run after the import',
      `${inc.seconds.toFixed(2)} s`,
      `${inc.outcome.done.toLocaleString('en-US')} households touched, ${inc.outcome.raised} raised, ${inc.outcome.updated} updated; ` +
        `CPU ${inc.cpu.toFixed(1)} s; phases (s) ${phases(inc.outcome)}; load ${load()}`,
    );
  }

  const truth = await asSystem(db, (tx) => synthTruth(tx, synth));
  const precision = await asSystem(db, (tx) => backTestWithTruth(tx, truth));
  row(
    'alert precision / recall (ground truth)',
    `${precision.overall.precision} / ${precision.overall.recall}`,
    `${precision.overall.alerts} households alerted, ${precision.positives} in hardship`,
  );
  for (const [cause, t] of Object.entries(precision.byCause))
    row(`  by cause ${cause}`, `${t.precision}`, `${t.alerts} households, recall ${t.recall}`);
  for (const [colour, t] of Object.entries(precision.byColour))
    row(`  by colour ${colour}`, `${t.precision}`, `${t.alerts} households, recall ${t.recall}`);

  console.log(`\ndatabase ${name}; ${households.toLocaleString('en-US')} households; batch ${batchSize}\n`);
  console.log('| step | figure | notes |');
  console.log('| --- | ---: | --- |');
  for (const line of table) console.log(line);
} finally {
  await db.close();
  await rm(dir, { recursive: true, force: true });
  if (!keep) {
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await cleanup.end();
  }
}
