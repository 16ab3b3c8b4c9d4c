/**
 * Cases: read one with its timeline, list them for a workbench (mine, my office's, overdue), and move
 * one through its process. A transition locks the case row, checks the version the officer saw
 * (two officers at once: the first wins, the second gets 409), lets `decide` apply the template,
 * then writes the new state, the event with its legal ground, and the audit entry together.
 */
import { asActor } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { type IntakeDeps, todayOf } from './applications.service.ts';
import { calendarFor } from './calendar.ts';
import { runAfterHooks, runBeforeHooks } from './caseHooks.ts';
import { type CaseWithTimeline, findCaseWithTimeline } from './caseTimeline.repo.ts';
import { moveCase } from './caseWrites.repo.ts';
import * as repo from './intake.repo.ts';
import { caseView, eventView, templateOf } from './intake.views.ts';
import { stepOf } from './templates.ts';
import { type Decision, decide, type TransitionInput } from './transitions.ts';

/** A department officer sees only the cases of their own department. */
function departmentGuard(actor: Actor, row: repo.CaseRow) {
  if (actor.role === 'departmentOfficer' && row.department !== actor.department)
    throw errors.notFound('该案件');
}

function caseDetail({ row, events, documents }: CaseWithTimeline, today: string) {
  const t = templateOf(row);
  return {
    ...caseView(row, today, documents),
    documents: documents.map((d) => ({
      id: d.document_id,
      name: t.documents[d.document_id]?.zh ?? d.document_id,
      step: d.step,
      recordedOn: d.recorded_on,
    })),
    events: events.map((e) => eventView(e, t)),
    steps: t.steps.map((s) => ({
      id: s.id,
      name: s.name.zh,
      nameEn: s.name.en,
      office: s.office,
      workingDays: s.workingDays,
    })),
  };
}

export async function getCase(deps: IntakeDeps, actor: Actor | undefined, id: string, requestId?: string) {
  authorize(actor, Permission.intakeRead);
  const today = todayOf(deps);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const found = await findCaseWithTimeline(tx, id, { events: true });
    if (!found) throw errors.notFound('该案件');
    departmentGuard(actor, found.row);
    return caseDetail(found, today);
  });
}

export async function listCases(
  deps: IntakeDeps,
  actor: Actor | undefined,
  query: repo.CaseFilter & { page: number; pageSize: number },
  requestId?: string,
) {
  authorize(actor, Permission.intakeRead);
  const today = todayOf(deps);
  const filter = {
    ...query,
    department: actor.role === 'departmentOfficer' ? (actor.department ?? '-') : query.department,
  };
  return asActor(deps.db, actor, requestId, async (tx) => {
    const { rows, total } = await repo.listCases(
      tx,
      filter,
      query.pageSize,
      (query.page - 1) * query.pageSize,
    );
    return { items: rows.map((r) => caseView(r, today)), total, page: query.page, pageSize: query.pageSize };
  });
}

function stepEntry(row: repo.CaseRow, stepId: string, today: string) {
  const step = stepOf(templateOf(row), stepId);
  return {
    current_step: step.id,
    step_office: step.office,
    step_started_on: today,
    step_due_on: calendarFor(row.region_code).addWorkingDays(today, step.workingDays),
    step_working_days: step.workingDays,
    step_round: row.step_round + 1,
    due_status: 'green' as const,
  };
}

