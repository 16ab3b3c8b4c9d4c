import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, onServer, type TestDatabase } from './testDb.ts';

/** The newest migration's number, so that these checks follow the schema as migrations are added. */
const LATEST_MIGRATION = Math.max(
  ...readdirSync(path.resolve(import.meta.dirname, '../src/db/migrations'))
    .map((file) => Number.parseInt(file, 10))
    .filter(Number.isFinite),
);

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../bin/doudi.mjs');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function doudi(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('doudi id check (GB 11643)', () => {
  it('accepts the standard example and exits 0', async () => {
    const result = await doudi(['id', 'check', '11010519491231002X']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('有效：地区码 110105，出生日期 1949-12-31，性别 女');
  });

  it.each([
    ['110105194912310021', 'checkDigit', '校验位错误：应为X'],
    ['11010519491231002', 'length', '应为18位，实际为17位'],
    ['1101051949123100AX', 'characters', '前17位应为数字'],
    ['000105194912310021', 'regionPrefix', '地区码000105'],
    ['110105194913310021', 'birthDate', '出生日期19491331无效'],
    ["1' OR '1'='1", 'length', '实际为12位'],
  ])('rejects %s (%s) with exit 1 and the reason', async (value, problem, reason) => {
    const result = await doudi(['id', 'check', value]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`无效（${problem}）`);
    expect(result.stdout).toContain(reason);
  });
});

describe('doudi commands on a database', () => {
  let dataDir: string;
  let server: TestDatabase | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'doudi-cli-'));
    env = { DOUDI_DATA_DIR: path.join(dataDir, 'db') };
    if (onServer) {
      server = await createTestDatabase({ migrated: false });
      env.DATABASE_URL = server.url as string;
    }
  });
  afterAll(async () => {
    await server?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('migrate, regions import, user add, audit verify, then detects tampering', async () => {
    const migrated = await doudi(['migrate'], env);
    expect(migrated.code).toBe(0);
    expect(JSON.parse(migrated.stdout)).toMatchObject({ to: LATEST_MIGRATION });
    expect(JSON.parse((await doudi(['migrate'], env)).stdout)).toMatchObject({
      from: LATEST_MIGRATION,
      to: LATEST_MIGRATION,
      applied: [],
    });

    const imported = await doudi(['regions', 'import', '--under', '420921'], env);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ read: 472 });

    const added = await doudi(
      [
        'user',
        'add',
        '--username',
        'clerk',
        '--name',
        '花园镇 新社工',
        '--role',
        'caseworker',
        '--region',
        '420921100000',
        '--password',
        'Strong-pass-2026',
      ],
      env,
    );
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ username: 'clerk', regionName: '花园镇' });

    const weak = await doudi(
      [
        'user',
        'add',
        '--username',
        'weak',
        '--name',
        'x',
        '--role',
        'caseworker',
        '--region',
        '420921100000',
        '--password',
        'weak',
      ],
      env,
    );
    expect(weak.code).toBe(2);
    expect(weak.stderr).toContain('密码至少需要10个字符');
    const badRole = await doudi(
      [
        'user',
        'add',
        '--username',
        'bad',
        '--name',
        'x',
        '--role',
        'king',
        '--region',
        '420921100000',
        '--password',
        'Strong-pass-2026',
      ],
      env,
    );
    expect(badRole.stderr).toContain('角色应为');

    const verified = await doudi(['audit', 'verify'], env);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, rowsChecked: 2 });

    if (!server) return; // Tampering on the embedded database is covered in audit.test.ts.
    await server.db.transaction(async (tx) => {
      await tx.query('SET LOCAL session_replication_role = replica');
      await tx.query(`UPDATE audit_log SET actor_role = 'resident' WHERE seq = 2`);
    });
    const tampered = await doudi(['audit', 'verify'], env);
    expect(tampered.code).toBe(1);
    expect(JSON.parse(tampered.stdout)).toMatchObject({ ok: false, firstBrokenSeq: 2 });
  }, 180_000);

  it.skipIf(onServer)(
    'backs up the embedded database and restores it into a fresh folder',
    async () => {
      const file = path.join(dataDir, 'backup.tar.gz');
      const backup = await doudi(['backup', '--out', file], env);
      expect(backup.code).toBe(0);
      expect((await stat(file)).size).toBeGreaterThan(100_000);
      const refused = await doudi(['restore', file], env);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('已有数据');
      const restoredEnv = { DOUDI_DATA_DIR: path.join(dataDir, 'restored') };
      const restored = await doudi(['restore', file], restoredEnv);
      expect(restored.code).toBe(0);
      expect(JSON.parse(restored.stdout)).toMatchObject({ users: 1 });
      expect(JSON.parse((await doudi(['audit', 'verify'], restoredEnv)).stdout)).toMatchObject({ ok: true });
      expect((await doudi(['restore', path.join(dataDir, 'missing.tar.gz')], restoredEnv)).stderr).toContain(
        '找不到备份文件',
      );
    },
    180_000,
  );

  it('prints usage errors with exit 2', async () => {
    expect((await doudi(['no-such-command'])).code).toBe(2);
  });
});

describe('the embedded database folder', () => {
  it('refuses a second process while one holds it, and takes over a stale lock', async () => {
    const { lockDataDir } = await import('../src/db/database.ts');
    const { writeFile, mkdir } = await import('node:fs/promises');
    const dir = await mkdtemp(path.join(tmpdir(), 'doudi-lock-'));
    await mkdir(path.join(dir, 'db'));
    const env = { DOUDI_DATA_DIR: path.join(dir, 'db') };
    const release = lockDataDir(path.join(dir, 'db'));
    const refused = await doudi(['migrate'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`正被进程 ${process.pid} 使用`);
    release();
    // A process that died without cleaning up leaves its PID behind; the next start takes over.
    await writeFile(path.join(dir, 'db', 'doudi.lock'), '999999999');
    expect((await doudi(['migrate'], env)).code).toBe(0);
    await rm(dir, { recursive: true, force: true });
  }, 120_000);
});
