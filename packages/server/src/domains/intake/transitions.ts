/**
 * The enforced workflow: given a case, its template and what an officer asks to do, decide what
 * happens or refuse with a reason. Pure (no database): the service loads the case under a row lock,
 * calls `decide`, and writes the result. Rules, all from the template:
 * - only the current step can be completed, only into a `next` the template allows (nothing skipped
 *   or merged), and only by the office that acts at that step;
 * - a step completes only with its documents: when the household's own papers are missing the case
 *   goes back to the applicant with the full list at once; papers the office makes are its own job;
 * - `requiresCompleted` (verification before any decision), `minCalendarDays` (7-day public notice),
 *   `investigators` (two at a home visit) and refusals only where the template allows them.
 */
import { AppError, errors } from '../../http/errors.ts';
import type { Actor } from '../access/permissions.ts';
import { daysBetween } from './calendar.ts';
import { type ProcessTemplate, stepOf, type TemplateDocument, type TemplateStep } from './templates.ts';

export const Actions = ['complete', 'resubmit', 'refuse', 'reject', 'withdraw', 'extend'] as const;
export type Action = (typeof Actions)[number];

export interface CaseState {
  policyId: string;
  department: string | null;
  status: string;
  currentStep: string | null;
  stepStartedOn: string | null;
  completedSteps: string[];
  flags: string[];
  documents: ReadonlySet<string>;
  extendedReason: string | null;
}

export interface TransitionInput {
  action: Action;
  step: string;
  outcome?: string | undefined;
  documents?: string[] | undefined;
  investigators?: string[] | undefined;
  reason?: string | undefined;
}

export type Decision =
  | { kind: 'moved'; toStep: string; outcome: string | null; legalGround: string }
  | { kind: 'finished'; status: 'completed' | 'refused' | 'rejected' | 'withdrawn'; legalGround: string }
  | { kind: 'returned'; missing: TemplateDocument[]; legalGround: string }
  | { kind: 'resumed'; legalGround: string }
  | { kind: 'extended'; legalGround: string };

const conflict = (code: string, zh: string, en: string) => new AppError(409, code, zh, en);

/** Documents a step needs for this case (policy- and flag-dependent ones included only when they apply). */
export function requiredDocuments(
  t: ProcessTemplate,
  step: TemplateStep,
  state: Pick<CaseState, 'policyId' | 'flags'>,
) {
  return (step.documents ?? [])
    .map((id) => ({ id, ...(t.documents[id] as Omit<TemplateDocument, 'id'>) }))
    .filter(
      (d) =>
        (!d.policies || d.policies.includes(state.policyId)) && (!d.when || state.flags.includes(d.when)),
    );
}

/** May this actor act at this step of this case? */
export function actsAt(step: TemplateStep, actor: Actor, department: string | null): boolean {
  switch (step.office) {
    case 'township':
      return actor.role === 'caseworker';
    case 'county':
      return (
        actor.role === 'countyOfficer' || (step.delegatedTo === 'township' && actor.role === 'caseworker')
      );
    case 'department':
      // A referral whose policy belongs to civil affairs itself is handled by the county bureau.
      return department === null
        ? actor.role === 'countyOfficer'
        : actor.role === 'departmentOfficer' && actor.department === department;
    case 'verificationCentre':
      return actor.role === 'verificationCentre';
    default:
      return false;
  }
}

const OFFICE_ZH: Record<TemplateStep['office'], string> = {
  township: '乡镇（街道）经办人员',
  county: '县级民政部门',
  department: '主管部门',
  verificationCentre: '核对中心',
};

export function officeName(office: TemplateStep['office']): string {
  return OFFICE_ZH[office];
}

