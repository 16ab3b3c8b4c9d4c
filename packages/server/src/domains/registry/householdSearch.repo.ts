/** SQL of the household list, search and export: one filter, applied by both. */
import type { Queryable } from '../../db/database.ts';

export interface HouseholdFilter {
  low: string;
  high: string;
  category?: string | undefined;
  namePattern?: string | undefined;
  idNumberIndex?: Buffer | undefined;
  phoneIndex?: Buffer | undefined;
  on: string;
}

const IN_FORCE = `c.valid_from <= $2 AND (c.valid_to IS NULL OR c.valid_to > $2)`;

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
      `h.id IN (SELECT c.household_id FROM household_category c WHERE c.category = $3 AND ${IN_FORCE})`,
    ),
    when(
      f.namePattern,
      4,
      'text',
      'h.id IN (SELECT p.household_id FROM person p WHERE p.name LIKE $4 AND p.merged_into IS NULL)',
    ),
    when(
      f.idNumberIndex,
      5,
      'bytea',
      'h.id IN (SELECT p.household_id FROM person p WHERE p.id_number_index = $5)',
    ),
    when(f.phoneIndex, 6, 'bytea', 'h.id IN (SELECT p.household_id FROM person p WHERE p.phone_index = $6)'),
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

export async function listHouseholds(
  tx: Queryable,
  filter: HouseholdFilter,
  offset: number,
  limit: number,
): Promise<{ rows: HouseholdListRow[]; total: number }> {
  const { where, params } = householdWhere(filter);
  const rows = await tx.query<HouseholdListRow>(
    `SELECT h.id, h.household_number, h.region_code, v.name AS region_name, h.address, h.urban, h.version,
            hp.id AS head_id, hp.name AS head_name, hp.id_number_masked AS head_id_number_masked,
            (SELECT count(*)::int FROM person m WHERE m.household_id = h.id AND m.merged_into IS NULL) AS member_count,
            ARRAY(SELECT c.category FROM household_category c WHERE c.household_id = h.id AND ${IN_FORCE}
                  ORDER BY c.category) AS categories
       FROM household h JOIN region v ON v.code = h.region_code LEFT JOIN person hp ON hp.id = h.head_person_id
      WHERE ${where}
      ORDER BY h.region_code, h.household_number OFFSET $8 LIMIT $9`,
    [...params, offset, limit],
  );
  const total = await tx.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM household h WHERE ${where}`,
    params,
  );
  return { rows: rows.rows, total: total.rows[0]?.count ?? 0 };
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
