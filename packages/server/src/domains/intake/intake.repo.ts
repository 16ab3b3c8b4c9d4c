/** SQL of the intake domain; every query runs in the caller's scoped transaction (row-level security). */
import type { Queryable } from '../../db/database.ts';

export interface StaffRelative {
  memberName: string;
  staffName: string;
  post: 'assistanceStaff' | 'villageCommittee';
  relation: string;
}

export interface ApplicationRow {
  id: string;
  household_id: string;
  region_code: string;
  channel: string;
  authorisation: Record<string, unknown> | null;
  /** Apply where you live: the permit and where the household is registered; region_code is the residence. */
  residence: { permitNumber: string; hukouRegionCode: string } | null;
  /** 近亲属备案: a member is a close relative of assistance staff or a village committee member. */
  staff_relative: StaffRelative | null;
  note: string | null;
  received_on: string;
  submitted_by: string;
  submitted_by_name: string;
  submitted_by_role: string;
  owner_id: string;
  owner_name: string;
  idempotency_key: string;
  request_hash: string;
  version: number;
  created_at: Date;
}

export interface CaseRow {
  id: string;
  application_id: string;
  item_no: number;
  household_id: string;
  region_code: string;
  policy_id: string;
  template_id: string;
  department: string | null;
  status: string;
  current_step: string | null;
  step_round: number;
  step_office: string | null;
  step_started_on: string | null;
  step_due_on: string | null;
  step_working_days: number | null;
  due_status: 'green' | 'yellow' | 'red';
  received_on: string;
  case_due_on: string;
  extended_reason: string | null;
  flags: string[];
  completed_steps: string[];
  outcome_reason: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

const DATE_COLUMNS = `to_char(received_on, 'YYYY-MM-DD') AS received_on`;
export const CASE_COLUMNS = `c.id, c.application_id, c.item_no, c.household_id, c.region_code, c.policy_id, c.template_id,
  c.department, c.status, c.current_step, c.step_round, c.step_office,
  to_char(c.step_started_on, 'YYYY-MM-DD') AS step_started_on, to_char(c.step_due_on, 'YYYY-MM-DD') AS step_due_on,
  c.step_working_days, c.due_status, to_char(c.received_on, 'YYYY-MM-DD') AS received_on,
  to_char(c.case_due_on, 'YYYY-MM-DD') AS case_due_on, c.extended_reason, c.flags, c.completed_steps,
  c.outcome_reason, c.version, c.created_at, c.updated_at, c.closed_at`;
const APPLICATION_COLUMNS = `id, household_id, region_code, channel, authorisation, residence, staff_relative, note, ${DATE_COLUMNS}, submitted_by,
  submitted_by_name, submitted_by_role, owner_id, owner_name, idempotency_key, request_hash, version, created_at`;

export async function findHousehold(tx: Queryable, id: string) {
  const r = await tx.query<{ id: string; region_code: string; household_number: string }>(
    'SELECT id, region_code, household_number FROM household WHERE id = $1',
    [id],
  );
  return r.rows[0];
}

/** Inserts unless the submitter already used this key; returns undefined when it had. */
export async function insertApplication(
  tx: Queryable,
  a: Omit<ApplicationRow, 'id' | 'version' | 'created_at'>,
): Promise<ApplicationRow | undefined> {
  const r = await tx.query<ApplicationRow>(
    `INSERT INTO intake_application (household_id, region_code, channel, authorisation, note, received_on,
       submitted_by, submitted_by_name, submitted_by_role, owner_id, owner_name, idempotency_key, request_hash,
       residence, staff_relative)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     ON CONFLICT (submitted_by, idempotency_key) DO NOTHING
     RETURNING ${APPLICATION_COLUMNS}`,
    [
      a.household_id,
      a.region_code,
      a.channel,
      a.authorisation === null ? null : JSON.stringify(a.authorisation),
      a.note,
      a.received_on,
      a.submitted_by,
      a.submitted_by_name,
      a.submitted_by_role,
      a.owner_id,
      a.owner_name,
      a.idempotency_key,
      a.request_hash,
      a.residence === null ? null : JSON.stringify(a.residence),
      a.staff_relative === null ? null : JSON.stringify(a.staff_relative),
    ],
  );
  return r.rows[0];
}

export async function applicationByKey(tx: Queryable, submittedBy: string, key: string) {
  const r = await tx.query<ApplicationRow>(
    `SELECT ${APPLICATION_COLUMNS} FROM intake_application WHERE submitted_by = $1 AND idempotency_key = $2`,
    [submittedBy, key],
  );
  return r.rows[0];
}

export async function findApplication(tx: Queryable, id: string, forUpdate = false) {
  const r = await tx.query<ApplicationRow>(
    `SELECT ${APPLICATION_COLUMNS} FROM intake_application WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return r.rows[0];
}

export async function listApplications(tx: Queryable, limit: number, offset: number) {
  const r = await tx.query<ApplicationRow & { total: number }>(
    `SELECT ${APPLICATION_COLUMNS}, count(*) OVER ()::int AS total FROM intake_application
      ORDER BY created_at DESC, id LIMIT $1 OFFSET $2`,
    [limit, offset],
  );
  return { rows: r.rows, total: r.rows[0]?.total ?? 0 };
}

export async function setOwner(tx: Queryable, id: string, ownerId: string, ownerName: string) {
  await tx.query(
    'UPDATE intake_application SET owner_id = $2, owner_name = $3, version = version + 1 WHERE id = $1',
    [id, ownerId, ownerName],
  );
}

export async function casesOfApplication(tx: Queryable, applicationId: string) {
  const r = await tx.query<CaseRow>(
    `SELECT ${CASE_COLUMNS} FROM intake_case c WHERE c.application_id = $1 ORDER BY c.item_no`,
    [applicationId],
  );
  return r.rows;
}

export async function findCase(tx: Queryable, id: string, forUpdate = false) {
  const r = await tx.query<CaseRow>(
    `SELECT ${CASE_COLUMNS} FROM intake_case c WHERE c.id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return r.rows[0];
}

export interface CaseFilter {
  status?: string | undefined;
  office?: string | undefined;
  department?: string | undefined;
  dueStatus?: string | undefined;
  regionCode?: string | undefined;
  dueBefore?: string | undefined;
  /** Only cases carrying this flag (staffRelative: the county's 近亲属备案 list). */
  flag?: string | undefined;
}

export async function listCases(tx: Queryable, f: CaseFilter, limit: number, offset: number) {
  const r = await tx.query<CaseRow & { total: number }>(
    `SELECT ${CASE_COLUMNS}, count(*) OVER ()::int AS total FROM intake_case c
      WHERE ($1::text IS NULL OR c.status = $1) AND ($2::text IS NULL OR c.step_office = $2)
        AND ($3::text IS NULL OR c.department = $3) AND ($4::text IS NULL OR c.due_status = $4)
        AND ($5::text IS NULL OR (c.region_code ~>=~ rpad($5, 12, '0') AND c.region_code ~<=~ rpad($5, 12, '9')))
        AND ($6::date IS NULL OR c.step_due_on < $6)
        AND ($9::text IS NULL OR $9 = ANY (c.flags))
      ORDER BY c.step_due_on NULLS LAST, c.created_at, c.id LIMIT $7 OFFSET $8`,
    [
      f.status ?? null,
      f.office ?? null,
      f.department ?? null,
      f.dueStatus ?? null,
      f.regionCode ?? null,
      f.dueBefore ?? null,
      limit,
      offset,
      f.flag ?? null,
    ],
  );
  return { rows: r.rows, total: r.rows[0]?.total ?? 0 };
}

export interface EventRow {
  seq: number;
  at: Date;
  on_date: string;
  action: string;
  from_step: string | null;
  to_step: string | null;
  outcome: string | null;
  legal_ground: string | null;
  detail: Record<string, unknown> | null;
  actor_name: string;
  actor_role: string;
}

export async function insertEvent(
  tx: Queryable,
  e: Omit<EventRow, 'seq' | 'at'> & { case_id: string; region_code: string },
) {
  await tx.query(
    `INSERT INTO intake_case_event (case_id, on_date, action, from_step, to_step, outcome, legal_ground, detail,
       actor_name, actor_role, region_code)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      e.case_id,
      e.on_date,
      e.action,
      e.from_step,
      e.to_step,
      e.outcome,
      e.legal_ground,
      e.detail === null ? null : JSON.stringify(e.detail),
      e.actor_name,
      e.actor_role,
      e.region_code,
    ],
  );
}

export async function eventsOf(tx: Queryable, caseId: string) {
  const r = await tx.query<EventRow>(
    `SELECT seq, at, to_char(on_date, 'YYYY-MM-DD') AS on_date, action, from_step, to_step, outcome, legal_ground,
            detail, actor_name, actor_role
       FROM intake_case_event WHERE case_id = $1 ORDER BY seq`,
    [caseId],
  );
  return r.rows;
}

export async function documentsOf(tx: Queryable, caseId: string) {
  const r = await tx.query<{ document_id: string; step: string; recorded_on: string }>(
    `SELECT document_id, step, to_char(recorded_on, 'YYYY-MM-DD') AS recorded_on
       FROM intake_case_document WHERE case_id = $1 ORDER BY recorded_at, document_id`,
    [caseId],
  );
  return r.rows;
}

/** Records documents; one recorded already stays as first recorded (a retry adds nothing). */
export async function recordDocuments(
  tx: Queryable,
  caseId: string,
  regionCode: string,
  step: string,
  on: string,
  ids: string[],
) {
  if (ids.length === 0) return;
  await tx.query(
    `INSERT INTO intake_case_document (case_id, document_id, step, recorded_on, region_code)
     SELECT $1, d, $3, $4, $5 FROM unnest($2::text[]) AS d
     ON CONFLICT (case_id, document_id) DO NOTHING`,
    [caseId, ids, step, on, regionCode],
  );
}

export async function drawSpotCheck(
  tx: Queryable,
  countyPrefix: string,
  templateId: string,
  step: string,
  share: number,
) {
  const r = await tx.query<{ pick: boolean }>('SELECT intake_spot_check_draw($1, $2, $3, $4) AS pick', [
    countyPrefix,
    templateId,
    step,
    share,
  ]);
  return r.rows[0]?.pick === true;
}
