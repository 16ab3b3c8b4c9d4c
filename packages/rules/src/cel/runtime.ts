/**
 * Run-time semantics of the CEL subset compiled by `compile.ts`. Values: int and double are both
 * JavaScript numbers (an int always holds a safe integer, see `ints.ts`), list = Array,
 * map = plain object, records = `FactRecord`. Since a number does not say whether it is an int or
 * a double, the compiler picks int or double operations from the checked types at compile time;
 * the helpers here are the type-generic rest. (The cel-js interpreter, our oracle, uses bigint for
 * int; the property test converts.)
 */
import { CelEvaluationError, MissingFactError } from '../errors.ts';

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

const PATH = Symbol('recordPath');

/**
 * A household, member or parameter record. Its fields are facts, computed variables or parameter
 * values; an absent field is a missing fact, a `Failure` field is a variable or parameter that
 * could not be computed. The path ("household", "members[2]", "param") names missing facts.
 */
export class FactRecord {
  [PATH]: string;
  [field: string]: unknown;

  constructor(path: string) {
    this[PATH] = path;
  }
}

export function recordPath(record: FactRecord): string {
  return record[PATH];
}

/**
 * A record's own field. A field named like something every object inherits (`constructor`,
 * `toString`, `__proto__`...) is absent unless the record has it as its own, so such a name reads as
 * data, never as the prototype's function. (The catalogue refuses such fact names; the compiler's
 * API does not.) Cheap on the common path: every inherited property but `__proto__` is a function,
 * and a record's own values never are.
 */
export function ownField(record: FactRecord, field: string): unknown {
  const value = record[field];
  if (typeof value !== 'function' && field !== '__proto__') return value;
  return Object.hasOwn(record, field) ? value : undefined;
}

/** True when generated code must read this name through `ownField` (others are never inherited). */
export function isInheritedName(field: string): boolean {
  return field in Object.prototype || field in FactRecord.prototype;
}

/** Stored in a record field whose variable or parameter failed; reading it re-raises the cause. */
export class Failure {
  constructor(readonly error: unknown) {}
}

/**
 * A variable not computed yet (batch path: variables are computed on first read, so a policy
 * ruled out by an early veto never pays for them). Its record field stays absent until then; the
 * slow path of a field read (an absent field would otherwise be a missing fact) asks the active
 * `LazyFields` whether the field is such a variable, and `resolve` computes it, stores the value
 * (or a `Failure`) in the record and returns it or throws its error.
 */
export abstract class Pending {
  abstract resolve(record: FactRecord): unknown;

  /** `resolve` for the lenient form: `MISSING` instead of a thrown missing fact. */
  resolveLenient(record: FactRecord): unknown {
    try {
      return this.resolve(record);
    } catch (error) {
      if (error instanceof MissingFactError) return MISSING;
      throw error;
    }
  }
}

/**
 * The lenient form's value for "a fact this needs is missing" (see `compileAst`): a symbol, so
 * that should it ever reach an operator unguarded, JavaScript throws (arithmetic, ordering) and
 * the exact form takes over, rather than computing with it.
 */
export const MISSING: unique symbol = Symbol('missing fact');

/**
 * The variables that are computed on first read during the current batch (see lazyVariables.ts).
 * Only field reads and has() need to know: the checker refuses whole-record operations (==, size,
 * `in`, macros over a record) in catalogue expressions, so nothing else can see an absent variable.
 */
export interface LazyFields {
  /** The pending variable behind an absent field of this record, if any. */
  pending(record: FactRecord, field: string): Pending | undefined;
}

let lazyFields: LazyFields | undefined;

/** Installs the batch's lazy variables (or none); returns the previous ones to restore. */
export function setLazyFields(fields: LazyFields | undefined): LazyFields | undefined {
  const previous = lazyFields;
  lazyFields = fields;
  return previous;
}

export type CelKind = 'int' | 'double' | 'string' | 'bool' | 'null' | 'list' | 'map' | 'unknown';

export function kindOf(value: unknown): CelKind {
  switch (typeof value) {
    case 'bigint':
      return 'int';
    case 'number':
      return 'double';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? 'list' : 'map';
    default:
      return 'unknown';
  }
}

