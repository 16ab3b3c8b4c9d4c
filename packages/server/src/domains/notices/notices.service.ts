/**
 * Public notice (公示, issue 6 item 7): from the notice step of a dibao or tekun case the township
 * posts the proposed decision in the household's village — published name, masked ID number,
 * household size, proposed monthly amount, dates — for the days the template gives (calendar days
 * when the template sets `minCalendarDays`, else working days on the region's calendar). Anyone who
 * may read it (village residents, staff in scope) may object with a reason, anonymously if they wish
 * (the account is still recorded and audited). An objection is routed to the case: flagged, on its
 * timeline, and the notice step can then only go on to community appraisal; without one it cannot.
 */
import dayjs from 'dayjs';
import { asActor } from '../../db/scope.ts';
import { AppError, errors } from '../../http/errors.ts';
import { type Actor, authorize, can, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { type IntakeDeps, todayOf } from '../intake/applications.service.ts';
import { calendarFor } from '../intake/calendar.ts';
import * as intakeRepo from '../intake/intake.repo.ts';
import { templateOf } from '../intake/intake.views.ts';
import { stepOf } from '../intake/templates.ts';
import { actsAt } from '../intake/transitions.ts';
import * as repo from './notices.repo.ts';

export const NOTICE_STEP = 'publicNotice';

export async function createNotice(
  deps: IntakeDeps,
  actor: Actor | undefined,
  body: { caseId: string; proposedAmountFen: number },
  requestId?: string,
) {
  authorize(actor, Permission.intakeHandle);
  const today = todayOf(deps);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const c = await intakeRepo.findCase(tx, body.caseId, true);
    if (!c) throw errors.notFound('该案件');
    if (c.status !== 'open' || c.current_step !== NOTICE_STEP)
      throw errors.conflict(
        'NOT_AT_NOTICE_STEP',
        '该案件当前不在“公示”环节，不能发布公示',
        'the case is not at its notice step',
      );
    const step = stepOf(templateOf(c), NOTICE_STEP);
    if (!actsAt(step, actor, c.department))
      throw new AppError(
        403,
        'NOT_YOUR_STEP',
        '公示由乡镇（街道）经办人员发布',
        'the township posts the notice',
      );
    const existing = await repo.noticeOfRound(tx, c.id, c.step_round);
    if (existing) return repo.view(existing, true);
    const head = await repo.householdForNotice(tx, c.household_id);
    if (!head)
      throw errors.conflict('NO_HEAD', '该户没有登记户主，无法公示', 'the household has no head on record');
    const calendarDays = !!step.minCalendarDays;
    const days = step.minCalendarDays ?? step.workingDays;
    const endsOn = calendarDays
      ? dayjs(today)
          .add(days - 1, 'day')
          .format('YYYY-MM-DD')
      : calendarFor(c.region_code).addWorkingDays(today, days - 1);
    const row = await repo.insertNotice(tx, {
      case_id: c.id,
      step_round: c.step_round,
      household_id: c.household_id,
      region_code: c.region_code,
      policy_id: c.policy_id,
      head_name: head.name,
      id_number_masked: head.id_number_masked,
      household_size: head.size,
      proposed_amount_fen: body.proposedAmountFen,
      starts_on: today,
      ends_on: endsOn,
      days,
      day_kind: calendarDays ? 'calendar' : 'working',
      created_by_name: actor.displayName,
    });
    await intakeRepo.insertEvent(tx, {
      case_id: c.id,
      region_code: c.region_code,
      on_date: today,
      action: 'notice',
      from_step: NOTICE_STEP,
      to_step: null,
      outcome: null,
      legal_ground: step.legalGround,
      detail: { noticeId: row.id, startsOn: today, endsOn, proposedAmountFen: body.proposedAmountFen },
      actor_name: actor.displayName,
      actor_role: actor.role,
    });
    await appendAudit(tx, {
      action: 'notice.create',
      entityType: 'public_notice',
      entityId: row.id,
      regionCode: c.region_code,
      actorRole: actor.role,
      after: { caseId: c.id, startsOn: today, endsOn, proposedAmountFen: body.proposedAmountFen },
    });
    return repo.view(row, true);
  });
}

