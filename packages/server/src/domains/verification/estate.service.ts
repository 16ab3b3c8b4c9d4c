/**
 * After-death estate inquiry (身后一件事): an heir, at the verification centre's window, asks what
 * the deceased left; the centre files the authorised request and, when the rules below hold, issues
 * one combined report across every source as of the date of death (estate.build.ts), frozen at
 * issue, printable. Every reading is written to the access log and the audit trail.
 *
 * When it is refused (stored with the reason, so the heir is told why and the file shows it):
 *  1. No death record. The deceased's death must be on record in the registry (date of death), the
 *     civil-affairs death and funeral source, or the hukou deregistration. Ground: 《个人信息保护法》
 *     第四十九条 gives next of kin access to the personal information of a *deceased* person only;
 *     of a living person the same data needs that person's own consent (第十三条、第十四条). A death
 *     certificate number the heir brings is recorded but cannot be checked here, so it is not
 *     enough on its own: the centre asks the registry or civil affairs to load the death first.
 *  2. The requester is not recorded as kin. Kin on record: the same registered household, or a
 *     liable-supporter link between the two (household_supporter). Otherwise a notarised document
 *     (公证书, e.g. a kinship or succession notarisation) must be referenced by its number. Grounds:
 *     《个人信息保护法》第四十九条 (近亲属, for their own lawful and legitimate interests); 《民法典》
 *     第一千零四十五条 (who are next of kin) and 第一千一百二十七条 (statutory heirs); 《公证法》第三十六条
 *     (a notarised fact is taken as true unless disproved). An estate administrator (遗产管理人,
 *     《民法典》第一千一百四十五条) is not kin by registration: always the notarised or court document.
 */
