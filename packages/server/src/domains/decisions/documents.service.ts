/**
 * Statutory documents: issued once at their event (a case hook or an enrolment stop, in that
 * transaction), numbered from the county's counter, rendered to PDF and stored with a SHA-256; read
 * back by staff of the case's scope (intake.read; a department officer only for their department's
 * cases) and by a resident for their own household only. Every issue and every download is audited,
 * after the permission check. Documents print the addressee's full ID number (their own, on a
 * document served on them); the stored PDF is therefore personal data, and every download is also
 * logged as a full view of that number (personal_data_access), staff and resident alike.
 *
 * The PDF lives in the row (bytea), not in the data folder: the number, the counter and the bytes
 * commit or roll back together (no file without a number, no number without a file, hence no gap),
 * and the document has the row-level security, backup and restore of the rest of the case.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import { renderPdf } from '../../documents/pdf.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import type { IntakeDeps } from '../intake/applications.service.ts';
import * as intakeRepo from '../intake/intake.repo.ts';
import { policyRefs, templateOf } from '../intake/intake.views.ts';
import type { PersonalDataCipher } from '../registry/personalData.crypto.ts';
import { residentHousehold } from '../residents/residents.repo.ts';
import { decisionView } from './decisionRecord.ts';
import * as repo from './decisions.repo.ts';
import { formatNumber, issuerOf, itemName, type ServedKind, titleOf } from './documentCatalog.ts';
import { documentSpec } from './documentText.ts';
import { withService } from './service.views.ts';

export interface IssueInput {
  kind: ServedKind;
  /** Once per event: a second call with the same key returns the first document. */
  eventKey: string;
  actor: { displayName: string; role: string };
  on: string;
  householdId: string;
  regionCode: string;
  policyId: string;
  department: string | null;
  caseId: string | null;
  enrolmentId: string | null;
  decisionId: string | null;
  delegated: boolean;
  receivedOn: string | null;
  legalBasis: readonly string[];
  legalGround: string;
  reason: string | null;
  amountFen: number | null;
  startsOn: string | null;
  effectiveOn: string | null;
  totalWorkingDays: number | null;
  extendedWorkingDays: number | null;
}

export async function issueDocument(
  tx: Queryable,
  cipher: PersonalDataCipher,
  a: IssueInput,
): Promise<{ id: string; number: string }> {
  const prior = await repo.documentByEvent(tx, a.eventKey);
  if (prior) return { id: prior.id, number: prior.number };
  const parties = await repo.partiesOf(tx, a.householdId);
  if (!parties) throw errors.notFound('该户');
  const countyCode = a.regionCode.slice(0, 6);
  const item = itemName(a.policyId, policyRefs().get(a.policyId)?.name?.zh ?? a.policyId);
  const issuer = issuerOf({
    kind: a.kind,
    policyId: a.policyId,
    department: a.department,
    countyCode,
    countyName: parties.county_name ?? '',
    townshipName: parties.township_name,
    delegated: a.delegated,
  });
  const year = Number(a.on.slice(0, 4));
  const seq = await repo.nextNumber(tx, countyCode, issuer.series, year);
  const number = formatNumber(issuer.series, year, seq);
  const title = titleOf(a.kind, a.policyId, item).slice(0, 60);
  const addressee = parties.head_name ?? `户编号${parties.household_number}`;
  const fullId = parties.head_id_cipher ? cipher.decrypt('idNumber', parties.head_id_cipher) : null;
  const facts = {
    kind: a.kind,
    title,
    number,
    issuer,
    issuedOn: a.on,
    addressee,
    idNumber: fullId,
    address: parties.address,
    householdNumber: parties.household_number,
    item,
    receivedOn: a.receivedOn,
    legalBasis: a.legalBasis,
    legalGround: a.legalGround,
    reason: a.reason,
    amountFen: a.amountFen,
    startsOn: a.startsOn,
    effectiveOn: a.effectiveOn,
    totalWorkingDays: a.totalWorkingDays,
    extendedWorkingDays: a.extendedWorkingDays,
  };
  const pdf = await renderPdf(documentSpec(facts));
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  const id = await repo.insertDocument(tx, {
    event_key: a.eventKey,
    kind: a.kind,
    case_id: a.caseId,
    enrolment_id: a.enrolmentId,
    decision_id: a.decisionId,
    household_id: a.householdId,
    region_code: a.regionCode,
    policy_id: a.policyId,
    county_code: countyCode,
    series: issuer.series,
    year,
    seq,
    number,
    title,
    addressee: addressee.slice(0, 100),
    issued_on: a.on,
    issuer: issuer.name.slice(0, 100),
    // The full number is in the PDF only, never in content (plain JSON, shown without the PDF).
    content: {
      ...facts,
      idNumber: undefined,
      idNumberMasked: parties.head_id_masked,
      idNumberPrinted: fullId ? 'full' : 'none',
      addresseePersonId: parties.head_person_id,
      issuer: issuer.name,
      legalBasis: [...a.legalBasis],
    },
    pdf,
    sha256,
    created_by_name: a.actor.displayName,
  });
  await appendAudit(tx, {
    action: 'document.issue',
    entityType: 'statutory_document',
    entityId: id,
    regionCode: a.regionCode,
    actorRole: a.actor.role,
    after: { kind: a.kind, number, title, caseId: a.caseId, enrolmentId: a.enrolmentId, sha256 },
  });
  return { id, number };
}

