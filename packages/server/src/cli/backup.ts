/**
 * Backup and restore of the embedded database: PGlite dumps its whole data folder as one
 * tar.gz. A PostgreSQL server is backed up with its own tools (pg_dump), said so plainly.
 */
import { existsSync, readdirSync, renameSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { loadConfig } from '../config.ts';
import { lockDataDir, openPglite } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { openRuntime } from '../runtime.ts';

export async function backup(out: string): Promise<number> {
  const config = loadConfig();
  if (config.databaseUrl) {
    console.error(
      '连接的是 PostgreSQL 服务器：请用 pg_dump 备份（例如 pg_dump -Fc "$DATABASE_URL" > doudi.dump）',
    );
    return 2;
  }
  const { db } = await openRuntime(config);
  const dump = await db.embedded?.dumpDataDir('gzip');
  await db.close();
  if (!dump) return 2;
  await writeFile(out, Buffer.from(await dump.arrayBuffer()));
  console.log(JSON.stringify({ backup: out, bytes: dump.size }));
  return 0;
}

export async function restore(file: string, force: boolean): Promise<number> {
  const config = loadConfig();
  if (config.databaseUrl) {
    console.error('连接的是 PostgreSQL 服务器：请用 pg_restore 恢复');
    return 2;
  }
  if (!existsSync(file)) {
    console.error(`找不到备份文件：${file}`);
    return 2;
  }
  const occupied = existsSync(config.dataDir) && readdirSync(config.dataDir).length > 0;
  if (occupied && !force) {
    console.error(`数据目录 ${config.dataDir} 已有数据；确认覆盖请加 --force（原目录会改名保留）`);
    return 2;
  }
  // Refuses while a running platform holds the folder.
  if (occupied) lockDataDir(config.dataDir)();
  // Keep the old folder until the restored one has opened and migrated.
  const aside = `${config.dataDir}.before-restore-${Date.now()}`;
  if (occupied) renameSync(config.dataDir, aside);
  const db = await openPglite(config.dataDir, new Blob([await readFile(file)]));
  await migrate(db);
  const users = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM app_user');
  await db.close();
  console.log(
    JSON.stringify({
      restored: file,
      dataDir: config.dataDir,
      users: users.rows[0]?.count,
      previous: occupied ? aside : null,
    }),
  );
  return 0;
}
