/** Reading and verifying the audit trail (auditors, administrators). */
import type { Database } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit, listAudit } from './audit.repo.ts';
import { verifyAuditChain } from './auditVerify.ts';

export async function readAuditTrail(
  db: Database,
  actor: Actor | undefined,
  filter: { entityType?: string; entityId?: string; beforeSeq?: number; limit: number },
  requestId?: string,
) {
  authorize(actor, Permission.auditRead);
  const rows = await asActor(db, actor, requestId, (tx) => listAudit(tx, filter));
  return rows.map((row) => ({
    seq: row.seq,
    at: row.at.toISOString(),
    actorId: row.actor_id,
    actorRole: row.actor_role,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    regionCode: row.region_code,
    before: row.before,
    after: row.after,
    requestId: row.request_id,
    hash: row.hash,
  }));
}

/** The chain is checked whole, as the system: a scoped reader could not see every link. */
export async function verifyAuditTrail(db: Database, actor: Actor | undefined, requestId?: string) {
  authorize(actor, Permission.auditVerify);
  const result = await verifyAuditChain(db);
  await asActor(db, actor, requestId, (tx) =>
    appendAudit(tx, {
      action: 'audit.verify',
      entityType: 'audit',
      regionCode: actor.regionCode,
      actorRole: actor.role,
      after: result,
    }),
  );
  return result;
}
