/**
 * Exact money arithmetic. Amounts are integer fen (bigint inside CEL, number outside). Ratios such
 * as a labour coefficient of 0.6 arrive as binary doubles; we read a double through its shortest
 * round-trip decimal text ("0.6", not 0.59999999999999997779...), which is the decimal the policy
 * author wrote, and do the rest in bigint. So rounding follows the written decimal, never float noise.
 */

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
