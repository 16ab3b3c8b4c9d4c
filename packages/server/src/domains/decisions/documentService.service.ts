/**
 * Service of documents (送达): the receipt (送达回执) printed for a document, and the record of how,
 * when and to whom it was served. Staff who serve documents only (the township caseworker, the
 * county office, a department for its own items, the grid worker who carries them to the village);
 * in the caller's scope; once per document, a retried request (same Idempotency-Key) answered with
 * the first record. Every write audited, after the permission check.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import { renderPdf } from '../../documents/pdf.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission, type Role } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { type IntakeDeps, todayOf } from '../intake/applications.service.ts';
import { checkDate } from '../registry/registry.model.ts';
import * as repo from './decisions.repo.ts';
import { formatNumber, issuerOf, titleOf } from './documentCatalog.ts';
import { documentView, enrolmentCase, staffCase } from './documents.service.ts';
import { type ReceiptFacts, receiptSpec } from './receiptText.ts';
import * as serviceRepo from './service.repo.ts';
import { withService } from './service.views.ts';
import { cleanName, METHOD_ZH, type RecipientRelation, type ServiceMethod } from './serviceRules.ts';

const SERVING_ROLES: readonly Role[] = ['caseworker', 'countyOfficer', 'departmentOfficer', 'gridWorker'];

export function authorizeServing(actor: Actor | undefined): asserts actor is Actor {
  authorize(actor, Permission.intakeHandle);
  if (!SERVING_ROLES.includes(actor.role)) throw errors.forbidden('document.serve');
}

export interface ServiceBody {
  method: ServiceMethod;
  servedOn: string;
  recipientName: string;
  recipientRelation: RecipientRelation;
  witnessName?: string | undefined;
  refusalReason?: string | undefined;
  trackingNumber?: string | undefined;
  serverName?: string | undefined;
  note?: string | undefined;
}

const name = (field: string, value: string, label: string) => {
  const v = cleanName(value);
  if (!v)
    throw errors.validation(
      field,
      `${label}须为1至50个字，不能含控制字符`,
      `${field}: 1 to 50 printable characters`,
    );
  return v;
};

/** The record as it will be stored, or a clear 400 naming the field. */
export function checkService(body: ServiceBody, actor: Actor) {
  const servedOn = checkDate(body.servedOn, 'servedOn');
  const recipientName = name('recipientName', body.recipientName, '签收人姓名');
  const serverName = name('serverName', body.serverName ?? actor.displayName, '送达人姓名');
  const witness = body.witnessName?.trim() ? name('witnessName', body.witnessName, '见证人姓名') : null;
  const refusal = body.refusalReason?.trim() || null;
  if (body.method === 'leftAtAddress') {
    if (!witness)
      throw errors.validation(
        'witnessName',
        '留置送达须有见证人（基层组织或所在单位的代表）',
        'a witness is required',
      );
    if (witness === recipientName || witness === serverName)
      throw errors.validation(
        'witnessName',
        '见证人不能是受送达人或送达人本人',
        'the witness must be a third person',
      );
    if (!refusal || [...refusal].length < 2)
      throw errors.validation(
        'refusalReason',
        '留置送达须写明拒收事由',
        'give the reason the recipient refused',
      );
  } else if (witness || refusal)
    throw errors.validation(
      'witnessName',
      '只有留置送达才登记见证人和拒收事由',
      'witness only for leftAtAddress',
    );
  if (body.method === 'electronic' && body.recipientRelation !== 'self')
    throw errors.validation(
      'recipientRelation',
      '电子送达只能送达受送达人本人',
      'electronic service is to the addressee',
    );
  const tracking = body.trackingNumber?.trim() || null;
  if (tracking && (body.method !== 'post' || !/^[A-Za-z0-9]{6,40}$/.test(tracking)))
    throw errors.validation(
      'trackingNumber',
      '邮件号码只用于邮寄送达，为6至40位字母或数字',
      'tracking number: post only, 6–40 letters or digits',
    );
  const note = body.note?.trim() || null;
  if (note && /[\p{Cc}]/u.test(note.replace(/[\n\r\t]/g, '')))
    throw errors.validation('note', '备注不能含控制字符', 'note must not contain control characters');
  return {
    method: body.method,
    served_on: servedOn,
    recipient_name: recipientName,
    recipient_relation: body.recipientRelation,
    witness_name: witness,
    refusal_reason: refusal,
    tracking_number: tracking,
    server_name: serverName,
    note,
  };
}

