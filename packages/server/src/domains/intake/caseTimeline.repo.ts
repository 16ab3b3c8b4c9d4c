/**
 * A case with its documents (and events) in one round trip: opening a case and every transition read
 * these together, and under 200 concurrent caseworkers each extra query is a wait for a connection and
 * a wake-up of the database (bench/intake/caseworkers.bench.ts). Same rows, same order, same
 * row-level security as `findCase` + `documentsOf` + `eventsOf` in intake.repo.ts.
 */
import type { Queryable } from '../../db/database.ts';
import { CASE_COLUMNS, type CaseRow, type EventRow } from './intake.repo.ts';

export interface CaseDocumentRow {
  document_id: string;
  step: string;
  recorded_on: string;
}

export interface CaseWithTimeline {
  row: CaseRow;
  documents: CaseDocumentRow[];
  /** Empty unless asked for. */
  events: EventRow[];
}

const DOCUMENTS = `coalesce((SELECT json_agg(json_build_object('document_id', d.document_id, 'step', d.step,
    'recorded_on', to_char(d.recorded_on, 'YYYY-MM-DD')) ORDER BY d.recorded_at, d.document_id)
    FROM intake_case_document d WHERE d.case_id = c.id), '[]'::json) AS documents`;
const EVENTS = `coalesce((SELECT json_agg(json_build_object('seq', e.seq, 'at', e.at,
    'on_date', to_char(e.on_date, 'YYYY-MM-DD'), 'action', e.action, 'from_step', e.from_step, 'to_step', e.to_step,
    'outcome', e.outcome, 'legal_ground', e.legal_ground, 'detail', e.detail, 'actor_name', e.actor_name,
    'actor_role', e.actor_role) ORDER BY e.seq)
    FROM intake_case_event e WHERE e.case_id = c.id), '[]'::json) AS events`;

/** The case (locked FOR UPDATE when asked) with its documents, and its events when asked. */
export async function findCaseWithTimeline(
  tx: Queryable,
  id: string,
  options: { events?: boolean; forUpdate?: boolean } = {},
): Promise<CaseWithTimeline | undefined> {
  const r = await tx.query<CaseRow & { documents: CaseDocumentRow[]; events?: EventRow[] }>(
    `SELECT ${CASE_COLUMNS}, ${DOCUMENTS}${options.events ? `, ${EVENTS}` : ''}
       FROM intake_case c WHERE c.id = $1${options.forUpdate ? ' FOR UPDATE OF c' : ''}`,
    [id],
  );
  const found = r.rows[0];
  if (!found) return undefined;
  const { documents, events, ...row } = found;
  // json timestamps come back as text: as a Date, like the column read directly.
  return {
    row,
    documents,
    events: (events ?? []).map((e) => ({ ...e, at: new Date(e.at) })),
  };
}
