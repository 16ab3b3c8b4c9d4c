/** The SQL of the alert loop (monitoring_alert and its events, migrations 011 and 015). */
import type { Queryable } from '../../db/database.ts';
import { regionPrefix } from '../regions/regionCode.ts';

export interface AlertRow {
  id: string;
  household_id: string | null;
  subject_key: string;
  region_code: string;
  region_name: string | null;
  household_number: string | null;
  head_name: string | null;
  cause: string;
  origin: string;
  colour: string;
  score: string | null;
  model_version: string | null;
  evidence: unknown[];
  summary_zh: string;
  status: string;
  lead_department: string | null;
  supporting_departments: string[];
  accept_due_on: string | null;
  handle_due_on: string | null;
  escalation_level: number;
  handling: string | null;
  intake_case_id: string | null;
  outcome: string | null;
  close_reason: string | null;
  raise_count: number;
  first_raised_at: Date;
  last_raised_at: Date;
  version: number;
  closed_at: Date | null;
  request_category: string | null;
  request_text: string | null;
  raised_by: string | null;
  raised_by_name: string | null;
  dispatch_rule: string | null;
  responsible_region_code: string | null;
  dispatched_on: string | null;
  accepted_by_name: string | null;
  accepted_on: string | null;
  referral_department: string | null;
  handling_note: string | null;
  feedback: string | null;
  handle_from_on: string | null;
  handle_due_status: string | null;
  handle_escalation_level: number;
  handle_escalated_to: string | null;
}

const day = (column: string) => `to_char(a.${column}, 'YYYY-MM-DD') AS ${column}`;
export const ALERT_COLUMNS = `a.id, a.household_id, a.subject_key, a.region_code, r.name AS region_name,
  h.household_number, hp.name AS head_name, a.cause, a.origin, a.colour, a.score::text AS score,
  a.model_version, a.evidence, a.summary_zh, a.status, a.lead_department, a.supporting_departments,
  ${day('accept_due_on')}, ${day('handle_due_on')}, a.escalation_level, a.handling, a.intake_case_id,
  a.outcome, a.close_reason, a.raise_count, a.first_raised_at, a.last_raised_at, a.version, a.closed_at,
  a.request_category, a.request_text, a.raised_by, a.raised_by_name, a.dispatch_rule,
  a.responsible_region_code, ${day('dispatched_on')}, a.accepted_by_name, ${day('accepted_on')},
  a.referral_department, a.handling_note, a.feedback, ${day('handle_from_on')}, a.handle_due_status,
  a.handle_escalation_level, a.handle_escalated_to`;
export const ALERT_FROM = `monitoring_alert a
  LEFT JOIN region r ON r.code = a.region_code
  LEFT JOIN household h ON h.id = a.household_id
  LEFT JOIN person hp ON hp.id = h.head_person_id`;

