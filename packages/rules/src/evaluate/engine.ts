/**
 * The evaluation core shared by `evaluate` (one household, full trace) and `evaluateBatch` (many
 * households, no trace). Parameters are resolved once per (date, region) into a context that is
 * reused; per household we build fact records, compute the needed variables in dependency order,
 * then decide each policy.
 */

import { closure } from '../catalog/dependencies.ts';
import type {
  CompiledCatalog,
  CompiledCondition,
  CompiledPolicy,
  CompiledVariable,
} from '../catalog/types.ts';
import type { Scope } from '../cel/compile.ts';
import type { PreparedExpression } from '../cel/expression.ts';
import { FactRecord, Failure } from '../cel/runtime.ts';
import { MissingFactError } from '../errors.ts';
import { ROUNDING_RULES, type RoundingRule, roundFen, roundIntFen } from '../money.ts';
import { lookupParameter, type ParameterValue } from '../parameters/parameter.ts';
import { buildRecords, type HouseholdFacts, type HouseholdRecords } from './facts.ts';
import { supersededBy, supersedingIndexes } from './precedence.ts';

export type PolicyStatus = 'eligible' | 'ineligible' | 'needsInformation' | 'error';

/** Condition outcomes: the boolean, or why there is none. */
export type ConditionOutcome = true | false | 'missing' | 'error';

export interface EvaluationContext {
  catalog: CompiledCatalog;
  date: string;
  regionCode: string;
  policies: readonly CompiledPolicy[];
  /** Variables the selected policies need, in dependency order. */
  variableNames: readonly string[];
  variables: readonly CompiledVariable[];
  parameterValues: ReadonlyMap<string, ParameterValue | Failure>;
  param: FactRecord;
  scope: Scope;
  /** Per policy, the indexes of the policies superseding it (precedence.ts); undefined when none. */
  supersededBy: (readonly number[] | undefined)[] | undefined;
}

export function createEvaluationContext(
  catalog: CompiledCatalog,
  date: string,
  regionCode: string,
  policyIds?: readonly string[],
): EvaluationContext {
  const policies = policyIds ? catalog.policies.filter((p) => policyIds.includes(p.id)) : catalog.policies;
  if (policyIds && policies.length !== policyIds.length) {
    const unknown = policyIds.filter((id) => !catalog.policies.some((p) => p.id === id));
    throw new RangeError(`unknown policies: ${unknown.join(', ')}`);
  }
  const dependencyMap = new Map([...catalog.variables].map(([name, v]) => [name, v.dependencies]));
  const variableNames = closure(
    policies.flatMap((p) => p.variables),
    dependencyMap,
    catalog.variableOrder,
  );
  const param = new FactRecord('param');
  const parameterValues = new Map<string, ParameterValue | Failure>();
  for (const [name, parameter] of catalog.parameters) {
    let resolved: ParameterValue | Failure;
    try {
      resolved = lookupParameter(parameter, date, regionCode);
      param[name] = resolved.value;
    } catch (error) {
      if (error instanceof RangeError) throw error;
      // Kept as a failure, not thrown: only the policies that read this parameter are affected.
      resolved = new Failure(error);
      param[name] = resolved;
    }
    parameterValues.set(name, resolved);
  }
  const root = {
    household: undefined,
    members: undefined,
    member: undefined,
    param,
    evaluationDate: date,
    regionCode,
  };
  const scope: Scope = { root, locals: new Array(catalog.localSlots).fill(undefined), budget: 0 };
  const variables = variableNames.map((name) => catalog.variables.get(name) as CompiledVariable);
  return {
    catalog,
    date,
    regionCode,
    policies,
    variableNames,
    variables,
    parameterValues,
    param,
    scope,
    supersededBy: supersedingIndexes(policies),
  };
}

// Contexts are reused per (catalogue, date, region, policies): a single-household call, the most
// frequent one, would otherwise resolve every parameter again. Evaluation is synchronous, so the
// shared scope is never used by two evaluations at once.
const contextCache = new WeakMap<CompiledCatalog, Map<string, EvaluationContext>>();
const CONTEXTS_PER_CATALOG = 64;

/** `createEvaluationContext`, cached. */
export function evaluationContext(
  catalog: CompiledCatalog,
  date: string,
  regionCode: string,
  policyIds?: readonly string[],
): EvaluationContext {
  let contexts = contextCache.get(catalog);
  if (!contexts) {
    contexts = new Map();
    contextCache.set(catalog, contexts);
  }
  const key = `${date}|${regionCode}|${policyIds ? policyIds.join(',') : '*'}`;
  let ctx = contexts.get(key);
  if (!ctx) {
    ctx = createEvaluationContext(catalog, date, regionCode, policyIds);
    if (contexts.size >= CONTEXTS_PER_CATALOG) contexts.delete(contexts.keys().next().value as string);
    contexts.set(key, ctx);
  }
  return ctx;
}

