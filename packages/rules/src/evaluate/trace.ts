/**
 * The trace of one policy decision: every condition with its outcome, every variable with its
 * value, every parameter with value, effective date, region and legal reference. JSON-safe (ints
 * become numbers, or strings beyond 2^53) so the server can store it with the assessment.
 */

import { factLabelZh } from '../catalog/facts.ts';
import type { CompiledPolicy, ConditionExplanation } from '../catalog/types.ts';
import { FactRecord, Failure } from '../cel/runtime.ts';
import { MissingFactError } from '../errors.ts';
import type { RoundingRule } from '../money.ts';
import type { ConditionOutcome, EvaluationContext, PolicyDecision, PolicyStatus } from './engine.ts';
import type { HouseholdRecords } from './facts.ts';

export type TraceValue = number | string | boolean | null | TraceValue[] | { [key: string]: TraceValue };

export interface ConditionTrace {
  id: string;
  expression: string;
  veto: boolean;
  explanation: ConditionExplanation;
  outcome: ConditionOutcome;
  missingFacts?: string[];
  error?: string;
}

/** A value that could not be computed says why. */
export interface ValueProblem {
  missingFacts?: string[];
  error?: string;
}

export interface VariableTrace {
  name: string;
  entity: 'household' | 'member';
  label: string;
  unit: string;
  type: string;
  formula: string;
  /** Household variables: the value. */
  value?: TraceValue;
  /** Member variables: one value per member (null where it could not be computed). */
  memberValues?: (TraceValue | null)[];
  problem?: ValueProblem;
}

export interface ParameterTrace {
  name: string;
  description: string;
  unit: string;
  value?: TraceValue;
  effectiveDate?: string;
  /** Region-code prefix the value came from; null for the national value. */
  regionPrefix?: string | null;
  reference?: string;
  error?: string;
}

export interface PolicyTrace {
  policyId: string;
  policyName: { zh: string; en: string };
  reference: string;
  date: string;
  regionCode: string;
  status: PolicyStatus;
  conditions: ConditionTrace[];
  variables: VariableTrace[];
  parameters: ParameterTrace[];
  amount?: {
    formula: string;
    unit: string;
    raw?: TraceValue;
    rounding?: RoundingRule;
    amountFen: number | null;
  };
  missingFacts: string[];
  /** Chinese labels of the missing facts, so the trace renders without the catalogue. */
  missingFactLabels: Record<string, string>;
  error?: string;
  /** The conditions were met, but this policy replaces it for the household (`supersedes`). */
  supersededBy?: { policyId: string; name: { zh: string; en: string } };
}

export function toTraceValue(value: unknown): TraceValue {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean')
    return value;
  if (Array.isArray(value)) return value.map(toTraceValue);
  if (value instanceof FactRecord) return '[record]';
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, toTraceValue(v)]));
  }
  return String(value);
}

function problemOf(error: unknown): ValueProblem {
  if (error instanceof MissingFactError) return { missingFacts: [...error.facts] };
  return { error: error instanceof Error ? error.message : String(error) };
}

// Policies share variables: each is traced once per household and the (frozen) trace shared.
const variableTraces = new WeakMap<HouseholdRecords, Map<string, VariableTrace>>();

function variableTrace(ctx: EvaluationContext, records: HouseholdRecords, name: string): VariableTrace {
  let traces = variableTraces.get(records);
  if (!traces) {
    traces = new Map();
    variableTraces.set(records, traces);
  }
  let trace = traces.get(name);
  if (!trace) {
    trace = deepFreeze(buildVariableTrace(ctx, records, name));
    traces.set(name, trace);
  }
  return trace;
}

function buildVariableTrace(ctx: EvaluationContext, records: HouseholdRecords, name: string): VariableTrace {
  const v = ctx.catalog.variables.get(name);
  if (!v) throw new Error(`unknown variable ${name}`);
  const base = {
    name,
    entity: v.entity,
    label: v.label,
    unit: v.unit,
    type: v.type,
    formula: v.formula.source,
  };
  if (v.entity === 'household') {
    const value = records.household[name];
    return value instanceof Failure
      ? { ...base, problem: problemOf(value.error) }
      : { ...base, value: toTraceValue(value) };
  }
  if (!Array.isArray(records.members)) return { ...base, problem: { missingFacts: ['members'] } };
  let problem: ValueProblem | undefined;
  const memberValues = records.members.map((m) => {
    const value = m[name];
    if (value instanceof Failure) {
      problem ??= problemOf(value.error);
      return null;
    }
    return toTraceValue(value);
  });
  return { ...base, memberValues, ...(problem ? { problem } : {}) };
}

