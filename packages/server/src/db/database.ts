/**
 * One small interface over the two PostgreSQL engines Doudi runs on: a real server through
 * `pg` (DATABASE_URL) and embedded PGlite in a data folder. Same SQL, same migrations; the
 * repositories see only `Queryable`, so nothing above this file knows which engine it is on.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface Queryable {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<R>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction (READ COMMITTED); rolls back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** The PGlite instance, for backup; undefined on a server. */
  readonly embedded?: PGlite;
}

// Dates stay ISO strings ('2026-11-22'), never JS Dates shifted by the local time zone;
// bigint columns (money in fen, counters) become numbers, which are exact up to 2^53 fen.
const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

function toSafeNumber(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`整数超出安全范围：${text}`);
  return value;
}

pg.types.setTypeParser(DATE_OID, (text) => text);
pg.types.setTypeParser(INT8_OID, toSafeNumber);
pg.types.setTypeParser(NUMERIC_OID, (text) => text);

export async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection that the server ends (restart, failover, DROP DATABASE … FORCE) must not
  // crash the process: the pool drops it and opens a new one on the next query.
  pool.on('error', (error) => {
    process.stderr.write(
      `${JSON.stringify({ level: 40, msg: '数据库空闲连接被服务器关闭，已丢弃', code: (error as { code?: string }).code })}\n`,
    );
  });
  // Fail fast on a wrong URL instead of at the first request.
  await pool.query('select 1');
  const wrap = (client: pg.Pool | pg.PoolClient): Queryable => ({
    async query(text, params) {
      const result = await client.query(text, params as unknown[]);
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    },
    async exec(script) {
      await client.query(script);
    },
  });
  return {
    engine: 'postgres',
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is one process's database: a second process opening the same folder would corrupt it.
 * A lock file with the owner's PID refuses that with a clear message; a stale lock is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const lockFile = path.join(dataDir, 'doudi.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(lockFile, 'utf8'));
      if (Number.isInteger(owner) && owner !== process.pid && processAlive(owner)) {
        throw new Error(
          `内嵌数据库 ${dataDir} 正被进程 ${owner} 使用（例如正在运行的平台）；请先停止它，或设置 DATABASE_URL 使用 PostgreSQL 服务器`,
        );
      }
      rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`无法锁定内嵌数据库目录 ${dataDir}`);
}

/** Opens embedded PGlite; `dataDir` undefined keeps it in memory (tests). */
export async function openPglite(dataDir?: string, loadDataDir?: Blob): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const unlock = dataDir ? lockDataDir(dataDir) : () => undefined;
  const parsers = {
    [DATE_OID]: (text: string) => text,
    [INT8_OID]: toSafeNumber,
    [NUMERIC_OID]: (text: string) => text,
  };
  const db = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    parsers,
  });
  const wrap = (client: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query(text, params) {
      const result = await client.query(text, params as unknown[]);
      return { rows: result.rows as never[], rowCount: result.affectedRows ?? result.rows.length };
    },
    async exec(script) {
      await client.exec(script);
    },
  });
  return {
    engine: 'pglite',
    embedded: db,
    ...wrap(db),
    // PGlite runs one transaction at a time; other queries wait for it to finish.
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    close: async () => {
      await db.close();
      unlock();
    },
  };
}

export async function openDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir: string;
}): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options.dataDir);
}
