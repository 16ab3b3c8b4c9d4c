/**
 * Exact money arithmetic. Amounts are integer fen (bigint inside CEL, number outside). Ratios such
 * as a labour coefficient of 0.6 arrive as binary doubles; we read a double through its shortest
 * round-trip decimal text ("0.6", not 0.59999999999999997779...), which is the decimal the policy
 * author wrote, and do the rest in integers. So rounding follows the written decimal, never float noise.
 */
import { divideRoundInt } from './cel/ints.ts';

export type RoundingRule = 'fen' | 'yuan';

export const ROUNDING_RULES: readonly RoundingRule[] = ['fen', 'yuan'];

/** An exact decimal: value = digits / 10^scale. */
export interface ExactDecimal {
  digits: bigint;
  scale: number;
}

// Ratios repeat (a handful of coefficients across a whole county), so their decimals are cached.
const decimalCache = new Map<number, ExactDecimal>();

/** The exact decimal a finite double was written as (its shortest round-trip representation). */
export function decimalFromDouble(value: number): ExactDecimal {
  const cached = decimalCache.get(value);
  if (cached) return cached;
  const decimal = readDecimal(value);
  if (decimalCache.size < 4096) decimalCache.set(value, decimal);
  return decimal;
}

function readDecimal(value: number): ExactDecimal {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const text = value.toString();
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(text);
  if (!match) throw new RangeError(`cannot read ${text} as a decimal`);
  const [, sign = '', whole = '', fraction = '', exponentText] = match;
  let digits = BigInt(`${sign}${whole}${fraction}`);
  let scale = fraction.length - Number(exponentText ?? 0);
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits, scale };
}

/** numerator / denominator rounded half away from zero ("round half up" on money amounts). */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = (n * 2n + d) / (d * 2n);
  return negative ? -quotient : quotient;
}

/** amountFen × ratio, rounded half-up to the fen, exactly. */
export function multiplyMoney(amountFen: bigint, ratio: number): bigint {
  const { digits, scale } = decimalFromDouble(ratio);
  return divideRoundHalfUp(amountFen * digits, 10n ** BigInt(scale));
}

// The same decimals as small integers, for `multiplyMoneyNumber`'s fast path (null: too long).
const smallDecimalCache = new Map<number, { digits: number; divisor: number } | null>();

function smallDecimal(ratio: number): { digits: number; divisor: number } | null {
  let cached = smallDecimalCache.get(ratio);
  if (cached === undefined) {
    const { digits, scale } = decimalFromDouble(ratio);
    const small = Number(digits);
    cached = Number.isSafeInteger(small) && scale <= 15 ? { digits: small, divisor: 10 ** scale } : null;
    if (smallDecimalCache.size < 4096) smallDecimalCache.set(ratio, cached);
  }
  return cached;
}

/**
 * `multiplyMoney` on a safe-integer number of fen: exact integer arithmetic in doubles while the
 * product stays within ±(2^53 − 1) (always, for real amounts and ratios), bigint otherwise.
 */
export function multiplyMoneyNumber(amountFen: number, ratio: number): number {
  const decimal = smallDecimal(ratio);
  if (decimal) {
    const product = amountFen * decimal.digits;
    if (Number.isSafeInteger(product)) return divideRoundInt(product, decimal.divisor);
  }
  return Number(multiplyMoney(BigInt(amountFen), ratio));
}

/** `roundFen` for an int amount that is already a safe-integer number of fen. */
export function roundIntFen(amountFen: number, rule: RoundingRule): number {
  return rule === 'yuan' ? divideRoundInt(amountFen, 100) * 100 : amountFen;
}

/**
 * Rounds an amount in fen (an int, or a double from a formula that used ratios) to whole fen or
 * whole yuan, half-up, returning integer fen.
 */
export function roundFen(amount: bigint | number, rule: RoundingRule): bigint {
  let fen: bigint;
  if (typeof amount === 'bigint') fen = amount;
  else {
    const { digits, scale } = decimalFromDouble(amount);
    fen = divideRoundHalfUp(digits, 10n ** BigInt(scale));
  }
  return rule === 'yuan' ? divideRoundHalfUp(fen, 100n) * 100n : fen;
}

/** "1234.50" for 123450 fen: exact, no float formatting. */
export function formatFenAsYuan(fen: bigint | number): string {
  const value = typeof fen === 'bigint' ? fen : BigInt(Math.round(fen));
  const negative = value < 0n;
  const absolute = negative ? -value : value;
  const yuan = absolute / 100n;
  const cents = (absolute % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${yuan}.${cents}`;
}
