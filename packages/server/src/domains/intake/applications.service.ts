/**
 * One door (一门受理): an application for a household, taken at the window, by a grid worker on the
 * household's behalf (with the authorisation recorded) or online by the resident, carrying one or
 * more items; each item becomes a case on its process template, routed to the office or department
 * that owns it, with its own deadline. Whoever submits owns the intake (首问负责) until handing it
 * over. A retried submission with the same Idempotency-Key returns the first application.
 */
import { createHash } from 'node:crypto';
import type { Database } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import { AppError, errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission, type Role } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { isWithin } from '../regions/regionCode.ts';
import { chinaDate } from '../registry/registry.model.ts';
import { assertOwnHousehold } from '../residents/ownHousehold.ts';
import { calendarFor } from './calendar.ts';
import { openCase } from './caseWrites.repo.ts';
import * as repo from './intake.repo.ts';
import { applicationView, caseView, policyRefs } from './intake.views.ts';
import {
  checkResidence,
  householdRegionAnyScope,
  RESIDENCE_EXTENSION_REASON,
  type Residence,
} from './residence.ts';
import { DEPARTMENT_BY_NAME, processTemplates, templateForPolicy } from './templates.ts';

export interface IntakeDeps {
  db: Database;
  /** The time now; tests move it to run clocks and notice periods. */
  clock?: () => Date;
}

export const todayOf = (deps: IntakeDeps) => chinaDate(deps.clock?.() ?? new Date());

export const Channels = ['online', 'window', 'gridWorker'] as const;
/** Which roles may use which channel: a caseworker cannot file as a grid worker, nor a resident at the window. */
const CHANNEL_ROLES: Record<(typeof Channels)[number], Role[]> = {
  online: ['resident'],
  window: ['caseworker', 'countyOfficer'],
  gridWorker: ['gridWorker'],
};