export async function listNotices(
  deps: IntakeDeps,
  actor: Actor | undefined,
  query: { status?: 'open' | 'closed' | undefined; page: number; pageSize: number },
  requestId?: string,
) {
  authorize(actor, Permission.noticeRead);
  const staff = can(actor, Permission.intakeRead);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const { rows, total } = await repo.listNotices(
      tx,
      query.status,
      query.pageSize,
      (query.page - 1) * query.pageSize,
    );
    return { items: rows.map((r) => repo.view(r, staff)), total, page: query.page, pageSize: query.pageSize };
  });
}

export async function getNotice(deps: IntakeDeps, actor: Actor | undefined, id: string, requestId?: string) {
  authorize(actor, Permission.noticeRead);
  const staff = can(actor, Permission.intakeRead);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const row = await repo.findNotice(tx, id);
    if (!row) throw errors.notFound('该公示');
    // Residents see how many objections there are; reasons and who objected are for staff only.
    const objections = staff ? await repo.objectionsOf(tx, id) : [];
    return {
      ...repo.view(row, staff),
      objections: objections.map((o) => ({
        id: o.id,
        reason: o.reason,
        anonymous: o.anonymous,
        objectorName: o.anonymous ? null : o.objector_name,
        createdAt: new Date(o.created_at).toISOString(),
      })),
    };
  });
}

export async function objectToNotice(
  deps: IntakeDeps,
  actor: Actor | undefined,
  id: string,
  body: { reason: string; anonymous: boolean },
  idempotencyKey: string | undefined,
  requestId?: string,
) {
  authorize(actor, Permission.noticeObject);
  if (!idempotencyKey || !/^[A-Za-z0-9._:-]{8,100}$/.test(idempotencyKey))
    throw errors.validation(
      'Idempotency-Key',
      '提交异议须带 Idempotency-Key 请求头（8到100位字母、数字或 ._:-），重试时使用同一个值',
      'an Idempotency-Key header of 8–100 characters is required',
    );
  const reason = body.reason.trim();
  if (reason.length < 5)
    throw errors.validation(
      'reason',
      '请写明异议的理由（至少5个字）',
      'give a reason of at least 5 characters',
    );
  const today = todayOf(deps);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const notice = await repo.findNotice(tx, id);
    if (!notice) throw errors.notFound('该公示');
    const prior = await repo.objectionByKey(tx, actor.userId, idempotencyKey);
    if (prior) return { id: prior.id, replayed: true };
    if (notice.status !== 'open' || today < notice.starts_on || today > notice.ends_on)
      throw errors.conflict(
        'NOTICE_NOT_OPEN',
        `公示期为${notice.starts_on}至${notice.ends_on}，现在不能提出异议`,
        'the notice period is over',
      );
    const objection = await repo.insertObjection(tx, {
      notice_id: id,
      case_id: notice.case_id,
      region_code: notice.region_code,
      reason,
      anonymous: body.anonymous,
      objector_name: actor.displayName,
      objector_role: actor.role,
      idempotency_key: idempotencyKey,
    });
    if (!objection)
      return { id: (await repo.objectionByKey(tx, actor.userId, idempotencyKey))?.id ?? '', replayed: true };
    // Routed to the case: flagged (its version moves, so an officer acting on a stale view is told).
    await repo.flagCase(tx, notice.case_id);
    await intakeRepo.insertEvent(tx, {
      case_id: notice.case_id,
      region_code: notice.region_code,
      on_date: today,
      action: 'objection',
      from_step: NOTICE_STEP,
      to_step: null,
      outcome: null,
      legal_ground: '公示有异议的，重新调查或组织民主评议',
      detail: { noticeId: id, objectionId: objection.id, anonymous: body.anonymous },
      actor_name: body.anonymous ? '匿名' : actor.displayName,
      actor_role: actor.role,
    });
    await appendAudit(tx, {
      action: 'notice.objection',
      entityType: 'public_notice',
      entityId: id,
      regionCode: notice.region_code,
      actorRole: actor.role,
      after: { objectionId: objection.id, anonymous: body.anonymous, caseId: notice.case_id },
    });
    return { id: objection.id, replayed: false };
  });
}
