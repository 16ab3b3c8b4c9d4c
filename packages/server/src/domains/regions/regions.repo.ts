/** SQL for the region tree. Regions are public reference data: no row-level security. */
import type { Queryable } from '../../db/database.ts';

export interface RegionRow {
  code: string;
  original_code: string;
  name: string;
  level: number;
  parent_code: string | null;
  urban: boolean | null;
  child_count: number;
}

const SELECT_REGION = `SELECT r.code, r.original_code, r.name, r.level, r.parent_code, r.urban,
  (SELECT count(*)::int FROM region c WHERE c.parent_code = r.code) AS child_count FROM region r`;

export async function findRegion(tx: Queryable, code: string): Promise<RegionRow | undefined> {
  const result = await tx.query<RegionRow>(`${SELECT_REGION} WHERE r.code = $1`, [code]);
  return result.rows[0];
}

export async function listChildren(tx: Queryable, code: string): Promise<RegionRow[]> {
  const result = await tx.query<RegionRow>(`${SELECT_REGION} WHERE r.parent_code = $1 ORDER BY r.code`, [
    code,
  ]);
  return result.rows;
}

/** The chain from the nation down to `code`, for breadcrumbs. */
export async function listAncestors(tx: Queryable, code: string): Promise<RegionRow[]> {
  const result = await tx.query<RegionRow>(
    `WITH RECURSIVE up AS (
       SELECT code, parent_code, 0 AS depth FROM region WHERE code = $1
       UNION ALL SELECT p.code, p.parent_code, up.depth + 1 FROM region p JOIN up ON p.code = up.parent_code)
     ${SELECT_REGION} JOIN up ON up.code = r.code ORDER BY up.depth DESC`,
    [code],
  );
  return result.rows;
}

export async function searchRegions(
  tx: Queryable,
  prefix: string,
  name: string,
  limit: number,
): Promise<RegionRow[]> {
  const result = await tx.query<RegionRow>(
    `${SELECT_REGION} WHERE r.code LIKE $1 || '%' AND r.name LIKE '%' || $2 || '%' ORDER BY r.level, r.code LIMIT $3`,
    [prefix, name.replace(/[%_\\]/g, (c) => `\\${c}`), limit],
  );
  return result.rows;
}

export interface RegionInput {
  code: string;
  originalCode: string;
  name: string;
  level: number;
  parentCode: string | null;
  urban: boolean | null;
}

/** Upserts a batch; returns how many rows were new. Re-importing the same data changes nothing. */
export async function upsertRegions(tx: Queryable, regions: RegionInput[]): Promise<number> {
  if (regions.length === 0) return 0;
  const result = await tx.query<{ inserted: boolean }>(
    `INSERT INTO region (code, original_code, name, level, parent_code, urban)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::smallint[], $5::text[], $6::boolean[])
     ON CONFLICT (code) DO UPDATE SET name = excluded.name, original_code = excluded.original_code,
       urban = excluded.urban, parent_code = excluded.parent_code
       WHERE (region.name, region.urban, region.parent_code) IS DISTINCT FROM (excluded.name, excluded.urban, excluded.parent_code)
     RETURNING (xmax = 0) AS inserted`,
    [
      regions.map((r) => r.code),
      regions.map((r) => r.originalCode),
      regions.map((r) => r.name),
      regions.map((r) => r.level),
      regions.map((r) => r.parentCode),
      regions.map((r) => r.urban),
    ],
  );
  return result.rows.filter((r) => r.inserted).length;
}

export async function countRegions(tx: Queryable, prefix: string): Promise<Record<number, number>> {
  const result = await tx.query<{ level: number; count: number }>(
    `SELECT level, count(*)::int AS count FROM region WHERE code LIKE $1 || '%' GROUP BY level`,
    [prefix],
  );
  return Object.fromEntries(result.rows.map((r) => [r.level, r.count]));
}
