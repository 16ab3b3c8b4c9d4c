/**
 * The evaluation core shared by `evaluate` (one household, full trace) and `evaluateBatch` (many
 * households, no trace). Parameters are resolved once per (date, region) into a context that is
 * reused; per household we build fact records, compute the needed variables in dependency order,
 * then decide each policy.
 */

import { closure } from '../catalog/dependencies.ts';
import type { CompiledCatalog, CompiledPolicy, CompiledVariable } from '../catalog/types.ts';
import type { Scope } from '../cel/compile.ts';
import type { PreparedExpression } from '../cel/expression.ts';
import { FactRecord, Failure } from '../cel/runtime.ts';
import { MissingFactError } from '../errors.ts';
import { ROUNDING_RULES, type RoundingRule, roundFen } from '../money.ts';
import { lookupParameter, type ParameterValue } from '../parameters/parameter.ts';
import { buildRecords, type HouseholdFacts, type HouseholdRecords } from './facts.ts';

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
  return { catalog, date, regionCode, policies, variableNames, variables, parameterValues, param, scope };
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
  const records = buildRecords(ctx.catalog.facts, facts);
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
  /** Unrounded formula result (int fen as bigint, or a double), for the trace. */
  rawAmount?: bigint | number;
  rounding?: RoundingRule;
  missingFacts: string[];
  error?: string;
  /** Per condition, in catalogue order; only when asked (traces). */
  conditionOutcomes?: ConditionOutcome[];
  conditionDetails?: (string[] | string | undefined)[];
}

function missingRequired(policy: CompiledPolicy, records: HouseholdRecords, into: Set<string>): Set<string> {
  for (const fact of policy.requiredFacts) {
    if (fact.entity === 'household') {
      if (records.household[fact.name] === undefined) into.add(`household.${fact.name}`);
    } else if (!Array.isArray(records.members)) into.add('members');
    else {
      records.members.forEach((m, i) => {
        if (m[fact.name] === undefined) into.add(`members[${i}].${fact.name}`);
      });
    }
  }
  return into;
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function resolveRounding(ctx: EvaluationContext, policy: CompiledPolicy): RoundingRule {
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

/**
 * Decides one policy. A veto that holds, or an ordinary condition that fails, makes the household
 * ineligible even while other facts are missing (the answer cannot change); otherwise any missing
 * fact gives `needsInformation`, any rule error gives `error`, and only then is the amount computed.
 */
export function decidePolicy(
  ctx: EvaluationContext,
  records: HouseholdRecords,
  policy: CompiledPolicy,
  detailed: boolean,
): PolicyDecision {
  const root = ctx.scope.root;
  root.household = records.household;
  root.members = records.members;
  let ruledOut = false;
  let firstError: unknown;
  let missing: Set<string> | undefined;
  const outcomes: ConditionOutcome[] | undefined = detailed ? [] : undefined;
  const details: (string[] | string | undefined)[] | undefined = detailed ? [] : undefined;
  for (const condition of policy.conditions) {
    const value = run(ctx, condition.expression);
    let outcome: ConditionOutcome;
    let detail: string[] | string | undefined;
    if (value === FAILED) {
      if (lastError instanceof MissingFactError) {
        outcome = 'missing';
        missing ??= new Set();
        for (const fact of lastError.facts) missing.add(fact);
        detail = [...lastError.facts];
      } else {
        outcome = 'error';
        firstError ??= lastError;
        detail = errorText(lastError);
      }
    } else {
      outcome = value === true;
      if (outcome === condition.veto) ruledOut = true;
    }
    outcomes?.push(outcome);
    details?.push(detail);
    // Without a trace there is nothing more to learn once the household is ruled out.
    if (ruledOut && !detailed) break;
  }
  if (policy.requiredFacts.length > 0) missing = missingRequired(policy, records, missing ?? new Set());
  const base: Pick<PolicyDecision, 'missingFacts' | 'conditionOutcomes' | 'conditionDetails'> = {
    missingFacts: missing && missing.size > 0 ? [...missing] : [],
  };
  if (outcomes) {
    base.conditionOutcomes = outcomes;
    base.conditionDetails = details;
  }
  if (ruledOut) return { status: 'ineligible', amountFen: null, ...base };
  if (firstError !== undefined)
    return { status: 'error', amountFen: null, error: errorText(firstError), ...base };
  if (base.missingFacts.length > 0) return { status: 'needsInformation', amountFen: null, ...base };
  if (!policy.amount) return { status: 'eligible', amountFen: null, ...base };
  const raw = run(ctx, policy.amount.formula);
  if (raw === FAILED) {
    if (lastError instanceof MissingFactError) {
      return { status: 'needsInformation', amountFen: null, ...base, missingFacts: [...lastError.facts] };
    }
    return { status: 'error', amountFen: null, error: errorText(lastError), ...base };
  }
  try {
    const rounding = resolveRounding(ctx, policy);
    const fen = roundFen(raw as bigint | number, rounding);
    return {
      status: 'eligible',
      amountFen: Number(fen),
      rawAmount: raw as bigint | number,
      rounding,
      ...base,
    };
  } catch (error) {
    return { status: 'error', amountFen: null, error: errorText(error), ...base };
  }
}

export function evaluateHousehold(
  ctx: EvaluationContext,
  facts: HouseholdFacts,
  detailed: boolean,
): { records: HouseholdRecords; decisions: PolicyDecision[] } {
  const records = prepareHousehold(ctx, facts);
  return { records, decisions: ctx.policies.map((p) => decidePolicy(ctx, records, p, detailed)) };
}
