/**
 * Which statements the PostgreSQL connection prepares (db/database.ts): those with an array
 * parameter never (a generic plan for `= ANY($1)` over a batch walked a whole index), the rest
 * once per connection. Needs the server: runs when TEST_DATABASE_URL is set.
 */
import { describe, expect, it } from 'vitest';
import { openPostgres } from '../src/db/database.ts';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('prepared statements on PostgreSQL', () => {
  it('prepares a statement with scalar parameters, not one with an array parameter', async () => {
    const db = await openPostgres(url as string, 1);
    try {
      const scalar = 'SELECT $1::int + 1 AS n';
      const array = 'SELECT count(*)::int AS n FROM unnest($1::int[]) AS x WHERE x = ANY ($1::int[])';
      expect((await db.query<{ n: number }>(scalar, [41])).rows[0]?.n).toBe(42);
      expect((await db.query<{ n: number }>(array, [[1, 2, 3]])).rows[0]?.n).toBe(3);
      const { rows } = await db.query<{ statement: string; plan_cache_mode: string }>(
        `SELECT statement, current_setting('plan_cache_mode') AS plan_cache_mode FROM pg_prepared_statements`,
      );
      const texts = rows.map((row) => row.statement);
      expect(texts).toContain(scalar);
      expect(texts).not.toContain(array);
      expect(rows[0]?.plan_cache_mode).toBe(process.env.DOUDI_PG_PLAN_CACHE_MODE || 'auto');
    } finally {
      await db.close();
    }
  });
});
