/**
 * The purpose-limited result of a delegated request: computed at completion from the records in
 * force on the date (only the purpose's sources, fields cut in SQL), then read while it lasts;
 * every reading written to the access log and the audit trail.
 */
import type { Queryable } from '../../db/database.ts';
import { AppError, errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import * as repo from './delegated.repo.ts';
import { type DelegatedDeps, requestView } from './delegated.service.ts';
import { formatRecord, relabel } from './delegatedFields.ts';
import type { Purpose } from './delegatedPurposes.ts';
import { asDelegatedActor, sourceLabel, todayOf } from './delegatedShared.ts';

/** The purpose-limited result, computed from the records in force on the date. */
export async function computeResult(tx: Queryable, row: repo.DelegatedRow, purpose: Purpose, asOf: string) {
  const hits = await repo.recordsFor(tx, row.subject_index, purpose.sources, asOf);
  const loaded = await repo.sourcesLoaded(tx, asOf, row.region_code);
  return {
    purpose: purpose.id,
    purposeName: purpose.name,
    legal: purpose.legal,
    asOf,
    subjects: row.subjects.map((s, i) => {
      const index = row.subject_index[i] as Buffer;
      const mine = hits.filter((h) => Buffer.from(h.id_number_index).equals(index));
      return {
        ...s,
        sources: Object.keys(purpose.sources).map((source) => ({
          source,
          ...sourceLabel(source),
          // Not loaded: unknown, not "nothing found".
          lastAsOf: loaded.get(source) ?? null,
          records: mine
            .filter((h) => h.source === source)
            .map((h) => ({
              department: h.department,
              validFrom: h.valid_from,
              seenAsOf: h.seen_as_of,
              nameMismatch: h.name !== s.name,
              fields: formatRecord(source, h.data),
            })),
        })),
      };
    }),
  };
}

interface FrozenResult {
  subjects: {
    sources: {
      source: string;
      records: { fields: { name: string; value: string | number | boolean | null }[] }[];
    }[];
  }[];
}

/** The frozen result with its fields shown again in both languages (delegatedFields.ts says why). */
function relabelResult(result: FrozenResult) {
  return {
    ...result,
    subjects: result.subjects.map((subject) => ({
      ...subject,
      sources: subject.sources.map((s) => ({
        ...s,
        records: s.records.map((r) => ({ ...r, fields: relabel(s.source, r.fields) })),
      })),
    })),
  };
}

/** The frozen result: 409 before completion, 410 once expired; every reading logged and audited. */
export async function readDelegatedResult(
  deps: DelegatedDeps,
  actor: Actor | undefined,
  id: string,
  requestId?: string,
) {
  authorize(actor, Permission.verificationDelegate);
  const today = todayOf(deps);
  return asDelegatedActor(deps.db, actor, requestId, async (tx) => {
    const row = await repo.findDelegated(tx, id, { withResult: true });
    if (!row) throw errors.notFound('委托核对');
    if (row.status !== 'completed')
      throw errors.conflict('NOT_COMPLETED', '该委托尚未办结，没有核对结果', 'no result: not completed');
    if (row.result_purged_on)
      throw new AppError(
        410,
        'RESULT_PURGED',
        `核对结果已于${row.expires_on}失效，并于${row.result_purged_on}按保存期限清除，如仍需要请重新委托`,
        `the result expired on ${row.expires_on} and was purged on ${row.result_purged_on}`,
      );
    if (!row.result || (row.expires_on && today > row.expires_on))
      throw new AppError(
        410,
        'RESULT_EXPIRED',
        `核对结果已于${row.expires_on}失效，如仍需要请重新委托`,
        `the result expired on ${row.expires_on}`,
      );
    await repo.logAccess(tx, {
      subjectType: 'delegated',
      subjectId: id,
      action: 'view',
      actorName: actor.displayName,
      actorRole: actor.role,
      actorDepartment: actor.department,
      requesterDepartment: row.department,
      regionCode: row.region_code,
    });
    await appendAudit(tx, {
      action: 'verification.delegated.view',
      entityType: 'delegated_request',
      entityId: id,
      regionCode: row.region_code,
      actorRole: actor.role,
      after: { purpose: row.purpose, asOf: row.as_of },
    });
    return { request: requestView(row, today), result: relabelResult(row.result as unknown as FrozenResult) };
  });
}

export async function delegatedAccessLog(
  deps: DelegatedDeps,
  actor: Actor | undefined,
  subjectType: 'delegated' | 'estate',
  id: string,
  requestId?: string,
) {
  authorize(actor, Permission.verificationDelegate);
  return asDelegatedActor(deps.db, actor, requestId, async (tx) => {
    // The subject must be visible first: a log of someone else's request is as absent as the request.
    const visible =
      subjectType === 'delegated'
        ? await repo.findDelegated(tx, id)
        : (await tx.query('SELECT id FROM estate_inquiry WHERE id = $1', [id])).rows[0];
    if (!visible) throw errors.notFound(subjectType === 'delegated' ? '委托核对' : '身后事查询');
    return (await repo.accessLog(tx, id)).map((r) => ({
      id: r.id,
      action: r.action,
      actorName: r.actor_name,
      actorRole: r.actor_role,
      actorDepartment: r.actor_department,
      accessedAt: new Date(r.accessed_at).toISOString(),
    }));
  });
}

const EXTENSION: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
};

/**
 * The applicant's signed authorisation as scanned, for those who may see the request: the
 * requesting department's officers and the verification centre (row-level security: another
 * department's request is a 404, as is a request filed without a scan). Every download is written
 * to the access log and the audit trail, like a reading of the result.
 */
export async function downloadAuthorisation(
  deps: DelegatedDeps,
  actor: Actor | undefined,
  id: string,
  requestId?: string,
) {
  authorize(actor, Permission.verificationDelegate);
  return asDelegatedActor(deps.db, actor, requestId, async (tx) => {
    const row = await repo.authorisationFile(tx, id);
    if (!row) throw errors.notFound('委托核对');
    if (!row.file || !row.file_type) throw errors.notFound('授权书扫描件');
    await repo.logAccess(tx, {
      subjectType: 'delegated',
      subjectId: id,
      action: 'download',
      actorName: actor.displayName,
      actorRole: actor.role,
      actorDepartment: actor.department,
      requesterDepartment: row.department,
      regionCode: row.region_code,
    });
    await appendAudit(tx, {
      action: 'verification.delegated.authorisation',
      entityType: 'delegated_request',
      entityId: id,
      regionCode: row.region_code,
      actorRole: actor.role,
      after: { fileType: row.file_type, bytes: row.file.length },
    });
    return {
      bytes: Buffer.from(row.file),
      contentType: row.file_type,
      fileName: `授权书-${row.auth_reference}.${EXTENSION[row.file_type] ?? 'bin'}`,
    };
  });
}
