/**
 * Functions Doudi adds to CEL. Each is declared once here with two implementations of the same
 * meaning: `implementation` on the cel-js interpreter's values (int = bigint), registered in the
 * cel-js environment (type checking, and the oracle in tests and benchmarks), and `compiled` on the
 * compiled code's values (int = safe-integer number, see `ints.ts`). Money helpers are exact
 * (see `money.ts`).
 */
import { digitsAt } from '../identity/idNumber.ts';
import { divideRoundHalfUp, multiplyMoney, multiplyMoneyNumber } from '../money.ts';
import { checkSafeInt, divideRoundInt, sumInts as sumSafeInts } from './ints.ts';
import { type CelKind, checkDouble, checkInt, evaluationError, kindOf } from './runtime.ts';

export interface FunctionOverload {
  /** cel-js signature, e.g. `min(int, int): int`. */
  signature: string;
  name: string;
  /** Declared argument types, e.g. `['list<int>']`: matched against checked types at compile time. */
  argumentTypes: string[];
  /** Argument kinds checked at run time when static types cannot decide (dyn arguments). */
  argumentKinds: CelKind[];
  implementation: (...args: never[]) => unknown;
  /** The same function on compiled values (int = number). */
  compiled: (...args: never[]) => unknown;
  description: string;
}

function overload(
  signature: string,
  implementation: (...args: never[]) => unknown,
  description: string,
  compiled: (...args: never[]) => unknown = implementation,
): FunctionOverload {
  const match = /^(\w+)\((.*)\):/.exec(signature);
  if (!match) throw new Error(`bad signature ${signature}`);
  const argumentTypes = (match[2] ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const argumentKinds = argumentTypes.map((type) => (type.startsWith('list') ? 'list' : type) as CelKind);
  return {
    signature,
    name: match[1] as string,
    argumentTypes,
    argumentKinds,
    implementation,
    compiled,
    description,
  };
}

function sumInts(values: unknown[]): bigint {
  let total = 0n;
  for (const value of values) {
    if (typeof value !== 'bigint') throw evaluationError('no_such_overload', `sum() of ${kindOf(value)}`);
    total = checkInt(total + value);
  }
  return total;
}

function sumDoubles(values: unknown[]): number {
  let total = 0;
  for (const value of values) {
    if (typeof value !== 'number') throw evaluationError('no_such_overload', `sum() of ${kindOf(value)}`);
    total += value;
  }
  return checkDouble(total);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Completed years between two ISO dates; someone born on 29 February turns a year older on 1 March. */
export function ageOn(birthDate: string, date: string): bigint {
  return BigInt(ageOnNumber(birthDate, date));
}

function ageOnNumber(birthDate: string, date: string): number {
  if (!ISO_DATE.test(birthDate) || !ISO_DATE.test(date))
    throw evaluationError('invalid_argument', `ageOn() needs ISO dates, got ${birthDate}, ${date}`);
  // The digits by char code, the format having been checked: a match array and three Number()
  // calls per date were most of its cost (the triggers ask it for every record of a full run).
  let age = digitsAt(date, 0, 4) - digitsAt(birthDate, 0, 4);
  const om = digitsAt(date, 5, 2);
  const bm = digitsAt(birthDate, 5, 2);
  if (om < bm || (om === bm && digitsAt(date, 8, 2) < digitsAt(birthDate, 8, 2))) age--;
  return age;
}

export const FUNCTION_OVERLOADS: readonly FunctionOverload[] = [
  overload(
    'min(int, int): int',
    (a: bigint, b: bigint) => (a < b ? a : b),
    'the smaller of two ints',
    (a: number, b: number) => Math.min(a, b),
  ),
  overload(
    'min(double, double): double',
    (a: number, b: number) => Math.min(a, b),
    'the smaller of two doubles',
  ),
  overload(
    'max(int, int): int',
    (a: bigint, b: bigint) => (a > b ? a : b),
    'the larger of two ints',
    (a: number, b: number) => Math.max(a, b),
  ),
  overload(
    'max(double, double): double',
    (a: number, b: number) => Math.max(a, b),
    'the larger of two doubles',
  ),
  overload('sum(list<int>): int', sumInts, 'sum of a list of ints (0 when empty)', sumSafeInts),
  overload('sum(list<double>): double', sumDoubles, 'sum of a list of doubles'),
  overload(
    'divideRound(int, int): int',
    (a: bigint, b: bigint) => {
      if (b === 0n) throw evaluationError('division_by_zero', 'division by zero in divideRound()');
      return divideRoundHalfUp(a, b);
    },
    'a / b rounded half-up: per-capita amounts in fen',
    divideRoundInt,
  ),
  overload(
    'moneyTimes(int, double): int',
    (fen: bigint, ratio: number) => {
      if (!Number.isFinite(ratio))
        throw evaluationError('invalid_argument', 'moneyTimes() ratio is not finite');
      return checkInt(multiplyMoney(fen, ratio));
    },
    'an amount in fen times a ratio, exact, rounded half-up to the fen',
    (fen: number, ratio: number) => {
      if (!Number.isFinite(ratio))
        throw evaluationError('invalid_argument', 'moneyTimes() ratio is not finite');
      return checkSafeInt(multiplyMoneyNumber(fen, ratio));
    },
  ),
  overload(
    'ageOn(string, string): int',
    ageOn,
    'completed years between a birth date and a date (ISO)',
    ageOnNumber,
  ),
];

/** Overloads by name, for the compiler's dispatch. */
export const OVERLOADS_BY_NAME: ReadonlyMap<string, readonly FunctionOverload[]> = (() => {
  const byName = new Map<string, FunctionOverload[]>();
  for (const entry of FUNCTION_OVERLOADS) {
    const list = byName.get(entry.name) ?? [];
    list.push(entry);
    byName.set(entry.name, list);
  }
  return byName;
})();
