/**
 * Reading the household facts snapshot (migration 008) for a screening run.
 *
 *  - `refreshSnapshot(db, scope, regionCode)`: rebuilds the households of the subtree that writes
 *    have marked dirty, in short transactions of `chunk` households (PGlite serialises
 *    transactions; web requests wait behind a long one), then, after a large rebuild, renews the
 *    table's statistics (see ANALYZE_AFTER). Returns how many were rebuilt.
 *  - `readSnapshotPage(tx, { regionCode, after?, limit })`: one keyset page in (village, 户号) order.
 *  - `streamSnapshot(db, { scope, regionCode?, batchSize?, after? })`: every page of the subtree,
 *    each read in its own transaction as `scope` (row-level security), the next one requested
 *    before the current one is handed out. The cursor is a household id, as in householdFacts.ts,
 *    so a run's stored cursor means the same in both.
 * The JSON columns come back as text: they are parsed on the worker threads (snapshotFacts.ts).
 */
import type { Database, Queryable } from '../../db/database.ts';
import { asActor, asSystem } from '../../db/scope.ts';
import type { Actor } from '../access/permissions.ts';
import { regionBounds } from './householdFacts.ts';
import type { SnapshotRow } from './snapshotFacts.ts';

export async function refreshSnapshot(
  db: Database,
  scope: Actor,
  regionCode: string,
  chunk = 5000,
  /** Renew the snapshot's statistics when at least this many households were rebuilt. */
  analyzeAfter = ANALYZE_AFTER,
): Promise<number> {
  const { low, high } = regionBounds(regionCode);
  let total = 0;
  for (;;) {
    const done = await asActor(db, scope, undefined, (tx) =>
      tx.query<{ n: number }>('SELECT household_facts_refresh($1, $2, $3) AS n', [low, high, chunk]),
    );
    const n = done.rows[0]?.n ?? 0;
    if (n === 0) break;
    total += n;
  }
  if (total > 0 && total >= analyzeAfter) await analyzeSnapshot(db);
  return total;
}

/**
 * Households rebuilt in one refresh from which the table's statistics are renewed. Without
 * statistics (a snapshot just built, or a server with autovacuum off, as on the project's machines)
 * the planner guesses ≈1% of the rows for a range; readers by id and by range (monitoring,
 * calibration, the run's pages where they are not pinned, see streamSnapshot) plan on guesses.
 */
export const ANALYZE_AFTER = 5000;

/**
 * ANALYZE household_facts as the connection's own user (the tables' owner, not doudi_app): the
 * snapshot is derived data and the statement reads and returns nothing. A user that may not
 * analyze gets a warning from PostgreSQL, not an error.
 */
export async function analyzeSnapshot(db: Database): Promise<void> {
  await asSystem(db, (tx) => tx.query('ANALYZE household_facts'));
}

export interface SnapshotBatch {
  rows: SnapshotRow[];
  lastId: string;
}

export async function readSnapshotPage(
  tx: Queryable,
  options: { regionCode: string; after?: string | null; limit: number },
): Promise<SnapshotRow[]> {
  const { low, high } = regionBounds(options.regionCode);
  let from: { region_code: string; household_number: string } | null = null;
  if (options.after) {
    const cursor = await tx.query<{ region_code: string; household_number: string }>(
      'SELECT region_code, household_number FROM household_facts WHERE household_id = $1::uuid',
      [options.after],
    );
    from = cursor.rows[0] ?? null;
    // A cursor that cannot be seen would otherwise end the walk silently, as if it were finished.
    if (!from) throw new Error(`household ${options.after} (the cursor) is not visible in this scope`);
  }
  // MATERIALIZED: the page's keys are chosen by the index alone (index-only scan of one range),
  // then only those rows are fetched; left to itself, the planner, which cannot see the
  // row-level-security bounds, read and sorted the whole subtree (1.3 s a page at 50,000).
  // The fetch is a LATERAL subquery with LIMIT 1 (the key is the primary key), which the planner
  // cannot turn into a join: one primary-key lookup per key, whatever the statistics say. As a
  // join, once household_facts had statistics, it estimated the row-level-security range at 1,000
  // rows and hashed the whole subtree for every page (5.6 s a page at 200,000; issue 4).
  // json::text: the driver would otherwise parse the JSON here, on the main thread.
  const page = await tx.query<SnapshotRow>(
    `WITH page AS MATERIALIZED (
       SELECT k.household_id AS id, k.region_code AS rc, k.household_number AS hn FROM household_facts k
        WHERE k.region_code BETWEEN $1 AND $2
          ${from ? 'AND (k.region_code, k.household_number) > ($4::text, $5::text)' : ''}
        ORDER BY k.region_code, k.household_number LIMIT $3)
     SELECT f.household_id, f.household_number, f.region_code, f.urban, f.members, f.categories, f.economy
       FROM page CROSS JOIN LATERAL (
              SELECT f.household_id, f.household_number, f.region_code, f.urban,
                     f.members::text AS members, f.categories::text AS categories, f.economy::text AS economy
                FROM household_facts f WHERE f.household_id = page.id LIMIT 1) f
      ORDER BY page.rc, page.hn`,
    from ? [low, high, options.limit, from.region_code, from.household_number] : [low, high, options.limit],
  );
  return page.rows;
}

export async function* streamSnapshot(
  db: Database,
  options: { scope: Actor; regionCode?: string; batchSize?: number; after?: string | null },
): AsyncGenerator<SnapshotBatch> {
  const limit = options.batchSize ?? 2000;
  const regionCode = options.regionCode ?? options.scope.regionCode;
  const read = (after: string | null) =>
    asActor(db, options.scope, undefined, async (tx) => {
      // This transaction reads one page and nothing else: the keys come from walking the page
      // index in order up to the page size, never from a bitmap scan of the rest of the subtree
      // and a sort, which the planner picks when it guesses the range smaller than the page
      // (no statistics yet: a snapshot just built, autovacuum off), making each page cost more
      // than the last (63 against 12 µs of backend CPU per household at 200,000; issue 4). And
      // the page (≈7 MB at 4,000 households) is sorted in memory, not in temporary files.
      await tx.query(
        `SELECT set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true),
                set_config('work_mem', '64MB', true)`,
      );
      return readSnapshotPage(tx, { regionCode, after, limit });
    });
  let next: Promise<SnapshotRow[]> | undefined = read(options.after ?? null);
  while (next) {
    const rows: SnapshotRow[] = await next;
    const last = rows.at(-1);
    if (!last) return;
    next = rows.length === limit ? read(last.household_id) : undefined;
    // Observed so that a consumer that stops early leaves no unhandled rejection behind.
    next?.catch(() => undefined);
    yield { rows, lastId: last.household_id };
  }
}
