/** SQL of public notices and objections; every query runs in the caller's scoped transaction. */
import type { Queryable } from '../../db/database.ts';

export interface NoticeRow {
  id: string;
  case_id: string;
  step_round: number;
  household_id: string;
  region_code: string;
  policy_id: string;
  head_name: string;
  id_number_masked: string;
  household_size: number;
  proposed_amount_fen: string | number;
  starts_on: string;
  ends_on: string;
  days: number;
  day_kind: string;
  status: string;
  created_by_name: string;
  objection_count?: number;
  region_name?: string | null;
}

const COLUMNS = `n.id, n.case_id, n.step_round, n.household_id, n.region_code, n.policy_id, n.head_name,
  n.id_number_masked, n.household_size, n.proposed_amount_fen, to_char(n.starts_on, 'YYYY-MM-DD') AS starts_on,
  to_char(n.ends_on, 'YYYY-MM-DD') AS ends_on, n.days, n.day_kind, n.status, n.created_by_name,
  (SELECT count(*)::int FROM notice_objection o WHERE o.notice_id = n.id) AS objection_count,
  (SELECT r.name FROM region r WHERE r.code = n.region_code) AS region_name`;

export function view(n: NoticeRow, staff: boolean) {
  return {
    id: n.id,
    caseId: staff ? n.case_id : null,
    regionCode: n.region_code,
    regionName: n.region_name ?? '',
    policyId: n.policy_id,
    headName: n.head_name,
    idNumberMasked: n.id_number_masked,
    householdSize: n.household_size,
    proposedAmountFen: Number(n.proposed_amount_fen),
    startsOn: n.starts_on,
    endsOn: n.ends_on,
    days: n.days,
    dayKind: n.day_kind,
    status: n.status,
    objectionCount: n.objection_count ?? 0,
  };
}

export async function householdForNotice(tx: Queryable, householdId: string) {
  const r = await tx.query<{ name: string; id_number_masked: string; size: number }>(
    `SELECT p.name, p.id_number_masked,
            (SELECT count(*)::int FROM person m WHERE m.household_id = h.id AND m.merged_into IS NULL
               AND m.death_date IS NULL) AS size
       FROM household h JOIN person p ON p.id = h.head_person_id WHERE h.id = $1`,
    [householdId],
  );
  return r.rows[0];
}

export async function noticeOfRound(tx: Queryable, caseId: string, round: number) {
  const r = await tx.query<NoticeRow>(
    `SELECT ${COLUMNS} FROM public_notice n WHERE n.case_id = $1 AND n.step_round = $2`,
    [caseId, round],
  );
  return r.rows[0];
}

export async function insertNotice(
  tx: Queryable,
  n: Omit<NoticeRow, 'id' | 'status' | 'objection_count' | 'region_name'>,
): Promise<NoticeRow> {
  const r = await tx.query<{ id: string }>(
    `INSERT INTO public_notice (case_id, step_round, household_id, region_code, policy_id, head_name,
       id_number_masked, household_size, proposed_amount_fen, starts_on, ends_on, days, day_kind, created_by_name)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
    [
      n.case_id,
      n.step_round,
      n.household_id,
      n.region_code,
      n.policy_id,
      n.head_name,
      n.id_number_masked,
      n.household_size,
      n.proposed_amount_fen,
      n.starts_on,
      n.ends_on,
      n.days,
      n.day_kind,
      n.created_by_name,
    ],
  );
  return (await findNotice(tx, (r.rows[0] as { id: string }).id)) as NoticeRow;
}

export async function findNotice(tx: Queryable, id: string) {
  const r = await tx.query<NoticeRow>(`SELECT ${COLUMNS} FROM public_notice n WHERE n.id = $1`, [id]);
  return r.rows[0];
}

export async function listNotices(tx: Queryable, status: string | undefined, limit: number, offset: number) {
  const r = await tx.query<NoticeRow & { total: number }>(
    `SELECT ${COLUMNS}, count(*) OVER ()::int AS total FROM public_notice n
      WHERE ($1::text IS NULL OR n.status = $1) ORDER BY n.starts_on DESC, n.id LIMIT $2 OFFSET $3`,
    [status ?? null, limit, offset],
  );
  return { rows: r.rows, total: r.rows[0]?.total ?? 0 };
}

export async function objectionsOf(tx: Queryable, noticeId: string) {
  const r = await tx.query<{
    id: string;
    reason: string;
    anonymous: boolean;
    objector_name: string;
    created_at: Date;
  }>(
    'SELECT id, reason, anonymous, objector_name, created_at FROM notice_objection WHERE notice_id = $1 ORDER BY created_at',
    [noticeId],
  );
  return r.rows;
}

export async function objectionByKey(tx: Queryable, objectorId: string, key: string) {
  const r = await tx.query<{ id: string }>(
    'SELECT id FROM notice_objection WHERE objector_id = $1 AND idempotency_key = $2',
    [objectorId, key],
  );
  return r.rows[0];
}

export async function insertObjection(
  tx: Queryable,
  o: {
    notice_id: string;
    case_id: string;
    region_code: string;
    reason: string;
    anonymous: boolean;
    objector_name: string;
    objector_role: string;
    idempotency_key: string;
  },
) {
  const r = await tx.query<{ id: string }>(
    `INSERT INTO notice_objection (notice_id, case_id, region_code, reason, anonymous, objector_name, objector_role,
       idempotency_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (objector_id, idempotency_key) DO NOTHING RETURNING id`,
    [
      o.notice_id,
      o.case_id,
      o.region_code,
      o.reason,
      o.anonymous,
      o.objector_name,
      o.objector_role,
      o.idempotency_key,
    ],
  );
  return r.rows[0];
}

export async function flagCase(tx: Queryable, caseId: string) {
  await tx.query(
    `UPDATE intake_case SET flags = CASE WHEN 'objection' = ANY (flags) THEN flags ELSE array_append(flags, 'objection') END,
            version = version + 1, updated_at = now() WHERE id = $1`,
    [caseId],
  );
}

export async function closeNotice(tx: Queryable, caseId: string, round: number) {
  await tx.query(
    `UPDATE public_notice SET status = 'closed', closed_at = now() WHERE case_id = $1 AND step_round = $2 AND status = 'open'`,
    [caseId, round],
  );
}
