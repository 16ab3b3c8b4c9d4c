/**
 * Enrolment (在册, issue 6 item 9): the household enrolled by its approved case, its tasks (scheduled
 * reviews, re-checks after a death) and the short cases that change it. An increase, cut, stop or
 * phase-out is proposed with a legal ground and decided by a second officer (not the proposer); it
 * takes effect from the first day of the next month, and the registry's dated category follows.
 */
import dayjs from 'dayjs';
import { asActor } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { type IntakeDeps, todayOf } from '../intake/applications.service.ts';
import { calendarFor } from '../intake/calendar.ts';
import * as repo from './enrolment.repo.ts';
import { addMonths, firstOfNextMonth, type LegalGroundId, LegalGrounds } from './enrolment.rules.ts';
import { runEnrolmentStopHooks } from './enrolmentHooks.ts';

export const ChangeKinds = ['increase', 'cut', 'stop', 'phaseOut'] as const;
export type ChangeKind = (typeof ChangeKinds)[number];

const money = (v: string | number | null) => (v === null ? null : Number(v));

export function enrolmentView(e: repo.EnrolmentRow) {
  return {
    id: e.id,
    householdId: e.household_id,
    householdNumber: e.household_number ?? '',
    headName: e.head_name ?? '',
    regionCode: e.region_code,
    category: e.category,
    policyId: e.policy_id,
    caseId: e.case_id,
    monthlyAmountFen: money(e.monthly_amount_fen),
    decidedOn: e.decided_on,
    startsOn: e.starts_on,
    reviewMonths: e.review_months,
    nextReviewOn: e.next_review_on,
    status: e.status,
    phaseOutUntil: e.phase_out_until,
    endedOn: e.ended_on,
    endReason: e.end_reason,
    legalGround: e.legal_ground,
    openTasks: e.open_tasks ?? 0,
    version: e.version,
  };
}

export function taskView(t: repo.TaskRow & { household_number?: string; category?: string }) {
  return {
    id: t.id,
    enrolmentId: t.enrolment_id,
    householdNumber: t.household_number ?? null,
    category: t.category ?? null,
    kind: t.kind,
    trigger: t.trigger,
    status: t.status,
    dueOn: t.due_on,
    reason: t.reason,
    legalGround: t.legal_ground,
    newAmountFen: money(t.new_amount_fen),
    phaseOutMonths: t.phase_out_months,
    effectiveOn: t.effective_on,
    requestedByName: t.requested_by_name,
    decidedByName: t.decided_by_name,
    decisionNote: t.decision_note,
    version: t.version,
  };
}

export async function listEnrolments(
  deps: IntakeDeps,
  actor: Actor | undefined,
  q: { status?: string | undefined; category?: string | undefined; page: number; pageSize: number },
  requestId?: string,
) {
  authorize(actor, Permission.enrolmentRead);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const { rows, total } = await repo.listEnrolments(tx, q, q.pageSize, (q.page - 1) * q.pageSize);
    return { items: rows.map(enrolmentView), total, page: q.page, pageSize: q.pageSize };
  });
}

export async function getEnrolment(
  deps: IntakeDeps,
  actor: Actor | undefined,
  id: string,
  requestId?: string,
) {
  authorize(actor, Permission.enrolmentRead);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const e = await repo.findEnrolment(tx, id);
    if (!e) throw errors.notFound('该在册记录');
    return { ...enrolmentView(e), tasks: (await repo.tasksOf(tx, id)).map(taskView) };
  });
}

export async function listTasks(deps: IntakeDeps, actor: Actor | undefined, requestId?: string) {
  authorize(actor, Permission.enrolmentRead);
  return asActor(deps.db, actor, requestId, async (tx) => (await repo.listOpenTasks(tx, 200)).map(taskView));
}

export interface ChangeBody {
  kind: ChangeKind;
  legalGround: LegalGroundId;
  reason: string;
  newAmountFen?: number | undefined;
  phaseOutMonths?: number | undefined;
}

