import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SAMPLE_VILLAGES } from '@doudi/synth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { systemActor } from '../src/demo/demoAccounts.ts';
import { cipherFor } from '../src/domains/registry/personalData.crypto.ts';
import { seedRegistry } from '../src/domains/registry/seed.ts';
import { seedRegions } from './factories.ts';
import { createTestDatabase, onServer, type TestDatabase } from './testDb.ts';

const run = promisify(execFile);

describe('doudi seed: the synthetic county into the registry', () => {
  let t: TestDatabase;
  const cipher = cipherFor(loadConfig({ NODE_ENV: 'test' }).dataKey);
  const options = { households: 200, seed: 7, under: '420921', villages: SAMPLE_VILLAGES, batchSize: 64 };

  beforeAll(async () => {
    t = await createTestDatabase();
    await seedRegions(t.db);
  });
  afterAll(() => t.drop());

  const counts = async () =>
    (
      await t.db.query<Record<string, number>>(
        `SELECT (SELECT count(*)::int FROM household) AS households, (SELECT count(*)::int FROM person) AS persons,
                (SELECT count(*)::int FROM person_attribute) AS attributes,
                (SELECT count(*)::int FROM household_category) AS categories,
                (SELECT count(*)::int FROM person_transfer) AS events`,
      )
    ).rows[0];

  it('loads households, persons, attributes and categories, encrypted and masked', async () => {
    const result = await seedRegistry(t.db, cipher, systemActor, options);
    expect(result.households).toBe(200);
    expect(result.householdsSkipped).toBe(0);
    expect(result.batches).toBe(4);
    expect(result.persons).toBeGreaterThan(400);
    expect(result.personsSkipped).toBe(0);
    const c = await counts();
    expect(c).toMatchObject({
      households: 200,
      persons: result.persons,
      attributes: result.attributes,
      categories: result.categories,
      events: result.persons,
    });
    const heads = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM household h JOIN person p ON p.id = h.head_person_id AND p.relationship_to_head = 'head'`,
    );
    expect(heads.rows[0]?.n).toBe(200);
    const sample = await t.db.query<{ id_number_cipher: Uint8Array; id_number_masked: string }>(
      'SELECT id_number_cipher, id_number_masked FROM person LIMIT 1',
    );
    const row = sample.rows[0];
    if (!row) throw new Error('no person');
    const plain = cipher.decrypt('idNumber', row.id_number_cipher);
    expect(plain).toMatch(/^\d{17}[\dX]$/);
    expect(row.id_number_masked).toBe(`${plain.slice(0, 6)}********${plain.slice(-4)}`);
    expect(Buffer.from(row.id_number_cipher).includes(Buffer.from(plain))).toBe(false);
    const kinds = await t.db.query<{ kind: string }>(
      'SELECT DISTINCT kind FROM person_attribute ORDER BY kind',
    );
    expect(kinds.rows.map((r) => r.kind)).toEqual(
      expect.arrayContaining([
        'employment',
        'healthCondition',
        'workCapacity',
        'schooling',
        'careDependency',
      ]),
    );
    // Ground truth is not loaded anywhere; departmental records come only through a source import.
    const tables = await t.db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name ~ 'truth'`,
    );
    expect(tables.rows).toEqual([]);
    const records = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM source_record');
    expect(records.rows[0]?.n).toBe(0);
  });

  it('is idempotent for the same seed: a second run adds nothing', async () => {
    const before = await counts();
    const again = await seedRegistry(t.db, cipher, systemActor, options);
    expect(again).toMatchObject({
      households: 0,
      householdsSkipped: 200,
      persons: 0,
      attributes: 0,
      categories: 0,
    });
    expect(await counts()).toEqual(before);
  });

  it('is refused to anyone without the seed permission', async () => {
    await expect(
      seedRegistry(t.db, cipher, { ...systemActor, role: 'countyOfficer' }, { ...options, households: 1 }),
    ).rejects.toThrow(/权限/);
  });
});

describe('doudi seed (the command)', () => {
  const BIN = path.resolve(import.meta.dirname, '../bin/doudi.mjs');
  let dir: string;
  let server: TestDatabase | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'doudi-seed-'));
    if (onServer) server = await createTestDatabase({ migrated: false });
    env = {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DOUDI_DATA_DIR: dir,
      ...(server?.url ? { DATABASE_URL: server.url } : {}),
    };
  });
  afterAll(async () => {
    await server?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const doudi = async (args: string[]) => {
    try {
      const { stdout } = await run(process.execPath, [BIN, ...args], { env, timeout: 180_000 });
      return { code: 0, stdout, stderr: '' };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };

  it('seeds the real county villages, prints counts as JSON, and a second run adds nothing', async () => {
    const first = await doudi(['seed', '--households', '30', '--seed', '3']);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      households: 30,
      householdsSkipped: 0,
      personsSkipped: 0,
    });
    const second = await doudi(['seed', '--households', '30', '--seed', '3']);
    expect(JSON.parse(second.stdout)).toMatchObject({ households: 0, householdsSkipped: 30, persons: 0 });
    const bad = await doudi(['seed', '--households', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--households 应为正整数');
  }, 240_000);
});
