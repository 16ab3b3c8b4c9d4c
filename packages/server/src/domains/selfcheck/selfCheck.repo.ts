/** SQL for the public address picker. Regions are public reference data (no row-level security). */
import type { Queryable } from '../../db/database.ts';
import type { RegionRow } from '../regions/regions.repo.ts';

/** The counties this platform serves: those whose regions were imported. */
export async function listCounties(tx: Queryable, limit: number): Promise<RegionRow[]> {
  const result = await tx.query<RegionRow>(
    `SELECT r.code, r.original_code, r.name, r.level, r.parent_code, r.urban,
       (SELECT count(*)::int FROM region c WHERE c.parent_code = r.code) AS child_count
     FROM region r WHERE r.level = 3 ORDER BY r.code LIMIT $1`,
    [limit],
  );
  return result.rows;
}
