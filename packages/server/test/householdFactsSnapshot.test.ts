/**
 * The household facts snapshot (migration 008) against the assembler it replaces in screening runs:
 * on a seeded county, with moves, deaths, changed attributes, categories and approved figures
 * added afterwards, every household's facts decoded from the snapshot equal
 * `assembleHouseholdFacts` on several dates; writes mark households dirty and a refresh brings the
 * snapshot back; row-level security bounds both the read and the refresh; and a screening run
 * (snapshot path) finds what the old path (assembler + evaluateBatch) finds.
 */
import { evaluateBatch, STATUS_CODES } from '@doudi/rules';
import { SAMPLE_VILLAGES } from '@doudi/synth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { asActor, asSystem } from '../src/db/scope.ts';
import { systemActor } from '../src/demo/demoAccounts.ts';
import type { Actor } from '../src/domains/access/permissions.ts';
import { assembleHouseholdFacts } from '../src/domains/householdFacts/householdFacts.ts';
import {
  readSnapshotPage,
  refreshSnapshot,
  streamSnapshot,
} from '../src/domains/householdFacts/snapshot.repo.ts';
import { snapshotHousehold } from '../src/domains/householdFacts/snapshotFacts.ts';
import { cipherFor } from '../src/domains/registry/personalData.crypto.ts';
import { seedRegistry } from '../src/domains/registry/seed.ts';
import { activeCatalog } from '../src/domains/rules/activeCatalog.ts';
import * as repo from '../src/domains/screening/screening.repo.ts';
import { receives, runScreening } from '../src/domains/screening/screening.run.ts';
import { regions, seedRegions } from './factories.ts';
import { createTestDatabase, type TestDatabase } from './testDb.ts';

const ON = '2025-07-01';
const DATES = ['2020-01-01', '2025-03-15', ON, '2026-02-01'];
const HOUSEHOLDS = 150;

const actor = (regionCode: string): Actor => ({
  userId: 'tester',
  username: 'tester',
  displayName: '测试',
  role: 'countyOfficer',
  department: null,
  regionCode,
});
const county = actor(regions.county);

