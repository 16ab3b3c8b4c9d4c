/** The personal-data access log (reveals and exports), read by auditors: filters and one page. */
import type { Queryable } from '../../db/database.ts';

export interface AccessLogFilter {
  personId?: string | undefined;
  /** Blind index of an ID number: every person record with it, merged ones included. */
  idNumberIndex?: Buffer | undefined;
  actorId?: string | undefined;
  /** Region prefix (trailing zeros dropped). */
  regionPrefix?: string | undefined;
  /** Calendar days in China time, both ends included. */
  from?: string | undefined;
  to?: string | undefined;
}

export interface AccessLogRow {
  id: string;
  at: Date;
  actor_id: string;
  actor_role: string;
  actor_name: string | null;
  person_id: string | null;
  person_name: string | null;
  id_number_masked: string | null;
  field: string;
  purpose: string;
  detail: unknown;
  region_code: string;
  request_id: string | null;
}

// A day is a day in Beijing time, whatever the database server's time zone: an auditor asking
// for 11月22日 means the caseworker's 11月22日. Each condition is written so an unset filter is
// a constant the planner drops, and the (region_code, at) index still serves the common case.
const WHERE = `($1::uuid IS NULL OR a.person_id = $1)
  AND ($2::bytea IS NULL OR a.person_id IN (SELECT id FROM person WHERE id_number_index = $2))
  AND ($3::text IS NULL OR a.actor_id = $3)
  AND ($4::text IS NULL OR a.region_code LIKE $4 || '%')
  AND ($5::date IS NULL OR a.at >= ($5::date)::timestamp AT TIME ZONE 'Asia/Shanghai')
  AND ($6::date IS NULL OR a.at < ($6::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`;

function params(f: AccessLogFilter): unknown[] {
  return [
    f.personId ?? null,
    f.idNumberIndex ?? null,
    f.actorId ?? null,
    f.regionPrefix ?? null,
    f.from ?? null,
    f.to ?? null,
  ];
}

export async function listAccessLog(
  tx: Queryable,
  filter: AccessLogFilter,
  offset: number,
  limit: number,
): Promise<{ rows: AccessLogRow[]; total: number }> {
  const rows = await tx.query<AccessLogRow>(
    `SELECT a.*, u.display_name AS actor_name, p.name AS person_name, p.id_number_masked
       FROM personal_data_access a
       LEFT JOIN app_user u ON u.id::text = a.actor_id
       LEFT JOIN person p ON p.id = a.person_id
      WHERE ${WHERE} ORDER BY a.at DESC, a.id OFFSET $7 LIMIT $8`,
    [...params(filter), offset, limit],
  );
  const total = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM personal_data_access a WHERE ${WHERE}`,
    params(filter),
  );
  return { rows: rows.rows, total: total.rows[0]?.n ?? 0 };
}