/** The document, seen by staff of its case (a department officer: their department's only). */
export async function servedDocument(tx: Queryable, actor: Actor, id: string) {
  const d = await repo.findDocument(tx, id);
  if (!d) throw errors.notFound('该文书');
  const caseId = d.case_id ?? (await enrolmentCase(tx, d.enrolment_id));
  if (caseId) await staffCase(tx, actor, caseId);
  else if (actor.role === 'departmentOfficer') throw errors.notFound('该文书');
  if (d.kind === 'serviceReceipt')
    throw errors.validation('id', '送达回执本身不需要送达', 'a receipt of service is not itself served');
  return d;
}

/** The receipt of a document: issued once (numbered, stored, audited); a second call returns it. */
async function ensureReceipt(
  tx: Queryable,
  actor: Actor,
  d: repo.DocumentRow,
  on: string,
  service: ReceiptFacts['service'],
): Promise<{ id: string; number: string }> {
  const eventKey = `document:${d.id}:receipt`;
  const prior = await repo.documentByEvent(tx, eventKey);
  if (prior) return { id: prior.id, number: prior.number };
  const parties = await repo.partiesOf(tx, d.household_id);
  if (!parties) throw errors.notFound('该户');
  const department = (
    await tx.query<{ department: string | null }>(
      `SELECT department FROM intake_case
        WHERE id = coalesce($1::uuid, (SELECT case_id FROM enrolment WHERE id = $2::uuid))`,
      [d.case_id, d.enrolment_id],
    )
  ).rows[0]?.department;
  const { series } = issuerOf({
    kind: 'serviceReceipt',
    policyId: d.policy_id,
    department: department ?? null,
    countyCode: d.county_code,
    countyName: parties.county_name ?? '',
    townshipName: parties.township_name,
    delegated: false,
  });
  const year = Number(on.slice(0, 4));
  const seq = await repo.nextNumber(tx, d.county_code, series, year);
  const number = formatNumber(series, year, seq);
  const title = titleOf('serviceReceipt', d.policy_id, '');
  const facts: ReceiptFacts = {
    title,
    number,
    issuer: d.issuer,
    issuedOn: on,
    served: { title: d.title, number: d.number, issuedOn: d.issued_on },
    addressee: d.addressee,
    address: parties.address,
    service,
  };
  const pdf = await renderPdf(receiptSpec(facts));
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  const id = await repo.insertDocument(tx, {
    event_key: eventKey,
    kind: 'serviceReceipt',
    case_id: d.case_id,
    enrolment_id: d.enrolment_id,
    decision_id: d.decision_id,
    household_id: d.household_id,
    region_code: d.region_code,
    policy_id: d.policy_id,
    county_code: d.county_code,
    series,
    year,
    seq,
    number,
    title,
    addressee: d.addressee,
    issued_on: on,
    issuer: d.issuer,
    content: { ...facts },
    pdf,
    sha256,
    created_by_name: actor.displayName,
    served_document_id: d.id,
  });
  await appendAudit(tx, {
    action: 'document.issue',
    entityType: 'statutory_document',
    entityId: id,
    regionCode: d.region_code,
    actorRole: actor.role,
    after: { kind: 'serviceReceipt', number, servedDocument: d.number, sha256 },
  });
  return { id, number };
}

