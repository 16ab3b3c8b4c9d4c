/** Reading a run's results: the paged, filtered list and one household's stored row. */
import type { Queryable } from '../../db/database.ts';
import { regionBounds } from '../householdFacts/householdFacts.ts';

export interface ResultQuery {
  /** Township or village (or the county) to narrow to. */
  regionCode?: string;
  /** Only households where this policy was found. */
  policy?: string;
  /** Only households newly qualifying since the previous run (for `policy`, or for any policy). */
  newly?: boolean;
  /** Households found eligible (default), or those that could qualify with more information. */
  kind?: 'eligible' | 'needsInfo';
  page: number;
  pageSize: number;
}

interface Row {
  household_id: string;
  region_code: string;
  eligible: string[];
  amounts_fen: (number | string | null)[];
  newly: string[];
  needs_info: string[];
  monthly_total_fen: number;
  household_number: string;
  address: string;
  village_name: string | null;
  township_name: string | null;
  head_name: string | null;
  head_id_masked: string | null;
}

function view(r: Row) {
  return {
    householdId: r.household_id,
    householdNumber: r.household_number,
    regionCode: r.region_code,
    villageName: r.village_name ?? '',
    townshipName: r.township_name ?? '',
    address: r.address,
    headName: r.head_name,
    headIdNumberMasked: r.head_id_masked,
    policies: r.eligible.map((policyId, i) => ({
      policyId,
      // node-postgres returns bigint[] elements as strings (PGlite as numbers).
      amountFen:
        r.amounts_fen[i] === null || r.amounts_fen[i] === undefined ? null : Number(r.amounts_fen[i]),
      newly: r.newly.includes(policyId),
    })),
    needsInformation: r.needs_info,
    monthlyTotalFen: r.monthly_total_fen,
  };
}

const SELECT = `
  SELECT r.household_id, r.region_code, r.eligible, r.amounts_fen, r.newly, r.needs_info, r.monthly_total_fen,
         h.household_number, h.address, v.name AS village_name, t.name AS township_name,
         p.name AS head_name, p.id_number_masked AS head_id_masked
    FROM screening_result r
    JOIN household h ON h.id = r.household_id
    LEFT JOIN person p ON p.id = h.head_person_id
    LEFT JOIN region v ON v.code = r.region_code
    LEFT JOIN region t ON t.code = v.parent_code`;

/**
 * Filters as parameters only ($n), never spliced into SQL. Row-level security limits the rows to the
 * caller's scope whatever region is asked for.
 */
export async function resultsPage(tx: Queryable, runId: string, q: ResultQuery) {
  const bounds = q.regionCode ? regionBounds(q.regionCode) : { low: '000000000000', high: '999999999999' };
  const where = `r.run_id = $1::uuid AND r.region_code BETWEEN $2::text AND $3::text
    AND (CASE WHEN $5::text = 'needsInfo' THEN cardinality(r.needs_info) > 0 ELSE cardinality(r.eligible) > 0 END)
    AND ($4::text IS NULL OR (CASE WHEN $5::text = 'needsInfo' THEN r.needs_info ELSE r.eligible END) @> ARRAY[$4::text])
    AND (NOT $6::boolean OR ($4::text IS NULL AND cardinality(r.newly) > 0) OR r.newly @> ARRAY[$4::text])`;
  const params = [runId, bounds.low, bounds.high, q.policy ?? null, q.kind ?? 'eligible', q.newly === true];
  const rows = await tx.query<Row>(
    `${SELECT} WHERE ${where} ORDER BY r.monthly_total_fen DESC, cardinality(r.eligible) DESC, r.household_id
     LIMIT $7 OFFSET $8`,
    [...params, q.pageSize, (q.page - 1) * q.pageSize],
  );
  const total = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM screening_result r WHERE ${where}`,
    params,
  );
  return { items: rows.rows.map(view), total: total.rows[0]?.n ?? 0, page: q.page, pageSize: q.pageSize };
}

/** One household's stored result in a run (a household with nothing found has a row-less result). */
export async function householdScreening(tx: Queryable, runId: string, householdId: string) {
  const found = await tx.query<Row>(`${SELECT} WHERE r.run_id = $1 AND r.household_id = $2`, [
    runId,
    householdId,
  ]);
  const row = found.rows[0];
  if (row) return view(row);
  const household = await tx.query<Row>(
    `SELECT h.id AS household_id, h.region_code, '{}'::text[] AS eligible, '{}'::bigint[] AS amounts_fen,
            '{}'::text[] AS newly, '{}'::text[] AS needs_info, 0 AS monthly_total_fen, h.household_number, h.address,
            v.name AS village_name, t.name AS township_name, p.name AS head_name, p.id_number_masked AS head_id_masked
       FROM household h LEFT JOIN person p ON p.id = h.head_person_id
       LEFT JOIN region v ON v.code = h.region_code LEFT JOIN region t ON t.code = v.parent_code
      WHERE h.id = $1`,
    [householdId],
  );
  return household.rows[0] ? view(household.rows[0]) : undefined;
}
