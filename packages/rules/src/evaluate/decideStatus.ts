/**
 * A policy's status and amount alone, for a screening run (which stores nothing else): the same
 * status and amount as `decideCore`, without the names of missing facts, and with the lenient
 * form of each expression (cel/compile.ts), where a missing fact is the value `MISSING` rather
 * than an exception followed by a second, exact run. Real households lack some fact for most
 * policies, so on the batch path that was the commonest way for an expression to end.
 * batch.test.ts checks the statuses and amounts against `decideCore` on households with gaps.
 */
import type { CompiledPolicy } from '../catalog/types.ts';
import { type Compiled, lenientForm } from '../cel/compile.ts';
import type { PreparedExpression } from '../cel/expression.ts';
import { type FactRecord, MISSING } from '../cel/runtime.ts';
import { MissingFactError } from '../errors.ts';
import {
  decided,
  ELIGIBLE,
  ERROR,
  type EvaluationContext,
  errorText,
  INELIGIBLE,
  NEEDS_INFORMATION,
  storeAmount,
} from './engine.ts';
import type { HouseholdRecords } from './facts.ts';

/** A policy's expressions in their lenient forms, worked out once per evaluation context. */
export interface StatusForms {
  policy: CompiledPolicy;
  conditions: Compiled[];
  vetoes: boolean[];
  amount: Compiled | undefined;
}

const FAILED: unique symbol = Symbol('failed');
let lastError: unknown;

/** The lenient form, or the ordinary one (e.g. an indicator model's score), caught below. */
function formOf(expression: PreparedExpression): Compiled {
  return lenientForm(expression.run) ?? expression.run;
}

const formsByContext = new WeakMap<EvaluationContext, StatusForms[]>();

export function statusForms(ctx: EvaluationContext): StatusForms[] {
  let forms = formsByContext.get(ctx);
  if (!forms) {
    forms = ctx.policies.map((policy) => ({
      policy,
      conditions: policy.conditions.map((c) => formOf(c.expression)),
      vetoes: policy.conditions.map((c) => c.veto),
      amount: policy.amount ? formOf(policy.amount.formula) : undefined,
    }));
    formsByContext.set(ctx, forms);
  }
  return forms;
}

function runStatus(ctx: EvaluationContext, run: Compiled): unknown {
  ctx.scope.budget = ctx.catalog.limits.iterationBudget;
  try {
    return run(ctx.scope);
  } catch (error) {
    // A form without a lenient variant, or a lenient one that handed over to the exact form.
    if (error instanceof MissingFactError) return MISSING;
    lastError = error;
    return FAILED;
  }
}

/** Whether any of the policy's required facts is absent (`missingRequired` without the names). */
function requiredMissing(policy: CompiledPolicy, records: HouseholdRecords): boolean {
  for (const fact of policy.requiredFacts) {
    if (fact.entity === 'household') {
      if (records.household[fact.name] === undefined) return true;
    } else if (!Array.isArray(records.members)) {
      return true;
    } else {
      for (const member of records.members) if ((member as FactRecord)[fact.name] === undefined) return true;
    }
  }
  return false;
}

/**
 * `decideCore` without details: a holding veto or a failing condition rules the household out;
 * else a rule error gives `error`, a missing fact `needsInformation`, and only then is the amount
 * computed. Fills `decided` (amount, rounding, error) like `decideCore`; `decided.missing` stays
 * undefined.
 */
export function decideStatus(ctx: EvaluationContext, records: HouseholdRecords, forms: StatusForms): number {
  const root = ctx.scope.root;
  root.household = records.household;
  root.members = records.members;
  decided.amountFen = null;
  decided.rawAmount = undefined;
  decided.rounding = undefined;
  decided.error = undefined;
  decided.missing = undefined;
  let missing = false;
  let firstError: unknown;
  const { conditions, vetoes, policy } = forms;
  for (let i = 0; i < conditions.length; i++) {
    const value = runStatus(ctx, conditions[i] as Compiled);
    if (value === MISSING) missing = true;
    else if (value === FAILED) firstError ??= lastError;
    else if ((value === true) === vetoes[i]) return INELIGIBLE;
  }
  if (!missing && policy.requiredFacts.length > 0) missing = requiredMissing(policy, records);
  if (firstError !== undefined) {
    decided.error = errorText(firstError);
    return ERROR;
  }
  if (missing) return NEEDS_INFORMATION;
  if (!forms.amount || !policy.amount) return ELIGIBLE;
  const raw = runStatus(ctx, forms.amount);
  if (raw === MISSING) return NEEDS_INFORMATION;
  if (raw === FAILED) {
    decided.error = errorText(lastError);
    return ERROR;
  }
  return storeAmount(ctx, policy, raw as number);
}