export function decide(
  t: ProcessTemplate,
  state: CaseState,
  input: TransitionInput,
  actor: Actor,
  today: string,
): Decision {
  if (!['open', 'awaitingApplicant'].includes(state.status) || !state.currentStep)
    throw conflict('CASE_CLOSED', '该案件已办结，不能再办理', 'the case is closed');
  const step = stepOf(t, state.currentStep);
  if (input.step !== step.id) {
    const asked = t.steps.find((s) => s.id === input.step);
    throw conflict(
      'STEP_NOT_CURRENT',
      `该案件当前环节是“${step.name.zh}”，不能办理“${asked?.name.zh ?? input.step}”：各环节须依次办理，不得跳过或合并`,
      `the case is at step ${step.id}; steps cannot be skipped or merged`,
    );
  }
  const reason = input.reason?.trim();
  const needReason = (what: string) => {
    if (!reason) throw errors.validation('reason', `${what}须写明理由`, 'a reason is required');
  };
  const applicantSide = actor.role === 'caseworker' || actor.role === 'gridWorker';

  if (input.action === 'resubmit') {
    if (state.status !== 'awaitingApplicant')
      throw conflict(
        'NOT_AWAITING_APPLICANT',
        '该案件没有在等待申请人补齐材料',
        'the case is not waiting for documents',
      );
    if (!applicantSide) throw errors.forbidden('intake.resubmit');
    return { kind: 'resumed', legalGround: step.legalGround };
  }
  if (input.action === 'withdraw') {
    if (!applicantSide && actor.role !== 'resident') throw errors.forbidden('intake.withdraw');
    needReason('撤回申请');
    return { kind: 'finished', status: 'withdrawn', legalGround: '申请人主动撤回申请' };
  }
  if (state.status === 'awaitingApplicant')
    throw conflict(
      'AWAITING_APPLICANT',
      '该案件正在等待申请人补齐材料，收到材料后先登记补正再继续办理',
      'the case is waiting for the applicant’s documents',
    );
  if (!actsAt(step, actor, state.department))
    throw new AppError(
      403,
      'NOT_YOUR_STEP',
      `“${step.name.zh}”环节应由${OFFICE_ZH[step.office]}办理`,
      `step ${step.id} is handled by the ${step.office} office`,
    );
  const unmet = (step.requiresCompleted ?? []).filter((s) => !state.completedSteps.includes(s));
  const unmetNames = () => unmet.map((s) => stepOf(t, s).name.zh).join('、');

  if (input.action === 'extend') {
    if (!t.extendedWorkingDays)
      throw conflict('NO_EXTENSION', '该类事项没有延长办理时限的规定', 'no extension allowed');
    if (state.extendedReason)
      throw conflict('ALREADY_EXTENDED', '办理时限已经延长过一次', 'already extended');
    needReason('延长办理时限');
    return {
      kind: 'extended',
      legalGround: `${t.legalBasis[0]}：有特殊情况的，可以延长至${t.extendedWorkingDays}个工作日`,
    };
  }
  if (input.action === 'reject') {
    if (step.refusal !== 'rejectAtIntake')
      throw conflict(
        'REJECT_NOT_ALLOWED',
        `“${step.name.zh}”环节不能作出不予受理决定`,
        'rejection at intake is not allowed here',
      );
    needReason('不予受理');
    return { kind: 'finished', status: 'rejected', legalGround: step.legalGround };
  }
  if (input.action === 'refuse') {
    if (step.refusal !== 'decision')
      throw conflict(
        'REFUSAL_NOT_ALLOWED',
        `“${step.name.zh}”环节不能作出不予批准的决定`,
        'a refusal is not decided at this step',
      );
    if (unmet.length)
      throw conflict(
        'PREREQUISITE_MISSING',
        `须先完成${unmetNames()}，才能作出决定`,
        'earlier steps must be complete first',
      );
    needReason('不予批准');
    return { kind: 'finished', status: 'refused', legalGround: step.legalGround };
  }

  // complete
  if (unmet.length)
    throw conflict(
      'PREREQUISITE_MISSING',
      `须先完成${unmetNames()}，才能办理“${step.name.zh}”`,
      'earlier steps must be complete first',
    );
  if (step.minCalendarDays && state.stepStartedOn) {
    const elapsed = daysBetween(state.stepStartedOn, today);
    if (elapsed < step.minCalendarDays)
      throw conflict(
        'PERIOD_NOT_OVER',
        `“${step.name.zh}”须满${step.minCalendarDays}天（${state.stepStartedOn}起，已${Math.max(elapsed, 0)}天）`,
        `step ${step.id} must last ${step.minCalendarDays} days`,
      );
  }
  if (step.investigators) {
    const named = new Set((input.investigators ?? []).map((n) => n.trim()).filter(Boolean));
    if (named.size < step.investigators)
      throw errors.validation(
        'investigators',
        `“${step.name.zh}”须由${step.investigators}名以上调查人员共同完成，请填写每位调查人员姓名`,
        `${step.investigators} distinct investigators are required`,
      );
  }
  const missing = requiredDocuments(t, step, state).filter((d) => !state.documents.has(d.id));
  const applicantMissing = missing.filter((d) => d.from === 'applicant');
  if (applicantMissing.length)
    return {
      kind: 'returned',
      missing: applicantMissing,
      legalGround: '材料不齐全的，一次性告知申请人需要补齐的全部材料',
    };
  if (missing.length)
    throw new AppError(
      422,
      'STEP_DOCUMENTS_MISSING',
      `“${step.name.zh}”还缺少材料：${missing.map((d) => d.zh).join('；')}`,
      `missing documents: ${missing.map((d) => d.id).join(', ')}`,
      'documents',
    );
  if (step.next.length === 0) return { kind: 'finished', status: 'completed', legalGround: step.legalGround };
  const branch =
    step.next.length === 1 && !step.next[0]?.when && !input.outcome
      ? step.next[0]
      : step.next.find((n) => n.when === input.outcome);
  if (!branch) {
    const allowed = step.next.map((n) => n.when).filter(Boolean);
    throw errors.validation(
      'outcome',
      allowed.length
        ? `“${step.name.zh}”须选择办理结果：${allowed.join('、')}`
        : `“${step.name.zh}”不需要选择办理结果`,
      `outcome must be one of: ${allowed.join(', ') || '(none)'}`,
    );
  }
  return {
    kind: 'moved',
    toStep: branch.to,
    outcome: branch.when ?? null,
    legalGround: branch.legalGround ?? step.legalGround,
  };
}