export async function transition(
  deps: IntakeDeps,
  actor: Actor | undefined,
  id: string,
  body: TransitionInput & { version: number },
  requestId?: string,
) {
  authorize(actor, Permission.intakeHandle);
  const today = todayOf(deps);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const locked = await findCaseWithTimeline(tx, id, { forUpdate: true });
    if (!locked) throw errors.notFound('该案件');
    const { row, documents: recorded } = locked;
    departmentGuard(actor, row);
    if (row.version !== body.version)
      throw errors.conflict(
        'CASE_VERSION_CONFLICT',
        '该案件刚刚已被他人办理，您看到的不是最新状态，请刷新后重新确认',
        'the case was changed by someone else; reload and try again',
      );
    const t = templateOf(row);
    for (const d of body.documents ?? [])
      if (!t.documents[d])
        throw errors.validation('documents', `材料“${d}”不属于该事项`, `unknown document ${d}`);
    const have = new Set([...recorded.map((d) => d.document_id), ...(body.documents ?? [])]);
    const fromStep = row.current_step as string;
    const decision: Decision = decide(
      t,
      {
        policyId: row.policy_id,
        department: row.department,
        status: row.status,
        currentStep: row.current_step,
        stepStartedOn: row.step_started_on,
        completedSteps: row.completed_steps,
        flags: row.flags,
        documents: have,
        extendedReason: row.extended_reason,
      },
      body,
      actor,
      today,
    );
    await runBeforeHooks({ tx, actor, today, before: row, input: body, decision });

    let set: Parameters<typeof moveCase>[3];
    let toStep: string | null = null;
    const detail: Record<string, unknown> = {};
    if (body.documents?.length) detail.documents = body.documents;
    if (body.investigators?.length)
      detail.investigators = body.investigators.map((n) => n.trim()).filter(Boolean);
    if (body.reason) detail.reason = body.reason.trim();
    switch (decision.kind) {
      case 'moved': {
        toStep = decision.toStep;
        const next = stepOf(t, toStep);
        const flags = [...row.flags];
        if (next.spotCheckShare && !flags.includes('spotCheck')) {
          const sampled = await repo.drawSpotCheck(
            tx,
            row.region_code.slice(0, 6),
            t.id,
            next.id,
            next.spotCheckShare,
          );
          if (sampled) flags.push('spotCheck');
          detail.spotCheck = sampled;
        }
        set = {
          ...stepEntry(row, toStep, today),
          flags,
          completed_steps: [...row.completed_steps, fromStep],
        };
        break;
      }
      case 'returned':
        // The clock stops while the household gathers its papers; it starts again on resubmission.
        set = { status: 'awaitingApplicant' };
        detail.missing = decision.missing.map((d) => ({ id: d.id, name: d.zh }));
        break;
      case 'resumed':
        set = { status: 'open', ...stepEntry(row, fromStep, today) };
        toStep = fromStep;
        break;
      case 'extended': {
        const ext = t.extendedWorkingDays as number;
        set = {
          extended_reason: body.reason?.trim() ?? '',
          case_due_on: calendarFor(row.region_code).addWorkingDays(row.received_on, ext),
        };
        break;
      }
      case 'finished':
        set = {
          status: decision.status,
          current_step: null,
          step_office: null,
          step_due_on: null,
          completed_steps:
            decision.status === 'completed' ? [...row.completed_steps, fromStep] : row.completed_steps,
          outcome_reason: body.reason?.trim() ?? null,
          closed_at: new Date(),
        };
        break;
    }
    const action =
      decision.kind === 'returned'
        ? 'returnToApplicant'
        : decision.kind === 'finished'
          ? body.action === 'complete'
            ? 'complete'
            : body.action
          : body.action;
    // The new state, the papers attached at this step and the event: one statement (caseWrites.repo.ts).
    const updated = await moveCase(
      tx,
      id,
      row.version,
      set,
      { step: fromStep, ids: body.documents ?? [] },
      today,
      {
        action,
        from_step: fromStep,
        to_step: toStep,
        outcome:
          decision.kind === 'moved'
            ? decision.outcome
            : decision.kind === 'finished'
              ? decision.status
              : null,
        legal_ground: decision.legalGround,
        detail,
        actor_name: actor.displayName,
        actor_role: actor.role,
      },
    );
    if (!updated)
      throw errors.conflict(
        'CASE_VERSION_CONFLICT',
        '该案件刚刚已被他人办理，请刷新后重新确认',
        'the case changed',
      );
    // The hooks first, the audit entry last: appending takes the audit chain's head row until commit,
    // and every writer in the system queues on it, so nothing slow (a hook rendering a PDF: ≈80 ms of
    // CPU, seconds under load) may run after it. Same transaction: all or nothing, as before.
    await runAfterHooks({ tx, actor, today, before: row, input: body, decision, after: updated });
    await appendAudit(tx, {
      action: `intake.case.${action}`,
      entityType: 'intake_case',
      entityId: id,
      regionCode: row.region_code,
      actorRole: actor.role,
      before: { status: row.status, step: fromStep, version: row.version },
      after: { ...set, toStep, legalGround: decision.legalGround, ...detail, closed_at: undefined },
    });
    return {
      result: decision.kind,
      missingDocuments:
        decision.kind === 'returned'
          ? decision.missing.map((d) => ({ id: d.id, name: d.zh, nameEn: d.en }))
          : [],
      // Read after the hooks, which may record on the case too.
      case: caseDetail((await findCaseWithTimeline(tx, id, { events: true })) as CaseWithTimeline, today),
    };
  });
}