/** Result of running one expression: the value, or the error stored in `lastError`. */
const FAILED: unique symbol = Symbol('failed');

let lastError: unknown;

function run(ctx: EvaluationContext, expression: PreparedExpression): unknown {
  ctx.scope.budget = ctx.catalog.limits.iterationBudget;
  try {
    return expression.run(ctx.scope);
  } catch (error) {
    lastError = error;
    return FAILED;
  }
}

export function prepareHousehold(ctx: EvaluationContext, facts: HouseholdFacts): HouseholdRecords {
  return computeVariables(ctx, buildRecords(ctx.catalog.facts, facts));
}

/** Adds the variables the context's policies need to freshly built fact records. */
export function computeVariables(ctx: EvaluationContext, records: HouseholdRecords): HouseholdRecords {
  const root = ctx.scope.root;
  root.household = records.household;
  root.members = records.members;
  root.member = undefined;
  for (const variable of ctx.variables) {
    const name = variable.name;
    if (variable.entity === 'household') {
      const value = run(ctx, variable.formula);
      records.household[name] = value === FAILED ? new Failure(lastError) : value;
    } else if (Array.isArray(records.members)) {
      for (const member of records.members) {
        root.member = member;
        const value = run(ctx, variable.formula);
        member[name] = value === FAILED ? new Failure(lastError) : value;
      }
      root.member = undefined;
    }
  }
  return records;
}

export interface PolicyDecision {
  status: PolicyStatus;
  /** Integer fen, when eligible and the policy has an amount. */
  amountFen: number | null;
  /** Unrounded formula result (int fen, or a double), for the trace. */
  rawAmount?: bigint | number;
  rounding?: RoundingRule;
  missingFacts: string[];
  error?: string;
  /** The policy that replaces this one for the household (its conditions were met). */
  supersededBy?: string;
  /** Per condition, in catalogue order; only when asked (traces). */
  conditionOutcomes?: ConditionOutcome[];
  conditionDetails?: (string[] | string | undefined)[];
}

