#!/usr/bin/env node
// `npm test`: every test, the way CI runs them.
//  1. unit and integration tests on embedded PGlite;
//  2. the same again on the PostgreSQL server when TEST_DATABASE_URL is set;
//  3. the web client built, then the browser journeys (Playwright + Debian Chromium), on each database.
//     The two browser passes run at the same time: each file waits mostly on the browser and the
//     server it starts, so two passes share the two cores well (DOUDI_TEST_SEQUENTIAL=1: one by one).
//     Their output is buffered and printed whole when each pass ends, so it does not interleave.
// Prints one closing line "tests: N passed, N failed" over all runs.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const reports = mkdtempSync(path.join(tmpdir(), 'doudi-test-'));
const serverUrl = process.env.TEST_DATABASE_URL;
const only = process.argv[2]; // optional: unit | e2e
const sequentialBrowsers = process.env.DOUDI_TEST_SEQUENTIAL === '1';
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

/** Runs a command; with `buffered`, its output is collected and printed in one piece at the end. */
function run(label, command, args, env = {}, buffered = false) {
  const started = Date.now();
  if (!buffered) console.log(`\n=== ${label} ===`);
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      env: { ...process.env, ...env },
    });
    const chunks = [];
    if (buffered) {
      child.stdout.on('data', (c) => chunks.push(c));
      child.stderr.on('data', (c) => chunks.push(c));
    }
    child.on('close', (code) => {
      if (buffered) {
        console.log(`\n=== ${label} ===`);
        process.stdout.write(Buffer.concat(chunks));
      }
      console.log(`=== ${label}: exit ${code}, ${Math.round((Date.now() - started) / 1000)} s ===`);
      resolve(code ?? 1);
    });
  });
}

async function vitest(label, config, env, buffered = false) {
  const report = path.join(reports, `${label.replace(/\W+/g, '-')}.json`);
  const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`];
  if (config) args.push('--config', config);
  const status = await run(label, 'npx', args, env, buffered);
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
  await vitest('unit+integration on PGlite', undefined, { DOUDI_TEST_ON_SERVER: '0' });
  if (onServer) await vitest('unit+integration on PostgreSQL', undefined, onServer);
}
if (only !== 'unit') {
  if ((await run('build web client', 'npm', ['run', 'build', '-w', '@doudi/web'])) !== 0) {
    failed += 1;
    failures.push('web build');
  } else {
    const config = 'e2e/vitest.config.ts';
    const onPglite = { DOUDI_TEST_ON_SERVER: '0' };
    if (!onServer || sequentialBrowsers) {
      await vitest('browser journeys on PGlite', config, onPglite);
      if (onServer) await vitest('browser journeys on PostgreSQL', config, onServer);
    } else {
      await Promise.all([
        vitest('browser journeys on PGlite', config, onPglite, true),
        vitest('browser journeys on PostgreSQL', config, onServer, true),
      ]);
    }
  }
}

rmSync(reports, { recursive: true, force: true });
if (failures.length) console.log(`\nfailed runs: ${failures.join(', ')}`);
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || failures.length > 0 ? 1 : 0);