export function evaluationError(code: string, message: string, stricter = false): CelEvaluationError {
  return new CelEvaluationError(code, message, stricter);
}

export function noOverload(operator: string, ...values: unknown[]): CelEvaluationError {
  return evaluationError(
    'no_such_overload',
    `no such overload: ${operator}(${values.map(kindOf).join(', ')})`,
  );
}

/** int64 check for the bigint implementations registered with the cel-js interpreter (the oracle). */
export function checkInt(value: bigint): bigint {
  if (value > INT64_MAX || value < INT64_MIN) {
    throw evaluationError('numeric_overflow', `integer overflow: ${value}`);
  }
  return value;
}

/** Doubles never leave an operation as Infinity or NaN: money code must not meet them. */
export function checkDouble(value: number): number {
  if (!Number.isFinite(value)) throw evaluationError('double_overflow', 'double result is not finite', true);
  return value;
}

/** `+` on strings and lists (and doubles; int and double `+` are generated inline). */
export function add(a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') return checkDouble(a + b);
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return a.concat(b);
  throw noOverload('_+_', a, b);
}

/** Double division: cel-js answers Infinity for a zero divisor; a benefit formula must fail loudly. */
export function divideDouble(a: number, b: number): number {
  if (b === 0) throw evaluationError('division_by_zero', 'division by zero', true);
  return checkDouble(a / b);
}

export function not(a: unknown): boolean {
  if (typeof a === 'boolean') return !a;
  throw noOverload('!_', a);
}

function mapKeys(value: object): string[] {
  return Object.keys(value);
}

export function equals(a: unknown, b: unknown): boolean {
  if (a === null || b === null) return a === b;
  const kind = kindOf(a);
  if (kind !== kindOf(b)) throw noOverload('_==_', a, b);
  if (kind === 'list') {
    const left = a as unknown[];
    const right = b as unknown[];
    if (left.length !== right.length) return false;
    for (let i = 0; i < left.length; i++) if (!equals(left[i], right[i])) return false;
    return true;
  }
  if (kind === 'map') {
    const left = a as Record<string, unknown>;
    const right = b as Record<string, unknown>;
    const keys = mapKeys(left);
    if (keys.length !== mapKeys(right).length) return false;
    for (const key of keys) {
      if (!Object.hasOwn(right, key) || !equals(left[key], right[key])) return false;
    }
    return true;
  }
  return a === b;
}

/**
 * Negative, zero or positive; NaN when unordered (NaN doubles). Ints and doubles are both numbers,
 * and an int is exact as a double, so mixed int/double ordering is plain number ordering.
 */
export function compare(a: unknown, b: unknown, operator: string): number {
  if (typeof a === 'number' && typeof b === 'number')
    return a < b ? -1 : a > b ? 1 : a === b ? 0 : Number.NaN;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  throw noOverload(operator, a, b);
}

export function contains(container: unknown, element: unknown): boolean {
  if (Array.isArray(container)) {
    for (const item of container) if (equals(item, element)) return true;
    return false;
  }
  if (typeof container === 'string' && typeof element === 'string') return container.includes(element);
  if (container instanceof FactRecord) {
    return typeof element === 'string' && ownField(container, element) !== undefined;
  }
  if (kindOf(container) === 'map') {
    return typeof element === 'string' && Object.hasOwn(container as object, element);
  }
  throw noOverload('@in', element, container);
}

// One error per (record path, field), made once and thrown again: a county's households lack the
// same facts over and over, and building the error and its message each time cost more than the
// expression that read the field. Paths and fact names are few (members are numbered), so the
// table stays small; the error is never changed after it is made, so sharing it is safe.
const missingFacts = new Map<string, Map<string, MissingFactError>>();
const MAX_CACHED_PATHS = 1000;

function missingFact(path: string, field: string): MissingFactError {
  let byField = missingFacts.get(path);
  if (!byField) {
    if (missingFacts.size >= MAX_CACHED_PATHS) missingFacts.clear();
    byField = new Map();
    missingFacts.set(path, byField);
  }
  let error = byField.get(field);
  if (!error) {
    error = new MissingFactError(Object.freeze([`${path}.${field}`]));
    byField.set(field, error);
  }
  return error;
}

