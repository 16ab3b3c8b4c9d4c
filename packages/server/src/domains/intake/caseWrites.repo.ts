/**
 * The two writes of a case's life that touch three tables at once, each as one statement: opening a
 * case (the case, the papers brought, the `open` event) and moving it (the new state if nobody
 * changed it since `version`, the papers attached, the event). Why one statement: every statement
 * is a round trip and a socket write on the server's main thread (a third of its CPU in the
 * 200-caseworker bench); a transition went from three to one, a submitted item likewise. The parts
 * are data-modifying CTEs; the papers and the event hang off the case row the statement returns,
 * so a version conflict writes nothing.
 */
import type { Queryable } from '../../db/database.ts';
import { CASE_COLUMNS, type CaseRow, type EventRow } from './intake.repo.ts';

export type NewEvent = Omit<EventRow, 'seq' | 'at' | 'on_date'>;

/** Event values from parameter `first` on, in the order of EVENT_INSERT's columns. */
function eventValues(e: NewEvent) {
  return [
    e.action,
    e.from_step,
    e.to_step,
    e.outcome,
    e.legal_ground,
    e.detail === null ? null : JSON.stringify(e.detail),
    e.actor_name,
    e.actor_role,
  ];
}

const EVENT_COLUMNS = `case_id, on_date, region_code, action, from_step, to_step, outcome, legal_ground, detail,
  actor_name, actor_role`;
const eventParams = (first: number) =>
  Array.from({ length: 8 }, (_, i) => `$${first + i}${i === 5 ? '::jsonb' : ''}`).join(', ');

/**
 * Writes a case's new state if nobody changed it since `version` was read, with the papers attached
 * at `step` and the event, on `on`; undefined (nothing written) when someone did.
 */
export async function moveCase(
  tx: Queryable,
  id: string,
  version: number,
  set: Partial<Omit<CaseRow, 'id' | 'version' | 'created_at' | 'updated_at'>>,
  papers: { step: string; ids: readonly string[] },
  on: string,
  event: NewEvent,
): Promise<CaseRow | undefined> {
  const entries = Object.entries(set);
  const n = entries.length;
  const assignments = entries.map(([k], i) => `${k} = $${i + 6}`);
  const r = await tx.query<CaseRow>(
    `WITH c AS (
       UPDATE intake_case AS c SET ${[...assignments, 'version = version + 1', 'updated_at = now()'].join(', ')}
        WHERE c.id = $1 AND c.version = $2 RETURNING ${CASE_COLUMNS}),
     d AS (
       INSERT INTO intake_case_document (case_id, document_id, step, recorded_on, region_code)
       SELECT c.id, p, $3, $5::date, c.region_code FROM c, unnest($4::text[]) AS p
       ON CONFLICT (case_id, document_id) DO NOTHING),
     e AS (
       INSERT INTO intake_case_event (${EVENT_COLUMNS})
       SELECT c.id, $5::date, c.region_code, ${eventParams(n + 6)} FROM c)
     SELECT * FROM c`,
    [id, version, papers.step, papers.ids, on, ...entries.map(([, v]) => v), ...eventValues(event)],
  );
  return r.rows[0];
}

/** A new case with the papers brought at its first step and its `open` event; returns the case. */
export async function openCase(
  tx: Queryable,
  c: Pick<
    CaseRow,
    | 'application_id'
    | 'item_no'
    | 'household_id'
    | 'region_code'
    | 'policy_id'
    | 'template_id'
    | 'department'
    | 'current_step'
    | 'step_office'
    | 'step_started_on'
    | 'step_due_on'
    | 'step_working_days'
    | 'received_on'
    | 'case_due_on'
    | 'extended_reason'
    | 'flags'
  >,
  papers: readonly string[],
  event: NewEvent,
): Promise<CaseRow> {
  const r = await tx.query<CaseRow>(
    `WITH c AS (
       INSERT INTO intake_case AS c (application_id, item_no, household_id, region_code, policy_id, template_id,
         department, current_step, step_office, step_started_on, step_due_on, step_working_days, received_on,
         case_due_on, extended_reason, flags)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING ${CASE_COLUMNS}),
     d AS (
       INSERT INTO intake_case_document (case_id, document_id, step, recorded_on, region_code)
       SELECT c.id, p, $8, $13::date, c.region_code FROM c, unnest($17::text[]) AS p
       ON CONFLICT (case_id, document_id) DO NOTHING),
     e AS (
       INSERT INTO intake_case_event (${EVENT_COLUMNS})
       SELECT c.id, $13::date, c.region_code, ${eventParams(18)} FROM c)
     SELECT * FROM c`,
    [
      c.application_id,
      c.item_no,
      c.household_id,
      c.region_code,
      c.policy_id,
      c.template_id,
      c.department,
      c.current_step,
      c.step_office,
      c.step_started_on,
      c.step_due_on,
      c.step_working_days,
      c.received_on,
      c.case_due_on,
      c.extended_reason,
      c.flags,
      papers,
      ...eventValues(event),
    ],
  );
  return r.rows[0] as CaseRow;
}
