/**
 * Run-time semantics of the CEL subset compiled by `compile.ts`. Values use the same
 * representation as the cel-js interpreter (int = bigint, double = number, list = Array,
 * map = plain object, records = `FactRecord`) so that the interpreter can serve as the oracle.
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

/** Stored in a record field whose variable or parameter failed; reading it re-raises the cause. */
export class Failure {
  constructor(readonly error: unknown) {}
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

export function add(a: unknown, b: unknown): unknown {
  if (typeof a === 'bigint' && typeof b === 'bigint') return checkInt(a + b);
  if (typeof a === 'number' && typeof b === 'number') return checkDouble(a + b);
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return a.concat(b);
  throw noOverload('_+_', a, b);
}

export function subtract(a: unknown, b: unknown): unknown {
  if (typeof a === 'bigint' && typeof b === 'bigint') return checkInt(a - b);
  if (typeof a === 'number' && typeof b === 'number') return checkDouble(a - b);
  throw noOverload('_-_', a, b);
}

export function multiply(a: unknown, b: unknown): unknown {
  if (typeof a === 'bigint' && typeof b === 'bigint') return checkInt(a * b);
  if (typeof a === 'number' && typeof b === 'number') return checkDouble(a * b);
  throw noOverload('_*_', a, b);
}

export function divide(a: unknown, b: unknown): unknown {
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    if (b === 0n) throw evaluationError('division_by_zero', 'division by zero');
    return checkInt(a / b);
  }
  if (typeof a === 'number' && typeof b === 'number') {
    // cel-js answers Infinity here; a benefit formula must fail loudly instead.
    if (b === 0) throw evaluationError('division_by_zero', 'division by zero', true);
    return checkDouble(a / b);
  }
  throw noOverload('_/_', a, b);
}

export function modulo(a: unknown, b: unknown): unknown {
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    if (b === 0n) throw evaluationError('modulo_by_zero', 'modulo by zero');
    return a % b;
  }
  throw noOverload('_%_', a, b);
}

export function negate(a: unknown): unknown {
  if (typeof a === 'bigint') {
    if (a === INT64_MIN) throw evaluationError('numeric_overflow', `integer overflow: ${-a}`, true);
    return -a;
  }
  if (typeof a === 'number') return -a;
  throw noOverload('-_', a);
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

/** Exact ordering of an int against a double (cel-js allows mixed ordering, not mixed equality). */
function compareIntDouble(i: bigint, d: number): number {
  if (Number.isNaN(d)) return Number.NaN;
  if (!Number.isFinite(d)) return d > 0 ? -1 : 1;
  const floor = Math.floor(d);
  const floorInt = BigInt(floor);
  if (i < floorInt) return -1;
  if (i > floorInt) return 1;
  return d > floor ? -1 : 0;
}

/** Negative, zero or positive; NaN when unordered (NaN doubles). */
export function compare(a: unknown, b: unknown, operator: string): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number')
    return a < b ? -1 : a > b ? 1 : a === b ? 0 : Number.NaN;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'bigint' && typeof b === 'number') return compareIntDouble(a, b);
  if (typeof a === 'number' && typeof b === 'bigint') return -compareIntDouble(b, a);
  throw noOverload(operator, a, b);
}

export function contains(container: unknown, element: unknown): boolean {
  if (Array.isArray(container)) {
    for (const item of container) if (equals(item, element)) return true;
    return false;
  }
  if (typeof container === 'string' && typeof element === 'string') return container.includes(element);
  if (container instanceof FactRecord) {
    return typeof element === 'string' && container[element] !== undefined;
  }
  if (kindOf(container) === 'map') {
    return typeof element === 'string' && Object.hasOwn(container as object, element);
  }
  throw noOverload('@in', element, container);
}

/** `record.field` and `map.key` with CEL errors; missing facts become `MissingFactError`. */
export function selectField(target: unknown, field: string): unknown {
  if (target instanceof FactRecord) {
    const value = target[field];
    if (value === undefined) throw new MissingFactError([`${recordPath(target)}.${field}`]);
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

/** `has(target.field)`: present and not a failure. Never raises for a missing field. */
export function hasField(target: unknown, field: string): boolean {
  if (target instanceof FactRecord) {
    const value = target[field];
    return value !== undefined && !(value instanceof Failure);
  }
  if (kindOf(target) === 'map') return Object.hasOwn(target as object, field);
  throw evaluationError('no_such_overload', `has() cannot test field '${field}' on ${kindOf(target)}`);
}

export function index(target: unknown, key: unknown): unknown {
  if (Array.isArray(target)) {
    if (typeof key !== 'bigint') throw noOverload('_[_]', target, key);
    if (key < 0n || key >= BigInt(target.length)) {
      throw evaluationError('index_out_of_bounds', `index ${key} out of bounds for size ${target.length}`);
    }
    return target[Number(key)];
  }
  if (typeof key === 'string') return selectField(target, key);
  throw noOverload('_[_]', target, key);
}

export function size(value: unknown): bigint {
  if (typeof value === 'string') {
    let count = 0;
    for (const _ of value) count++;
    return BigInt(count);
  }
  if (Array.isArray(value)) return BigInt(value.length);
  if (kindOf(value) === 'map') return BigInt(Object.keys(value as object).length);
  throw noOverload('size', value);
}

export function toInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw evaluationError('invalid_argument', `int() of non-finite ${value}`);
    return checkIntConversion(BigInt(Math.trunc(value)));
  }
  if (typeof value === 'string') {
    if (!/^[+-]?\d+$/.test(value)) throw evaluationError('invalid_argument', `int() cannot parse "${value}"`);
    return checkInt(BigInt(value));
  }
  throw noOverload('int', value);
}

function checkIntConversion(value: bigint): bigint {
  if (value > INT64_MAX || value < INT64_MIN) {
    throw evaluationError('numeric_overflow', `int() out of range: ${value}`, true);
  }
  return value;
}

export function toDouble(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
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
    case 'bigint':
      return value.toString();
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
