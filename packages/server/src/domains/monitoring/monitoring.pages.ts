/**
 * A full monitoring run's walk over the region's facts snapshot, page by page, each page scored
 * and its trigger inputs read before the run's thread takes it (the SQL of a page is
 * monitoring.snapshot.repo.ts snapshotPage).
 *
 * On a PostgreSQL server with worker threads, this thread reads only each page's keys, and the
 * workers read the rows themselves, in ranges cut from those keys (monitoring.pageWorker.ts says
 * why). Otherwise (PGlite, or no workers) the pages are read here and their JSON sent to be scored.
 */
import type { Database, Queryable } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import type { Actor } from '../access/permissions.ts';
import { regionBounds } from '../householdFacts/householdFacts.ts';
import { type Context, type Scored, scoreOptions, scoreRows } from './monitoring.batch.ts';
import type { PageLoad } from './monitoring.pageWorker.ts';
import * as repo from './monitoring.repo.ts';
import { recordsOfScored, type TriggerInputs } from './monitoring.triggerInputs.ts';

/** A page as the run's thread takes it: its size and cursor at once, its rows and scores when read. */
export interface ScoredPage {
  households: number;
  lastId: string;
  read: Promise<{ rows: repo.PageRow[]; scored: Scored[]; inputs: TriggerInputs }>;
}

/** Households per range a worker reads: messages have a fixed cost; two ranges per worker a page. */
const MIN_RANGE = 250;

/**
 * Every page of the region's snapshot after the household `afterId` (a stored cursor), `limit`
 * households a page, each sent to be scored (and then its records read) as soon as its keys are
 * known, so the workers need not wait for this thread, nor this thread for them.
 */
export async function* scoredPages(
  db: Database,
  scope: Actor,
  ctx: Context,
  regionCode: string,
  limit: number,
  afterId: string | null,
): AsyncGenerator<ScoredPage> {
  const pool = ctx.pool;
  const url = db.url;
  if (!pool || !url) {
    for await (const page of keysetPages(db, scope, regionCode, limit, afterId, repo.snapshotPage)) {
      const read = scoreRows(ctx, page.rows, true).then(async (scored) => ({
        rows: page.rows,
        scored,
        inputs: await recordsOfScored(db, scope, ctx, scored),
      }));
      read.catch(() => undefined); // awaited when the run takes the page
      yield { households: page.rows.length, lastId: page.lastId, read };
    }
    return;
  }
  const { low, high } = regionBounds(regionCode);
  const options = scoreOptions(ctx);
  for await (const page of keysetPages(db, scope, regionCode, limit, afterId, repo.snapshotKeys)) {
    // Ranges cut from the page's keys: each worker reads what it scores (two ranges each).
    const size = Math.max(MIN_RANGE, Math.ceil(page.rows.length / (2 * pool.size)));
    const ranges: Promise<Scored[]>[] = [];
    let after = page.after;
    for (let start = 0; start < page.rows.length; start += size) {
      const last = page.rows[Math.min(start + size, page.rows.length) - 1] as repo.SnapshotKeyRow;
      const until = { regionCode: last.region_code, householdNumber: last.household_number };
      const load: PageLoad = { url, scope, low, high, after, until };
      ranges.push(
        pool
          .evaluateLoaded(load, ctx.asOf, options)
          .then((groups) => groups.map((g) => ({ group: g.carry as repo.PageRow[], batch: g.result }))),
      );
      after = until;
    }
    const read = Promise.all(ranges).then(async (parts) => {
      const scored = parts.flat();
      const rows = scored.flatMap((s) => s.group);
      return { rows, scored, inputs: await recordsOfScored(db, scope, ctx, scored) };
    });
    read.catch(() => undefined);
    yield { households: page.rows.length, lastId: page.lastId, read };
  }
}

type Key = { region_code: string; household_number: string; household_id: string };
type PageQuery<R> = (
  tx: Queryable,
  options: { low: string; high: string; after: repo.SnapshotKey | null; limit: number },
) => Promise<R[]>;

/**
 * Keyset pages of the region's snapshot (rows or keys only) after the household `afterId`, each
 * read in its own transaction as `scope`; the next page is requested before this one is handed
 * out. `after` is the key the page starts after.
 */
async function* keysetPages<R extends Key>(
  db: Database,
  scope: Actor,
  regionCode: string,
  limit: number,
  afterId: string | null,
  query: PageQuery<R>,
): AsyncGenerator<{ rows: R[]; lastId: string; after: repo.SnapshotKey | null }> {
  const { low, high } = regionBounds(regionCode);
  let after: repo.SnapshotKey | null = null;
  if (afterId) {
    after = (await asActor(db, scope, undefined, (tx) => repo.snapshotKeyOf(tx, afterId))) ?? null;
    // A cursor that cannot be seen would otherwise end the walk silently, as if it were finished.
    if (!after) throw new Error(`household ${afterId} (the cursor) is not visible in this scope`);
  }
  const read = (key: repo.SnapshotKey | null) =>
    asActor(db, scope, undefined, (tx) => query(tx, { low, high, after: key, limit }));
  let next: Promise<R[]> | undefined = read(after);
  while (next) {
    const rows: R[] = await next;
    const last = rows.at(-1);
    if (!last) return;
    const lastKey = { regionCode: last.region_code, householdNumber: last.household_number };
    next = rows.length === limit ? read(lastKey) : undefined;
    next?.catch(() => undefined); // a consumer that stops early leaves no unhandled rejection
    yield { rows, lastId: last.household_id, after };
    after = lastKey;
  }
}
