/**
 * The decision record of a case (case_decision), built in the transaction of the deciding transition:
 * the rules engine run on the household's facts as of the decision day with the catalogue in force
 * that day (the same path as the intake suggestions and screening), the published version of the
 * policy's file in force, the approved figures of verification (the newest approved household_economy
 * row on or before the day: the figures the engine used), and the amount decided — the public
 * notice's proposed amount when the case had a notice (the figure enrolment pays), else the engine's.
 */
import { evaluate, renderTraceZh } from '@doudi/rules';
import type { Queryable } from '../../db/database.ts';
import type { Actor } from '../access/permissions.ts';
import { householdFactsFor } from '../householdFacts/householdFacts.ts';
import type { CaseRow } from '../intake/intake.repo.ts';
import { activeCatalog } from '../rules/activeCatalog.ts';
import { FIGURES } from '../verification/figures.ts';
import * as repo from './decisions.repo.ts';

export type Outcome = 'approved' | 'refused' | 'rejected';

async function ruleResult(tx: Queryable, c: CaseRow, on: string) {
  const active = await activeCatalog(tx, on);
  const overlay = active.overlays.find((o) => o.file === `policies/${c.policy_id}.yaml`);
  const base = {
    catalog_version: active.version,
    policy_version_no: overlay?.versionNo ?? null,
    policy_effective_from: overlay?.effectiveFrom ?? null,
  };
  const known = active.catalog.policies.some((p) => p.id === c.policy_id);
  const assembled = known ? await householdFactsFor(tx, c.household_id, on) : undefined;
  if (!assembled)
    return { ...base, rule_status: 'notEvaluated', rule_amount_fen: null, trace: null, trace_zh: null };
  try {
    const [r] = evaluate(active.catalog, assembled.facts, on, `${assembled.regionCode.slice(0, 9)}000`, {
      policies: [c.policy_id],
    });
    if (!r) throw new Error('no result');
    return {
      ...base,
      rule_status: r.status,
      rule_amount_fen: r.status === 'eligible' ? r.amountFen : null,
      trace: r.trace,
      trace_zh: renderTraceZh(r.trace),
    };
  } catch {
    // A catalogue problem must not block a lawful decision; the record says it was not evaluated.
    return { ...base, rule_status: 'error', rule_amount_fen: null, trace: null, trace_zh: null };
  }
}

export async function recordDecision(
  tx: Queryable,
  a: {
    actor: Actor;
    caseRow: CaseRow;
    outcome: Outcome;
    step: string;
    on: string;
    legalGround: string;
    reason: string | null;
  },
): Promise<{ row: repo.DecisionRow; created: boolean }> {
  const c = a.caseRow;
  const prior = await repo.decisionOfCase(tx, c.id);
  if (prior) return { row: prior, created: false };
  const rules = await ruleResult(tx, c, a.on);
  const economy = (
    await tx.query<{ id: string; as_of: string; facts: Record<string, unknown> }>(
      `SELECT id, to_char(as_of, 'YYYY-MM-DD') AS as_of, facts FROM household_economy
        WHERE household_id = $1 AND source = 'approved' AND as_of <= $2::date ORDER BY as_of DESC LIMIT 1`,
      [c.household_id, a.on],
    )
  ).rows[0];
  const notice = (
    await tx.query<{ proposed_amount_fen: string }>(
      'SELECT proposed_amount_fen FROM public_notice WHERE case_id = $1 ORDER BY step_round DESC LIMIT 1',
      [c.id],
    )
  ).rows[0];
  const amount =
    a.outcome !== 'approved'
      ? null
      : notice
        ? Number(notice.proposed_amount_fen)
        : (rules.rule_amount_fen ?? null);
  const row = await repo.insertDecision(tx, {
    case_id: c.id,
    household_id: c.household_id,
    region_code: c.region_code,
    outcome: a.outcome,
    step: a.step,
    decided_on: a.on,
    policy_id: c.policy_id,
    ...rules,
    economy_id: economy?.id ?? null,
    figures: economy?.facts ?? null,
    figures_as_of: economy?.as_of ?? null,
    amount_fen: amount,
    legal_ground: a.legalGround.slice(0, 1000),
    reason: a.reason?.slice(0, 1000) ?? null,
    decided_by_name: a.actor.displayName,
    decided_by_role: a.actor.role,
  });
  return { row, created: true };
}

export function decisionView(d: repo.DecisionRow) {
  return {
    id: d.id,
    caseId: d.case_id,
    outcome: d.outcome,
    step: d.step,
    decidedOn: d.decided_on,
    policyId: d.policy_id,
    policyVersionNo: d.policy_version_no,
    policyEffectiveFrom: d.policy_effective_from,
    catalogVersion: d.catalog_version,
    ruleStatus: d.rule_status,
    ruleAmountFen: d.rule_amount_fen === null ? null : Number(d.rule_amount_fen),
    traceZh: d.trace_zh,
    figuresAsOf: d.figures_as_of,
    // The reconciled figures (take-highest), labelled; the stored row keeps every fact.
    figures: FIGURES.filter((f) => typeof d.figures?.[f.name] === 'number').map((f) => ({
      name: f.name,
      label: f.label,
      labelEn: f.labelEn,
      unit: f.unit,
      value: d.figures?.[f.name] as number,
    })),
    amountFen: d.amount_fen === null ? null : Number(d.amount_fen),
    legalGround: d.legal_ground,
    reason: d.reason,
    decidedByName: d.decided_by_name,
  };
}
