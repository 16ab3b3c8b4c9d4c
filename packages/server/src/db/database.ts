/**
 * One small interface over the two PostgreSQL engines Doudi runs on: a real server through
 * `pg` (DATABASE_URL) and embedded PGlite in a data folder. Same SQL, same migrations; the
 * repositories see only `Queryable`, so nothing above this file knows which engine it is on.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyStream } from 'pg-copy-streams';

export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface Queryable {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<R>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
  /**
   * `COPY <table> FROM STDIN` (text format) fed with `data`: bulk loading without a parameter per
   * value (departmental import). Inside a transaction on both engines.
   */
  copyFrom?(sql: string, data: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /** The server's URL (postgres only): worker threads that read for a job open their own connection. */
  readonly url?: string;
  /**
   * Runs `fn` in one transaction (READ COMMITTED); rolls back if it throws. `prelude`, one statement
   * without parameters (values inlined with `sqlLiteral`), runs first and its rows are handed to `fn`:
   * on the server it travels with BEGIN in one round trip, which every request's transaction saves.
   */
  transaction<T>(
    fn: (tx: Queryable, preludeRows: Record<string, unknown>[]) => Promise<T>,
    prelude?: string,
  ): Promise<T>;
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

/** A string as an SQL literal, for a prelude (pg's own escaping: quotes doubled, E'' with backslashes). */
export const sqlLiteral = (value: string): string => pg.escapeLiteral(value);

/**
 * Statements with parameters are prepared once per connection under a name derived from their text
 * (pg keeps them per connection): PostgreSQL then skips parsing and, once its plan cache judges a
 * generic plan as good, planning. Capped, so generated SQL of many shapes cannot grow every
 * connection's statement cache without bound; past the cap, statements run unnamed as before.
 * DOUDI_PG_PREPARED=false turns it off (e.g. behind a transaction-pooling PgBouncer).
 *
 * Statements that take an array parameter (`= ANY($n)`, `unnest($n)`) are never prepared: they run
 * unnamed and are planned each time with the array in hand. A generic plan is made without the
 * parameters' values, and for `x = ANY($1)` over a batch's thousands of ids on a table without
 * statistics it chose to walk the whole index and test each row against the array: 6–9 s a batch
 * in a screening run that takes 0.05 s with a custom plan (issue 4, session 7). Every other
 * statement is prepared under plan_cache_mode=auto (DOUDI_PG_PLAN_CACHE_MODE to change it): forcing
 * custom plans on all of them cost the caseworker bench 0.7–1.0 ms of PostgreSQL CPU per request,
 * +35% (session 8, bench/intake/caseworkers.bench.ts).
 */
const prepared = process.env.DOUDI_PG_PREPARED !== 'false';
const planCacheMode = process.env.DOUDI_PG_PLAN_CACHE_MODE || 'auto';
if (!/^(auto|force_custom_plan|force_generic_plan)$/.test(planCacheMode))
  throw new Error(
    `DOUDI_PG_PLAN_CACHE_MODE 只能是 auto、force_custom_plan 或 force_generic_plan，而不是 ${planCacheMode}`,
  );
/** An array parameter: its size, and so the best plan, changes from one call to the next. */
const ARRAY_PARAMETER = /\b(?:any|unnest)\s*\(\s*\$\d/i;
/** Text → its statement name, or null for a text that is never prepared (tested once, not per call). */
const statementNames = new Map<string, string | null>();
const MAX_PREPARED = 2000;

function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_PREPARED) {
    name = ARRAY_PARAMETER.test(text) ? null : `d_${createHash('sha1').update(text).digest('base64url')}`;
    statementNames.set(text, name);
  }
  return name ?? undefined;
}

export async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    ...(prepared ? { options: `-c plan_cache_mode=${planCacheMode}` } : {}),
  });
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
      const name = params && prepared ? statementName(text) : undefined;
      const result = await client.query(
        name ? { name, text, values: params as unknown[] } : { text, values: params as unknown[] },
      );
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    },
    async exec(script) {
      await client.query(script);
    },
    ...(client instanceof pg.Pool
      ? {}
      : {
          copyFrom: (sql: string, data: string) =>
            new Promise<void>((resolve, reject) => {
              const stream = client.query(copyStream(sql));
              stream.on('error', reject);
              stream.on('finish', () => resolve());
              stream.end(data);
            }),
        }),
  });
  return {
    engine: 'postgres',
    url,
    ...wrap(pool),
    async transaction(fn, prelude) {
      const client = await pool.connect();
      try {
        let preludeRows: Record<string, unknown>[] = [];
        if (prelude) {
          // Two statements in one simple-protocol message: pg answers with one result each.
          const results = (await client.query(`BEGIN; ${prelude}`)) as unknown as pg.QueryResult[];
          preludeRows = results[results.length - 1]?.rows ?? [];
        } else {
          await client.query('BEGIN');
        }
        const result = await fn(wrap(client), preludeRows);
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
    // PGlite reads COPY data from its virtual file /dev/blob. Reading a "file" needs the
    // server-files privilege, which the scoped role lacks: the COPY alone runs as the session user
    // (the data is the caller's own, the target a temporary table) and the role is put back.
    async copyFrom(sql, data) {
      const role = (await client.query<{ r: string }>('SELECT current_user AS r')).rows[0]?.r ?? 'none';
      await client.query("SELECT set_config('role', 'none', true)");
      await client.query(sql.replace(/\bSTDIN\b/i, "'/dev/blob'"), [], { blob: new Blob([data]) });
      await client.query("SELECT set_config('role', $1, true)", [role]);
    },
  });
  return {
    engine: 'pglite',
    embedded: db,
    ...wrap(db),
    // PGlite runs one transaction at a time; other queries wait for it to finish.
    transaction: (fn, prelude) =>
      db.transaction(async (tx) =>
        fn(wrap(tx), prelude ? (await tx.query<Record<string, unknown>>(prelude)).rows : []),
      ),
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