/** 打印送达回执: the receipt of a document (issued on the first call), as the document lists it. */
export async function printReceipt(
  deps: IntakeDeps,
  actor: Actor | undefined,
  id: string,
  requestId?: string,
) {
  authorizeServing(actor);
  const today = todayOf(deps);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const d = await servedDocument(tx, actor, id);
    const [recorded] = await serviceRepo.servicesOf(tx, [d.id]);
    await ensureReceipt(tx, actor, d, today, recorded ? receiptService(recorded) : null);
    return (await withService(tx, [documentView(d)]))[0];
  });
}

function receiptService(
  s: serviceRepo.ServiceRow | ReturnType<typeof checkService>,
): ReceiptFacts['service'] {
  return {
    method: s.method,
    servedOn: s.served_on,
    recipientName: s.recipient_name,
    recipientRelation: s.recipient_relation,
    witnessName: s.witness_name,
    refusalReason: s.refusal_reason,
    trackingNumber: s.tracking_number,
    serverName: s.server_name,
  };
}

export function checkIdempotencyKey(key: string | undefined): asserts key is string {
  if (!key || !/^[A-Za-z0-9._:-]{8,100}$/.test(key))
    throw errors.validation(
      'Idempotency-Key',
      '登记送达须带 Idempotency-Key 请求头（8到100位字母、数字或 ._:-），重试时使用同一个值',
      'an Idempotency-Key header of 8–100 characters is required',
    );
}

/** A date served: not before the document was issued, not after today. */
export function checkServedOn(servedOn: string, issuedOn: string, today: string): void {
  if (servedOn < issuedOn)
    throw errors.validation(
      'servedOn',
      `送达日期不能早于文书成文日期（${issuedOn}）`,
      'served before issued',
    );
  if (servedOn > today)
    throw errors.validation('servedOn', '送达日期不能晚于今天', 'the date served is in the future');
}

/** 登记送达: how, when and to whom the document was served; once per document. */
export async function recordService(
  deps: IntakeDeps,
  actor: Actor | undefined,
  id: string,
  body: ServiceBody,
  idempotencyKey: string | undefined,
  requestId?: string,
) {
  authorizeServing(actor);
  checkIdempotencyKey(idempotencyKey);
  const s = checkService(body, actor);
  const today = todayOf(deps);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const d = await servedDocument(tx, actor, id);
    const prior = await serviceRepo.serviceByKey(tx, idempotencyKey);
    if (prior && prior.document_id !== d.id)
      throw errors.conflict(
        'IDEMPOTENCY_KEY_REUSED',
        '这个 Idempotency-Key 已用于另一份文书的送达登记，请换一个',
        'this Idempotency-Key was used for another document',
      );
    if (prior) return { document: (await withService(tx, [documentView(d)]))[0], replayed: true };
    checkServedOn(s.served_on, d.issued_on, today);
    const inserted = await serviceRepo.insertService(tx, {
      ...s,
      document_id: d.id,
      household_id: d.household_id,
      region_code: d.region_code,
      idempotency_key: idempotencyKey,
      recorded_by_name: actor.displayName,
    });
    if (!inserted) {
      const [first] = await serviceRepo.servicesOf(tx, [d.id]);
      throw errors.conflict(
        'DOCUMENT_ALREADY_SERVED',
        first
          ? `该文书已于${first.served_on}${METHOD_ZH[first.method]}（登记人：${first.recorded_by_name}），不能重复登记`
          : '该文书已登记送达，不能重复登记',
        'this document has already been served',
      );
    }
    const receipt = await ensureReceipt(tx, actor, d, today, receiptService(s));
    await appendAudit(tx, {
      action: 'document.serve',
      entityType: 'statutory_document',
      entityId: d.id,
      regionCode: d.region_code,
      actorRole: actor.role,
      after: {
        number: d.number,
        method: s.method,
        servedOn: s.served_on,
        relation: s.recipient_relation,
        witness: s.witness_name !== null,
        receipt: receipt.number,
      },
    });
    return { document: (await withService(tx, [documentView(d)]))[0], replayed: false };
  });
}
