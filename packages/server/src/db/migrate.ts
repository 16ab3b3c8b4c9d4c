/**
 * Applies the SQL migrations in ./migrations with Postgrator, all in one transaction under an
 * advisory lock: two servers starting at once do not race, and a failed migration leaves the
 * schema as it was (PostgreSQL DDL is transactional).
 */
import path from 'node:path';
import Postgrator from 'postgrator';
import type { Database } from './database.ts';

const MIGRATION_LOCK = 4_242_092_1;

export interface MigrationOutcome {
  from: number;
  to: number;
  applied: string[];
}

export async function migrate(db: Database): Promise<MigrationOutcome> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const postgrator = new Postgrator({
      migrationPattern: path.join(import.meta.dirname, 'migrations', '*.sql'),
      driver: 'pg',
      schemaTable: 'schema_migration',
      validateChecksums: true,
      execQuery: (query: string) => tx.query(query),
      execSqlScript: (script: string) => tx.exec(script),
    });
    const from = await postgrator.getDatabaseVersion();
    const applied = await postgrator.migrate();
    const to = await postgrator.getDatabaseVersion();
    return { from, to, applied: applied.map((m) => m.filename) };
  });
}
