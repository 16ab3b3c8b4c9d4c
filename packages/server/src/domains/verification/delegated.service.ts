/**
 * Delegated verification (委托核对): another department files a request for one or more persons with
 * a purpose from the catalogue and the applicant's signed authorisation; the verification centre
 * completes it or refuses it with a reason. The result holds only the purpose's sources and fields
 * (cut in SQL: delegated.repo.recordsFor), is frozen as of its date at completion, is readable until
 * it expires, and every reading is written to the access log and the audit trail.
 *
 * Who: department officers file and read their own department's requests only (row-level security
 * on doudi.department: another department's request is a 404); the verification centre sees every
 * request in its region and decides. Both roles hold verificationDelegate; the step decides the role.
 */
import { maskIdNumber } from '@doudi/rules';
import { AppError, errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import type { PersonalDataCipher } from '../registry/personalData.crypto.ts';
import { checkDate } from '../registry/registry.model.ts';
import * as repo from './delegated.repo.ts';
import { findPurpose, type Purpose, purposes } from './delegatedPurposes.ts';
import { computeResult } from './delegatedResult.service.ts';
import {
  type AuthorisationInput,
  addDays,
  asDelegatedActor,
  checkAuthorisation,
  checkedIdNumber,
  checkedText,
  checkIdempotencyKey,
  sha256,
  sourceLabel,
  todayOf,
} from './delegatedShared.ts';
import type { VerificationDeps } from './report.service.ts';

export interface DelegatedDeps extends VerificationDeps {
  cipher: PersonalDataCipher;
}

export const SubjectRelationships = ['applicant', 'spouse', 'child', 'parent', 'other'] as const;
export const MAX_SUBJECTS = 10;

export interface DelegatedBody {
  purpose: string;
  subjects: { idNumber: string; name: string; relationship: (typeof SubjectRelationships)[number] }[];
  authorisation: AuthorisationInput;
  reference?: string | undefined;
  note?: string | undefined;
}

const purposeView = (p: Purpose) => ({
  id: p.id,
  name: p.name,
  departments: p.departments,
  validDays: p.validDays,
  sources: Object.entries(p.sources).map(([source, fields]) => ({
    source,
    ...sourceLabel(source),
    fields,
  })),
  legal: p.legal,
});

export function listPurposes(actor: Actor | undefined) {
  authorize(actor, Permission.verificationDelegate);
  const all = [...purposes().values()];
  // A department officer is offered the purposes open to their department; the centre sees all.
  const mine =
    actor.role === 'departmentOfficer'
      ? all.filter((p) => p.departments.includes(actor.department ?? ''))
      : all;
  return mine.map(purposeView);
}

export function requestView(r: repo.DelegatedRow, today: string) {
  const purpose = findPurpose(r.purpose);
  return {
    id: r.id,
    purpose: r.purpose,
    purposeName: purpose?.name ?? { zh: r.purpose, en: r.purpose },
    department: r.department,
    regionCode: r.region_code,
    subjects: r.subjects,
    reference: r.reference,
    note: r.note,
    authorisation: {
      reference: r.auth_reference,
      signedOn: r.auth_signed_on,
      fileType: r.auth_file_type,
    },
    status: r.status,
    asOf: r.as_of,
    expiresOn: r.expires_on,
    expired: r.status === 'completed' && r.expires_on !== null && today > r.expires_on,
    resultPurgedOn: r.result_purged_on,
    refusalReason: r.refusal_reason,
    decidedByName: r.decided_by_name,
    decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
    requestedByName: r.requested_by_name,
    requestedAt: new Date(r.requested_at).toISOString(),
  };
}

export async function fileDelegated(
  deps: DelegatedDeps,
  actor: Actor | undefined,
  body: DelegatedBody,
  idempotencyKey: string | undefined,
  requestId?: string,
) {
  authorize(actor, Permission.verificationDelegate);
  if (actor.role !== 'departmentOfficer' || !actor.department)
    throw new AppError(
      403,
      'DEPARTMENT_ONLY',
      '委托核对由部门工作人员提出，核对中心负责办理',
      'only a department officer files a delegated request',
    );
  const key = checkIdempotencyKey(idempotencyKey);
  const purpose = findPurpose(body.purpose);
  if (!purpose)
    throw errors.validation(
      'purpose',
      `核对用途“${body.purpose.slice(0, 40)}”不在用途目录中`,
      'unknown purpose',
    );
  if (!purpose.departments.includes(actor.department))
    throw errors.validation(
      'purpose',
      `本部门不能以“${purpose.name.zh}”的用途委托核对`,
      'this purpose is not open to your department',
    );
  const today = todayOf(deps);
  const auth = checkAuthorisation(body.authorisation, today);
  const seen = new Set<string>();
  const subjects = body.subjects.map((s, i) => {
    const idNumber = checkedIdNumber(s.idNumber, `subjects.${i}.idNumber`);
    if (seen.has(idNumber))
      throw errors.validation(
        `subjects.${i}.idNumber`,
        `第${i + 1}人与前面的人员重复`,
        'the same person twice',
      );
    seen.add(idNumber);
    return {
      view: {
        name: checkedText(s.name, `subjects.${i}.name`, '姓名', 50),
        idNumberMasked: maskIdNumber(idNumber),
        relationship: s.relationship,
      },
      index: deps.cipher.blindIndex('idNumber', idNumber),
    };
  });
  if (subjects.length === 0 || subjects.length > MAX_SUBJECTS)
    throw errors.validation('subjects', `核对对象应为1到${MAX_SUBJECTS}人`, 'one to ten persons');
  if (subjects.filter((s) => s.view.relationship === 'applicant').length !== 1)
    throw errors.validation('subjects', '核对对象中须有且只有一名申请人', 'exactly one applicant');
  const reference = body.reference ? checkedText(body.reference, 'reference', '业务编号', 100) : null;
  const note = body.note ? checkedText(body.note, 'note', '说明', 500) : null;
  // The hash covers what was asked, so the same key with a different request is told apart.
  const requestHash = sha256(JSON.stringify(body));

  return asDelegatedActor(deps.db, actor, requestId, async (tx) => {
    const inserted = await repo.insertDelegated(tx, {
      purpose: purpose.id,
      department: actor.department as string,
      region_code: actor.regionCode,
      subjects: subjects.map((s) => s.view),
      subject_index: subjects.map((s) => s.index),
      reference,
      note,
      auth_reference: auth.reference,
      auth_signed_on: auth.signedOn,
      auth_file: auth.file,
      auth_file_type: auth.fileType,
      requested_by_name: actor.displayName,
      idempotency_key: key,
      request_hash: requestHash,
    });
    if (!inserted) {
      const first = await repo.delegatedByKey(tx, key);
      if (!first) throw errors.conflict('IDEMPOTENCY_RACE', '请稍后重试', 'please retry');
      if (first.request_hash !== requestHash)
        throw errors.conflict(
          'IDEMPOTENCY_KEY_REUSED',
          '该 Idempotency-Key 已用于另一份内容不同的委托，请换一个新值',
          'this Idempotency-Key was used for a different request',
        );
      return { ...requestView(first, today), replayed: true };
    }
    await appendAudit(tx, {
      action: 'verification.delegated.request',
      entityType: 'delegated_request',
      entityId: inserted.id,
      regionCode: inserted.region_code,
      actorRole: actor.role,
      after: {
        purpose: purpose.id,
        department: inserted.department,
        subjects: inserted.subjects,
        authorisation: { reference: auth.reference, signedOn: auth.signedOn, file: auth.fileType },
      },
    });
    return { ...requestView(inserted, today), replayed: false };
  });
}

export async function listDelegatedRequests(
  deps: DelegatedDeps,
  actor: Actor | undefined,
  query: { status?: 'requested' | 'completed' | 'refused' | undefined; limit?: number | undefined },
  requestId?: string,
) {
  authorize(actor, Permission.verificationDelegate);
  const today = todayOf(deps);
  return asDelegatedActor(deps.db, actor, requestId, async (tx) =>
    (await repo.listDelegated(tx, { status: query.status, limit: query.limit ?? 100 })).map((r) =>
      requestView(r, today),
    ),
  );
}

export async function getDelegated(
  deps: DelegatedDeps,
  actor: Actor | undefined,
  id: string,
  requestId?: string,
) {
  authorize(actor, Permission.verificationDelegate);
  const today = todayOf(deps);
  return asDelegatedActor(deps.db, actor, requestId, async (tx) => {
    const row = await repo.findDelegated(tx, id);
    if (!row) throw errors.notFound('委托核对');
    return requestView(row, today);
  });
}

function centreOnly(actor: Actor) {
  if (actor.role !== 'verificationCentre')
    throw new AppError(403, 'CENTRE_ONLY', '委托核对由核对中心办理', 'only the verification centre decides');
}

export async function completeDelegated(
  deps: DelegatedDeps,
  actor: Actor | undefined,
  id: string,
  body: { asOf?: string | undefined },
  requestId?: string,
) {
  authorize(actor, Permission.verificationDelegate);
  centreOnly(actor);
  const today = todayOf(deps);
  const asOf = body.asOf ? checkDate(body.asOf, 'asOf') : today;
  if (asOf > today) throw errors.validation('asOf', '核对截止日期不能晚于今天', 'asOf is in the future');
  return asDelegatedActor(deps.db, actor, requestId, async (tx) => {
    const row = await repo.findDelegated(tx, id, { forUpdate: true });
    if (!row) throw errors.notFound('委托核对');
    if (row.status !== 'requested')
      throw errors.conflict('ALREADY_DECIDED', '该委托已办结', 'this request is already decided');
    const purpose = findPurpose(row.purpose);
    if (!purpose) throw errors.conflict('PURPOSE_WITHDRAWN', '该用途已从目录中撤销', 'purpose withdrawn');
    const result = await computeResult(tx, row, purpose, asOf);
    const expiresOn = addDays(today, purpose.validDays);
    await repo.completeDelegated(tx, id, { asOf, result, expiresOn, decidedByName: actor.displayName });
    await repo.logAccess(tx, {
      subjectType: 'delegated',
      subjectId: id,
      action: 'complete',
      actorName: actor.displayName,
      actorRole: actor.role,
      actorDepartment: actor.department,
      requesterDepartment: row.department,
      regionCode: row.region_code,
    });
    await appendAudit(tx, {
      action: 'verification.delegated.complete',
      entityType: 'delegated_request',
      entityId: id,
      regionCode: row.region_code,
      actorRole: actor.role,
      after: {
        asOf,
        expiresOn,
        sources: Object.keys(purpose.sources),
        records: result.subjects.reduce((n, s) => n + s.sources.reduce((m, x) => m + x.records.length, 0), 0),
      },
    });
    const done = await repo.findDelegated(tx, id);
    return requestView(done as repo.DelegatedRow, today);
  });
}

export async function refuseDelegated(
  deps: DelegatedDeps,
  actor: Actor | undefined,
  id: string,
  body: { reason: string },
  requestId?: string,
) {
  authorize(actor, Permission.verificationDelegate);
  centreOnly(actor);
  const reason = checkedText(body.reason, 'reason', '不予办理的理由', 500);
  const today = todayOf(deps);
  return asDelegatedActor(deps.db, actor, requestId, async (tx) => {
    const row = await repo.findDelegated(tx, id, { forUpdate: true });
    if (!row) throw errors.notFound('委托核对');
    if (row.status !== 'requested')
      throw errors.conflict('ALREADY_DECIDED', '该委托已办结', 'this request is already decided');
    await repo.refuseDelegated(tx, id, { reason, decidedByName: actor.displayName });
    await repo.logAccess(tx, {
      subjectType: 'delegated',
      subjectId: id,
      action: 'refuse',
      actorName: actor.displayName,
      actorRole: actor.role,
      actorDepartment: actor.department,
      requesterDepartment: row.department,
      regionCode: row.region_code,
    });
    await appendAudit(tx, {
      action: 'verification.delegated.refuse',
      entityType: 'delegated_request',
      entityId: id,
      regionCode: row.region_code,
      actorRole: actor.role,
      after: { reason },
    });
    const done = await repo.findDelegated(tx, id);
    return requestView(done as repo.DelegatedRow, today);
  });
}
