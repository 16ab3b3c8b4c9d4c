/**
 * The facts snapshot (migration 008) as a monitoring run reads it: rows by id (an incremental run)
 * and keyset pages in (village code, household number) order (a full run; its pages' keys, and the
 * ranges its worker threads read). Re-exported by monitoring.repo.ts.
 */
import type { Queryable } from '../../db/database.ts';
import type { SnapshotRow } from '../householdFacts/snapshotFacts.ts';

/** A snapshot row with its version (refreshed_at as text): what a scoring stores (monitoring.scoring.ts). */
export type FactsRow = SnapshotRow & { facts_at: string };

/**
 * A snapshot row as a full run's thread holds it: when a worker thread read the page
 * (monitoring.pageWorker.ts), the JSON columns stayed there, decoded, and `members` is absent.
 */
export type PageRow = Omit<FactsRow, 'members' | 'economy'> & { members?: string };

/**
 * Facts snapshot rows of these households (migration 008), JSON columns as text, by id. One
 * primary-key lookup each (see snapshotPage): `household_id = ANY(...)` was planned as a bitmap AND
 * with the whole subtree's range of the page index, under row-level security.
 */
export async function snapshotRows(tx: Queryable, householdIds: readonly string[]): Promise<FactsRow[]> {
  const r = await tx.query<FactsRow>(
    `SELECT f.household_id, f.household_number, f.region_code, f.urban, f.members, f.categories, f.economy, f.facts_at
       FROM unnest($1::uuid[]) AS ids(id)
      CROSS JOIN LATERAL (
        SELECT x.household_id, x.household_number, x.region_code, x.urban, x.members::text AS members,
               x.categories::text AS categories, x.economy::text AS economy, x.refreshed_at::text AS facts_at
          FROM household_facts x WHERE x.household_id = ids.id LIMIT 1) f
      ORDER BY f.household_id`,
    [householdIds],
  );
  return r.rows;
}

/** Where a page of the facts snapshot starts: after this (village code, household number). */
export interface SnapshotKey {
  regionCode: string;
  householdNumber: string;
}

/** The key of a household (a run's stored cursor); undefined when it cannot be seen in this scope. */
export async function snapshotKeyOf(tx: Queryable, householdId: string): Promise<SnapshotKey | undefined> {
  const r = await tx.query<{ region_code: string; household_number: string }>(
    'SELECT region_code, household_number FROM household_facts WHERE household_id = $1::uuid',
    [householdId],
  );
  const row = r.rows[0];
  return row && { regionCode: row.region_code, householdNumber: row.household_number };
}

/**
 * One keyset page of the facts snapshot in [low, high], in (village code, household number) order,
 * JSON columns as text (decoded on the workers): the `limit` households after `after`, or, with
 * `until`, those after `after` up to and including `until` (a range a worker thread reads, its
 * bounds from `snapshotKeys`). The page's keys come from the index alone, then each household is
 * fetched by its primary key (LATERAL ... LIMIT 1 keeps that a nested loop): the planner, which
 * cannot see the row-level-security bounds, otherwise hashed the whole subtree for every page
 * (4 s a page at 100,000 households, so a full run grew with the square of the size).
 */
export async function snapshotPage(
  tx: Queryable,
  options: { low: string; high: string; after: SnapshotKey | null } & (
    | { limit: number; until?: undefined }
    | { until: SnapshotKey; limit?: undefined }
  ),
): Promise<FactsRow[]> {
  const { sql, params } = keyRange(options);
  const r = await tx.query<FactsRow>(
    `SELECT f.household_id, f.household_number, f.region_code, f.urban, f.members, f.categories, f.economy, f.facts_at
       FROM (SELECT k.household_id AS id, k.region_code AS rc, k.household_number AS hn FROM household_facts k
              ${sql}) page
      CROSS JOIN LATERAL (
        SELECT x.household_id, x.household_number, x.region_code, x.urban, x.members::text AS members,
               x.categories::text AS categories, x.economy::text AS economy, x.refreshed_at::text AS facts_at
          FROM household_facts x WHERE x.household_id = page.id LIMIT 1) f
      ORDER BY page.rc, page.hn`,
    params,
  );
  return r.rows;
}

/** A household's place in the snapshot's page order. */
export interface SnapshotKeyRow {
  household_id: string;
  region_code: string;
  household_number: string;
}

/** The keys of `snapshotPage`'s page, from the page index alone (no row is read). */
export async function snapshotKeys(
  tx: Queryable,
  options: { low: string; high: string; after: SnapshotKey | null; limit: number },
): Promise<SnapshotKeyRow[]> {
  const { sql, params } = keyRange(options);
  const r = await tx.query<SnapshotKeyRow>(
    `SELECT k.household_id, k.region_code, k.household_number FROM household_facts k ${sql}`,
    params,
  );
  return r.rows;
}

/** The WHERE … ORDER BY … [LIMIT] of a page's keys, and its parameters. */
function keyRange(options: {
  low: string;
  high: string;
  after: SnapshotKey | null;
  limit?: number;
  until?: SnapshotKey;
}): { sql: string; params: unknown[] } {
  const { low, high, after, limit, until } = options;
  const params: unknown[] = [low, high];
  let sql = 'WHERE k.region_code BETWEEN $1 AND $2';
  if (after) {
    params.push(after.regionCode, after.householdNumber);
    sql += ` AND (k.region_code, k.household_number) > ($${params.length - 1}::text, $${params.length}::text)`;
  }
  if (until) {
    params.push(until.regionCode, until.householdNumber);
    sql += ` AND (k.region_code, k.household_number) <= ($${params.length - 1}::text, $${params.length}::text)`;
  }
  sql += ' ORDER BY k.region_code, k.household_number';
  if (limit !== undefined) {
    params.push(limit);
    sql += ` LIMIT $${params.length}`;
  }
  return { sql, params };
}

/** The snapshot's households in [low, high]: what a full run walks (index-only, off the page index). */
export async function countSnapshot(tx: Queryable, bounds: { low: string; high: string }): Promise<number> {
  const r = await tx.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM household_facts WHERE region_code BETWEEN $1 AND $2',
    [bounds.low, bounds.high],
  );
  return r.rows[0]?.n ?? 0;
}
