import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import type { Queryable } from '../src/db/database.ts';
import { systemActor } from '../src/demo/demoAccounts.ts';
import { createHousehold } from '../src/domains/registry/households.service.ts';
import { cipherFor } from '../src/domains/registry/personalData.crypto.ts';
import { regions } from './factories.ts';
import { householdBody, seedRegistryPeople } from './registryFactories.ts';
import { createTestDatabase, type TestDatabase } from './testDb.ts';

/** The registry tables hide other regions from the application role itself, whatever the SQL. */
describe('row-level security on the registry tables', () => {
  let t: TestDatabase;
  let hy: Awaited<ReturnType<typeof createHousehold>>;
  let fs: Awaited<ReturnType<typeof createHousehold>>;

  beforeAll(async () => {
    t = await createTestDatabase();
    await seedRegistryPeople(t.db);
    const officer = { ...systemActor, role: 'countyOfficer' as const };
    const deps = { db: t.db, cipher: cipherFor(loadConfig({ NODE_ENV: 'test' }).dataKey) };
    hy = await createHousehold(deps, officer, householdBody() as never);
    fs = await createHousehold(
      deps,
      officer,
      householdBody({ regionCode: regions.fengshanVillage }) as never,
    );
    for (const h of [hy, fs]) {
      await t.db.query(
        `INSERT INTO household_category (household_id, category, valid_from, region_code) VALUES ($1, 'dibao', '2024-01-01', $2)`,
        [h.id, h.regionCode],
      );
      await t.db.query(
        `INSERT INTO person_attribute (person_id, kind, value, valid_from, region_code) VALUES ($1, 'workCapacity', '{"capacity":"none"}', '2024-01-01', $2)`,
        [h.headPersonId, h.regionCode],
      );
    }
  });
  afterAll(() => t.drop());

  async function asRawScope<T>(scope: string | null, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return t.db.transaction(async (tx) => {
      await tx.query('SET LOCAL ROLE doudi_app');
      if (scope !== null) await tx.query(`SELECT set_config('doudi.scope', $1, true)`, [scope]);
      return fn(tx);
    });
  }
  const count = (scope: string | null, table: string) =>
    asRawScope(
      scope,
      async (tx) => (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n,
    );

  it('a township sees only its own rows in every registry table, even selecting by id', async () => {
    for (const table of [
      'household',
      'person',
      'person_attribute',
      'household_category',
      'person_transfer',
    ]) {
      const own = await count('420921100', table);
      const all = await count('420921', table);
      expect(own, table).toBeGreaterThan(0);
      expect(all, table).toBeGreaterThan(own as number);
    }
    const byId = await asRawScope('420921100', (tx) =>
      tx.query('SELECT * FROM person WHERE id = $1 OR household_id = $2', [fs.headPersonId, fs.id]),
    );
    expect(byId.rows).toHaveLength(0);
    expect(
      (await asRawScope('420921100', (tx) => tx.query('SELECT id FROM household WHERE id = $1', [fs.id])))
        .rows,
    ).toHaveLength(0);
  });

  it('without a scope, or with a malformed one, nothing is visible', async () => {
    for (const scope of [null, '', "' OR 1=1 --", '%', 'ALL']) {
      expect(await count(scope, 'person'), String(scope)).toBe(0);
      expect(await count(scope, 'household'), String(scope)).toBe(0);
    }
  });

  it('writes into another township are refused, updates of invisible rows touch nothing', async () => {
    await expect(
      asRawScope('420921100', (tx) =>
        tx.query(`UPDATE household SET region_code = $1 WHERE id = $2`, [regions.fengshanVillage, hy.id]),
      ),
    ).rejects.toThrow(/row-level security/);
    const touched = await asRawScope('420921100', (tx) =>
      tx.query(`UPDATE person SET name = 'hijacked' WHERE id = $1`, [fs.headPersonId]),
    );
    expect(touched.rowCount).toBe(0);
    await expect(
      asRawScope('420921100', (tx) =>
        tx.query(
          `INSERT INTO household_category (household_id, category, valid_from, region_code) VALUES ($1, 'tekun', '2024-01-01', $2)`,
          [fs.id, fs.regionCode],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('the application role may not delete registry rows nor rewrite history or the access log', async () => {
    for (const sql of [
      'DELETE FROM person',
      'DELETE FROM household',
      'DELETE FROM person_transfer',
      `UPDATE person_transfer SET moved_on = '2000-01-01'`,
      `UPDATE personal_data_access SET purpose = 'x'`,
      'DELETE FROM personal_data_access',
    ]) {
      await expect(
        asRawScope('all', (tx) => tx.query(sql)),
        sql,
      ).rejects.toThrow(/permission denied/);
    }
  });

  it('the location function tells where an ID number is registered, without personal data', async () => {
    const rows = await asRawScope('420921100', (tx) =>
      tx.query<Record<string, unknown>>(
        'SELECT * FROM registry_person_location((SELECT id_number_index FROM person WHERE id = $1))',
        [hy.headPersonId],
      ),
    );
    expect(Object.keys(rows.rows[0] ?? {}).sort()).toEqual(
      [
        'household_id',
        'household_number',
        'person_id',
        'region_code',
        'township_name',
        'village_name',
      ].sort(),
    );
  });
});
