/**
 * A throwaway database on the PostgreSQL server of DATABASE_URL (default the local server as
 * postgres): created, migrated and dropped by the bench; or an existing one (`--database`, a name on
 * that server or a full URL), kept, as benches that seed for minutes allow.
 */
import pg from 'pg';
import { type Database, openPostgres } from '../../packages/server/src/db/database.ts';
import { migrate } from '../../packages/server/src/db/migrate.ts';

export const adminUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  /** Database name on the server. */
  name: string;
  url: string;
  db: Database;
  /** True when this run created it (false for an existing one). */
  created: boolean;
  /** Whether `close()` leaves it on the server. */
  keep: boolean;
  /** Closes the pool; drops the database unless it is kept (WITH FORCE: stray connections end). */
  close(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function benchDatabase(
  prefix: string,
  options: { existing?: string; keep?: boolean; poolSize?: number; migrate?: boolean } = {},
): Promise<BenchDatabase> {
  const existing = options.existing || '';
  let name: string;
  let url: string;
  if (existing.includes('://')) {
    url = existing;
    name = new URL(existing).pathname.slice(1);
  } else {
    name = existing || `doudi_bench_${prefix}_${Date.now().toString(36)}`;
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`bad database name ${name}`);
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    url = u.toString();
  }
  const created = !existing;
  if (created) await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const keep = !created || options.keep === true;
  const drop = async () => {
    if (!keep) await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  };
  let db: Database;
  try {
    db = await openPostgres(url, options.poolSize ?? 4);
  } catch (error) {
    await drop();
    throw error;
  }
  if (options.migrate !== false) {
    try {
      await migrate(db);
    } catch (error) {
      await db.close();
      await drop();
      throw error;
    }
  }
  return {
    name,
    url,
    db,
    created,
    keep,
    async close() {
      await db.close();
      await drop();
    },
  };
}
