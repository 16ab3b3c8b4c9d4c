/**
 * `doudi sources import` as a user runs it: counts as JSON, the same file again, a bad source
 * name; on a PostgreSQL server also kill -9 in the middle of a large file, then a re-run.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadVillagesFromChinaDivision, writeCountyCsv } from '@doudi/synth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, onServer, type TestDatabase } from './testDb.ts';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../bin/doudi.mjs');

describe('doudi sources import', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let dir: string;

  async function doudi(args: string[]) {
    try {
      const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env, timeout: 240_000 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'doudi-sources-cli-'));
    database = await createTestDatabase({ migrated: false });
    if (!onServer) await database.drop();
    env = {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      ...(onServer ? { DATABASE_URL: database.url as string } : { DOUDI_DATA_DIR: path.join(dir, 'data') }),
    };
    const seeded = await doudi(['seed', '--households', '40', '--seed', '3', '--under', '420921']);
    expect(seeded.code, seeded.stderr).toBe(0);
    const villages = await loadVillagesFromChinaDivision('420921');
    await writeCountyCsv({ households: 40, seed: 3, villages, asOf: '2025-06-30', outDir: dir });
  }, 300_000);
  afterAll(async () => {
    if (onServer) await database.drop();
  });

  it('prints the counts as JSON; the same file again changes nothing', async () => {
    const file = path.join(dir, 'bank-deposits.csv');
    const first = await doudi(['sources', 'import', 'bankDeposit', file, '--as-of', '2025-06-30']);
    expect(first.code, first.stderr).toBe(0);
    const counts = JSON.parse(first.stdout);
    expect(counts).toMatchObject({ status: 'done', repeated: false, rejected: 0, unmatched: 0 });
    expect(counts.read).toBeGreaterThan(0);
    expect(counts.read).toBe(counts.inserted);
    const again = JSON.parse(
      (await doudi(['sources', 'import', 'bankDeposit', file, '--as-of', '2025-06-30'])).stdout,
    );
    expect(again).toMatchObject({ id: counts.id, repeated: true, inserted: counts.inserted });
  }, 240_000);

  it('refuses an unknown source and a missing file with a Chinese message and exit code 2', async () => {
    const unknown = await doudi(['sources', 'import', 'nosuch', path.join(dir, 'tax.csv')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('数据源 nosuch');
    const missing = await doudi(['sources', 'import', 'tax', path.join(dir, 'absent.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('找不到文件');
  }, 240_000);

  it.runIf(onServer)(
    'kill -9 in the middle of a large file, then a re-run: no duplicates, no loss',
    async () => {
      const rows = 60_000;
      const header = '记录编号,身份证号码,姓名,单位名称,月缴存额(元),账户余额(元)';
      const lines = Array.from(
        { length: rows },
        (_, i) => `K-${i},11010519491231002X,张三,单位,1.00,${i}.00`,
      );
      const file = path.join(dir, 'kill.csv');
      await writeFile(file, `${header}\n${lines.join('\n')}\n`);
      const child = spawn(
        process.execPath,
        [BIN, 'sources', 'import', 'providentFund', file, '--as-of', '2025-06-30'],
        {
          env,
          stdio: 'ignore',
        },
      );
      const deadline = Date.now() + 120_000;
      let read = 0;
      while (Date.now() < deadline && read === 0) {
        await new Promise((r) => setTimeout(r, 100));
        const progress = await database.db.query<{ rows_read: number }>(
          "SELECT rows_read FROM source_import WHERE source = 'providentFund' AND status = 'running'",
        );
        read = progress.rows[0]?.rows_read ?? 0;
      }
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      expect(read).toBeGreaterThan(0);
      const rerun = await doudi(['sources', 'import', 'providentFund', file, '--as-of', '2025-06-30']);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(JSON.parse(rerun.stdout)).toMatchObject({
        status: 'done',
        read: rows,
        inserted: rows,
        rejected: 0,
      });
      const stored = await database.db.query<{ n: number; d: number }>(
        "SELECT count(*)::int AS n, count(DISTINCT record_key)::int AS d FROM source_record WHERE record_key LIKE 'K-%'",
      );
      expect(stored.rows[0]).toEqual({ n: rows, d: rows });
    },
    300_000,
  );
});
