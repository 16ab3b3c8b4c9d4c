/**
 * The SQL of delegated verification and the estate inquiry. Every query runs in the caller's
 * `asActor` transaction (with doudi.department set for a department officer): row-level security
 * decides which requests, records and log rows are seen.
 */
import type { Queryable } from '../../db/database.ts';

export interface SubjectRow {
  name: string;
  idNumberMasked: string;
  relationship: string;
}

export interface DelegatedRow {
  id: string;
  purpose: string;
  department: string;
  region_code: string;
  subjects: SubjectRow[];
  subject_index: Buffer[];
  reference: string | null;
  note: string | null;
  auth_reference: string;
  auth_signed_on: string;
  auth_file_type: string | null;
  status: 'requested' | 'completed' | 'refused';
  as_of: string | null;
  result: Record<string, unknown> | null;
  expires_on: string | null;
  result_purged_on: string | null;
  refusal_reason: string | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  requested_by: string;
  requested_by_name: string;
  requested_at: Date;
  request_hash: string;
}

const COLUMNS = `id, purpose, department, region_code, subjects, subject_index, reference, note, auth_reference,
  auth_signed_on, auth_file_type, status, as_of, expires_on, result_purged_on, refusal_reason, decided_by_name, decided_at,
  requested_by, requested_by_name, requested_at, request_hash`;

export interface NewDelegated {
  purpose: string;
  department: string;
  region_code: string;
  subjects: SubjectRow[];
  subject_index: Buffer[];
  reference: string | null;
  note: string | null;
  auth_reference: string;
  auth_signed_on: string;
  auth_file: Buffer | null;
  auth_file_type: string | null;
  requested_by_name: string;
  idempotency_key: string;
  request_hash: string;
}