export interface SubmitBody {
  householdId: string;
  channel: (typeof Channels)[number];
  authorisation?: { agentName: string; relationship: string; document: string; signedOn: string } | undefined;
  items: { policyId: string; documents?: string[] | undefined }[];
  note?: string | undefined;
  /** Apply where you live (居住地申办): the residence village and the resident permit. */
  residence?: Residence | undefined;
  /** 近亲属备案: a member is a close relative of assistance staff or a village committee member. */
  staffRelative?: repo.StaffRelative | undefined;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export async function submitApplication(
  deps: IntakeDeps,
  actor: Actor | undefined,
  body: SubmitBody,
  idempotencyKey: string | undefined,
  requestId?: string,
) {
  authorize(actor, Permission.intakeSubmit);
  if (!idempotencyKey || !/^[A-Za-z0-9._:-]{8,100}$/.test(idempotencyKey))
    throw errors.validation(
      'Idempotency-Key',
      '提交申请须带 Idempotency-Key 请求头（8到100位字母、数字或 ._:-），重试时使用同一个值',
      'an Idempotency-Key header of 8–100 characters is required',
    );
  if (!CHANNEL_ROLES[body.channel].includes(actor.role))
    throw errors.validation('channel', '受理渠道与您的身份不符', 'this channel is not open to your role');
  if (body.channel === 'gridWorker' && !body.authorisation)
    throw errors.validation(
      'authorisation',
      '网格员代为申请须登记申请人的授权委托',
      'authorisation is required',
    );
  const seen = new Set<string>();
  const set = processTemplates();
  const items = body.items.map((item, i) => {
    const policy = policyRefs().get(item.policyId);
    if (!policy)
      throw errors.validation(
        `items.${i}.policyId`,
        `第${i + 1}项：政策“${item.policyId}”不存在`,
        'unknown policy',
      );
    if (seen.has(item.policyId))
      throw errors.validation(`items.${i}.policyId`, `第${i + 1}项与前面的事项重复`, 'the same item twice');
    seen.add(item.policyId);
    const template = templateForPolicy(set, policy);
    for (const d of item.documents ?? [])
      if (!template.documents[d])
        throw errors.validation(
          `items.${i}.documents`,
          `第${i + 1}项：材料“${d}”不属于该事项`,
          `unknown document ${d}`,
        );
    const department =
      template.owner === 'policyDepartment' ? (DEPARTMENT_BY_NAME[policy.department ?? ''] ?? null) : null;
    return { item, policy, template, department };
  });
  const today = todayOf(deps);
  const requestHash = sha256(JSON.stringify(body));

  return asActor(deps.db, actor, requestId, async (tx) => {
    let household: { id: string; region_code: string } | undefined;
    // Where the application is received and handled: the household's village, or where it lives.
    let handledIn: string;
    if (body.residence) {
      // The residence township cannot read the household until the application exists (migration 024).
      const registered = await householdRegionAnyScope(tx, body.householdId);
      if (!registered) throw errors.notFound('该户');
      await checkResidence(tx, actor, body.residence, registered, today);
      household = { id: body.householdId, region_code: registered };
      handledIn = body.residence.regionCode;
    } else {
      household = await repo.findHousehold(tx, body.householdId);
      if (!household) throw errors.notFound('该户');
      handledIn = household.region_code;
    }
    // A resident online applies for their own household only, not any household of the village.
    await assertOwnHousehold(tx, actor, household.id);
    const inserted = await repo.insertApplication(tx, {
      household_id: household.id,
      region_code: handledIn,
      residence: body.residence
        ? { permitNumber: body.residence.permitNumber, hukouRegionCode: household.region_code }
        : null,
      staff_relative: body.staffRelative ?? null,
      channel: body.channel,
      authorisation: body.authorisation ?? null,
      note: body.note ?? null,
      received_on: today,
      submitted_by: actor.userId,
      submitted_by_name: actor.displayName,
      submitted_by_role: actor.role,
      owner_id: actor.userId,
      owner_name: actor.displayName,
      idempotency_key: idempotencyKey,
      request_hash: requestHash,
    });
    if (!inserted) {
      // A retry: the first submission wins; the same key with a different body is a client error.
      const first = await repo.applicationByKey(tx, actor.userId, idempotencyKey);
      if (!first) throw errors.conflict('IDEMPOTENCY_RACE', '请稍后重试', 'please retry');
      if (first.request_hash !== requestHash)
        throw errors.conflict(
          'IDEMPOTENCY_KEY_REUSED',
          '该 Idempotency-Key 已用于另一份内容不同的申请，请换一个新值',
          'this Idempotency-Key was used for a different application',
        );
      const cases = await repo.casesOfApplication(tx, first.id);
      return applicationView(
        first,
        cases.map((c) => caseView(c, today)),
        true,
      );
    }
    const calendar = calendarFor(handledIn);
    const cases = [];
    for (const [i, { item, template, department }] of items.entries()) {
      const first = template.steps[0];
      if (!first) throw new AppError(500, 'BAD_TEMPLATE', '流程模板有误', 'template without steps');
      // The case, the papers brought and its `open` event: one statement (caseWrites.repo.ts).
      const row = await openCase(
        tx,
        {
          application_id: inserted.id,
          item_no: i + 1,
          household_id: household.id,
          region_code: handledIn,
          policy_id: item.policyId,
          template_id: template.id,
          department,
          current_step: first.id,
          step_office: first.office,
          step_started_on: today,
          step_due_on: calendar.addWorkingDays(today, first.workingDays),
          step_working_days: first.workingDays,
          received_on: today,
          // Hukou and residence split: the longer time limit, with the split recorded as its reason.
          case_due_on: calendar.addWorkingDays(
            today,
            body.residence && template.extendedWorkingDays
              ? template.extendedWorkingDays
              : template.totalWorkingDays,
          ),
          extended_reason: body.residence && template.extendedWorkingDays ? RESIDENCE_EXTENSION_REASON : null,
          // Registered separately (备案): the county's list is the cases carrying this flag.
          flags: body.staffRelative ? ['staffRelative'] : [],
        },
        item.documents ?? [],
        {
          action: 'open',
          from_step: null,
          to_step: first.id,
          outcome: null,
          legal_ground: template.legalBasis[0] ?? null,
          detail: { channel: body.channel, department, documents: item.documents ?? [] },
          actor_name: actor.displayName,
          actor_role: actor.role,
        },
      );
      cases.push(row);
    }
    await appendAudit(tx, {
      action: 'intake.submit',
      entityType: 'intake_application',
      entityId: inserted.id,
      regionCode: handledIn,
      actorRole: actor.role,
      after: {
        householdId: household.id,
        channel: body.channel,
        residence: inserted.residence,
        staffRelative: inserted.staff_relative,
        authorisation: body.authorisation ?? null,
        cases: cases.map((c) => ({
          id: c.id,
          policyId: c.policy_id,
          templateId: c.template_id,
          department: c.department,
        })),
      },
    });
    const docs = new Map(items.map(({ item }, i) => [i, item.documents ?? []]));
    return applicationView(
      inserted,
      cases.map((c, i) =>
        caseView(
          c,
          today,
          (docs.get(i) ?? []).map((d) => ({ document_id: d, recorded_on: today })),
        ),
      ),
    );
  });
}

export async function getApplication(
  deps: IntakeDeps,
  actor: Actor | undefined,
  id: string,
  requestId?: string,
) {
  authorize(actor, Permission.intakeRead);
  const today = todayOf(deps);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const a = await repo.findApplication(tx, id);
    if (!a) throw errors.notFound('该申请');
    const cases = await repo.casesOfApplication(tx, id);
    const views = [];
    for (const c of cases) views.push(caseView(c, today, await repo.documentsOf(tx, c.id)));
    return applicationView(a, views);
  });
}