/** `record.field` and `map.key` with CEL errors; missing facts become `MissingFactError`. */
export function selectField(target: unknown, field: string): unknown {
  if (target instanceof FactRecord) {
    const value = ownField(target, field);
    if (value === undefined) {
      const pending = lazyFields?.pending(target, field);
      if (pending !== undefined) return pending.resolve(target);
      throw missingFact(recordPath(target), field);
    }
    if (value instanceof Failure) throw value.error;
    return value;
  }
  if (kindOf(target) === 'map') {
    const map = target as Record<string, unknown>;
    if (!Object.hasOwn(map, field)) throw evaluationError('no_such_key', `No such key: ${field}`);
    return map[field];
  }
  throw evaluationError('no_such_overload', `cannot select field '${field}' on ${kindOf(target)}`);
}

/**
 * `selectField` for the lenient form: `MISSING` for a missing fact (an absent field, a variable
 * that failed for lack of one, or a target that is itself `MISSING`); other errors are thrown.
 */
export function selectFieldLenient(target: unknown, field: string): unknown {
  if (target === MISSING) return MISSING;
  if (target instanceof FactRecord) {
    const value = ownField(target, field);
    if (value === undefined) {
      const pending = lazyFields?.pending(target, field);
      return pending === undefined ? MISSING : pending.resolveLenient(target);
    }
    if (value instanceof Failure) {
      if (value.error instanceof MissingFactError) return MISSING;
      throw value.error;
    }
    return value;
  }
  return selectField(target, field);
}

/** `index` for the lenient form (`MISSING` in, `MISSING` out; a missing record field is `MISSING`). */
export function indexLenient(target: unknown, key: unknown): unknown {
  if (target === MISSING || key === MISSING) return MISSING;
  if (typeof key === 'string' && !Array.isArray(target)) return selectFieldLenient(target, key);
  return index(target, key);
}

/** `has(target.field)`: present and not a failure. Never raises for a missing field. */
export function hasField(target: unknown, field: string): boolean {
  if (target instanceof FactRecord) {
    const value = ownField(target, field);
    if (value === undefined) {
      const pending = lazyFields?.pending(target, field);
      if (pending === undefined) return false;
      try {
        pending.resolve(target);
      } catch {
        return false;
      }
      return true;
    }
    return !(value instanceof Failure);
  }
  if (kindOf(target) === 'map') return Object.hasOwn(target as object, field);
  throw evaluationError('no_such_overload', `has() cannot test field '${field}' on ${kindOf(target)}`);
}

export function index(target: unknown, key: unknown): unknown {
  if (Array.isArray(target)) {
    if (typeof key !== 'number') throw noOverload('_[_]', target, key);
    if (key < 0 || key >= target.length) {
      throw evaluationError('index_out_of_bounds', `index ${key} out of bounds for size ${target.length}`);
    }
    return target[key];
  }
  if (typeof key === 'string') return selectField(target, key);
  throw noOverload('_[_]', target, key);
}

export function size(value: unknown): number {
  if (typeof value === 'string') {
    let count = 0;
    for (const _ of value) count++;
    return count;
  }
  if (Array.isArray(value)) return value.length;
  if (kindOf(value) === 'map') return Object.keys(value as object).length;
  throw noOverload('size', value);
}

export function toDouble(value: unknown): number {
  // An int is already a number, and exact as a double (safe range).
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const parsed = value.trim() === '' ? Number.NaN : Number(value);
    if (!Number.isFinite(parsed))
      throw evaluationError('invalid_argument', `double() cannot parse "${value}"`, true);
    return parsed;
  }
  throw noOverload('double', value);
}

export function toCelString(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return String(value);
    default:
      throw noOverload('string', value);
  }
}

export function requireBool(value: unknown, what: string): boolean {
  if (typeof value === 'boolean') return value;
  throw evaluationError('no_such_overload', `${what} must be bool, got ${kindOf(value)}`);
}

export function requireString(value: unknown, what: string): string {
  if (typeof value === 'string') return value;
  throw evaluationError('no_such_overload', `${what} needs a string, got ${kindOf(value)}`);
}
