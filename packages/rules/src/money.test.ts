import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalFromDouble, divideRoundHalfUp, formatFenAsYuan, multiplyMoney, roundFen } from './money.ts';

describe('exact money', () => {
  it('reads a double as the decimal it was written as', () => {
    expect(decimalFromDouble(0.6)).toEqual({ digits: 6n, scale: 1 });
    expect(decimalFromDouble(2.675)).toEqual({ digits: 2675n, scale: 3 });
    expect(decimalFromDouble(1e21)).toEqual({ digits: 10n ** 21n, scale: 0 });
    expect(decimalFromDouble(-1.5e-7)).toEqual({ digits: -15n, scale: 8 });
  });

  it('rounds half-up (away from zero) in integer arithmetic', () => {
    expect(divideRoundHalfUp(5n, 2n)).toBe(3n);
    expect(divideRoundHalfUp(-5n, 2n)).toBe(-3n);
    expect(divideRoundHalfUp(7n, 3n)).toBe(2n);
    expect(multiplyMoney(100005n, 0.5)).toBe(50003n);
    // 0.29 is 0.28999999999999998 in binary; 100 × 0.29 must still be exactly 29 fen.
    expect(multiplyMoney(100n, 0.29)).toBe(29n);
    expect(roundFen(2.675 * 100, 'fen')).toBe(268n);
    expect(roundFen(123450n, 'yuan')).toBe(123500n);
    expect(roundFen(123449n, 'yuan')).toBe(123400n);
    expect(roundFen(-150n, 'yuan')).toBe(-200n);
  });

  it('agrees with exact rational arithmetic on random amounts and ratios', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.integer({ min: 0, max: 10000 }),
        (fen, basisPoints) => {
          const ratio = basisPoints / 10000;
          const exact = (fen * BigInt(basisPoints) * 2n + 10000n) / 20000n;
          expect(multiplyMoney(fen, ratio)).toBe(exact);
        },
      ),
    );
  });

  it('formats fen as yuan without floating point', () => {
    expect(formatFenAsYuan(99000)).toBe('990.00');
    expect(formatFenAsYuan(5n)).toBe('0.05');
    expect(formatFenAsYuan(-5n)).toBe('-0.05');
    expect(formatFenAsYuan(123456789012345678n)).toBe('1234567890123456.78');
  });
});