export async function findAlert(tx: Queryable, id: string, lock = false): Promise<AlertRow | undefined> {
  if (lock) await tx.query('SELECT 1 FROM monitoring_alert WHERE id = $1 FOR UPDATE', [id]);
  const result = await tx.query<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM ${ALERT_FROM} WHERE a.id = $1`, [id]);
  return result.rows[0];
}

export async function alertByRequestKey(tx: Queryable, raisedBy: string, key: string) {
  const result = await tx.query<{ id: string }>(
    'SELECT id FROM monitoring_alert WHERE raised_by = $1 AND request_key = $2',
    [raisedBy, key],
  );
  return result.rows[0]?.id;
}

export async function openAlertFor(tx: Queryable, subjectKey: string, cause: string) {
  const result = await tx.query<{ id: string }>(
    `SELECT id FROM monitoring_alert WHERE subject_key = $1 AND cause = $2 AND status <> 'closed' FOR UPDATE`,
    [subjectKey, cause],
  );
  return result.rows[0]?.id;
}

export interface NewRequestAlert {
  household_id: string | null;
  subject_key: string;
  region_code: string;
  origin: string;
  colour: string;
  evidence: unknown[];
  summary_zh: string;
  request_category: string;
  request_text: string;
  raised_by: string;
  raised_by_name: string;
  request_key: string;
  /** The service's clock (tests move it), so months and ages agree with the limits. */
  raised_at: Date;
}

/** Inserts a request alert; undefined when another request of the same user and key won the race. */
export async function insertRequestAlert(tx: Queryable, a: NewRequestAlert): Promise<string | undefined> {
  const result = await tx.query<{ id: string }>(
    `INSERT INTO monitoring_alert (household_id, subject_key, region_code, cause, origin, colour, evidence,
       summary_zh, request_category, request_text, raised_by, raised_by_name, request_key, first_raised_at,
       last_raised_at)
     VALUES ($1, $2, $3, 'request', $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12, $13, $13)
     ON CONFLICT (raised_by, request_key) WHERE request_key IS NOT NULL DO NOTHING RETURNING id`,
    [
      a.household_id,
      a.subject_key,
      a.region_code,
      a.origin,
      a.colour,
      JSON.stringify(a.evidence),
      a.summary_zh,
      a.request_category,
      a.request_text,
      a.raised_by,
      a.raised_by_name,
      a.request_key,
      a.raised_at,
    ],
  );
  return result.rows[0]?.id;
}

/** Sets the given columns and moves the version on (the caller has locked the row and checked it). */
export async function updateAlert(tx: Queryable, id: string, set: Record<string, unknown>): Promise<void> {
  const keys = Object.keys(set);
  const assignments = keys.map((k, i) => `${k} = $${i + 2}`);
  await tx.query(
    `UPDATE monitoring_alert SET ${[...assignments, 'version = version + 1', 'updated_at = now()'].join(', ')}
      WHERE id = $1`,
    [id, ...keys.map((k) => set[k])],
  );
}

export interface EventInput {
  alert_id: string;
  action: string;
  from_status: string | null;
  to_status: string | null;
  detail: unknown;
  actor_id: string;
  actor_name: string;
  region_code: string;
}

export async function insertEvent(tx: Queryable, e: EventInput): Promise<void> {
  await tx.query(
    `INSERT INTO monitoring_alert_event (alert_id, action, from_status, to_status, detail, actor_id,
       actor_name, region_code)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8)`,
    [
      e.alert_id,
      e.action,
      e.from_status,
      e.to_status,
      e.detail === null ? null : JSON.stringify(e.detail),
      e.actor_id,
      e.actor_name,
      e.region_code,
    ],
  );
}

export interface EventRow {
  seq: string;
  at: Date;
  action: string;
  from_status: string | null;
  to_status: string | null;
  detail: Record<string, unknown> | null;
  actor_name: string;
}

export async function eventsOf(tx: Queryable, alertId: string): Promise<EventRow[]> {
  const result = await tx.query<EventRow>(
    // Ordered by the number, not its text (the text of 10 sorts before 9).
    `SELECT e.seq::text AS seq, e.at, e.action, e.from_status, e.to_status, e.detail, e.actor_name
       FROM monitoring_alert_event e WHERE e.alert_id = $1 ORDER BY e.seq`,
    [alertId],
  );
  return result.rows;
}

export interface AlertFilter {
  status?: string | undefined;
  colour?: string | undefined;
  department?: string | undefined;
  regionCode?: string | undefined;
  householdId?: string | undefined;
  overdueOn?: string | undefined;
  /** "My queue": open alerts the reader's office may act on now (loop.ts mayHandle, as SQL). */
  queue?: { department: string } | { civilAffairsIn: string } | { allOpen: true } | undefined;
}

/** A page of alerts in scope (row-level security), overdue and red first, then newest. */
export async function listAlerts(
  tx: Queryable,
  filter: AlertFilter,
  limit: number,
  offset: number,
  today: string,
): Promise<{ rows: AlertRow[]; total: number }> {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (sql: (n: string) => string, value: unknown) => {
    values.push(value);
    where.push(sql(`$${values.length}`));
  };
  if (filter.status) add((n) => `a.status = ${n}`, filter.status);
  if (filter.colour) add((n) => `a.colour = ${n}`, filter.colour);
  if (filter.department) add((n) => `a.lead_department = ${n}`, filter.department);
  if (filter.householdId) add((n) => `a.household_id = ${n}`, filter.householdId);
  if (filter.regionCode) {
    // Prefix ranges, never LIKE: the same shape row-level security uses, so the index serves both.
    const prefix = regionPrefix(filter.regionCode);
    add((n) => `a.region_code ~>=~ ${n}`, prefix.padEnd(12, '0'));
    add((n) => `a.region_code ~<=~ ${n}`, prefix.padEnd(12, '9'));
  }
  if (filter.queue) {
    where.push(`a.status <> 'closed'`);
    if ('department' in filter.queue) add((n) => `a.lead_department = ${n}`, filter.queue.department);
    else if ('civilAffairsIn' in filter.queue) {
      const prefix = regionPrefix(filter.queue.civilAffairsIn);
      add((n) => `a.responsible_region_code ~>=~ ${n}`, prefix.padEnd(12, '0'));
      add((n) => `a.responsible_region_code ~<=~ ${n}`, prefix.padEnd(12, '9'));
      // Civil affairs' own alerts, a department's once escalated, and any reported back (to close).
      where.push(`(a.lead_department = 'civilAffairs' OR a.escalation_level > 0 OR a.status = 'feedback')`);
    }
  }
  if (filter.overdueOn)
    add(
      (n) =>
        `((a.status = 'dispatched' AND a.accept_due_on < ${n}::date) OR (a.status IN ('accepted', 'handling') AND a.handle_due_on < ${n}::date))`,
      filter.overdueOn,
    );
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  values.push(today);
  const todayParam = `$${values.length}`;
  const rows = await tx.query<AlertRow>(
    `SELECT ${ALERT_COLUMNS} FROM ${ALERT_FROM} ${clause}
      ORDER BY (a.status = 'closed'),
               (a.status = 'dispatched' AND a.accept_due_on < ${todayParam}::date) DESC,
               array_position(ARRAY['red','yellow','blue','green'], a.colour), a.last_raised_at DESC, a.id
      LIMIT ${Number(limit)} OFFSET ${Number(offset)}`,
    values,
  );
  const count = await tx.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM monitoring_alert a ${clause}`,
    values.slice(0, -1),
  );
  return { rows: rows.rows, total: Number(count.rows[0]?.n ?? 0) };
}