/** Inserts the request; undefined when the same officer already used this idempotency key. */
export async function insertDelegated(tx: Queryable, r: NewDelegated): Promise<DelegatedRow | undefined> {
  const result = await tx.query<DelegatedRow>(
    `INSERT INTO delegated_request (purpose, department, region_code, subjects, subject_index, reference, note,
       auth_reference, auth_signed_on, auth_file, auth_file_type, requested_by_name, idempotency_key, request_hash)
     VALUES ($1, $2, $3, $4::jsonb, $5::bytea[], $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (requested_by, idempotency_key) DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      r.purpose,
      r.department,
      r.region_code,
      JSON.stringify(r.subjects),
      r.subject_index,
      r.reference,
      r.note,
      r.auth_reference,
      r.auth_signed_on,
      r.auth_file,
      r.auth_file_type,
      r.requested_by_name,
      r.idempotency_key,
      r.request_hash,
    ],
  );
  return result.rows[0];
}

/** A request by the calling user's idempotency key (seen through row-level security). */
export async function delegatedByKey(tx: Queryable, key: string): Promise<DelegatedRow | undefined> {
  const result = await tx.query<DelegatedRow>(
    `SELECT ${COLUMNS} FROM delegated_request WHERE requested_by = doudi_actor_id() AND idempotency_key = $1`,
    [key],
  );
  return result.rows[0];
}

export async function findDelegated(
  tx: Queryable,
  id: string,
  options: { withResult?: boolean; forUpdate?: boolean } = {},
): Promise<DelegatedRow | undefined> {
  const result = await tx.query<DelegatedRow>(
    `SELECT ${COLUMNS}${options.withResult ? ', result' : ''} FROM delegated_request WHERE id = $1
     ${options.forUpdate ? 'FOR UPDATE' : ''}`,
    [id],
  );
  return result.rows[0];
}

export async function listDelegated(
  tx: Queryable,
  filter: { status?: string | undefined; limit: number },
): Promise<DelegatedRow[]> {
  const result = await tx.query<DelegatedRow>(
    `SELECT ${COLUMNS} FROM delegated_request
      WHERE ($1::text IS NULL OR status = $1)
      ORDER BY requested_at DESC, id LIMIT $2`,
    [filter.status ?? null, filter.limit],
  );
  return result.rows;
}

export async function completeDelegated(
  tx: Queryable,
  id: string,
  v: { asOf: string; result: unknown; expiresOn: string; decidedByName: string },
): Promise<void> {
  await tx.query(
    `UPDATE delegated_request SET status = 'completed', as_of = $2, result = $3::jsonb, expires_on = $4,
            decided_by = doudi_actor_id(), decided_by_name = $5, decided_at = now()
      WHERE id = $1 AND status = 'requested'`,
    [id, v.asOf, JSON.stringify(v.result), v.expiresOn, v.decidedByName],
  );
}

export async function refuseDelegated(
  tx: Queryable,
  id: string,
  v: { reason: string; decidedByName: string },
): Promise<void> {
  await tx.query(
    `UPDATE delegated_request SET status = 'refused', refusal_reason = $2,
            decided_by = doudi_actor_id(), decided_by_name = $3, decided_at = now()
      WHERE id = $1 AND status = 'requested'`,
    [id, v.reason, v.decidedByName],
  );
}

/** The signed authorisation's scan of a request seen through row-level security. */
export async function authorisationFile(
  tx: Queryable,
  id: string,
): Promise<
  | {
      file: Buffer | null;
      file_type: string | null;
      auth_reference: string;
      department: string;
      region_code: string;
    }
  | undefined
> {
  const result = await tx.query<{
    file: Buffer | null;
    file_type: string | null;
    auth_reference: string;
    department: string;
    region_code: string;
  }>(
    `SELECT auth_file AS file, auth_file_type AS file_type, auth_reference, department, region_code
       FROM delegated_request WHERE id = $1`,
    [id],
  );
  return result.rows[0];
}

export interface SourceHit {
  source: string;
  department: string;
  id_number_index: Buffer;
  name: string;
  data: Record<string, unknown>;
  valid_from: string;
  seen_as_of: string;
}

/**
 * Records of these persons (blind indexes) in force on the date, of the given sources only, each
 * record's data cut down in SQL to the fields `fields` lists for its source: what a purpose does
 * not allow never leaves the database. Unmatched records count too (the person may not be in the
 * assistance registry: a public-housing applicant seldom is).
 */
export async function recordsFor(
  tx: Queryable,
  indexes: Buffer[],
  fields: Record<string, string[]>,
  asOf: string,
): Promise<SourceHit[]> {
  const result = await tx.query<SourceHit>(
    `SELECT r.source, r.department, r.id_number_index, r.name, r.valid_from::text AS valid_from,
            r.seen_as_of::text AS seen_as_of,
            (SELECT coalesce(jsonb_object_agg(e.key, e.value), '{}'::jsonb)
               FROM jsonb_each(r.data) e WHERE ($2::jsonb -> r.source) ? e.key) AS data
       FROM source_record r
      WHERE r.id_number_index = ANY ($1::bytea[]) AND r.source = ANY ($3::text[])
        AND r.valid_from <= $4::date AND (r.valid_to IS NULL OR r.valid_to > $4::date)
      ORDER BY r.source, r.valid_from DESC, r.record_key`,
    [indexes, JSON.stringify(fields), Object.keys(fields), asOf],
  );
  return result.rows;
}

/** Sources loaded by the date for imports filed over the region (names and dates only). */
export async function sourcesLoaded(tx: Queryable, asOf: string, region: string) {
  const result = await tx.query<{ source: string; last_as_of: string }>(
    'SELECT source, last_as_of::text AS last_as_of FROM verification_sources_loaded($1::date, $2)',
    [asOf, region],
  );
  return new Map(result.rows.map((r) => [r.source, r.last_as_of]));
}

export interface AccessEntry {
  subjectType: 'delegated' | 'estate';
  subjectId: string;
  action: 'view' | 'print' | 'complete' | 'refuse' | 'issue' | 'download' | 'purge';
  actorName: string;
  actorRole: string;
  actorDepartment: string | null;
  requesterDepartment: string | null;
  regionCode: string;
}

export async function logAccess(tx: Queryable, e: AccessEntry): Promise<void> {
  await tx.query(
    `INSERT INTO delegated_access (subject_type, subject_id, action, actor_name, actor_role, actor_department,
       requester_department, region_code) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      e.subjectType,
      e.subjectId,
      e.action,
      e.actorName,
      e.actorRole,
      e.actorDepartment,
      e.requesterDepartment,
      e.regionCode,
    ],
  );
}

export interface AccessRow {
  id: string;
  action: string;
  actor_name: string;
  actor_role: string;
  actor_department: string | null;
  accessed_at: Date;
}

export async function accessLog(tx: Queryable, subjectId: string): Promise<AccessRow[]> {
  const result = await tx.query<AccessRow>(
    `SELECT id::text AS id, action, actor_name, actor_role, actor_department, accessed_at
       FROM delegated_access WHERE subject_id = $1 ORDER BY accessed_at DESC, id DESC LIMIT 500`,
    [subjectId],
  );
  return result.rows;
}