export async function proposeChange(
  deps: IntakeDeps,
  actor: Actor | undefined,
  id: string,
  body: ChangeBody,
  idempotencyKey: string | undefined,
  requestId?: string,
) {
  authorize(actor, Permission.enrolmentChange);
  if (!idempotencyKey || !/^[A-Za-z0-9._:-]{8,100}$/.test(idempotencyKey))
    throw errors.validation(
      'Idempotency-Key',
      '提出变更须带 Idempotency-Key 请求头（8到100位字母、数字或 ._:-），重试时使用同一个值',
      'an Idempotency-Key header of 8–100 characters is required',
    );
  const reason = body.reason.trim();
  if (reason.length < 4)
    throw errors.validation(
      'reason',
      '请写明变更的事实和理由（至少4个字）',
      'state the facts (4+ characters)',
    );
  const needsAmount = body.kind === 'increase' || body.kind === 'cut';
  if (needsAmount && body.newAmountFen === undefined)
    throw errors.validation(
      'newAmountFen',
      '增发或减发须填写调整后的月保障金额',
      'the new monthly amount is required',
    );
  if (!needsAmount && body.newAmountFen !== undefined)
    throw errors.validation('newAmountFen', '停发或渐退不填写新的金额', 'no amount for a stop or phase-out');
  if (body.kind === 'phaseOut' && !body.phaseOutMonths)
    throw errors.validation(
      'phaseOutMonths',
      '渐退期须填写月数（1至6个月）',
      'phase-out months (1–6) are required',
    );
  if (body.kind !== 'phaseOut' && body.phaseOutMonths !== undefined)
    throw errors.validation('phaseOutMonths', '只有渐退才填写渐退月数', 'months only for a phase-out');
  const today = todayOf(deps);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const e = await repo.findEnrolment(tx, id, true);
    if (!e) throw errors.notFound('该在册记录');
    const key = `manual:${idempotencyKey}`;
    const prior = await repo.taskByKey(tx, id, key);
    if (prior) return taskView(prior);
    if (e.status === 'stopped')
      throw errors.conflict('ENROLMENT_STOPPED', '该户已停保，不能再变更', 'already stopped');
    if (body.kind === 'phaseOut' && e.status !== 'active')
      throw errors.conflict('ALREADY_PHASING_OUT', '该户已在渐退期', 'already phasing out');
    const current = money(e.monthly_amount_fen);
    if (body.kind === 'increase' && current !== null && (body.newAmountFen as number) <= current)
      throw errors.validation(
        'newAmountFen',
        `增发后的金额须高于现在的${(current / 100).toFixed(2)}元`,
        'must be higher',
      );
    if (body.kind === 'cut' && (current === null || (body.newAmountFen as number) >= current))
      throw errors.validation('newAmountFen', '减发后的金额须低于现在的金额', 'must be lower');
    const taskId = await repo.insertTask(tx, {
      enrolment_id: id,
      region_code: e.region_code,
      kind: body.kind,
      trigger: 'manual',
      trigger_key: key,
      due_on: calendarFor(e.region_code).addWorkingDays(today, 10),
      reason,
      legal_ground: LegalGrounds[body.legalGround],
      effective_on: firstOfNextMonth(today),
      requested_by_name: actor.displayName,
      new_amount_fen: body.newAmountFen ?? null,
      phase_out_months: body.phaseOutMonths ?? null,
    });
    if (!taskId) throw errors.conflict('RETRY', '请稍后重试', 'please retry');
    await appendAudit(tx, {
      action: `enrolment.propose.${body.kind}`,
      entityType: 'enrolment',
      entityId: id,
      regionCode: e.region_code,
      actorRole: actor.role,
      after: { taskId, ...body, reason },
    });
    return taskView((await repo.findTask(tx, taskId)) as repo.TaskRow);
  });
}

/**
 * Decide a change (approve or reject: a second officer), or finish a review or re-check ('done':
 * the household continues; a change found is proposed separately). Approval applies the change.
 */
