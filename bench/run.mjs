#!/usr/bin/env node
// `npm run bench`: every benchmark in turn, each printing its own table of figures.
// `npm run bench -- --quick` runs smaller sizes (minutes, not an hour). Benchmarks that need the
// PostgreSQL server read DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const quick = process.argv.includes('--quick');
const only = process.argv.slice(2).find((a) => !a.startsWith('--'));

const benches = [
  { name: 'rules engine', file: 'bench/rules/engine.bench.ts', args: quick ? ['--quick'] : [] },
  { name: 'policy catalogue', file: 'bench/rules/catalog.bench.ts', args: quick ? ['--quick'] : [] },
  { name: 'synthetic county', file: 'bench/synth/generate.bench.ts', args: quick ? ['100000', '20000'] : [] },
  {
    name: 'registry seed + detail',
    file: 'bench/registry/seed.bench.ts',
    args: quick ? ['--households', '20000'] : [],
  },
  {
    name: 'policy finds people, end to end',
    file: 'bench/screening/screen.bench.ts',
    args: quick ? ['--households', '20000'] : ['--households', '100000'],
  },
  {
    name: 'registry list + region counts',
    file: 'bench/registry/list.bench.ts',
    args: quick ? ['--households', '20000'] : ['--households', '200000'],
  },
  {
    name: 'departmental data import',
    file: 'bench/sources/import.bench.ts',
    args: quick ? ['--rows', '100000'] : ['--rows', '1000000'],
  },
  {
    name: 'verification report at 10M source records',
    file: 'bench/verification/report.bench.ts',
    args: quick ? ['--households', '5000', '--records', '1000000'] : [],
  },
  {
    name: 'batch re-verification of enrolled households',
    file: 'bench/verification/batch.bench.ts',
    args: ['--households', quick ? '20000' : '100000'],
  },
  {
    name: 'low-income monitoring: full and incremental runs',
    file: 'bench/monitoring/monitoring.bench.ts',
    args: ['--households', quick ? '20000' : '100000'],
  },
  {
    name: 'trigger conditions: compiled against the interpreter',
    file: 'bench/monitoring/triggers.bench.ts',
    args: ['--records', quick ? '20000' : '100000'],
  },
  {
    name: 'alert loop: dispatch and escalation sweeps, dashboard',
    file: 'bench/alerts/loop.bench.ts',
    args: ['--alerts', quick ? '5000' : '50000'],
  },
  {
    name: 'one-door intake: 200 concurrent caseworkers over HTTP',
    file: 'bench/intake/caseworkers.bench.ts',
    args: quick ? ['--seconds', '20', '--households', '1000'] : [],
  },
  {
    name: 'enrolment review job',
    file: 'bench/enrolment/reviews.bench.ts',
    args: quick ? ['--households', '2000'] : [],
  },
];

let failed = 0;
for (const bench of benches) {
  if (only && !bench.file.includes(only)) continue;
  if (!existsSync(path.join(root, bench.file))) continue;
  console.log(`\n## ${bench.name} (${bench.file})\n`);
  const result = spawnSync('npx', ['tsx', bench.file, ...bench.args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
