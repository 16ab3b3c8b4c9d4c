/**
 * CEL `int` arithmetic on JavaScript numbers. The compiled code represents a CEL int as a JS
 * number holding an integer, not as a bigint (bigint arithmetic allocates and was the largest
 * per-node cost of evaluation).
 *
 * Choice (documented in the README): an int must stay within the safe-integer range
 * ±(2^53 − 1), where every integer is exact in a double. Any int result outside it, or an int
 * input or literal outside it, is an error `int_outside_safe_range` — stricter than CEL's int64,
 * never a silently rounded value. Money in fen never comes near 2^53 fen (9 × 10^13 yuan).
 *
 * Why the checks suffice: for safe operands, `a + b`, `a - b` and `a * b` are exact whenever the
 * true result is safe; when it is not, the rounded double is also outside the safe range (rounding
 * is monotonic and 2^53 is a double), so checking the double result catches every overflow.
 * Division and modulo go through `%`, which is exact on doubles.
 */
import { evaluationError } from './runtime.ts';

const MAX = Number.MAX_SAFE_INTEGER;
const MAX_BIG = BigInt(MAX);

export function outsideSafeRange(value: number): never {
  throw evaluationError(
    'int_outside_safe_range',
    `integer ${value} is outside the supported range ±9007199254740991 (2^53 − 1)`,
    true,
  );
}

export function checkSafeInt(value: number): number {
  if (value > MAX || value < -MAX) outsideSafeRange(value);
  return value;
}

// `+ - *` and negation are emitted inline by the code generator (`intArithmetic` in
// compileOperators.ts): one range check on the double result, `+ 0` after `*` (ints have no -0),
// `0 - a` for negation (the range is symmetric, and `0 - 0` is not -0).

/** Truncates toward zero like CEL. `a - a % b` is an exact multiple of b, so the quotient is exact. */
export function divideInt(a: number, b: number): number {
  if (b === 0) throw evaluationError('division_by_zero', 'division by zero');
  return (a - (a % b)) / b + 0;
}

/** The remainder takes the dividend's sign, like CEL (and JavaScript's `%`). */
export function moduloInt(a: number, b: number): number {
  if (b === 0) throw evaluationError('modulo_by_zero', 'modulo by zero');
  return (a % b) + 0;
}

/** a / b rounded half away from zero, exactly (no intermediate 2a that could leave the range). */
export function divideRoundInt(a: number, b: number): number {
  if (b === 0) throw evaluationError('division_by_zero', 'division by zero in divideRound()');
  const n = a < 0 ? -a : a;
  const d = b < 0 ? -b : b;
  const remainder = n % d;
  let quotient = (n - remainder) / d;
  if (remainder * 2 >= d) quotient++;
  return a < 0 !== b < 0 ? 0 - quotient : quotient;
}

/** Sum of an int list; partial sums may leave the range as long as the total does not. */
export function sumInts(values: readonly unknown[]): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    total += values[i] as number;
    if (total > MAX || total < -MAX) return sumIntsExact(values);
  }
  return total;
}

function sumIntsExact(values: readonly unknown[]): number {
  let total = 0n;
  for (const value of values) total += BigInt(value as number);
  if (total > MAX_BIG || total < -MAX_BIG) outsideSafeRange(Number(total));
  return Number(total);
}

/** `int(double)`: truncation toward zero; non-finite or out-of-range doubles are errors. */
export function intFromDouble(value: number): number {
  if (!Number.isFinite(value)) throw evaluationError('invalid_argument', `int() of non-finite ${value}`);
  return checkSafeInt(Math.trunc(value)) + 0;
}

/** `int(string)`: decimal digits with an optional sign, within the safe range. */
export function intFromString(value: string): number {
  if (!/^[+-]?\d+$/.test(value)) throw evaluationError('invalid_argument', `int() cannot parse "${value}"`);
  const parsed = BigInt(value);
  if (parsed > MAX_BIG || parsed < -MAX_BIG) outsideSafeRange(Number(parsed));
  return Number(parsed);
}
