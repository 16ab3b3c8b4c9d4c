/**
 * The changes batch re-verification found (verification_change), for the case owner: list them in
 * scope with filters (row-level security: a township caseworker sees their township only), and
 * acknowledge one (audited; a repeat changes nothing).
 */
import { asActor } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, can, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import type { BatchDeps } from './batch.service.ts';

export const CHANGE_KINDS = [
  'newVehicle',
  'newProperty',
  'depositIncrease',
  'death',
  'newBusiness',
  'newFlag',
] as const;

export interface ChangeQuery {
  page: number;
  pageSize: number;
  status?: 'open' | 'acknowledged' | undefined;
  kind?: (typeof CHANGE_KINDS)[number] | undefined;
  runId?: string | undefined;
  householdId?: string | undefined;
  /** Only the changes whose case owner is the caller. */
  mine?: boolean | undefined;
}

interface ChangeDbRow {
  id: string;
  run_id: string;
  household_id: string;
  household_number: string | null;
  region_code: string;
  region_name: string | null;
  period: string;
  kind: string;
  person_id: string | null;
  reason_zh: string;
  reason_en: string;
  detail: Record<string, unknown>;
  owner_id: string | null;
  owner_name: string | null;
  status: 'open' | 'acknowledged';
  acknowledged_by_name: string | null;
  acknowledged_at: Date | null;
  ack_note: string | null;
  created_at: Date;
}

const view = (r: ChangeDbRow) => ({
  id: r.id,
  runId: r.run_id,
  householdId: r.household_id,
  householdNumber: r.household_number,
  regionCode: r.region_code,
  regionName: r.region_name,
  period: r.period,
  kind: r.kind,
  personId: r.person_id,
  reason: r.reason_zh,
  reasonEn: r.reason_en,
  ownerName: r.owner_name,
  status: r.status,
  acknowledgedBy: r.acknowledged_by_name,
  acknowledgedAt: r.acknowledged_at ? new Date(r.acknowledged_at).toISOString() : null,
  note: r.ack_note,
  createdAt: new Date(r.created_at).toISOString(),
});

const SELECT = `SELECT c.id, c.run_id, c.household_id, h.household_number, c.region_code, g.name AS region_name,
  c.period, c.kind, c.person_id, c.reason_zh, c.reason_en, c.detail, c.owner_id, c.owner_name, c.status,
  c.acknowledged_by_name, c.acknowledged_at, c.ack_note, c.created_at
  FROM verification_change c LEFT JOIN household h ON h.id = c.household_id LEFT JOIN region g ON g.code = c.region_code`;

export async function listChanges(
  deps: BatchDeps,
  actor: Actor | undefined,
  query: ChangeQuery,
  requestId?: string,
) {
  authorize(actor, Permission.verificationRead);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.status) add('c.status = ?', query.status);
    if (query.kind) add('c.kind = ?', query.kind);
    if (query.runId) add('c.run_id = ?::uuid', query.runId);
    if (query.householdId) add('c.household_id = ?::uuid', query.householdId);
    if (query.mine) add('c.owner_id = ?', actor.userId);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = await tx.query<{ n: number; open: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE c.status = 'open')::int AS open FROM verification_change c ${filter}`,
      params,
    );
    const rows = await tx.query<ChangeDbRow>(
      `${SELECT} ${filter} ORDER BY c.status = 'open' DESC, c.created_at DESC, c.household_id, c.kind, c.id
        LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.pageSize, (query.page - 1) * query.pageSize],
    );
    return {
      items: rows.rows.map(view),
      total: total.rows[0]?.n ?? 0,
      open: total.rows[0]?.open ?? 0,
      page: query.page,
      pageSize: query.pageSize,
    };
  });
}

export async function acknowledgeChange(
  deps: BatchDeps,
  actor: Actor | undefined,
  id: string,
  body: { note?: string | undefined },
  requestId?: string,
) {
  if (!actor) throw errors.unauthenticated();
  if (!can(actor, Permission.verificationReconcile)) authorize(actor, Permission.verificationBatch);
  const note = body.note?.trim() || null;
  if (note && note.length > 1000)
    throw errors.validation('note', '处理说明不超过1000字', 'the note is at most 1000 characters');
  return asActor(deps.db, actor, requestId, async (tx) => {
    const current = await tx.query<{ status: string; region_code: string }>(
      'SELECT status, region_code FROM verification_change WHERE id = $1 FOR UPDATE',
      [id],
    );
    const row = current.rows[0];
    if (!row) throw errors.notFound('该核对变化');
    if (row.status === 'open') {
      await tx.query(
        `UPDATE verification_change SET status = 'acknowledged', acknowledged_by = $2, acknowledged_by_name = $3,
           acknowledged_at = now(), ack_note = $4 WHERE id = $1`,
        [id, actor.userId, actor.displayName, note],
      );
      await appendAudit(tx, {
        action: 'verification.change.acknowledge',
        entityType: 'verification_change',
        entityId: id,
        regionCode: row.region_code,
        actorRole: actor.role,
        before: { status: 'open' },
        after: { status: 'acknowledged', note },
      });
    }
    const result = await tx.query<ChangeDbRow>(`${SELECT} WHERE c.id = $1`, [id]);
    return view(result.rows[0] as ChangeDbRow);
  });
}

/** In-app reminders of batch changes for the caller: theirs as case owner, or their township's. */
export async function listBatchReminders(
  deps: BatchDeps,
  actor: Actor | undefined,
  limit: number,
  requestId?: string,
) {
  authorize(actor, Permission.verificationRead);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const r = await tx.query<{
      id: string;
      change_id: string;
      message: string;
      created_at: Date;
      status: string;
    }>(
      `SELECT o.id, o.change_id, o.message, o.created_at, c.status FROM verification_outbox o
         JOIN verification_change c ON c.id = o.change_id
        WHERE o.channel = 'inApp' AND (o.owner_id IS NULL OR o.owner_id = $1 OR $2)
        ORDER BY o.created_at DESC, o.id LIMIT $3`,
      [actor.userId, actor.role !== 'caseworker', limit],
    );
    return r.rows.map((m) => ({
      id: m.id,
      changeId: m.change_id,
      message: m.message,
      open: m.status === 'open',
      createdAt: new Date(m.created_at).toISOString(),
    }));
  });
}
