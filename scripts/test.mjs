#!/usr/bin/env node
// `npm test`: every test, the way CI runs them.
//  1. unit and integration tests on embedded PGlite;
//  2. the same again on the PostgreSQL server when TEST_DATABASE_URL is set;
//  3. the web client built, then the browser journeys (Playwright + Debian Chromium), on each database.
// Prints one closing line "tests: N passed, N failed" over all runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const reports = mkdtempSync(path.join(tmpdir(), 'doudi-test-'));
const serverUrl = process.env.TEST_DATABASE_URL;
const only = process.argv[2]; // optional: unit | e2e
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

function run(label, command, args, env = {}) {
  console.log(`\n=== ${label} ===`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

function vitest(label, config, env) {
  const report = path.join(reports, `${label.replace(/\W+/g, '-')}.json`);
  const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`];
  if (config) args.push('--config', config);
  const status = run(label, 'npx', args, env);
  if (existsSync(report)) {
    const summary = JSON.parse(readFileSync(report, 'utf8'));
    passed += summary.numPassedTests;
    failed += summary.numFailedTests;
    skipped += summary.numPendingTests + summary.numTodoTests;
    if (status !== 0 && summary.numFailedTests === 0) failed += 1; // a file that failed to load
  } else if (status !== 0) {
    failed += 1;
  }
  if (status !== 0) failures.push(label);
}

const onServer = serverUrl ? { DOUDI_TEST_ON_SERVER: '1', TEST_DATABASE_URL: serverUrl } : undefined;

if (only !== 'e2e') {
  vitest('unit+integration on PGlite', undefined, { DOUDI_TEST_ON_SERVER: '0' });
  if (onServer) vitest('unit+integration on PostgreSQL', undefined, onServer);
}
if (only !== 'unit') {
  if (run('build web client', 'npm', ['run', 'build', '-w', '@doudi/web']) !== 0) {
    failed += 1;
    failures.push('web build');
  } else {
    vitest('browser journeys on PGlite', 'e2e/vitest.config.ts', { DOUDI_TEST_ON_SERVER: '0' });
    if (onServer) vitest('browser journeys on PostgreSQL', 'e2e/vitest.config.ts', onServer);
  }
}

rmSync(reports, { recursive: true, force: true });
if (failures.length) console.log(`\nfailed runs: ${failures.join(', ')}`);
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || failures.length > 0 ? 1 : 0);