export async function listApplications(
  deps: IntakeDeps,
  actor: Actor | undefined,
  query: { page: number; pageSize: number },
  requestId?: string,
) {
  authorize(actor, Permission.intakeRead);
  const today = todayOf(deps);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const { rows, total } = await repo.listApplications(
      tx,
      query.pageSize,
      (query.page - 1) * query.pageSize,
    );
    const items = [];
    for (const a of rows) {
      const cases = await repo.casesOfApplication(tx, a.id);
      items.push(
        applicationView(
          a,
          cases.map((c) => caseView(c, today)),
        ),
      );
    }
    return { items, total, page: query.page, pageSize: query.pageSize };
  });
}

/** 首问负责: the owner (or a county officer) hands the intake to another staff member of the region. */
export async function handOver(
  deps: IntakeDeps,
  actor: Actor | undefined,
  id: string,
  body: { toUsername: string; version: number },
  requestId?: string,
) {
  authorize(actor, Permission.intakeHandle);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const a = await repo.findApplication(tx, id, true);
    if (!a) throw errors.notFound('该申请');
    if (a.version !== body.version)
      throw errors.conflict(
        'APPLICATION_VERSION_CONFLICT',
        '该申请已被他人修改，请刷新后重试',
        'the application changed',
      );
    if (a.owner_id !== actor.userId && actor.role !== 'countyOfficer')
      throw new AppError(
        403,
        'NOT_OWNER',
        '只有首问责任人或县级民政部门可以移交',
        'only the owner may hand over',
      );
    const target = await tx.query<{ id: string; display_name: string; role: string; region_code: string }>(
      'SELECT id, display_name, role, region_code FROM app_user WHERE username = $1 AND NOT disabled',
      [body.toUsername],
    );
    const user = target.rows[0];
    const staff: Role[] = ['caseworker', 'countyOfficer', 'departmentOfficer', 'gridWorker'];
    if (!user || !staff.includes(user.role as Role) || !isWithin(a.region_code, user.region_code))
      throw errors.validation(
        'toUsername',
        '接收人不存在，或不是该申请所在地区的工作人员',
        'no such staff member here',
      );
    await repo.setOwner(tx, id, user.id, user.display_name);
    await appendAudit(tx, {
      action: 'intake.handover',
      entityType: 'intake_application',
      entityId: id,
      regionCode: a.region_code,
      actorRole: actor.role,
      before: { ownerId: a.owner_id, ownerName: a.owner_name },
      after: { ownerId: user.id, ownerName: user.display_name },
    });
    const updated = (await repo.findApplication(tx, id)) as repo.ApplicationRow;
    const today = todayOf(deps);
    const cases = await repo.casesOfApplication(tx, id);
    return applicationView(
      updated,
      cases.map((c) => caseView(c, today)),
    );
  });
}
