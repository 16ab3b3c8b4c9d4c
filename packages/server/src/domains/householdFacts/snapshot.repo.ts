/**
 * Reading the household facts snapshot (migration 008) for a screening run.
 *
 *  - `refreshSnapshot(db, scope, regionCode)`: rebuilds the households of the subtree that writes
 *    have marked dirty, in short transactions of `chunk` households (PGlite serialises
 *    transactions; web requests wait behind a long one). Returns how many were rebuilt.
 *  - `readSnapshotPage(tx, { regionCode, after?, limit })`: one keyset page in (village, 户号) order.
 *  - `streamSnapshot(db, { scope, regionCode?, batchSize?, after? })`: every page of the subtree,
 *    each read in its own transaction as `scope` (row-level security), the next one requested
 *    before the current one is handed out. The cursor is a household id, as in householdFacts.ts,
 *    so a run's stored cursor means the same in both.
 * The JSON columns come back as text: they are parsed on the worker threads (snapshotFacts.ts).
 */
import type { Database, Queryable } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import type { Actor } from '../access/permissions.ts';
import { regionBounds } from './householdFacts.ts';
import type { SnapshotRow } from './snapshotFacts.ts';

export async function refreshSnapshot(
  db: Database,
  scope: Actor,
  regionCode: string,
  chunk = 5000,
): Promise<number> {
  const { low, high } = regionBounds(regionCode);
  let total = 0;
  for (;;) {
    const done = await asActor(db, scope, undefined, (tx) =>
      tx.query<{ n: number }>('SELECT household_facts_refresh($1, $2, $3) AS n', [low, high, chunk]),
    );
    const n = done.rows[0]?.n ?? 0;
    if (n === 0) return total;
    total += n;
  }
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
  // json::text: the driver would otherwise parse the JSON here, on the main thread.
  const page = await tx.query<SnapshotRow>(
    `WITH page AS MATERIALIZED (
       SELECT k.household_id AS id, k.region_code AS rc, k.household_number AS hn FROM household_facts k
        WHERE k.region_code BETWEEN $1 AND $2
          ${from ? 'AND (k.region_code, k.household_number) > ($4::text, $5::text)' : ''}
        ORDER BY k.region_code, k.household_number LIMIT $3)
     SELECT f.household_id, f.household_number, f.region_code, f.urban,
            f.members::text AS members, f.categories::text AS categories, f.economy::text AS economy
       FROM page JOIN household_facts f ON f.household_id = page.id
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
    asActor(db, options.scope, undefined, (tx) => readSnapshotPage(tx, { regionCode, after, limit }));
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