import { maskIdNumber } from '@doudi/rules';
import { AppError, errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { locatePerson } from '../registry/registry.repo.ts';
import { logAccess, sourcesLoaded } from './delegated.repo.ts';
import type { DelegatedDeps } from './delegated.service.ts';
import { relabel } from './delegatedFields.ts';
import {
  type AuthorisationInput,
  asDelegatedActor,
  checkAuthorisation,
  checkedIdNumber,
  checkedText,
  checkIdempotencyKey,
  sha256,
  todayOf,
} from './delegatedShared.ts';
import { buildEstateSections, ESTATE_SOURCES } from './estate.build.ts';
import * as repo from './estate.repo.ts';

export const HeirRelationships = [
  'spouse',
  'child',
  'parent',
  'sibling',
  'grandparent',
  'grandchild',
  'administrator',
] as const;
export type HeirRelationship = (typeof HeirRelationships)[number];

export interface EstateBody {
  deceased: { idNumber: string; name: string };
  deathCertificate?: string | undefined;
  heir: { idNumber: string; name: string; relationship: HeirRelationship };
  notarisedReference?: string | undefined;
  authorisation: AuthorisationInput;
}

function centreOnly(actor: Actor) {
  if (actor.role !== 'verificationCentre')
    throw new AppError(
      403,
      'CENTRE_ONLY',
      '身后一件事查询由核对中心受理',
      'only the verification centre files it',
    );
}

const documentNumber = (r: { id: string; requested_at: Date }) =>
  `身查〔${new Date(r.requested_at).toISOString().slice(0, 4)}〕${r.id.slice(0, 8).toUpperCase()}号`;

/** The reasons for refusing, in both languages; the code is stored beside the Chinese text. */
const REFUSALS = {
  noDeathRecord: {
    zh: '户籍、殡葬数据中没有该人员的死亡记录，不能查询其身后财产；请先由公安户籍注销或民政殡葬数据登记死亡（《个人信息保护法》第四十九条）',
    en: 'No death of this person is on record in the hukou or funeral data, so their estate cannot be searched; the death must first be registered by the police hukou office or in the civil-affairs funeral data (Personal Information Protection Law, art. 49)',
  },
  administratorDocument: {
    zh: '遗产管理人须提供公证文书或人民法院指定文书的编号（《民法典》第一千一百四十五条）',
    en: 'An estate administrator must give the number of a notarised document or of the court order appointing them (Civil Code, art. 1145)',
  },
  kinshipNotRecorded: {
    zh: '户籍和赡养关系中没有申请人与死者的亲属关系记录，须提供亲属关系或继承公证书编号（《个人信息保护法》第四十九条、《公证法》第三十六条）',
    en: 'Neither the hukou nor the supporter records show the requester as kin of the deceased; the number of a notarised kinship or succession document is needed (Personal Information Protection Law, art. 49; Notarisation Law, art. 36)',
  },
} as const;
export type RefusalCode = keyof typeof REFUSALS;

function summaryView(r: repo.EstateRow) {
  return {
    id: r.id,
    documentNumber: documentNumber(r),
    status: r.status,
    refusalReason: r.refusal_reason,
    refusalReasonEn: r.refusal_code ? REFUSALS[r.refusal_code].en : null,
    deceased: { name: r.deceased_name, idNumberMasked: r.deceased_masked, deathDate: r.death_date },
    heir: {
      name: r.heir_name,
      idNumberMasked: r.heir_masked,
      relationship: r.heir_relationship,
      kinshipBasis: r.kinship_basis,
      notarisedReference: r.notarised_reference,
    },
    deathCertificate: r.death_certificate,
    deathEvidence: r.death_evidence ?? [],
    authorisation: { reference: r.auth_reference, signedOn: r.auth_signed_on },
    requestedByName: r.requested_by_name,
    requestedAt: new Date(r.requested_at).toISOString(),
  };
}

export async function fileEstateInquiry(
  deps: DelegatedDeps,
  actor: Actor | undefined,
  body: EstateBody,
  idempotencyKey: string | undefined,
  requestId?: string,
) {
  authorize(actor, Permission.verificationDelegate);
  centreOnly(actor);
  const key = checkIdempotencyKey(idempotencyKey);
  const today = todayOf(deps);
  const deceasedId = checkedIdNumber(body.deceased.idNumber, 'deceased.idNumber');
  const heirId = checkedIdNumber(body.heir.idNumber, 'heir.idNumber');
  if (deceasedId === heirId)
    throw errors.validation('heir.idNumber', '申请人与死者不能是同一人', 'the heir is the deceased');
  const deceasedName = checkedText(body.deceased.name, 'deceased.name', '死者姓名', 50);
  const heirName = checkedText(body.heir.name, 'heir.name', '申请人姓名', 50);
  const deathCertificate = body.deathCertificate
    ? checkedText(body.deathCertificate, 'deathCertificate', '死亡证明编号', 100)
    : null;
  const notarised = body.notarisedReference
    ? checkedText(body.notarisedReference, 'notarisedReference', '公证书编号', 100)
    : null;
  const auth = checkAuthorisation(body.authorisation, today);
  const deceasedIndex = deps.cipher.blindIndex('idNumber', deceasedId);
  const heirIndex = deps.cipher.blindIndex('idNumber', heirId);
  const requestHash = sha256(JSON.stringify(body));

  return asDelegatedActor(deps.db, actor, requestId, async (tx) => {
    const replay = await repo.estateByKey(tx, key);
    if (replay) {
      if (replay.request_hash !== requestHash)
        throw errors.conflict(
          'IDEMPOTENCY_KEY_REUSED',
          '该 Idempotency-Key 已用于另一份内容不同的查询，请换一个新值',
          'this Idempotency-Key was used for a different inquiry',
        );
      return { ...summaryView(replay), replayed: true };
    }
    // Rule 1: a death on record.
    const evidence = await repo.deathEvidence(tx, deceasedIndex);
    const deathDate = evidence[0]?.date ?? null;
    let refusal: RefusalCode | null = null;
    let basis: 'household' | 'supporter' | 'notarised' | null = null;
    if (!deathDate) refusal = 'noDeathRecord';
    else {
      // Rule 2: kin on record, or a notarised document.
      const [dead, heir] = await Promise.all([locatePerson(tx, deceasedIndex), locatePerson(tx, heirIndex)]);
      if (body.heir.relationship !== 'administrator' && dead && heir) {
        if (dead.household_id === heir.household_id) basis = 'household';
        else if (await repo.supporterLinked(tx, dead, heir)) basis = 'supporter';
      }
      if (!basis && notarised) basis = 'notarised';
      if (!basis)
        refusal = body.heir.relationship === 'administrator' ? 'administratorDocument' : 'kinshipNotRecorded';
    }
    let report: Record<string, unknown> | null = null;
    if (!refusal && deathDate) {
      const hits = await repo.estateRecords(tx, deceasedIndex, ESTATE_SOURCES, deathDate);
      const loaded = await sourcesLoaded(tx, deathDate, actor.regionCode);
      const sections = buildEstateSections(hits, deathDate, loaded);
      report = {
        asOf: deathDate,
        issuedOn: today,
        sections,
        notes: [
          {
            zh: '本报告列出截至死亡之日各部门登记在死者名下的财产及待遇线索，不是遗产范围或继承份额的认定；死亡后才有的快照数据注明其日期',
            en: 'Leads to assets in the deceased’s name on the date of death, not a ruling on the estate or shares; snapshots taken after the death are marked with their date',
          },
          {
            zh: '养老保险个人账户余额、丧葬补助金和抚恤金由社会保险经办机构核定',
            en: 'Pension account balances, funeral grants and survivor benefits are settled by the social insurance agency',
          },
        ],
      };
    }
    const row = await repo.insertEstate(tx, {
      region_code: actor.regionCode,
      deceased_name: deceasedName,
      deceased_index: deceasedIndex,
      deceased_masked: maskIdNumber(deceasedId),
      death_date: deathDate,
      death_evidence: evidence,
      death_certificate: deathCertificate,
      heir_name: heirName,
      heir_index: heirIndex,
      heir_masked: maskIdNumber(heirId),
      heir_relationship: body.heir.relationship,
      kinship_basis: basis,
      notarised_reference: notarised,
      auth_reference: auth.reference,
      auth_signed_on: auth.signedOn,
      status: refusal ? 'refused' : 'issued',
      report,
      refusal_reason: refusal ? REFUSALS[refusal].zh : null,
      refusal_code: refusal,
      requested_by_name: actor.displayName,
      idempotency_key: key,
      request_hash: requestHash,
    });
    if (!row) throw errors.conflict('IDEMPOTENCY_RACE', '请稍后重试', 'please retry');
    await logAccess(tx, {
      subjectType: 'estate',
      subjectId: row.id,
      action: refusal ? 'refuse' : 'issue',
      actorName: actor.displayName,
      actorRole: actor.role,
      actorDepartment: actor.department,
      requesterDepartment: null,
      regionCode: row.region_code,
    });
    await appendAudit(tx, {
      action: refusal ? 'verification.estate.refuse' : 'verification.estate.issue',
      entityType: 'estate_inquiry',
      entityId: row.id,
      regionCode: row.region_code,
      actorRole: actor.role,
      after: {
        deceased: row.deceased_masked,
        deathDate,
        heir: row.heir_masked,
        relationship: row.heir_relationship,
        kinshipBasis: basis,
        notarisedReference: notarised,
        authorisation: { reference: auth.reference, signedOn: auth.signedOn, file: auth.fileType },
        refusal: refusal ? REFUSALS[refusal].zh : null,
      },
    });
    return { ...summaryView(row), replayed: false };
  });
}

export async function listEstateInquiries(
  deps: DelegatedDeps,
  actor: Actor | undefined,
  query: { limit?: number | undefined },
  requestId?: string,
) {
  authorize(actor, Permission.verificationDelegate);
  centreOnly(actor);
  return asDelegatedActor(deps.db, actor, requestId, async (tx) =>
    (await repo.listEstate(tx, query.limit ?? 100)).map(summaryView),
  );
}

/** The inquiry with its frozen report; every reading (page or print) logged and audited. */
export async function readEstateInquiry(
  deps: DelegatedDeps,
  actor: Actor | undefined,
  id: string,
  requestId?: string,
  printed = false,
) {
  authorize(actor, Permission.verificationDelegate);
  centreOnly(actor);
  return asDelegatedActor(deps.db, actor, requestId, async (tx) => {
    const row = await repo.findEstate(tx, id);
    if (!row) throw errors.notFound('身后事查询');
    if (printed && row.status !== 'issued')
      throw errors.conflict('NOT_ISSUED', '该查询未出具报告', 'no report: the inquiry was refused');
    await logAccess(tx, {
      subjectType: 'estate',
      subjectId: id,
      action: printed ? 'print' : 'view',
      actorName: actor.displayName,
      actorRole: actor.role,
      actorDepartment: actor.department,
      requesterDepartment: null,
      regionCode: row.region_code,
    });
    await appendAudit(tx, {
      action: printed ? 'verification.estate.print' : 'verification.estate.view',
      entityType: 'estate_inquiry',
      entityId: id,
      regionCode: row.region_code,
      actorRole: actor.role,
      after: { deceased: row.deceased_masked, status: row.status },
    });
    return { ...summaryView(row), report: relabelReport((row.report ?? null) as EstateReport | null) };
  });
}

export interface EstateReport {
  asOf: string;
  issuedOn: string;
  sections: ReturnType<typeof buildEstateSections>;
  notes: { zh: string; en: string }[];
}
/** The frozen report with its fields shown again in both languages (delegatedFields.ts says why). */
function relabelReport(report: EstateReport | null): EstateReport | null {
  if (!report) return null;
  return {
    ...report,
    sections: report.sections.map((section) => ({
      ...section,
      items: section.items.map((item) => ({ ...item, fields: relabel(item.source, item.fields) })),
    })),
  };
}
export type EstateInquiryView = Awaited<ReturnType<typeof readEstateInquiry>>;
