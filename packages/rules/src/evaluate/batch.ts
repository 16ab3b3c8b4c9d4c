/**
 * Batch evaluation for "policy finds people" (政策找人): the whole county re-screened overnight.
 * Parameters are resolved once per (date, region); results go into flat typed arrays (one status
 * byte and one amount per household × policy) instead of objects, and traces are built only when
 * asked. Typed arrays also cross worker-thread boundaries without copying.
 */
import type { CompiledCatalog } from '../catalog/types.ts';
import { decideStatus, type StatusForms, statusForms } from './decideStatus.ts';
import {
  applyPrecedence,
  computeVariables,
  decideCore,
  decided,
  decidePolicy,
  ERROR,
  type EvaluationContext,
  evaluationContext,
  type PolicyStatus,
} from './engine.ts';
import { buildRecords, type HouseholdFacts, type HouseholdRecords } from './facts.ts';
import { withLazyVariables } from './lazyVariables.ts';
import { supersededBy } from './precedence.ts';
import { buildTrace, type PolicyTrace } from './trace.ts';

export const STATUS_CODES: readonly PolicyStatus[] = ['eligible', 'ineligible', 'needsInformation', 'error'];
const CODE_OF: Record<PolicyStatus, number> = { eligible: 0, ineligible: 1, needsInformation: 2, error: 3 };

export interface BatchDetail {
  missingFacts?: string[];
  error?: string;
  /** The policy that replaced this one for the household (precedence.ts). */
  supersededBy?: string;
}

export interface BatchResult {
  policyIds: string[];
  householdCount: number;
  /** Row-major `[household * policyIds.length + policy]`, codes indexing `STATUS_CODES`. */
  statuses: Uint8Array;
  /** Same layout; integer fen, NaN where there is no amount. */
  amountsFen: Float64Array;
  /** Sparse, same keys: missing facts and errors. */
  details: Map<number, BatchDetail>;
  /** Only with `trace: true`: one trace per policy per household. */
  traces?: PolicyTrace[][];
  /**
   * Worker pool only: milliseconds the workers spent turning items into facts and evaluating them
   * (summed over chunks; wall time inside the worker), so a caller can tell the phases apart.
   */
  timing?: { decodeMs: number; evaluateMs: number };
}

export interface BatchOptions {
  policies?: readonly string[];
  /** Build a full trace for every household (costly; meant for small batches). */
  trace?: boolean;
  /**
   * false: no per-cell details (missing facts, errors, superseding policy), only statuses and
   * amounts: a screening run stores nothing else, and building them cost every missing cell an
   * object and an array.
   */
  details?: boolean;
}

export function evaluateBatch(
  catalog: CompiledCatalog,
  households: readonly HouseholdFacts[],
  date: string,
  regionCode: string,
  options: BatchOptions = {},
): BatchResult {
  // Parameters are resolved once per (date, region), and reused across calls (cached context).
  const ctx = evaluationContext(catalog, date, regionCode, options.policies);
  const schema = catalog.facts;
  return evaluateRecords(
    ctx,
    households.length,
    (h) => buildRecords(schema, households[h] as HouseholdFacts),
    options,
  );
}

/**
 * The batch loop over households given as a function building household h's fact records (from
 * objects, or from columns in a worker: `columnar.ts`).
 */
export function evaluateRecords(
  ctx: EvaluationContext,
  householdCount: number,
  recordsOf: (h: number) => HouseholdRecords,
  options: BatchOptions = {},
): BatchResult {
  // Traces show every variable, so they are computed up front; otherwise on first read.
  if (options.trace) return evaluateLoop(ctx, householdCount, recordsOf, options);
  return withLazyVariables(ctx, () => evaluateLoop(ctx, householdCount, recordsOf, options));
}

