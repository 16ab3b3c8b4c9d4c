/**
 * The worker side of a monitoring run's indicator pool (its `decoder` module): the facts snapshot
 * decoded as screening decodes it (snapshotFacts.ts), and, on a PostgreSQL server, a full run's
 * pages read here rather than on the run's thread (`loadGroups`).
 *
 * Why the workers read: a page of 8,000 households is ≈26 MB of JSON text. Read on the run's
 * thread, it was parsed out of the driver's buffers there, copied to a worker, and collected there
 * (at 1,000,000 households: ≈6.7 s of row parsing, 1.5 s of postMessage and most of 13.6 s of
 * collection, on the thread that also applies the triggers and stores the alerts). Here it is
 * parsed where it is decoded, and only the columns the run needs go back (`PageRow`).
 *
 * Each worker holds one connection and reads as the run's actor (`asActor`: the same role and
 * region scope, so row-level security bounds what a worker sees as it bounds the run).
 */
import type { LoadedGroup } from '@doudi/rules';
import { type Database, openPostgres } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import type { Actor } from '../access/permissions.ts';
import { snapshotItem } from '../householdFacts/snapshotFacts.ts';
import { townshipOf } from '../regions/regionCode.ts';
import { type PageRow, type SnapshotKey, snapshotPage } from './monitoring.snapshot.repo.ts';

export { decodeHouseholds, householdRecords } from '../householdFacts/snapshotFacts.ts';

/** One range of a full run's page, for a worker to read: after `after`, up to and with `until`. */
export interface PageLoad {
  url: string;
  scope: Actor;
  low: string;
  high: string;
  after: SnapshotKey | null;
  until: SnapshotKey;
}

let opened: Promise<Database> | undefined;

/** The range's households by township (parameters differ by township), tagged with their members. */
export async function loadGroups(load: PageLoad, _date: string): Promise<LoadedGroup[]> {
  if (!opened) {
    opened = openPostgres(load.url, 1);
    opened.catch(() => {
      opened = undefined; // the next page tries again
    });
  }
  const db = await opened;
  const rows = await asActor(db, load.scope, undefined, (tx) =>
    snapshotPage(tx, { low: load.low, high: load.high, after: load.after, until: load.until }),
  );
  const groups: LoadedGroup[] = [];
  let current: { regionCode: string; items: unknown[]; carry: PageRow[] } | undefined;
  for (const row of rows) {
    const township = townshipOf(row.region_code);
    if (current?.regionCode !== township) {
      current = { regionCode: township, items: [], carry: [] };
      groups.push(current);
    }
    current.items.push(snapshotItem(row, true));
    current.carry.push({
      household_id: row.household_id,
      household_number: row.household_number,
      region_code: row.region_code,
      urban: row.urban,
      categories: row.categories,
      facts_at: row.facts_at,
    });
  }
  return groups;
}

/** Closes this worker's connection (the pool asks before it ends the worker). */
export async function closeLoader(): Promise<void> {
  const db = await opened?.catch(() => undefined);
  opened = undefined;
  await db?.close();
}
