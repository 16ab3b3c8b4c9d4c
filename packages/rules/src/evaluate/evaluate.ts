/** Evaluating the catalogue for one household, with a full trace for every policy. */
import type { CompiledCatalog } from '../catalog/types.ts';
import { evaluateHousehold, evaluationContext, type PolicyStatus } from './engine.ts';
import type { HouseholdFacts } from './facts.ts';
import { buildTrace, type PolicyTrace } from './trace.ts';

export interface PolicyResult {
  policyId: string;
  status: PolicyStatus;
  /** Integer fen; null unless eligible for a policy with an amount. */
  amountFen: number | null;
  /** Facts to ask for (`household.x`, `members[1].y`, `members`); non-empty for needsInformation. */
  missingFacts: string[];
  /** Rule or parameter problem, for status `error` (a catalogue bug, not the applicant's). */
  error?: string;
  trace: PolicyTrace;
}

export interface EvaluateOptions {
  /** Only these policies (by id); default all. */
  policies?: readonly string[];
}

/**
 * Evaluates every policy of the catalogue for one household on `date` (YYYY-MM-DD) in the region
 * (12-digit code), using the parameter values in force there and then.
 */
export function evaluate(
  catalog: CompiledCatalog,
  facts: HouseholdFacts,
  date: string,
  regionCode: string,
  options: EvaluateOptions = {},
): PolicyResult[] {
  const ctx = evaluationContext(catalog, date, regionCode, options.policies);
  const { records, decisions } = evaluateHousehold(ctx, facts, true);
  return ctx.policies.map((policy, i) => {
    const decision = decisions[i] as (typeof decisions)[number];
    return {
      policyId: policy.id,
      status: decision.status,
      amountFen: decision.amountFen,
      missingFacts: decision.missingFacts,
      ...(decision.error ? { error: decision.error } : {}),
      trace: buildTrace(ctx, records, policy, decision),
    };
  });
}
