/**
 * A full monitoring run's walk over the region's facts snapshot, page by page (the SQL of a page is
 * monitoring.repo.ts snapshotPage).
 */
import type { Database } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import type { Actor } from '../access/permissions.ts';
import { regionBounds } from '../householdFacts/householdFacts.ts';
import * as repo from './monitoring.repo.ts';

/**
 * Every page of the region's facts snapshot after the household `afterId` (a stored cursor), each
 * read in its own transaction as `scope`; the next page is requested before this one is handed out.
 */
export async function* snapshotPages(
  db: Database,
  scope: Actor,
  regionCode: string,
  limit: number,
  afterId: string | null,
): AsyncGenerator<{ rows: repo.FactsRow[]; lastId: string }> {
  const { low, high } = regionBounds(regionCode);
  let after: repo.SnapshotKey | null = null;
  if (afterId) {
    after = (await asActor(db, scope, undefined, (tx) => repo.snapshotKeyOf(tx, afterId))) ?? null;
    // A cursor that cannot be seen would otherwise end the walk silently, as if it were finished.
    if (!after) throw new Error(`household ${afterId} (the cursor) is not visible in this scope`);
  }
  const read = (key: repo.SnapshotKey | null) =>
    asActor(db, scope, undefined, (tx) => repo.snapshotPage(tx, { low, high, after: key, limit }));
  let next: Promise<repo.FactsRow[]> | undefined = read(after);
  while (next) {
    const rows: repo.FactsRow[] = await next;
    const last = rows.at(-1);
    if (!last) return;
    next =
      rows.length === limit
        ? read({ regionCode: last.region_code, householdNumber: last.household_number })
        : undefined;
    next?.catch(() => undefined); // a consumer that stops early leaves no unhandled rejection
    yield { rows, lastId: last.household_id };
  }
}
