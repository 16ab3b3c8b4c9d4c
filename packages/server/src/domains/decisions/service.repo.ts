/** SQL of the service of documents (document_service) and their receipts; in the caller's transaction. */
import type { Queryable } from '../../db/database.ts';
import type { RecipientRelation, ServiceMethod } from './serviceRules.ts';

export interface ServiceRow {
  id: string;
  document_id: string;
  household_id: string;
  region_code: string;
  method: ServiceMethod;
  served_on: string;
  recipient_name: string;
  recipient_relation: RecipientRelation;
  witness_name: string | null;
  refusal_reason: string | null;
  tracking_number: string | null;
  server_name: string;
  note: string | null;
  idempotency_key: string;
  recorded_by: string;
  recorded_by_name: string;
  recorded_at: Date;
  /** The record this one corrects (migration 034), with the written reason; null for the first. */
  corrects: string | null;
  correction_reason: string | null;
}

const COLUMNS = `id, document_id, household_id, region_code, method, to_char(served_on, 'YYYY-MM-DD') AS served_on,
  recipient_name, recipient_relation, witness_name, refusal_reason, tracking_number, server_name, note,
  idempotency_key, recorded_by, recorded_by_name, recorded_at, corrects, correction_reason`;

export type NewService = Omit<
  ServiceRow,
  'id' | 'recorded_at' | 'recorded_by' | 'corrects' | 'correction_reason'
>;

/** The values of a record's columns, in the order of the two INSERTs below. */
const serviceValues = (s: NewService) => [
  s.document_id,
  s.household_id,
  s.region_code,
  s.method,
  s.served_on,
  s.recipient_name,
  s.recipient_relation,
  s.witness_name,
  s.refusal_reason,
  s.tracking_number,
  s.server_name,
  s.note,
  s.idempotency_key,
  s.recorded_by_name,
];

/**
 * Inserts unless the document already has its service (the original record: corrections go through
 * insertCorrection); returns the new row's id, or null.
 */
export async function insertService(tx: Queryable, s: NewService): Promise<string | null> {
  const r = await tx.query<{ id: string }>(
    `INSERT INTO document_service (document_id, household_id, region_code, method, served_on, recipient_name,
       recipient_relation, witness_name, refusal_reason, tracking_number, server_name, note, idempotency_key,
       recorded_by_name)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (document_id) WHERE corrects IS NULL DO NOTHING RETURNING id`,
    serviceValues(s),
  );
  return r.rows[0]?.id ?? null;
}

/** The caller's own earlier request with this key (a retry). */
export async function serviceByKey(tx: Queryable, key: string): Promise<ServiceRow | undefined> {
  const r = await tx.query<ServiceRow>(
    `SELECT ${COLUMNS} FROM document_service WHERE recorded_by = doudi_actor_id() AND idempotency_key = $1`,
    [key],
  );
  return r.rows[0];
}

/**
 * Inserts a correction of record `corrects` unless it has already been corrected (then null: the
 * caller saw a record that is no longer current).
 */
export async function insertCorrection(
  tx: Queryable,
  s: NewService & { corrects: string; correction_reason: string },
): Promise<string | null> {
  const r = await tx.query<{ id: string }>(
    `INSERT INTO document_service (document_id, household_id, region_code, method, served_on, recipient_name,
       recipient_relation, witness_name, refusal_reason, tracking_number, server_name, note, idempotency_key,
       recorded_by_name, corrects, correction_reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
     ON CONFLICT (corrects) DO NOTHING RETURNING id`,
    [...serviceValues(s), s.corrects, s.correction_reason],
  );
  return r.rows[0]?.id ?? null;
}

/** The current record of each document (the one no correction replaces). */
export async function servicesOf(tx: Queryable, documentIds: readonly string[]): Promise<ServiceRow[]> {
  return currentOf(await serviceHistoryOf(tx, documentIds));
}

/** Every record of the documents, current and superseded, oldest first. */
export async function serviceHistoryOf(tx: Queryable, documentIds: readonly string[]): Promise<ServiceRow[]> {
  if (documentIds.length === 0) return [];
  const r = await tx.query<ServiceRow>(
    `SELECT ${COLUMNS} FROM document_service WHERE document_id = ANY($1::uuid[]) ORDER BY recorded_at, id`,
    [documentIds],
  );
  return r.rows;
}

/** The records no other record of the list corrects: one per document. */
export function currentOf(rows: readonly ServiceRow[]): ServiceRow[] {
  const replaced = new Set(rows.map((s) => s.corrects).filter((id) => id !== null));
  return rows.filter((s) => !replaced.has(s.id));
}

export interface ReceiptRef {
  id: string;
  number: string;
  served_document_id: string;
}

export async function receiptsOf(tx: Queryable, documentIds: readonly string[]): Promise<ReceiptRef[]> {
  if (documentIds.length === 0) return [];
  const r = await tx.query<ReceiptRef>(
    `SELECT id, number, served_document_id FROM statutory_document
      WHERE served_document_id = ANY($1::uuid[])`,
    [documentIds],
  );
  return r.rows;
}