describe('household facts snapshot', () => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createTestDatabase();
    await seedRegions(t.db);
    await seedRegistry(t.db, cipherFor(loadConfig({ NODE_ENV: 'test' }).dataKey), systemActor, {
      households: HOUSEHOLDS,
      seed: 5,
      under: '420921',
      villages: SAMPLE_VILLAGES,
    });
  }, 120_000);
  afterAll(() => t.drop());

  const dirty = async () =>
    (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM household_facts_dirty')).rows[0]?.n;

  /** Every household in the subtree, from the snapshot and from the assembler, on a date. */
  async function both(on: string, who = county) {
    const rows = await asActor(t.db, who, undefined, (tx) =>
      readSnapshotPage(tx, { regionCode: who.regionCode, limit: 100_000 }),
    );
    const fromSnapshot = rows.map((r) => snapshotHousehold(r, on));
    const fromRegistry = await asActor(t.db, who, undefined, (tx) =>
      assembleHouseholdFacts(
        tx,
        rows.map((r) => r.household_id),
        on,
      ),
    );
    return { fromSnapshot, fromRegistry };
  }

  it('is built for every household by the first refresh, and then equals the assembler on every date', async () => {
    expect(await dirty()).toBe(HOUSEHOLDS);
    expect(await refreshSnapshot(t.db, county, regions.county, 40)).toBe(HOUSEHOLDS);
    expect(await dirty()).toBe(0);
    for (const on of DATES) {
      const { fromSnapshot, fromRegistry } = await both(on);
      expect(fromSnapshot).toHaveLength(HOUSEHOLDS);
      expect(fromSnapshot).toEqual(fromRegistry);
    }
  }, 60_000);

  it('follows moves, deaths, attributes, categories and approved figures after a refresh', async () => {
    const people = await t.db.query<{ id: string; household_id: string; region_code: string }>(
      // From households with no category yet: the ids are random, and a household already holding an
      // open relapseWatch refused the one inserted below (one open period per kind).
      `SELECT id, household_id, region_code FROM person p WHERE death_date IS NULL
          AND NOT EXISTS (SELECT 1 FROM household_category c WHERE c.household_id = p.household_id)
        ORDER BY id LIMIT 4`,
    );
    const [mover, dying, changing, other] = people.rows as NonNullable<(typeof people.rows)[number]>[];
    const target = (
      await t.db.query<{ id: string; region_code: string }>(
        // Within the township: across townships a township officer's assembler (row-level security
        // on person) loses the mover from the old household's history, the snapshot does not.
        `SELECT id, region_code FROM household WHERE id <> $1 AND left(region_code, 9) = left($2, 9)
          ORDER BY id DESC LIMIT 1`,
        [mover?.household_id, mover?.region_code],
      )
    ).rows[0] as { id: string; region_code: string };
    await asSystem(t.db, async (tx) => {
      await tx.query(
        `INSERT INTO person_transfer (person_id, kind, from_household_id, to_household_id, relationship_to_head,
                                      moved_on, region_code, from_region_code)
         VALUES ($1, 'transfer', $2, $3, 'other', '2025-03-01', $4, $5)`,
        [mover?.id, mover?.household_id, target.id, target.region_code, mover?.region_code],
      );
      await tx.query(`UPDATE person SET death_date = '2025-05-05' WHERE id = $1`, [dying?.id]);
      await tx.query(
        `UPDATE person_attribute SET valid_to = '2025-10-01' WHERE person_id = $1 AND kind = 'workCapacity' AND valid_to IS NULL`,
        [changing?.id],
      );
      await tx.query(
        `INSERT INTO person_attribute (person_id, kind, value, valid_from, region_code)
         VALUES ($1, 'workCapacity', '{"capacity":"none"}', '2025-10-01', $2)`,
        [changing?.id, changing?.region_code],
      );
      await tx.query(
        `INSERT INTO person_attribute (person_id, kind, value, valid_from, region_code)
         SELECT $1, 'disability', '{"type":"visual","grade":2}', '2025-04-01', $2
          WHERE NOT EXISTS (SELECT 1 FROM person_attribute WHERE person_id = $1 AND kind = 'disability')`,
        [changing?.id, changing?.region_code],
      );
      await tx.query(
        `INSERT INTO household_category (household_id, category, valid_from, valid_to, region_code)
         VALUES ($1, 'tekun', '2024-01-01', '2025-06-01', $2), ($1, 'relapseWatch', '2025-06-01', NULL, $2)`,
        [other?.household_id, other?.region_code],
      );
      await tx.query(
        `INSERT INTO household_economy (household_id, region_code, as_of, source, facts)
         VALUES ($1, $2, '2025-02-01', 'approved', '{"wageIncome": 1, "financialAssets": 2, "bogus": 3}')`,
        [other?.household_id, other?.region_code],
      );
    });
    // The writes marked the households they touch: the mover's old and new, and the others'.
    const marked = await t.db.query<{ household_id: string }>(
      'SELECT household_id FROM household_facts_dirty',
    );
    const ids = new Set(marked.rows.map((r) => r.household_id));
    for (const id of [
      mover?.household_id,
      target.id,
      dying?.household_id,
      changing?.household_id,
      other?.household_id,
    ])
      expect(ids.has(id as string)).toBe(true);
    // Stale until refreshed, equal after.
    expect((await both(ON)).fromSnapshot).not.toEqual((await both(ON)).fromRegistry);
    expect(await refreshSnapshot(t.db, county, regions.county)).toBe(ids.size);
    for (const on of DATES) {
      const { fromSnapshot, fromRegistry } = await both(on);
      expect(fromSnapshot).toEqual(fromRegistry);
    }
    const moved = (await both(ON)).fromSnapshot.find((h) => h.householdId === target.id);
    expect(moved?.memberIds).toContain(mover?.id);
  }, 60_000);

  it('is read and refreshed within the reader’s region only', async () => {
    const township = actor(regions.huayuan);
    const { fromSnapshot, fromRegistry } = await both(ON, township);
    expect(fromSnapshot.length).toBeGreaterThan(0);
    expect(fromSnapshot.every((h) => h.regionCode.startsWith(regions.huayuan.slice(0, 9)))).toBe(true);
    expect(fromSnapshot).toEqual(fromRegistry);
    // Row-level security: the role cannot see other townships' rows even when it asks for them.
    const outside = await asActor(t.db, township, undefined, (tx) =>
      tx.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM household_facts WHERE region_code NOT LIKE '420921100%'`,
      ),
    );
    expect(outside.rows[0]?.n).toBe(0);
    await expect(
      asActor(t.db, township, undefined, (tx) => tx.query('SELECT household_facts_build(ARRAY[]::uuid[])')),
    ).rejects.toThrow(/permission denied/);
    await t.db.query(`UPDATE household SET urban = NOT urban`);
    expect(await dirty()).toBe(HOUSEHOLDS);
    const inTownship = fromSnapshot.length;
    expect(await refreshSnapshot(t.db, township, regions.huayuan)).toBe(inTownship);
    expect(await dirty()).toBe(HOUSEHOLDS - inTownship);
    await refreshSnapshot(t.db, county, regions.county);
    expect(await dirty()).toBe(0);
    // A cursor outside the scope is refused rather than ending the walk as if finished.
    const foreign = (await both(ON)).fromSnapshot.find((h) => !h.regionCode.startsWith('420921100'));
    await expect(
      asActor(t.db, township, undefined, (tx) =>
        readSnapshotPage(tx, { regionCode: regions.huayuan, after: foreign?.householdId, limit: 10 }),
      ),
    ).rejects.toThrow(/not visible/);
  }, 60_000);

  it('renews the snapshot statistics after a large rebuild only', async () => {
    const tuples = async () =>
      (
        await t.db.query<{ n: number }>(
          `SELECT reltuples::int AS n FROM pg_class WHERE oid = 'household_facts'::regclass`,
        )
      ).rows[0]?.n;
    const markAll = () =>
      asSystem(t.db, (tx) => tx.query('SELECT household_facts_mark(array_agg(id)) FROM household'));
    // Below the threshold (the default, 5,000): rebuilt, statistics left alone.
    const before = await tuples();
    expect(before).not.toBe(HOUSEHOLDS);
    await markAll();
    expect(await refreshSnapshot(t.db, county, regions.county)).toBe(HOUSEHOLDS);
    expect(await tuples()).toBe(before);
    // At the threshold: ANALYZE as the tables' owner, although the refresh itself ran as doudi_app.
    await markAll();
    expect(await refreshSnapshot(t.db, county, regions.county, 40, HOUSEHOLDS)).toBe(HOUSEHOLDS);
    expect(await tuples()).toBe(HOUSEHOLDS);
    // Nothing to rebuild: nothing analysed, nothing fails.
    expect(await refreshSnapshot(t.db, county, regions.county, 40, 0)).toBe(0);
  }, 60_000);

  it('streams every household once, in page order, in small pages with or without statistics', async () => {
    const whole = await asActor(t.db, county, undefined, (tx) =>
      readSnapshotPage(tx, { regionCode: regions.county, limit: 100_000 }),
    );
    expect(whole).toHaveLength(HOUSEHOLDS);
    const streamed = async () => {
      const rows = [];
      for await (const page of streamSnapshot(t.db, { scope: county, batchSize: 7 })) rows.push(...page.rows);
      return rows;
    };
    // Statistics from the previous test; then none (a snapshot just built, autovacuum off).
    expect(await streamed()).toEqual(whole);
    await t.db.query(`DELETE FROM pg_statistic WHERE starelid = 'household_facts'::regclass`);
    expect(await streamed()).toEqual(whole);
    // The scan settings were the page transactions' own: this session plans as before.
    const setting = await t.db.query<{ b: string; s: string }>(
      `SELECT current_setting('enable_bitmapscan') AS b, current_setting('enable_seqscan') AS s`,
    );
    expect(setting.rows[0]).toEqual({ b: 'on', s: 'on' });
  }, 60_000);

  it('screens from the snapshot with the findings of the assembler path, on this thread and on workers', async () => {
    const findings = async (workers: number) => {
      const run = await asSystem(t.db, (tx) =>
        repo.insertRun(tx, {
          region_code: regions.county,
          region_high: '420921999999',
          on_date: ON,
          started_by: 'tester',
          started_by_name: '测试',
          started_by_role: 'countyOfficer',
          previous_run_id: null,
        }),
      );
      await runScreening(t.db, run.id, { workers, batchSize: 64 });
      const rows = await t.db.query<{ household_id: string; eligible: string[]; needs_info: string[] }>(
        'SELECT household_id, eligible, needs_info FROM screening_result WHERE run_id = $1',
        [run.id],
      );
      return new Map(rows.rows.map((r) => [r.household_id, [r.eligible, r.needs_info]]));
    };
    // The old path: facts from the registry tables, evaluated per township.
    const { catalog } = await activeCatalog(t.db, ON);
    const { fromRegistry } = await both(ON);
    const expected = new Map<string, [string[], string[]]>();
    for (const h of fromRegistry) {
      const result = evaluateBatch(catalog, [h.facts], ON, `${h.regionCode.slice(0, 9)}000`);
      const categories = (h.facts.household?.currentCategories as string[]) ?? [];
      const eligible: string[] = [];
      const needs: string[] = [];
      result.policyIds.forEach((policy, p) => {
        const status = STATUS_CODES[result.statuses[p] as number];
        if (receives(policy, categories)) return;
        if (status === 'eligible') eligible.push(policy);
        if (status === 'needsInformation') needs.push(policy);
      });
      if (eligible.length > 0 || needs.length > 0) expected.set(h.householdId, [eligible, needs]);
    }
    expect(expected.size).toBeGreaterThan(0);
    expect(await findings(0)).toEqual(expected);
    expect(await findings(1)).toEqual(expected);
  }, 120_000);
});
