/** SQL of the household list, search and export: one filter, applied by both. */
import type { Queryable } from '../../db/database.ts';

export interface HouseholdFilter {
  low: string;
  high: string;
  category?: string | undefined;
  namePattern?: string | undefined;
  idNumberIndex?: Buffer | undefined;
  phoneIndex?: Buffer | undefined;
  /**
   * How to apply the category filter. 'set' (default) gathers the category's households in the
   * range first, then sorts them: cost grows with how many there are. 'probe' walks households
   * in page order and checks each: cost grows with how rare they are. The caller picks from the
   * summary's counts (householdList.service.ts).
   */
  categoryPlan?: 'set' | 'probe' | undefined;
  /** 户号: exact, or a prefix (LIKE 'x%'; the schema admits only [0-9A-Za-z-], no wildcard). */
  householdNumber?: { value: string; mode: 'exact' | 'prefix' } | undefined;
  on: string;
}

const IN_FORCE = `c.valid_from <= $2 AND (c.valid_to IS NULL OR c.valid_to > $2)`;

/**
 * A 户号 prefix of this many characters or more matches few households (户号 are 10 digits), so its
 * matches are gathered once through household_number_pattern_idx and fetched by primary key.
 * Without this, PostgreSQL cannot see the region-scope bounds (row-level security functions) and
 * walks every household in page order testing the pattern: 0.4 s p50 at 1M households.
 * Shorter prefixes match many households: the per-row test in page order is then the cheaper plan.
 */
const SELECTIVE_PREFIX = 6;

function householdNumberCondition(filter: HouseholdFilter['householdNumber']): string {
  if (filter?.mode === 'exact') return 'h.household_number = $8';
  if (filter && filter.value.length >= SELECTIVE_PREFIX) {
    // LIKE is not leakproof, so under row-level security PostgreSQL will not use it as an index
    // condition; the byte-wise range operators (~>=~, ~<~) are leakproof and use the same index.
    // Every allowed 户号 character sorts below U+007F, so [prefix, prefix || U+007F) is the prefix.
    return `h.id = ANY(ARRAY(SELECT x.id FROM household x
                   WHERE x.household_number ~>=~ left($8, -1) AND x.household_number ~<~ (left($8, -1) || chr(127))
                     AND x.household_number LIKE $8 AND x.region_code BETWEEN $1 AND $7))`;
  }
  return 'h.household_number LIKE $8';
}

/**
 * Name search. A prefix ('王建%') is turned into a leakproof byte-wise range on person_name_idx
 * (text_pattern_ops), for the same reason as the 户号 prefix: under row-level security LIKE is
 * never an index condition, and PostgreSQL would test the members of every household in page
 * order (2.3 s at 1M households). The range bound U+10FFFF sorts after every character. The
 * prefix is the pattern without its final % and with likeEscape's backslashes removed.
 * A "contains" search ('%阳明%') cannot use an index and keeps the per-row test, as does a
 * one-character prefix.
 */
function nameCondition(pattern: string | undefined): string {
  // One character (a surname alone) matches a large share of the county: walking households in
  // page order finds a page of them sooner than gathering them all (4.6 s for 李 at 1M).
  if (pattern === undefined || pattern.startsWith('%') || [...pattern].length < 3) {
    return 'h.id IN (SELECT p.household_id FROM person p WHERE p.name LIKE $4 AND p.merged_into IS NULL)';
  }
  const prefix = String.raw`regexp_replace(left($4, -1), '\\(.)', '\1', 'g')`;
  return `h.id = ANY(ARRAY(SELECT p.household_id FROM person p
                   WHERE p.name ~>=~ ${prefix} AND p.name ~<~ (${prefix} || chr(1114111))
                     AND p.name LIKE $4 AND p.merged_into IS NULL))`;
}

/**
 * Each filter appears only when given (an absent one is `$n IS NULL`, which keeps its type):
 * a condition under OR would stop PostgreSQL from turning it into a join, and a blind-index
 * search would then scan every household in scope instead of one index entry.
 */
function householdWhere(f: HouseholdFilter): { where: string; params: unknown[] } {
  const when = (given: unknown, n: number, type: string, condition: string) =>
    given === undefined ? `$${n}::${type} IS NULL` : condition;
  const where = [
    'h.region_code BETWEEN $1 AND $7 AND $2::date IS NOT NULL',
    when(
      f.category,
      3,
      'text',
      f.categoryPlan === 'probe'
        ? // A scalar subquery is not turned into a join: it stays a per-row check in index order.
          `(SELECT count(*) FROM household_category c WHERE c.household_id = h.id AND c.category = $3 AND ${IN_FORCE}) > 0`
        : // = ANY(ARRAY(…)) is computed once, then each household fetched by its primary key.
          `h.id = ANY(ARRAY(SELECT c.household_id FROM household_category c
                   WHERE c.category = $3 AND ${IN_FORCE} AND c.region_code BETWEEN $1 AND $7))`,
    ),
    when(f.namePattern, 4, 'text', nameCondition(f.namePattern)),
    when(
      f.idNumberIndex,
      5,
      'bytea',
      'h.id IN (SELECT p.household_id FROM person p WHERE p.id_number_index = $5)',
    ),
    when(f.phoneIndex, 6, 'bytea', 'h.id IN (SELECT p.household_id FROM person p WHERE p.phone_index = $6)'),
    when(f.householdNumber, 8, 'text', householdNumberCondition(f.householdNumber)),
  ].join('\n      AND ');
  return {
    where,
    params: [
      f.low,
      f.on,
      f.category ?? null,
      f.namePattern ?? null,
      f.idNumberIndex ?? null,
      f.phoneIndex ?? null,
      f.high,
      f.householdNumber
        ? f.householdNumber.mode === 'exact'
          ? f.householdNumber.value
          : `${f.householdNumber.value}%`
        : null,
    ],
  };
}

