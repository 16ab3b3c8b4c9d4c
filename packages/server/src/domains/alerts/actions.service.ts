/**
 * Acting on an alert: 接单 → 办理 (open an intake case, refer, visit, or close with a reason) → 反馈 →
 * 办结. Every action locks the alert, compares the version the user saw (two officers at once: one
 * wins, the other gets 409), checks the status and who may act (loop.ts), and writes an event and
 * an audit row in the same transaction.
 */
import type { Queryable } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import { AppError, errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { submitApplication } from '../intake/applications.service.ts';
import { calendarFor } from '../intake/calendar.ts';
import * as repo from './alerts.repo.ts';
import { type AlertDeps, clean, nowOf, todayOf } from './alerts.service.ts';
import { alertView, eventView } from './alerts.views.ts';
import { dispatchRules, ruleFor } from './dispatchRules.ts';
import { type Action, checkTransition, mayClose, mayHandle } from './loop.ts';

export interface ActionInput {
  version: number;
  action: Action;
  handling?: string | undefined;
  policyId?: string | undefined;
  referralDepartment?: string | undefined;
  note?: string | undefined;
  outcome?: string | undefined;
}

const need = (field: string, zh: string) => errors.validation(field, zh, `${field} is required`);

export async function actOnAlert(
  deps: AlertDeps,
  actor: Actor | undefined,
  id: string,
  body: ActionInput,
  requestId?: string,
) {
  authorize(actor, Permission.alertHandle);
  const today = todayOf(deps);
  const note = body.note === undefined ? undefined : clean(body.note);
  if (body.action === 'handle' && body.handling === 'case')
    return openCase(deps, actor, id, body, note, today, requestId);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const row = await repo.findAlert(tx, id, true);
    if (!row) throw errors.notFound('该预警');
    await transition(tx, actor, row, body, note, today, nowOf(deps));
    return result(tx, id, today, actor);
  });
}

async function result(tx: Queryable, id: string, today: string, actor: Actor) {
  const updated = (await repo.findAlert(tx, id)) as repo.AlertRow;
  return { alert: alertView(updated, today, actor), events: (await repo.eventsOf(tx, id)).map(eventView) };
}

/**
 * Handle by opening an intake case: a workflow of three steps with an undo. First the alert moves
 * to handling under its row lock (so a second officer gets 409 and never opens a second case),
 * then one call to the intake service (its own transaction, keyed by the alert, so a retry finds
 * the same application), then the case is linked. If intake refuses, the alert goes back to
 * accepted with a `reopen` event saying why.
 */
async function openCase(
  deps: AlertDeps,
  actor: Actor,
  id: string,
  body: ActionInput,
  note: string | undefined,
  today: string,
  requestId: string | undefined,
) {
  const policyId = body.policyId;
  if (!policyId) throw need('policyId', '开案须选择救助事项');
  if (actor.role !== 'caseworker' && actor.role !== 'countyOfficer')
    throw new AppError(
      403,
      'CASE_AT_WINDOW',
      '开案须由乡镇（街道）窗口或县民政办理，部门可选择转办或走访',
      'only the window opens cases',
    );
  const row = await asActor(deps.db, actor, requestId, async (tx) => {
    const locked = await repo.findAlert(tx, id, true);
    if (!locked) throw errors.notFound('该预警');
    if (!locked.household_id)
      throw new AppError(
        422,
        'ALERT_NO_HOUSEHOLD',
        '该预警还没有关联到登记的家庭，请先建档后再开案',
        'the alert has no registered household',
      );
    await transition(tx, actor, locked, body, note, today, nowOf(deps));
    return locked;
  });
  let caseId: string | null;
  try {
    const application = await submitApplication(
      deps,
      actor,
      {
        householdId: row.household_id as string,
        channel: 'window',
        items: [{ policyId }],
        note: `监测预警转入：${row.summary_zh}`.slice(0, 1000),
      },
      `alert:${row.id}`,
      requestId,
    );
    caseId = application.cases[0]?.id ?? null;
  } catch (error) {
    await asActor(deps.db, actor, requestId, async (tx) => {
      await repo.updateAlert(tx, id, { status: 'accepted', handling: null, handling_note: null });
      const reason = error instanceof AppError ? error.message : '受理系统出错';
      await repo.insertEvent(tx, {
        alert_id: id,
        action: 'reopen',
        from_status: 'handling',
        to_status: 'accepted',
        detail: { reason, policyId },
        actor_id: actor.userId,
        actor_name: actor.displayName,
        region_code: row.region_code,
      });
      await appendAudit(tx, {
        action: 'alert.handle.undo',
        entityType: 'monitoring_alert',
        entityId: id,
        regionCode: row.region_code,
        actorRole: actor.role,
        after: { reason, policyId },
      });
    });
    throw error;
  }
  return asActor(deps.db, actor, requestId, async (tx) => {
    await repo.updateAlert(tx, id, { intake_case_id: caseId });
    await repo.insertEvent(tx, {
      alert_id: id,
      action: 'update',
      from_status: 'handling',
      to_status: 'handling',
      detail: { intakeCaseId: caseId, policyId },
      actor_id: actor.userId,
      actor_name: actor.displayName,
      region_code: row.region_code,
    });
    await appendAudit(tx, {
      action: 'alert.case',
      entityType: 'monitoring_alert',
      entityId: id,
      regionCode: row.region_code,
      actorRole: actor.role,
      after: { intakeCaseId: caseId, policyId },
    });
    return result(tx, id, today, actor);
  });
}