// A parameter's trace depends only on the context (date, region), and tables of coefficients are
// costly to copy into JSON form: built once per context and shared, frozen so no reader changes it.
const parameterTraces = new WeakMap<EvaluationContext, Map<string, ParameterTrace>>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function parameterTrace(ctx: EvaluationContext, name: string): ParameterTrace {
  let traces = parameterTraces.get(ctx);
  if (!traces) {
    traces = new Map();
    parameterTraces.set(ctx, traces);
  }
  let trace = traces.get(name);
  if (!trace) {
    trace = deepFreeze(buildParameterTrace(ctx, name));
    traces.set(name, trace);
  }
  return trace;
}

function buildParameterTrace(ctx: EvaluationContext, name: string): ParameterTrace {
  const parameter = ctx.catalog.parameters.get(name);
  const resolved = ctx.parameterValues.get(name);
  const base = { name, description: parameter?.description ?? name, unit: parameter?.unit ?? '' };
  if (!resolved || resolved instanceof Failure) {
    return { ...base, error: resolved ? problemOf(resolved.error).error : 'unknown parameter' };
  }
  return {
    ...base,
    value: toTraceValue(resolved.value),
    effectiveDate: resolved.effectiveDate,
    regionPrefix: resolved.regionPrefix,
    reference: resolved.reference,
  };
}

/** `members[2].age` → 第3位成员的年龄; `household.monthlyIncome` → 家庭月收入. */
function labelsOf(ctx: EvaluationContext, facts: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const fact of facts) {
    const member = /^members\[(\d+)\]\.(\w+)$/.exec(fact);
    if (member) {
      const decl = ctx.catalog.facts.member.get(member[2] as string);
      const label = decl ? factLabelZh(decl) : member[2];
      labels[fact] = `第${Number(member[1]) + 1}位成员的${label}`;
    } else if (fact.startsWith('household.')) {
      const name = fact.slice('household.'.length);
      const decl = ctx.catalog.facts.household.get(name);
      labels[fact] = decl ? factLabelZh(decl) : name;
    } else if (fact === 'members') labels[fact] = '家庭成员名单';
  }
  return labels;
}

export function buildTrace(
  ctx: EvaluationContext,
  records: HouseholdRecords,
  policy: CompiledPolicy,
  decision: PolicyDecision,
): PolicyTrace {
  const conditions = policy.conditions.map((c, i): ConditionTrace => {
    const outcome = decision.conditionOutcomes?.[i] ?? 'error';
    const detail = decision.conditionDetails?.[i];
    return {
      id: c.id,
      expression: c.expression.source,
      veto: c.veto,
      explanation: c.explanation,
      outcome,
      ...(Array.isArray(detail)
        ? { missingFacts: detail }
        : typeof detail === 'string'
          ? { error: detail }
          : {}),
    };
  });
  const amount = policy.amount
    ? {
        formula: policy.amount.formula.source,
        unit: policy.amount.unit,
        ...(decision.rawAmount === undefined ? {} : { raw: toTraceValue(decision.rawAmount) }),
        ...(decision.rounding ? { rounding: decision.rounding } : {}),
        amountFen: decision.amountFen,
      }
    : undefined;
  return {
    policyId: policy.id,
    policyName: policy.name,
    reference: policy.reference,
    date: ctx.date,
    regionCode: ctx.regionCode,
    status: decision.status,
    conditions,
    variables: policy.variables.map((name) => variableTrace(ctx, records, name)),
    parameters: policy.parameters.map((name) => parameterTrace(ctx, name)),
    ...(amount ? { amount } : {}),
    missingFacts: decision.missingFacts,
    missingFactLabels: labelsOf(ctx, [
      ...decision.missingFacts,
      ...conditions.flatMap((c) => c.missingFacts ?? []),
    ]),
    ...(decision.error ? { error: decision.error } : {}),
    ...(decision.supersededBy ? { supersededBy: supersedingPolicy(ctx, decision.supersededBy) } : {}),
  };
}

function supersedingPolicy(
  ctx: EvaluationContext,
  policyId: string,
): NonNullable<PolicyTrace['supersededBy']> {
  const policy = ctx.policies.find((p) => p.id === policyId);
  return { policyId, name: policy?.name ?? { zh: policyId, en: policyId } };
}