export interface HouseholdListRow {
  id: string;
  household_number: string;
  region_code: string;
  region_name: string;
  address: string;
  urban: boolean;
  version: number;
  head_id: string | null;
  head_name: string | null;
  head_id_number_masked: string | null;
  member_count: number;
  categories: string[];
}

/** Totals above this are reported as "more than 10,000" (counting further costs seconds at 1M). */
export const TOTAL_CAP = 10_000;

/** True when only the region range and the category are given: the summary answers the total. */
export function summaryCanCount(f: HouseholdFilter): boolean {
  return !f.namePattern && !f.idNumberIndex && !f.phoneIndex && !f.householdNumber;
}

/**
 * One page in (village code, 户号) order, served by household_region_page_idx: by offset, or after a
 * cursor (the last row's code and number), which costs the same on page 1 and page 50,000.
 * Fetches one row more than asked to know whether there is a next page.
 */
export async function listHouseholds(
  tx: Queryable,
  filter: HouseholdFilter,
  page: {
    offset: number;
    limit: number;
    after?: { regionCode: string; householdNumber: string } | undefined;
  },
): Promise<{ rows: HouseholdListRow[]; more: boolean }> {
  const { where, params } = householdWhere(filter);
  const keyset = page.after
    ? 'AND (h.region_code, h.household_number) > ($11, $12)'
    : 'AND $11::text IS NULL AND $12::text IS NULL';
  // The page is chosen first (keys only, an index-only scan of household_region_page_idx), then the member
  // count and categories are computed for its rows alone: in one query PostgreSQL computes them
  // for every row it skips over as well.
  const rows = await tx.query<HouseholdListRow>(
    `WITH page AS MATERIALIZED (
       SELECT h.id, h.region_code, h.household_number FROM household h
        WHERE ${where} ${keyset}
        ORDER BY h.region_code, h.household_number OFFSET $9 LIMIT $10)
     SELECT h.id, h.household_number, h.region_code, v.name AS region_name, h.address, h.urban, h.version,
            hp.id AS head_id, hp.name AS head_name, hp.id_number_masked AS head_id_number_masked,
            (SELECT count(*)::int FROM person m WHERE m.household_id = h.id AND m.merged_into IS NULL) AS member_count,
            ARRAY(SELECT c.category FROM household_category c WHERE c.household_id = h.id AND ${IN_FORCE}
                  ORDER BY c.category) AS categories
       FROM page JOIN household h ON h.id = page.id JOIN region v ON v.code = h.region_code
       LEFT JOIN person hp ON hp.id = h.head_person_id
      ORDER BY page.region_code, page.household_number`,
    [
      ...params,
      page.offset,
      page.limit + 1,
      page.after?.regionCode ?? null,
      page.after?.householdNumber ?? null,
    ],
  );
  return { rows: rows.rows.slice(0, page.limit), more: rows.rows.length > page.limit };
}

/** Counts matching households up to TOTAL_CAP + 1, so the caller can say "more than 10,000". */
export async function countHouseholdsCapped(tx: Queryable, filter: HouseholdFilter): Promise<number> {
  const { where, params } = householdWhere(filter);
  const total = await tx.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM (SELECT 1 FROM household h WHERE ${where} LIMIT ${TOTAL_CAP + 1}) s`,
    params,
  );
  return total.rows[0]?.count ?? 0;
}

export interface ExportRow {
  household_number: string;
  region_name: string;
  address: string;
  name: string;
  relationship_to_head: string;
  id_number_masked: string;
  id_number_cipher: Uint8Array;
  sex: string;
  birth_date: string;
  phone_masked: string | null;
  phone_cipher: Uint8Array | null;
  categories: string[];
}

export async function countExportRows(tx: Queryable, filter: HouseholdFilter): Promise<number> {
  const { where, params } = householdWhere(filter);
  const result = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM household h JOIN person m ON m.household_id = h.id AND m.merged_into IS NULL
      WHERE ${where}`,
    params,
  );
  return result.rows[0]?.n ?? 0;
}

export async function exportRows(
  tx: Queryable,
  filter: HouseholdFilter,
  reveal: boolean,
): Promise<ExportRow[]> {
  const { where, params } = householdWhere(filter);
  const result = await tx.query<ExportRow>(
    `SELECT h.household_number, v.name AS region_name, h.address, m.name, m.relationship_to_head,
            m.id_number_masked, ${reveal ? 'm.id_number_cipher, m.phone_cipher' : 'NULL AS id_number_cipher, NULL AS phone_cipher'},
            m.sex, m.birth_date, m.phone_masked,
            ARRAY(SELECT c.category FROM household_category c WHERE c.household_id = h.id AND ${IN_FORCE}
                  ORDER BY c.category) AS categories
       FROM household h JOIN region v ON v.code = h.region_code
       JOIN person m ON m.household_id = h.id AND m.merged_into IS NULL
      WHERE ${where}
      ORDER BY h.region_code, h.household_number, (m.relationship_to_head = 'head') DESC, m.birth_date`,
    params,
  );
  return result.rows;
}
