/**
 * A fresh, migrated database for each test file: embedded PGlite in memory by default, or a
 * new database on the PostgreSQL server named by TEST_DATABASE_URL when DOUDI_TEST_ON_SERVER=1
 * (scripts/test.mjs runs the whole suite both ways).
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { type Database, openPglite, openPostgres } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';

export const onServer = process.env.DOUDI_TEST_ON_SERVER === '1' && !!process.env.TEST_DATABASE_URL;

export interface TestDatabase {
  db: Database;
  /** Connection string of the test database (server mode only), for child processes. */
  url?: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const migrated = options.migrated ?? true;
  if (!onServer) {
    const template = process.env.DOUDI_PGLITE_TEMPLATE;
    const db =
      migrated && template
        ? await openPglite(undefined, new Blob([await readFile(template)]))
        : await openPglite();
    // Migrating the template copy is a no-op unless a migration was added after the template was made.
    if (migrated) await migrate(db);
    return { db, drop: () => db.close() };
  }
  const adminUrl = process.env.TEST_DATABASE_URL as string;
  const name = `doudi_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openPostgres(url.toString(), 5);
  if (migrated) await migrate(db);
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
