/**
 * The audit trail: one row per write, appended inside the same transaction as the write, so
 * a change and its record commit or roll back together. The chain (seq, prev_hash, hash) is
 * filled in by the database trigger, never by the application.
 */
import type { Queryable } from '../../db/database.ts';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  regionCode?: string | null;
  actorId?: string | null;
  actorRole?: string | null;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
}

export async function appendAudit(tx: Queryable, entry: AuditEntry): Promise<void> {
  await tx.query(
    `INSERT INTO audit_log (action, entity_type, entity_id, region_code, actor_id, actor_role, before, after, request_id)
     VALUES ($1, $2, $3, $4, coalesce($5, doudi_actor_id()), $6, $7, $8,
             coalesce($9, nullif(current_setting('doudi.request_id', true), '')))`,
    [
      entry.action,
      entry.entityType,
      entry.entityId ?? null,
      entry.regionCode ?? null,
      entry.actorId ?? null,
      entry.actorRole ?? null,
      entry.before === undefined ? null : JSON.stringify(entry.before),
      entry.after === undefined ? null : JSON.stringify(entry.after),
      entry.requestId ?? null,
    ],
  );
}

export interface AuditRow {
  seq: number;
  at: Date;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  region_code: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
  hash: string;
}

export async function listAudit(
  tx: Queryable,
  filter: { entityType?: string; entityId?: string; beforeSeq?: number; limit: number },
): Promise<AuditRow[]> {
  const result = await tx.query<AuditRow>(
    `SELECT seq, at, actor_id, actor_role, action, entity_type, entity_id, region_code, before, after, request_id, hash
       FROM audit_log
      WHERE ($1::text IS NULL OR entity_type = $1) AND ($2::text IS NULL OR entity_id = $2)
        AND ($3::bigint IS NULL OR seq < $3)
      ORDER BY seq DESC LIMIT $4`,
    [filter.entityType ?? null, filter.entityId ?? null, filter.beforeSeq ?? null, filter.limit],
  );
  return result.rows;
}

export interface ChainBatchRow {
  seq: number;
  prev_hash: string;
  hash: string;
  expected: string;
}

/** Reads the chain in order with each row's recomputed hash; run as the system (no scope). */
export async function readChainBatch(
  db: Queryable,
  afterSeq: number,
  limit: number,
): Promise<ChainBatchRow[]> {
  const result = await db.query<ChainBatchRow>(
    `SELECT seq, prev_hash, hash, audit_row_hash(a) AS expected
       FROM audit_log a WHERE seq > $1 ORDER BY seq LIMIT $2`,
    [afterSeq, limit],
  );
  return result.rows;
}

export async function readChainHead(db: Queryable): Promise<{ last_seq: number; last_hash: string }> {
  const result = await db.query<{ last_seq: number; last_hash: string }>(
    'SELECT last_seq, last_hash FROM audit_chain_head',
  );
  return result.rows[0] ?? { last_seq: 0, last_hash: '0'.repeat(64) };
}