function evaluateLoop(
  ctx: EvaluationContext,
  householdCount: number,
  recordsOf: (h: number) => HouseholdRecords,
  options: BatchOptions,
): BatchResult {
  const policyCount = ctx.policies.length;
  const size = householdCount * policyCount;
  const statuses = new Uint8Array(size);
  const amountsFen = new Float64Array(size).fill(Number.NaN);
  const details = new Map<number, BatchDetail>();
  const traces: PolicyTrace[][] | undefined = options.trace ? [] : undefined;
  const withDetails = options.details !== false || traces !== undefined;
  // Without details only statuses and amounts are kept: the lenient forms (decideStatus.ts).
  const forms = withDetails ? undefined : statusForms(ctx);
  for (let h = 0; h < householdCount; h++) {
    let records: HouseholdRecords;
    try {
      records = traces ? computeVariables(ctx, recordsOf(h)) : recordsOf(h);
    } catch (error) {
      // Bad input (e.g. a fact of the wrong type) fails this household only.
      for (let p = 0; p < policyCount; p++) {
        statuses[h * policyCount + p] = CODE_OF.error;
        details.set(h * policyCount + p, { error: error instanceof Error ? error.message : String(error) });
      }
      traces?.push([]);
      continue;
    }
    if (!traces) {
      // The hot path: no trace, no decision objects; details only for the rare missing/error cell.
      for (let p = 0; p < policyCount; p++) {
        const code = forms
          ? decideStatus(ctx, records, forms[p] as StatusForms)
          : decideCore(ctx, records, ctx.policies[p] as (typeof ctx.policies)[number]);
        const slot = h * policyCount + p;
        statuses[slot] = code;
        if (decided.amountFen !== null) amountsFen[slot] = decided.amountFen;
        if (!withDetails) continue;
        const missing = decided.missing;
        const hasMissing =
          missing !== undefined && (Array.isArray(missing) ? missing.length : missing.size) > 0;
        if (hasMissing || code === ERROR) {
          details.set(slot, {
            ...(hasMissing ? { missingFacts: [...(missing as Iterable<string>)] } : {}),
            ...(decided.error !== undefined ? { error: decided.error } : {}),
          });
        }
      }
      if (ctx.supersededBy)
        supersede(ctx, statuses, amountsFen, withDetails ? details : undefined, h * policyCount);
      continue;
    }
    const householdTraces: PolicyTrace[] = [];
    const decisions = ctx.policies.map((policy) => decidePolicy(ctx, records, policy, true));
    applyPrecedence(ctx, decisions);
    for (let p = 0; p < policyCount; p++) {
      const policy = ctx.policies[p] as (typeof ctx.policies)[number];
      const decision = decisions[p] as (typeof decisions)[number];
      const slot = h * policyCount + p;
      statuses[slot] = CODE_OF[decision.status];
      if (decision.amountFen !== null) amountsFen[slot] = decision.amountFen;
      if (decision.missingFacts.length > 0 || decision.error || decision.supersededBy) {
        details.set(slot, {
          ...(decision.missingFacts.length > 0 ? { missingFacts: decision.missingFacts } : {}),
          ...(decision.error ? { error: decision.error } : {}),
          ...(decision.supersededBy ? { supersededBy: decision.supersededBy } : {}),
        });
      }
      householdTraces.push(buildTrace(ctx, records, policy, decision));
    }
    traces.push(householdTraces);
  }
  return {
    policyIds: ctx.policies.map((p) => p.id),
    householdCount,
    statuses,
    amountsFen,
    details,
    ...(traces ? { traces } : {}),
  };
}

/** The batch form of `applyPrecedence`: household cells start at `base`. */
function supersede(
  ctx: EvaluationContext,
  statuses: Uint8Array,
  amountsFen: Float64Array,
  details: Map<number, BatchDetail> | undefined,
  base: number,
): void {
  const by = supersededBy(
    ctx.supersededBy as (readonly number[] | undefined)[],
    (i) => statuses[base + i] === CODE_OF.eligible,
  );
  for (let p = 0; p < by.length; p++) {
    const q = by[p] as number;
    if (q < 0) continue;
    statuses[base + p] = CODE_OF.ineligible;
    amountsFen[base + p] = Number.NaN;
    details?.set(base + p, { supersededBy: (ctx.policies[q] as (typeof ctx.policies)[number]).id });
  }
}

/** One cell of a batch result as an object. */
export function batchOutcome(
  result: BatchResult,
  household: number,
  policy: number,
): { policyId: string; status: PolicyStatus; amountFen: number | null } & BatchDetail {
  const slot = household * result.policyIds.length + policy;
  const amount = result.amountsFen[slot] as number;
  return {
    policyId: result.policyIds[policy] as string,
    status: STATUS_CODES[result.statuses[slot] as number] as PolicyStatus,
    amountFen: Number.isNaN(amount) ? null : amount,
    ...result.details.get(slot),
  };
}

/** Joins batch results computed on consecutive slices of one household list. */
export function concatBatchResults(parts: readonly BatchResult[]): BatchResult {
  const first = parts[0];
  if (!first) throw new RangeError('no batch results to join');
  const policyCount = first.policyIds.length;
  const householdCount = parts.reduce((n, p) => n + p.householdCount, 0);
  const statuses = new Uint8Array(householdCount * policyCount);
  const amountsFen = new Float64Array(householdCount * policyCount);
  const details = new Map<number, BatchDetail>();
  let offset = 0;
  let timing: BatchResult['timing'];
  for (const part of parts) {
    if (part.timing) {
      timing ??= { decodeMs: 0, evaluateMs: 0 };
      timing.decodeMs += part.timing.decodeMs;
      timing.evaluateMs += part.timing.evaluateMs;
    }
    statuses.set(part.statuses, offset);
    amountsFen.set(part.amountsFen, offset);
    for (const [slot, detail] of part.details) details.set(offset + slot, detail);
    offset += part.statuses.length;
  }
  return {
    policyIds: first.policyIds,
    householdCount,
    statuses,
    amountsFen,
    details,
    ...(timing ? { timing } : {}),
  };
}