export function documentView(d: repo.DocumentRow) {
  return {
    id: d.id,
    kind: d.kind,
    number: d.number,
    title: d.title,
    issuedOn: d.issued_on,
    issuer: d.issuer,
    addressee: d.addressee,
    caseId: d.case_id,
    policyId: d.policy_id,
    sha256: d.sha256,
    byteSize: Number(d.byte_size),
  };
}

/** A department officer sees only their department's cases (as in intake). */
export async function staffCase(tx: Queryable, actor: Actor, caseId: string) {
  const row = await intakeRepo.findCase(tx, caseId);
  if (!row || (actor.role === 'departmentOfficer' && row.department !== actor.department))
    throw errors.notFound('该案件');
  return row;
}

export async function caseDocuments(
  deps: IntakeDeps,
  actor: Actor | undefined,
  caseId: string,
  requestId?: string,
) {
  authorize(actor, Permission.intakeRead);
  return asActor(deps.db, actor, requestId, async (tx) => {
    await staffCase(tx, actor, caseId);
    const [documents, decision] = await Promise.all([
      repo.documentsOfCase(tx, caseId),
      repo.decisionOfCase(tx, caseId),
    ]);
    return {
      documents: await withService(tx, documents.map(documentView)),
      decision: decision ? decisionView(decision) : null,
    };
  });
}

function fileOf(d: repo.DocumentRow & { pdf: Buffer | Uint8Array }) {
  return {
    fileName: `${d.title}-${d.number}.pdf`,
    pdf: Buffer.from(d.pdf),
    sha256: d.sha256,
  };
}

/**
 * Audited; a document that prints the full ID number is also a full view of it, logged like a reveal
 * on the household page (purpose: the download of this numbered document).
 */
async function auditDownload(tx: Queryable, actor: Actor, d: repo.DocumentRow) {
  const personId = d.content.idNumberPrinted === 'full' ? d.content.addresseePersonId : undefined;
  if (typeof personId === 'string')
    await tx.query(
      `INSERT INTO personal_data_access (actor_role, person_id, field, purpose, detail, region_code)
       VALUES ($1, $2, 'idNumber', $3, $4, $5)`,
      [
        actor.role,
        personId,
        `下载文书（印有完整身份证号码）：${d.number}`.slice(0, 200),
        JSON.stringify({ documentId: d.id, number: d.number }),
        d.region_code,
      ],
    );
  await appendAudit(tx, {
    action: 'document.download',
    entityType: 'statutory_document',
    entityId: d.id,
    regionCode: d.region_code,
    actorRole: actor.role,
    after: { number: d.number, caseId: d.case_id, fullIdNumber: typeof personId === 'string' },
  });
}

export async function downloadForStaff(
  deps: IntakeDeps,
  actor: Actor | undefined,
  id: string,
  requestId?: string,
) {
  authorize(actor, Permission.intakeRead);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const d = await repo.findDocument(tx, id);
    if (!d) throw errors.notFound('该文书');
    const caseId = d.case_id ?? (await enrolmentCase(tx, d.enrolment_id));
    if (caseId) await staffCase(tx, actor, caseId);
    else if (actor.role === 'departmentOfficer') throw errors.notFound('该文书');
    await auditDownload(tx, actor, d);
    return fileOf(d);
  });
}

export async function enrolmentCase(tx: Queryable, enrolmentId: string | null): Promise<string | null> {
  if (!enrolmentId) return null;
  const r = await tx.query<{ case_id: string | null }>('SELECT case_id FROM enrolment WHERE id = $1', [
    enrolmentId,
  ]);
  return r.rows[0]?.case_id ?? null;
}

/** The resident's own household's documents (none when the account is not linked). */
export async function myDocuments(deps: IntakeDeps, actor: Actor | undefined, requestId?: string) {
  authorize(actor, Permission.residentPortal);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const mine = await residentHousehold(tx, actor.userId);
    if (!mine) return [];
    return withService(tx, (await repo.documentsOfHousehold(tx, mine.household_id)).map(documentView));
  });
}

/** Another household's document is "not found", whether or not it exists in the resident's village. */
export async function downloadForResident(
  deps: IntakeDeps,
  actor: Actor | undefined,
  id: string,
  requestId?: string,
) {
  authorize(actor, Permission.residentPortal);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const mine = await residentHousehold(tx, actor.userId);
    const d = await repo.findDocument(tx, id);
    // Receipts of service are the office's record, not served on the household.
    if (!d || !mine || d.household_id !== mine.household_id || d.kind === 'serviceReceipt')
      throw errors.notFound('该文书');
    await auditDownload(tx, actor, d);
    return fileOf(d);
  });
}

/** For the hooks: the names a case's documents need from its template. */
export function caseDocumentBase(c: intakeRepo.CaseRow) {
  const t = templateOf(c);
  return {
    householdId: c.household_id,
    regionCode: c.region_code,
    policyId: c.policy_id,
    department: c.department,
    caseId: c.id,
    enrolmentId: null,
    receivedOn: c.received_on,
    legalBasis: t.legalBasis,
    totalWorkingDays: t.totalWorkingDays,
    extendedWorkingDays: t.extendedWorkingDays ?? null,
  };
}
