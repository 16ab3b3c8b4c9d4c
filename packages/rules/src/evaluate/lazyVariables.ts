/**
 * Variables computed on first read, for the batch path (no trace). Most households are ruled out
 * of most policies by an early veto, so computing every variable up front (as the trace path still
 * does) spent most of its work on values nobody read. A needed variable's field stays absent in a
 * fresh record; the slow path of a field read finds its `LazyVariable` here (nothing is written
 * per record in advance), which computes the value for that record and stores it (or a `Failure`);
 * later reads take the ordinary fast path.
 *
 * Results are the same as eager computation: the formula runs with the same roots (this household,
 * its members, and for a member variable that member), a fresh iteration budget, and a failure is
 * stored and re-raised on every read. It runs in its own scope, one per nesting depth, because
 * macro slots are numbered per expression and would clash with the expression being evaluated.
 */
import type { CompiledVariable } from '../catalog/types.ts';
import { type Compiled, lenientForm, type Scope } from '../cel/compile.ts';
import {
  type FactRecord,
  Failure,
  type LazyFields,
  MISSING,
  Pending,
  recordPath,
  setLazyFields,
} from '../cel/runtime.ts';
import { MissingFactError } from '../errors.ts';
import type { EvaluationContext } from './engine.ts';

interface LazyState extends LazyFields {
  household: Map<string, LazyVariable>;
  member: Map<string, LazyVariable>;
  /** Scopes for nested computations, by depth; created on first need. */
  scopes: Scope[];
  depth: number;
}

class LazyVariable extends Pending {
  readonly name: string;
  /** The formula's lenient form (undefined for an indicator model's score: its own runner). */
  private readonly lenient: Compiled | undefined;
  /**
   * Stored when the lenient form found a fact missing. It names the variable, not the facts: the
   * lenient path serves callers that never read the names (a screening run's statuses).
   */
  private readonly missing: Failure;

  constructor(
    private readonly ctx: EvaluationContext,
    private readonly state: LazyState,
    private readonly variable: CompiledVariable,
  ) {
    super();
    this.name = variable.name;
    this.lenient = lenientForm(variable.formula.run);
    this.missing = new Failure(
      new MissingFactError([
        `${variable.entity === 'household' ? 'household' : 'members[]'}.${variable.name}`,
      ]),
    );
  }

  resolve(record: FactRecord): unknown {
    return this.compute(record, this.variable.formula.run);
  }

  /** From a lenient form's field read: `MISSING` instead of a thrown missing fact. */
  override resolveLenient(record: FactRecord): unknown {
    if (!this.lenient) return super.resolveLenient(record);
    try {
      const value = this.compute(record, this.lenient);
      if (value === MISSING) record[this.name] = this.missing;
      return value;
    } catch (error) {
      if (error instanceof MissingFactError) return MISSING;
      throw error;
    }
  }

  private compute(record: FactRecord, run: Compiled): unknown {
    const { ctx, state, variable } = this;
    const depth = state.depth;
    const outer = depth === 0 ? ctx.scope.root : (state.scopes[depth - 1] as Scope).root;
    let scope = state.scopes[depth];
    if (!scope) {
      scope = {
        root: { ...ctx.scope.root },
        locals: new Array(ctx.catalog.localSlots).fill(undefined),
        budget: 0,
      };
      state.scopes[depth] = scope;
    }
    const root = scope.root;
    root.household = outer.household;
    root.members = outer.members;
    root.member = variable.entity === 'household' ? undefined : record;
    scope.budget = ctx.catalog.limits.iterationBudget;
    state.depth = depth + 1;
    let value: unknown;
    try {
      value = run(scope);
    } catch (error) {
      const failure = new Failure(error);
      record[variable.name] = failure;
      throw error;
    } finally {
      state.depth = depth;
    }
    record[variable.name] = value;
    return value;
  }
}

const states = new WeakMap<EvaluationContext, LazyState>();

/** Household record, or a member record (`members[i]`); the parameter record has no variables. */
function variablesOf(state: LazyState, record: FactRecord): Map<string, LazyVariable> | undefined {
  const path = recordPath(record);
  if (path === 'household') return state.household;
  return path.startsWith('members[') ? state.member : undefined;
}

function stateOf(ctx: EvaluationContext): LazyState {
  let state = states.get(ctx);
  if (!state) {
    const created: LazyState = {
      household: new Map(),
      member: new Map(),
      scopes: [],
      depth: 0,
      pending: (record, field) => variablesOf(created, record)?.get(field),
    };
    for (const variable of ctx.variables) {
      const marker = new LazyVariable(ctx, created, variable);
      (variable.entity === 'household' ? created.household : created.member).set(variable.name, marker);
    }
    state = created;
    states.set(ctx, state);
  }
  return state;
}

/**
 * Runs `body` with the context's variables computed on first read (for records of the household
 * being evaluated), then restores the previous setting.
 */
export function withLazyVariables<T>(ctx: EvaluationContext, body: () => T): T {
  const state = stateOf(ctx);
  state.depth = 0;
  const previous = setLazyFields(state);
  try {
    return body();
  } finally {
    setLazyFields(previous);
  }
}