export async function decideTask(
  deps: IntakeDeps,
  actor: Actor | undefined,
  taskId: string,
  body: { decision: 'approve' | 'reject' | 'done'; note?: string | undefined; version: number },
  requestId?: string,
) {
  authorize(actor, Permission.enrolmentChange);
  const today = todayOf(deps);
  const note = body.note?.trim() || null;
  return asActor(deps.db, actor, requestId, async (tx) => {
    const t = await repo.findTask(tx, taskId, true);
    if (!t) throw errors.notFound('该任务');
    if (t.version !== body.version || t.status !== 'open')
      throw errors.conflict(
        'TASK_VERSION_CONFLICT',
        '该任务刚刚已被他人办理，请刷新后重试',
        'the task changed',
      );
    const review = t.kind === 'review' || t.kind === 'recheck';
    if (review !== (body.decision === 'done'))
      throw errors.validation(
        'decision',
        review ? '复核任务以“复核完成”办结；发现变化的另提增发、减发或停发' : '变更须选择批准或不批准',
        review ? 'a review is finished with done' : 'approve or reject a change',
      );
    if (!review && t.requested_by === actor.userId)
      throw errors.conflict(
        'SAME_OFFICER',
        '变更须由提出人以外的另一名工作人员审批',
        'another officer must decide',
      );
    if (review && !note)
      throw errors.validation('note', '请填写复核情况', 'a note on the review is required');
    if (body.decision === 'reject' && !note)
      throw errors.validation('note', '不批准须写明理由', 'a reason is required');
    const e = (await repo.findEnrolment(tx, t.enrolment_id, true)) as repo.EnrolmentRow;
    const status =
      body.decision === 'approve' ? 'approved' : body.decision === 'reject' ? 'rejected' : 'done';
    if (
      !(await repo.finishTask(
        tx,
        taskId,
        t.version,
        status,
        { id: actor.userId, name: actor.displayName },
        note,
      ))
    )
      throw errors.conflict(
        'TASK_VERSION_CONFLICT',
        '该任务刚刚已被他人办理，请刷新后重试',
        'the task changed',
      );
    let set: Parameters<typeof repo.updateEnrolment>[3] = {};
    let stopped = false;
    const effective = t.effective_on ?? firstOfNextMonth(today);
    if (review) {
      // The next review counts from the later of today and the date it was due.
      const from = [e.next_review_on, today].sort()[1] as string;
      set = { next_review_on: addMonths(from, e.review_months) };
    } else if (status === 'approved') {
      if (e.status === 'stopped') throw errors.conflict('ENROLMENT_STOPPED', '该户已停保', 'already stopped');
      if (t.kind === 'increase' || t.kind === 'cut') {
        set = { monthly_amount_fen: Number(t.new_amount_fen) };
        await repo.changeCategoryAmount(tx, e.household_id, e.category, effective, Number(t.new_amount_fen));
      } else if (t.kind === 'stop') {
        set = { status: 'stopped', ended_on: effective, end_reason: t.reason, phase_out_until: null };
        await repo.closeCategory(tx, e.household_id, e.category, effective, t.reason ?? '停发');
        stopped = true;
      } else if (t.kind === 'phaseOut') {
        set = {
          status: 'phaseOut',
          phase_out_until: dayjs(effective)
            .add(t.phase_out_months ?? 6, 'month')
            .subtract(1, 'day')
            .format('YYYY-MM-DD'),
        };
      }
    }
    if (Object.keys(set).length && !(await repo.updateEnrolment(tx, e.id, e.version, set)))
      throw errors.conflict(
        'ENROLMENT_VERSION_CONFLICT',
        '在册记录刚刚已被修改，请刷新后重试',
        'the enrolment changed',
      );
    if (stopped)
      await runEnrolmentStopHooks({
        tx,
        actor,
        today,
        enrolment: e,
        taskId,
        reason: t.reason ?? '停发',
        legalGround: t.legal_ground ?? '',
        effectiveOn: effective,
      });
    await appendAudit(tx, {
      action: `enrolment.task.${status}`,
      entityType: 'enrolment',
      entityId: e.id,
      regionCode: e.region_code,
      actorRole: actor.role,
      before: {
        status: e.status,
        monthlyAmountFen: money(e.monthly_amount_fen),
        nextReviewOn: e.next_review_on,
      },
      after: { taskId, kind: t.kind, legalGround: t.legal_ground, effectiveOn: effective, note, ...set },
    });
    return getEnrolmentIn(tx, e.id);
  });
}

async function getEnrolmentIn(tx: Parameters<Parameters<typeof asActor>[3]>[0], id: string) {
  const e = (await repo.findEnrolment(tx, id)) as repo.EnrolmentRow;
  return { ...enrolmentView(e), tasks: (await repo.tasksOf(tx, id)).map(taskView) };
}
