/**
 * Approval enrols the household: when a dibao, tekun or low-income case completes its last step, the
 * household is enrolled in the policy's category from the month after the decision (the day the
 * decision step — the one the template lets refuse — was completed), at the amount proposed in the
 * public notice (none on file: left open, set later through an increase), with the review period by
 * rule. A household already enrolled in that category is left as it is.
 */
import { appendAudit } from '../audit/audit.repo.ts';
import { type CaseHook, registerCaseHook } from '../intake/caseHooks.ts';
import { templateOf } from '../intake/intake.views.ts';
import * as repo from './enrolment.repo.ts';
import {
  addMonths,
  CATEGORY_BY_POLICY,
  ENROLMENT_LEGAL_GROUND,
  firstOfNextMonth,
  reviewMonths,
} from './enrolment.rules.ts';

const hook: CaseHook = {
  async after({ tx, actor, today, after, decision }) {
    if (decision.kind !== 'finished' || decision.status !== 'completed') return;
    const category = CATEGORY_BY_POLICY[after.policy_id];
    if (!category) return;
    const t = templateOf(after);
    const decisionSteps = t.steps.filter((s) => s.refusal === 'decision').map((s) => s.id);
    const decided = await tx.query<{ on_date: string }>(
      `SELECT to_char(on_date, 'YYYY-MM-DD') AS on_date FROM intake_case_event
        WHERE case_id = $1 AND action = 'complete' AND from_step = ANY ($2::text[]) ORDER BY seq DESC LIMIT 1`,
      [after.id, decisionSteps],
    );
    const decidedOn = decided.rows[0]?.on_date ?? today;
    const notice = await tx.query<{ proposed_amount_fen: string }>(
      'SELECT proposed_amount_fen FROM public_notice WHERE case_id = $1 ORDER BY step_round DESC LIMIT 1',
      [after.id],
    );
    const amount = notice.rows[0] ? Number(notice.rows[0].proposed_amount_fen) : null;
    const startsOn = firstOfNextMonth(decidedOn);
    const months = await reviewMonths(tx, after.household_id, category, decidedOn);
    const id = await repo.insertEnrolment(tx, {
      household_id: after.household_id,
      region_code: after.region_code,
      category,
      policy_id: after.policy_id,
      case_id: after.id,
      monthly_amount_fen: amount,
      decided_on: decidedOn,
      starts_on: startsOn,
      review_months: months,
      next_review_on: addMonths(startsOn, months),
      legal_ground: ENROLMENT_LEGAL_GROUND,
    });
    if (!id) return;
    await repo.openCategory(tx, after.household_id, after.region_code, category, startsOn, amount);
    await appendAudit(tx, {
      action: 'enrolment.create',
      entityType: 'enrolment',
      entityId: id,
      regionCode: after.region_code,
      actorRole: actor.role,
      after: { caseId: after.id, category, monthlyAmountFen: amount, startsOn, reviewMonths: months },
    });
  },
};

export function registerEnrolmentHooks(): void {
  registerCaseHook('enrolment', hook);
}
