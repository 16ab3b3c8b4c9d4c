/**
 * Where decisions and documents come from, in the transaction of the event:
 * - the intake step (the one the template lets reject) completed → acceptance notice (受理通知书);
 * - rejected there → decision record + 不予受理通知书;
 * - the decision step (the one the template lets refuse) completed → decision record (approved) +
 *   the confirmation decision; refused there → decision record + refusal with reasons;
 * - an enrolment stopped (approved stop, or the phase-out ended by the job) → termination notice.
 * Each is keyed by its event, so nothing is issued twice.
 */
import { CATEGORY_BY_POLICY, firstOfNextMonth } from '../enrolment/enrolment.rules.ts';
import { registerEnrolmentStopHook } from '../enrolment/enrolmentHooks.ts';
import { type CaseHook, registerCaseHook } from '../intake/caseHooks.ts';
import { templateOf } from '../intake/intake.views.ts';
import { stepOf } from '../intake/templates.ts';
import type { PersonalDataCipher } from '../registry/personalData.crypto.ts';
import { recordDecision } from './decisionRecord.ts';
import type { ServedKind } from './documentCatalog.ts';
import { caseDocumentBase, issueDocument } from './documents.service.ts';

/** The cipher reads the addressee's ID number, printed in full on the documents served on them. */
const hookWith = (cipher: PersonalDataCipher): CaseHook => ({
  async after({ tx, actor, today, before, input, decision, after }) {
    if (!before.current_step) return;
    const step = stepOf(templateOf(before), before.current_step);
    const base = {
      ...caseDocumentBase(after),
      actor,
      on: today,
      legalGround: decision.legalGround,
      reason: input.reason?.trim() || null,
      amountFen: null,
      startsOn: null,
      effectiveOn: null,
    };
    const completed =
      input.action === 'complete' &&
      (decision.kind === 'moved' || (decision.kind === 'finished' && decision.status === 'completed'));
    if (step.refusal === 'rejectAtIntake' && completed) {
      await issueDocument(tx, cipher, {
        ...base,
        kind: 'acceptance',
        eventKey: `case:${after.id}:acceptance`,
        decisionId: null,
        delegated: false,
        // The acceptance cites the intake step's ground, not the branch taken.
        legalGround: step.legalGround,
      });
      return;
    }
    let outcome: 'approved' | 'refused' | 'rejected' | undefined;
    let kind: ServedKind | undefined;
    if (step.refusal === 'decision' && completed) [outcome, kind] = ['approved', 'confirmation'];
    else if (decision.kind === 'finished' && decision.status === 'refused')
      [outcome, kind] = ['refused', 'refusal'];
    else if (decision.kind === 'finished' && decision.status === 'rejected')
      [outcome, kind] = ['rejected', 'intakeRefusal'];
    if (!outcome || !kind) return;
    const { row } = await recordDecision(tx, {
      actor,
      caseRow: after,
      outcome,
      step: step.id,
      on: today,
      legalGround: decision.kind === 'moved' ? step.legalGround : decision.legalGround,
      reason: base.reason,
    });
    const enrols = outcome === 'approved' && CATEGORY_BY_POLICY[after.policy_id] !== undefined;
    await issueDocument(tx, cipher, {
      ...base,
      kind,
      eventKey: `case:${after.id}:${kind}`,
      decisionId: row.id,
      delegated: step.office === 'county' && actor.role === 'caseworker',
      legalGround: row.legal_ground,
      amountFen: row.amount_fen === null ? null : Number(row.amount_fen),
      startsOn: enrols ? firstOfNextMonth(today) : null,
    });
  },
});

export function registerDecisionHooks(cipher: PersonalDataCipher): void {
  registerCaseHook('decisions', hookWith(cipher));
  registerEnrolmentStopHook('decisions', async (ctx) => {
    const e = ctx.enrolment;
    const c = e.case_id
      ? (
          await ctx.tx.query<{ department: string | null; template_id: string }>(
            'SELECT department, template_id FROM intake_case WHERE id = $1',
            [e.case_id],
          )
        ).rows[0]
      : undefined;
    await issueDocument(ctx.tx, cipher, {
      kind: 'termination',
      eventKey: `enrolmentTask:${ctx.taskId}:termination`,
      actor: ctx.actor,
      on: ctx.today,
      householdId: e.household_id,
      regionCode: e.region_code,
      policyId: e.policy_id,
      department: c?.department ?? null,
      caseId: null,
      enrolmentId: e.id,
      decisionId: null,
      delegated: false,
      receivedOn: null,
      legalBasis: c ? templateOf(c).legalBasis : [],
      legalGround: ctx.legalGround,
      reason: ctx.reason,
      amountFen: null,
      startsOn: e.starts_on,
      effectiveOn: ctx.effectiveOn,
      totalWorkingDays: null,
      extendedWorkingDays: null,
    });
  });
}
