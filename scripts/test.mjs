#!/usr/bin/env node
// `npm test`: every test, the way CI runs them.
//  1. unit and integration tests on embedded PGlite;
//  2. the tests that open a database again, on the PostgreSQL server when TEST_DATABASE_URL is set
//     (tests that touch no database run once);
//  3. the web client built, then the browser journeys (Playwright + Debian Chromium): on the
//     PostgreSQL server when there is one, else on PGlite; DOUDI_E2E_BOTH=1 runs them on both.
//     Why once: every server path under the pages is already tested on both engines in 1 and 2, and
//     two browser passes took 13 of CI's 30 minutes (run side by side they were no faster: the two
//     cores are the limit).
// Prints one closing line "tests: N passed, N failed" over all runs.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const reports = mkdtempSync(path.join(tmpdir(), 'doudi-test-'));
const serverUrl = process.env.TEST_DATABASE_URL;
const only = process.argv[2]; // optional: unit | e2e
const browsersOnBoth = process.env.DOUDI_E2E_BOTH === '1';
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

/** Runs a command with its output on this terminal; prints how long it took. */
function run(label, command, args, env = {}) {
  const started = Date.now();
  console.log(`\n=== ${label} ===`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('close', (code) => {
      console.log(`=== ${label}: exit ${code}, ${Math.round((Date.now() - started) / 1000)} s ===`);
      resolve(code ?? 1);
    });
  });
}

async function vitest(label, config, env, filters = []) {
  const report = path.join(reports, `${label.replace(/\W+/g, '-')}.json`);
  const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`];
  if (config) args.push('--config', config);
  args.push(...filters);
  const status = await run(label, 'npx', args, env);
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

/** Server test files that open a database (a test database, the test app, or the server's URL). */
function databaseTestFiles() {
  const files = readdirSync(path.join(root, 'packages/server'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts') && !f.includes('node_modules'))
    .map((f) => path.join('packages/server', f));
  return files.filter((f) =>
    /createTestDatabase|testApp|TEST_DATABASE_URL/.test(readFileSync(path.join(root, f), 'utf8')),
  );
}

const onServer = serverUrl ? { DOUDI_TEST_ON_SERVER: '1', TEST_DATABASE_URL: serverUrl } : undefined;

if (only !== 'e2e') {
  await vitest('unit+integration on PGlite', undefined, { DOUDI_TEST_ON_SERVER: '0' });
  // Tests that touch no database (the pure packages, and server tests of catalogue files, calendars,
  // CLI rules commands) gain nothing from a second engine: only files that open one run again.
  if (onServer) await vitest('integration on PostgreSQL', undefined, onServer, databaseTestFiles());
}
if (only !== 'unit') {
  if ((await run('build web client', 'npm', ['run', 'build', '-w', '@doudi/web'])) !== 0) {
    failed += 1;
    failures.push('web build');
  } else {
    const config = 'e2e/vitest.config.ts';
    if (!onServer || browsersOnBoth)
      await vitest('browser journeys on PGlite', config, { DOUDI_TEST_ON_SERVER: '0' });
    if (onServer) await vitest('browser journeys on PostgreSQL', config, onServer);
  }
}

rmSync(reports, { recursive: true, force: true });
if (failures.length) console.log(`\nfailed runs: ${failures.join(', ')}`);
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || failures.length > 0 ? 1 : 0);
