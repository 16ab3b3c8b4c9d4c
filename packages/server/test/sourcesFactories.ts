/** Departmental-data test helpers: a seeded registry, the synthetic department files, uploads. */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLE_VILLAGES, writeCountyCsv } from '@doudi/synth';
import { expect } from 'vitest';
import { systemActor } from '../src/demo/demoAccounts.ts';
import { cipherFor } from '../src/domains/registry/personalData.crypto.ts';
import { seedRegistry } from '../src/domains/registry/seed.ts';
import { buildUser, regions, TEST_PASSWORD } from './factories.ts';
import { seedRegistryPeople } from './registryFactories.ts';
import type { TestApp, TestClient } from './testApp.ts';

export const AS_OF = '2025-06-30';
const SYNTH = { households: 60, seed: 5, under: '420921', villages: SAMPLE_VILLAGES, asOf: AS_OF };

/** Registry of 60 synthetic households and the same county's department files (same seed). */
export async function seedSources(t: TestApp): Promise<string> {
  await seedRegistryPeople(t.db);
  await buildUser(t.db, 'verify', 'verificationCentre', regions.county);
  await buildUser(t.db, 'verifyHuayuan', 'verificationCentre', regions.huayuan);
  await buildUser(t.db, 'finance', 'departmentOfficer', regions.county, { department: 'finance' });
  await seedRegistry(t.db, cipherFor(t.config.dataKey), systemActor, SYNTH);
  const dir = await mkdtemp(join(tmpdir(), 'doudi-sources-test-'));
  await writeCountyCsv({ ...SYNTH, outDir: dir });
  return dir;
}

export async function login(t: TestApp, name: string): Promise<TestClient> {
  const client = t.client();
  expect((await client.login(name, TEST_PASSWORD)).statusCode).toBe(200);
  const csrf = await client.request('GET', '/api/auth/csrf');
  client.csrfToken = csrf.json().token;
  return client;
}

export async function upload(
  t: TestApp,
  client: TestClient,
  source: string,
  body: Buffer | string,
  query: { fileName?: string; asOf?: string; wait?: boolean } = {},
) {
  const params = new URLSearchParams({
    fileName: query.fileName ?? `${source}.csv`,
    asOf: query.asOf ?? AS_OF,
    wait: String(query.wait ?? true),
  });
  return t.app.inject({
    method: 'POST',
    url: `/api/sources/${source}/imports?${params}`,
    headers: {
      cookie: client.cookieHeader(),
      'x-csrf-token': client.csrfToken ?? '',
      'content-type': 'application/octet-stream',
    },
    payload: typeof body === 'string' ? Buffer.from(body) : body,
  });
}

export async function csvOf(dir: string, file: string): Promise<string> {
  return readFile(join(dir, file), 'utf8');
}

/** Every row of a CSV text ends in one of the four outcomes. */
export function expectBalanced(result: {
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}) {
  expect(result.rowsRead).toBe(result.inserted + result.updated + result.unchanged + result.rejected);
}

export async function openCount(t: TestApp, source: string): Promise<number> {
  const r = await t.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM source_record WHERE source = $1 AND valid_to IS NULL',
    [source],
  );
  return r.rows[0]?.n ?? 0;
}

/**
 * Waits until an import that was made to hang (its progress report never returns) has stopped
 * writing: two batches are written at once, so the one after the hung report may still commit.
 * Then it is as good as a killed process, whose heartbeat a test can age.
 */
export async function untilStill(t: TestApp, importId: string): Promise<void> {
  let last = -1;
  let still = 0;
  for (let i = 0; i < 100 && still < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const read = (
      await t.db.query<{ rows_read: number }>('SELECT rows_read FROM source_import WHERE id = $1', [importId])
    ).rows[0]?.rows_read;
    still = read === last ? still + 1 : 0;
    last = read ?? -1;
  }
}