/** Adds the policy's required facts that are absent; creates the set only when one is. */
function missingRequired(
  policy: CompiledPolicy,
  records: HouseholdRecords,
  into: Set<string> | undefined,
): Set<string> | undefined {
  // No helper closure here: under tsx every arrow function assigned to a name gets a naming call,
  // which on this path (every policy of every household) cost more than the work itself.
  let missing = into;
  for (const fact of policy.requiredFacts) {
    if (fact.entity === 'household') {
      if (records.household[fact.name] === undefined) {
        missing ??= new Set();
        missing.add(`household.${fact.name}`);
      }
    } else if (!Array.isArray(records.members)) {
      missing ??= new Set();
      missing.add('members');
    } else {
      const members = records.members;
      for (let i = 0; i < members.length; i++) {
        if ((members[i] as FactRecord)[fact.name] === undefined) {
          missing ??= new Set();
          missing.add(`members[${i}].${fact.name}`);
        }
      }
    }
  }
  return missing;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function resolveRounding(ctx: EvaluationContext, policy: CompiledPolicy): RoundingRule {
  const source = policy.amount?.rounding;
  if (!source) return 'fen';
  if ('rule' in source) return source.rule;
  const resolved = ctx.parameterValues.get(source.parameter);
  if (resolved instanceof Failure) throw resolved.error;
  const value = resolved?.value;
  if (!ROUNDING_RULES.includes(value as RoundingRule)) {
    throw new RangeError(
      `rounding parameter ${source.parameter} is "${String(value)}", expected fen or yuan`,
    );
  }
  return value as RoundingRule;
}

/** Status codes of `decideCore` (and of batch results: `STATUS_CODES` in batch.ts). */
export const ELIGIBLE = 0;
export const INELIGIBLE = 1;
export const NEEDS_INFORMATION = 2;
export const ERROR = 3;
const STATUS_OF: readonly PolicyStatus[] = ['eligible', 'ineligible', 'needsInformation', 'error'];

/**
 * What `decideCore` found besides the status, in module state rather than a fresh object: the
 * batch path reads it without allocating anything per household and policy.
 */
export const decided = {
  amountFen: null as number | null,
  rawAmount: undefined as number | undefined,
  rounding: undefined as RoundingRule | undefined,
  missing: undefined as Set<string> | string[] | undefined,
  error: undefined as string | undefined,
};

/**
 * Decides one policy. A veto that holds, or an ordinary condition that fails, makes the household
 * ineligible even while other facts are missing (the answer cannot change); otherwise any missing
 * fact gives `needsInformation`, any rule error gives `error`, and only then is the amount computed.
 * Condition outcomes are collected only when `outcomes` is given (traces).
 */
export function decideCore(
  ctx: EvaluationContext,
  records: HouseholdRecords,
  policy: CompiledPolicy,
  outcomes?: ConditionOutcome[],
  details?: (string[] | string | undefined)[],
): number {
  const root = ctx.scope.root;
  root.household = records.household;
  root.members = records.members;
  decided.amountFen = null;
  decided.rawAmount = undefined;
  decided.rounding = undefined;
  decided.error = undefined;
  let ruledOut = false;
  let firstError: unknown;
  let missing: Set<string> | undefined;
  const conditions = policy.conditions;
  for (let i = 0; i < conditions.length; i++) {
    const condition = conditions[i] as CompiledCondition;
    const value = run(ctx, condition.expression);
    let outcome: ConditionOutcome;
    let detail: string[] | string | undefined;
    if (value === FAILED) {
      if (lastError instanceof MissingFactError) {
        outcome = 'missing';
        missing ??= new Set();
        for (const fact of lastError.facts) missing.add(fact);
        if (details) detail = [...lastError.facts];
      } else {
        outcome = 'error';
        firstError ??= lastError;
        if (details) detail = errorText(lastError);
      }
    } else {
      outcome = value === true;
      if (outcome === condition.veto) ruledOut = true;
    }
    if (outcomes) {
      outcomes.push(outcome);
      details?.push(detail);
    } else if (ruledOut) {
      // Without a trace there is nothing more to learn once the household is ruled out.
      break;
    }
  }
  if (policy.requiredFacts.length > 0) missing = missingRequired(policy, records, missing);
  decided.missing = missing;
  if (ruledOut) return INELIGIBLE;
  if (firstError !== undefined) {
    decided.error = errorText(firstError);
    return ERROR;
  }
  if (missing !== undefined && missing.size > 0) return NEEDS_INFORMATION;
  if (!policy.amount) return ELIGIBLE;
  const raw = run(ctx, policy.amount.formula);
  if (raw === FAILED) {
    if (lastError instanceof MissingFactError) {
      decided.missing = [...lastError.facts];
      return NEEDS_INFORMATION;
    }
    decided.error = errorText(lastError);
    return ERROR;
  }
  return storeAmount(ctx, policy, raw as number);
}

/**
 * Rounds an amount formula's value by the region's rule into `decided` (both evaluation paths):
 * eligible, or an error when the rounding rule cannot be resolved.
 */
export function storeAmount(ctx: EvaluationContext, policy: CompiledPolicy, raw: number): number {
  try {
    const rounding = resolveRounding(ctx, policy);
    // An int formula already gives whole fen (a safe integer); a double goes through its decimal.
    decided.amountFen =
      policy.amount?.formula.type === 'int' ? roundIntFen(raw, rounding) : Number(roundFen(raw, rounding));
    decided.rawAmount = raw;
    decided.rounding = rounding;
    return ELIGIBLE;
  } catch (error) {
    decided.error = errorText(error);
    return ERROR;
  }
}

/** `decideCore` as an object, with condition outcomes when `detailed` (for traces). */
export function decidePolicy(
  ctx: EvaluationContext,
  records: HouseholdRecords,
  policy: CompiledPolicy,
  detailed: boolean,
): PolicyDecision {
  const outcomes: ConditionOutcome[] | undefined = detailed ? [] : undefined;
  const details: (string[] | string | undefined)[] | undefined = detailed ? [] : undefined;
  const code = decideCore(ctx, records, policy, outcomes, details);
  const decision: PolicyDecision = {
    status: STATUS_OF[code] as PolicyStatus,
    amountFen: decided.amountFen,
    missingFacts: decided.missing ? [...decided.missing] : [],
  };
  if (decided.rawAmount !== undefined) {
    decision.rawAmount = decided.rawAmount;
    decision.rounding = decided.rounding;
  }
  if (decided.error !== undefined) decision.error = decided.error;
  if (outcomes) {
    decision.conditionOutcomes = outcomes;
    decision.conditionDetails = details;
  }
  return decision;
}

export function evaluateHousehold(
  ctx: EvaluationContext,
  facts: HouseholdFacts,
  detailed: boolean,
): { records: HouseholdRecords; decisions: PolicyDecision[] } {
  const records = prepareHousehold(ctx, facts);
  const decisions = ctx.policies.map((p) => decidePolicy(ctx, records, p, detailed));
  applyPrecedence(ctx, decisions);
  return { records, decisions };
}

/** Marks the decisions that a superseding policy replaces (precedence.ts). */
export function applyPrecedence(ctx: EvaluationContext, decisions: PolicyDecision[]): void {
  if (!ctx.supersededBy) return;
  const by = supersededBy(ctx.supersededBy, (i) => decisions[i]?.status === 'eligible');
  for (let p = 0; p < by.length; p++) {
    const q = by[p] as number;
    if (q < 0) continue;
    const decision = decisions[p] as PolicyDecision;
    decision.status = 'ineligible';
    decision.amountFen = null;
    decision.supersededBy = (ctx.policies[q] as CompiledPolicy).id;
  }
}
