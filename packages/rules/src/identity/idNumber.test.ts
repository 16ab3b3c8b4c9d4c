import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkIdNumber, idCheckCharacter, makeIdNumber, maskIdNumber } from './idNumber.ts';

describe('checkIdNumber (GB 11643)', () => {
  it('accepts the standard example 11010519491231002X', () => {
    const result = checkIdNumber('11010519491231002X');
    expect(result).toEqual({
      valid: true,
      idNumber: '11010519491231002X',
      regionCode: '110105',
      birthDate: '1949-12-31',
      sex: 'female',
    });
  });

  it('accepts a lower-case x as the check character', () => {
    expect(checkIdNumber('11010519491231002x').valid).toBe(true);
  });

  it.each([
    ['110105194912310021', 'checkDigit'],
    ['1101051949123100', 'length'],
    ['11010519491231002XX', 'length'],
    ['1101051949123100A2', 'characters'],
    ['11010519491231X021', 'characters'],
    ['990105194912310029', 'regionPrefix'],
    ['110000194912310021', 'regionPrefix'],
    ['110105194902300021', 'birthDate'],
    ['110105187001010021', 'birthDate'],
    ['110105209901010021', 'birthDate'],
  ])('rejects %s for %s', (value, problem) => {
    const result = checkIdNumber(value, '2026-11-22');
    expect(result.valid).toBe(false);
    if (!result.valid) {
      expect(result.problem).toBe(problem);
      expect(result.message).toMatch(/身份证号码/);
    }
  });

  it('every number built by makeIdNumber passes, and changing one digit fails', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01'), max: new Date('2025-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 9 }),
        (date, sequence, position, delta) => {
          const birthDate = date.toISOString().slice(0, 10);
          const id = makeIdNumber('420921', birthDate, sequence);
          const check = checkIdNumber(id, '2026-11-22');
          expect(check.valid).toBe(true);
          if (check.valid) expect(check.birthDate).toBe(birthDate);
          // MOD 11-2 detects every single-digit substitution.
          const digit = (Number(id[position]) + delta) % 10;
          const changed = id.slice(0, position) + digit + id.slice(position + 1);
          const first17 = changed.slice(0, 17);
          expect(idCheckCharacter(first17) === changed[17]).toBe(false);
        },
      ),
    );
  });

  it('a birth date is accepted exactly when the calendar has it (leap years, month ends, zeros)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1880, max: 2025 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (year, month, day) => {
          const two = (n: number) => String(n).padStart(2, '0');
          const first17 = `420921${year}${two(month)}${two(day)}123`;
          const check = checkIdNumber(first17 + idCheckCharacter(first17), '2026-11-22');
          const date = new Date(Date.UTC(year, month - 1, day));
          const real =
            month >= 1 &&
            day >= 1 &&
            date.getUTCFullYear() === year &&
            date.getUTCMonth() === month - 1 &&
            date.getUTCDate() === day;
          expect(check.valid || check.problem).toBe(real ? true : 'birthDate');
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('masks all but the region prefix and last four', () => {
    expect(maskIdNumber('420921199001011234')).toBe('420921********1234');
  });
});
