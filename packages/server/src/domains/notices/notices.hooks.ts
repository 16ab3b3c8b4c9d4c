/**
 * Wires the notice into the case's notice step: while the notice runs the step cannot complete;
 * with an objection on file it can only go on to community appraisal (or a new investigation), and
 * without one it must not (《最低生活保障审核确认办法》: no objection, no appraisal). A case whose notice
 * was posted on paper only (no notice here) keeps the template's own rules.
 */
import { AppError } from '../../http/errors.ts';
import { type CaseHook, registerCaseHook } from '../intake/caseHooks.ts';
import * as repo from './notices.repo.ts';
import { NOTICE_STEP } from './notices.service.ts';

const hook: CaseHook = {
  async before({ tx, before, input, decision, today }) {
    if (before.current_step !== NOTICE_STEP || input.action !== 'complete' || decision.kind !== 'moved')
      return;
    const notice = await repo.noticeOfRound(tx, before.id, before.step_round);
    if (!notice) return;
    if (today <= notice.ends_on)
      throw new AppError(
        409,
        'NOTICE_NOT_OVER',
        `公示期到${notice.ends_on}结束，期满后才能办结公示环节`,
        'the notice period is not over',
      );
    const objections = notice.objection_count ?? 0;
    if (objections > 0 && decision.outcome !== 'objection')
      throw new AppError(
        409,
        'OBJECTION_ON_FILE',
        `公示期间收到${objections}条异议，须转入民主评议（或重新调查），不能按无异议办结`,
        'objections were lodged; the case must go to community appraisal',
        'outcome',
      );
    if (objections === 0 && decision.outcome === 'objection')
      throw new AppError(
        409,
        'NO_OBJECTION',
        '公示期间没有收到异议，无需民主评议，请按“无异议”办结',
        'no objection was lodged; no appraisal is needed',
        'outcome',
      );
  },
  async after({ tx, before, decision }) {
    if (before.current_step === NOTICE_STEP && decision.kind === 'moved')
      await repo.closeNotice(tx, before.id, before.step_round);
  },
};

export function registerNoticeHooks(): void {
  registerCaseHook('notices', hook);
}
