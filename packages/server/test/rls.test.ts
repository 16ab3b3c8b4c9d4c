import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../src/db/database.ts';
import { asActor } from '../src/db/scope.ts';
import { actorFromRow } from '../src/domains/auth/auth.service.ts';
import { findUserByUsername } from '../src/domains/users/users.repo.ts';
import { regions, seedPeople } from './factories.ts';
import { createTestDatabase, type TestDatabase } from './testDb.ts';

/**
 * Region scope is enforced by PostgreSQL itself: these tests query the tables directly as the
 * application role with a user's scope setting, bypassing every route and service check.
 */
describe('row-level security on region scope', () => {
  let t: TestDatabase;
  let people: Awaited<ReturnType<typeof seedPeople>>;

  beforeAll(async () => {
    t = await createTestDatabase();
    people = await seedPeople(t.db);
  });
  afterAll(() => t.drop());

  async function asRawScope<T>(scope: string | null, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return t.db.transaction(async (tx) => {
      await tx.query('SET LOCAL ROLE doudi_app');
      if (scope !== null) await tx.query(`SELECT set_config('doudi.scope', $1, true)`, [scope]);
      return fn(tx);
    });
  }

  it('a township caseworker sees only users of their own township, even with SELECT * and no WHERE', async () => {
    const names = await asRawScope('420921100', async (tx) =>
      (await tx.query<{ username: string }>('SELECT username FROM app_user ORDER BY username')).rows.map(
        (r) => r.username,
      ),
    );
    expect(names).toEqual(['huayuan', 'resident']);
  });

  it('asking for another township by id through the app role returns nothing', async () => {
    const huayuan = await asRawScope('all', (tx) => findUserByUsername(tx, 'huayuan'));
    if (!huayuan) throw new Error('seed missing');
    const rows = await asActor(t.db, actorFromRow(huayuan), 'test', (tx) =>
      tx.query('SELECT * FROM app_user WHERE id = $1', [people.fengshan.id]),
    );
    expect(rows.rows).toHaveLength(0);
  });

  it('the county sees every township', async () => {
    const count = await asRawScope(
      '420921',
      async (tx) => (await tx.query<{ n: number }>('SELECT count(*)::int n FROM app_user')).rows[0]?.n,
    );
    expect(count).toBe(5);
  });

  it('without a scope setting, or with a malformed one, no row is visible', async () => {
    for (const scope of [null, '', "' OR 1=1 --", '4209x', '%', 'ALL']) {
      const count = await asRawScope(
        scope,
        async (tx) => (await tx.query<{ n: number }>('SELECT count(*)::int n FROM app_user')).rows[0]?.n,
      );
      expect(count, `scope ${JSON.stringify(scope)}`).toBe(0);
    }
  });

  it('a write into another township is refused by the database', async () => {
    await expect(
      asRawScope('420921100', (tx) =>
        tx.query(
          `INSERT INTO app_user (username, display_name, role, region_code, password_hash) VALUES ('intruder', 'x', 'caseworker', $1, 'x')`,
          [regions.fengshan],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('an update cannot move a visible row out of scope, nor touch an invisible one', async () => {
    await expect(
      asRawScope('420921100', (tx) =>
        tx.query('UPDATE app_user SET region_code = $1 WHERE username = $2', [regions.fengshan, 'resident']),
      ),
    ).rejects.toThrow(/row-level security/);
    const updated = await asRawScope('420921100', (tx) =>
      tx.query(`UPDATE app_user SET display_name = 'hijacked' WHERE username = 'fengshan'`),
    );
    expect(updated.rowCount).toBe(0);
  });

  it('the application role may not delete users, nor read sessions', async () => {
    await expect(asRawScope('all', (tx) => tx.query('DELETE FROM app_user'))).rejects.toThrow(
      /permission denied/,
    );
    await expect(asRawScope('all', (tx) => tx.query('SELECT * FROM app_session'))).rejects.toThrow(
      /permission denied/,
    );
  });
});