/** One step of the loop on a locked row: checks, the new columns, an event and an audit row. */
async function transition(
  tx: Queryable,
  actor: Actor,
  row: repo.AlertRow,
  body: ActionInput,
  note: string | undefined,
  today: string,
  now: Date,
): Promise<void> {
  const id = row.id;
  const from = check(actor, row, body);
  const set: Record<string, unknown> = {};
  let to: string;
  if (body.action === 'accept') {
    to = 'accepted';
    const rule = ruleFor(dispatchRules(), row.cause, row.request_category);
    Object.assign(set, {
      accepted_by: actor.userId,
      accepted_by_name: actor.displayName,
      accepted_on: today,
      handle_due_on: calendarFor(row.region_code).addWorkingDays(today, rule.handleWorkingDays),
    });
  } else if (body.action === 'handle') {
    if (!body.handling) throw need('handling', '请选择办理方式：开案、转办、走访或说明理由后办结');
    set.handling = body.handling;
    set.handling_note = note || null;
    to = 'handling';
    if (body.handling === 'referral') {
      if (!body.referralDepartment) throw need('referralDepartment', '转办须选择接收部门');
      set.referral_department = body.referralDepartment;
    }
    if (body.handling === 'visit' && !note) throw need('note', '请填写走访情况');
    if (body.handling === 'closedWithReason') {
      if (!note) throw need('note', '不需帮扶而办结的，须写明理由');
      if (!body.outcome) throw need('outcome', '请选择办结结果');
      Object.assign(set, { outcome: body.outcome, close_reason: note, closed_at: now });
      to = 'closed';
    }
  } else if (body.action === 'feedback') {
    if (!note) throw need('note', '请填写办理结果反馈');
    set.feedback = note;
    to = 'feedback';
  } else {
    if (!body.outcome) throw need('outcome', '请选择办结结果');
    Object.assign(set, { outcome: body.outcome, close_reason: note || null, closed_at: now });
    to = 'closed';
  }
  set.status = to;
  await repo.updateAlert(tx, id, set);
  const detail = Object.fromEntries(
    Object.entries({
      handling: body.handling,
      policyId: body.policyId,
      referralDepartment: body.referralDepartment,
      note: note || undefined,
      outcome: body.outcome,
      handleDueOn: set.handle_due_on,
    }).filter(([, v]) => v !== undefined),
  );
  await repo.insertEvent(tx, {
    alert_id: id,
    action: body.action === 'handle' && to === 'closed' ? 'close' : body.action,
    from_status: from,
    to_status: to,
    detail,
    actor_id: actor.userId,
    actor_name: actor.displayName,
    region_code: row.region_code,
  });
  await appendAudit(tx, {
    action: `alert.${body.action}`,
    entityType: 'monitoring_alert',
    entityId: id,
    regionCode: row.region_code,
    actorRole: actor.role,
    before: { status: from, version: row.version },
    after: { status: to, ...detail },
  });
}

/** Version, status and who may act, in that order (the version message is the one people see most). */
function check(actor: Actor, row: repo.AlertRow, body: ActionInput): string {
  if (row.version !== body.version)
    throw errors.conflict('ALERT_VERSION_CONFLICT', '该预警已被他人处理，请刷新后重试', 'the alert changed');
  const from = checkTransition(body.action, row.status);
  const allowed = body.action === 'close' ? mayClose(actor) : mayHandle(actor, row);
  if (!allowed)
    throw new AppError(
      403,
      'NOT_YOUR_ALERT',
      body.action === 'close'
        ? '预警由乡镇（街道）或县民政办结'
        : '该预警派给了其他部门或地区，您不能接单、办理',
      'this alert is dispatched to someone else',
    );
  return from;
}
