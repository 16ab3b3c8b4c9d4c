/**
 * 送达记录更正: a wrongly entered service record (wrong date, method or recipient) is corrected by
 * the officer who entered it or by the county office, with a written reason. The old record is kept
 * (rows are immutable; the new one names it), the appeal deadlines follow the corrected date, and
 * the correction is audited with both versions. The request names the record it corrects, so an
 * officer who saw an older version is told instead of overwriting a colleague's correction.
 */
import type { Queryable } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import type { Actor } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { type IntakeDeps, todayOf } from '../intake/applications.service.ts';
import {
  authorizeServing,
  checkIdempotencyKey,
  checkServedOn,
  checkService,
  type ServiceBody,
  servedDocument,
} from './documentService.service.ts';
import { documentView } from './documents.service.ts';
import * as serviceRepo from './service.repo.ts';
import { withService } from './service.views.ts';

export interface CorrectionBody extends ServiceBody {
  /** The id of the record being corrected: the current one, as the officer saw it. */
  corrects: string;
  /** Why the record was wrong (2 to 500 characters). */
  reason: string;
}

/** Fields compared to refuse a "correction" that changes nothing. */
const COMPARED = [
  'method',
  'served_on',
  'recipient_name',
  'recipient_relation',
  'witness_name',
  'refusal_reason',
  'tracking_number',
  'server_name',
  'note',
] as const;

function checkReason(reason: string): string {
  const r = reason.normalize('NFC').trim();
  if ([...r].length < 2 || [...r].length > 500 || /[\p{Cc}]/u.test(r.replace(/[\n\r\t]/g, '')))
    throw errors.validation(
      'reason',
      '更正送达记录须写明更正理由（2至500个字）',
      'a written reason of 2–500 characters is required',
    );
  return r;
}

const superseded = () =>
  errors.conflict(
    'SERVICE_RECORD_SUPERSEDED',
    '该送达记录已被更正，请刷新后在最新记录上更正',
    'this service record has already been corrected; reload and correct the current one',
    'corrects',
  );

async function view(tx: Queryable, d: Awaited<ReturnType<typeof servedDocument>>, replayed: boolean) {
  return { document: (await withService(tx, [documentView(d)]))[0], replayed };
}

/** 更正送达记录: a new record replacing the current one; a retried request answers with the first. */
export async function correctService(
  deps: IntakeDeps,
  actor: Actor | undefined,
  id: string,
  body: CorrectionBody,
  idempotencyKey: string | undefined,
  requestId?: string,
) {
  authorizeServing(actor);
  checkIdempotencyKey(idempotencyKey);
  const reason = checkReason(body.reason);
  const s = checkService(body, actor);
  const today = todayOf(deps);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const d = await servedDocument(tx, actor, id);
    const prior = await serviceRepo.serviceByKey(tx, idempotencyKey);
    if (prior && (prior.document_id !== d.id || prior.corrects !== body.corrects))
      throw errors.conflict(
        'IDEMPOTENCY_KEY_REUSED',
        '这个 Idempotency-Key 已用于另一次送达登记，请换一个',
        'this Idempotency-Key was used for another service record',
      );
    if (prior) return view(tx, d, true);
    const history = await serviceRepo.serviceHistoryOf(tx, [d.id]);
    const old = history.find((r) => r.id === body.corrects);
    if (!old) throw errors.notFound('该送达记录');
    if (history.some((r) => r.corrects === old.id)) throw superseded();
    // Only whoever entered it knows what went wrong on the spot; the county office answers for all.
    if (actor.role !== 'countyOfficer' && old.recorded_by !== actor.userId)
      throw errors.forbidden('document.serviceCorrect');
    checkServedOn(s.served_on, d.issued_on, today);
    if (COMPARED.every((k) => s[k] === old[k]))
      throw errors.validation('corrects', '更正后的送达记录与原记录相同', 'the correction changes nothing');
    const inserted = await serviceRepo.insertCorrection(tx, {
      ...s,
      document_id: d.id,
      household_id: d.household_id,
      region_code: d.region_code,
      idempotency_key: idempotencyKey,
      recorded_by_name: actor.displayName,
      corrects: old.id,
      correction_reason: reason,
    });
    // Two corrections of the same record at once: the unique key lets one through.
    if (!inserted) throw superseded();
    const summary = (r: Pick<serviceRepo.ServiceRow, 'method' | 'served_on' | 'recipient_relation'>) => ({
      method: r.method,
      servedOn: r.served_on,
      relation: r.recipient_relation,
    });
    await appendAudit(tx, {
      action: 'document.serviceCorrect',
      entityType: 'statutory_document',
      entityId: d.id,
      regionCode: d.region_code,
      actorRole: actor.role,
      before: { record: old.id, ...summary(old), recordedBy: old.recorded_by_name },
      after: { record: inserted, number: d.number, ...summary(s), reason },
    });
    return view(tx, d, false);
  });
}
