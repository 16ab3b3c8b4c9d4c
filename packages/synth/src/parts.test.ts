import { checkIdNumber } from '@doudi/rules';
import { describe, expect, it } from 'vitest';
import { yuan } from './csvColumns.ts';
import { addYears, ageOn, birthDateForAge } from './dates.ts';
import { creditCode, creditCodeCheck, mobilePhone, plateNumber } from './identifiers.ts';
import { IdAllocator } from './idNumbers.ts';
import { Rng, Weighted } from './random.ts';
import { annualWageTaxFen } from './sources.ts';

describe('IdAllocator', () => {
  it('hands out 500 distinct numbers per day and sex, then moves to the next day', () => {
    const ids = new IdAllocator('2025-06-30', ['420921']);
    const seen = new Set<string>();
    const dates = new Set<string>();
    for (let i = 0; i < 1_200; i++) {
      const { idNumber, birthDate } = ids.issue('420921', '1980-05-01', 'female');
      seen.add(idNumber);
      dates.add(birthDate);
      const check = checkIdNumber(idNumber, '2025-06-30');
      expect(check.valid && check.sex === 'female' && check.birthDate === birthDate).toBe(true);
    }
    expect(seen.size).toBe(1_200);
    expect([...dates].sort()).toEqual(['1980-05-01', '1980-05-02', '1980-05-03']);
  });

  it('refuses a region it was not built for', () => {
    expect(() => new IdAllocator('2025-06-30', ['420921']).issue('110101', '1980-01-01', 'male')).toThrow(
      /region/,
    );
  });
});

describe('dates', () => {
  it('draws birth dates that give exactly the requested age', () => {
    const rng = new Rng(1);
    for (let age = 0; age < 100; age++) {
      for (const asOf of ['2025-06-30', '2024-02-29', '2025-01-01']) {
        expect(ageOn(birthDateForAge(rng, age, asOf), asOf)).toBe(age);
      }
    }
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
  });
});

describe('Rng and Weighted', () => {
  it('repeats for a seed and follows the weights', () => {
    const a = new Rng(99);
    const b = new Rng(99);
    expect(Array.from({ length: 20 }, () => a.int(0, 1000))).toEqual(
      Array.from({ length: 20 }, () => b.int(0, 1000)),
    );
    const w = new Weighted([
      ['x', 1],
      ['y', 3],
    ] as const);
    const rng = new Rng(5);
    let y = 0;
    for (let i = 0; i < 20_000; i++) if (w.draw(rng) === 'y') y++;
    expect(y / 20_000).toBeCloseTo(0.75, 1);
    expect(w.share('y')).toBe(0.75);
  });
});

describe('identifiers', () => {
  it('makes 11-digit mobile numbers and Xiaogan plates', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 100; i++) {
      expect(mobilePhone(rng)).toMatch(/^1[3-9]\d{9}$/);
      expect(plateNumber(rng, i % 2 === 0)).toMatch(/^鄂K[0-9A-HJ-NP-Z]{5,6}$/);
    }
  });

  it('makes unified social credit codes with a valid GB 32100 check character', () => {
    const rng = new Rng(4);
    for (let i = 0; i < 100; i++) {
      const code = creditCode(rng, i % 2 === 0, '420921');
      expect(code).toMatch(/^9[12]420921[0-9A-Z]{10}$/);
      expect(creditCodeCheck(code.slice(0, 17))).toBe(code[17]);
    }
    // A published example code (国家市场监督管理总局 sample) checks out.
    expect(creditCodeCheck('91350100M000100Y4')).toBe('3');
  });
});

describe('money', () => {
  it('formats fen as yuan exactly', () => {
    expect(yuan(0)).toBe('0.00');
    expect(yuan(5)).toBe('0.05');
    expect(yuan(123456)).toBe('1234.56');
    expect(yuan(-250)).toBe('-2.50');
    expect(yuan(9_007_199_254_740_991)).toBe('90071992547409.91');
  });

  it('computes the annual wage tax on the 2019 schedule', () => {
    expect(annualWageTaxFen(5_000_000)).toBe(0); // 50,000 yuan: under the basic deduction
    // 100,000 yuan: taxable 100,000 − 60,000 − 10,500 = 29,500 → 3% = 885 yuan.
    expect(annualWageTaxFen(10_000_000)).toBe(88_500);
    // 200,000 yuan: taxable 119,000 → 10% − 2,520 = 9,380 yuan.
    expect(annualWageTaxFen(20_000_000)).toBe(938_000);
  });
});

describe('day arithmetic', () => {
  it('matches Date for every day from 1900 to 2100', async () => {
    const { fromDay, toDay, isIsoDate } = await import('./dates.ts');
    const wrong: number[] = [];
    for (let day = -25_567; day < 47_482; day++) {
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      if (fromDay(day) !== iso || toDay(iso) !== day) wrong.push(day);
    }
    expect(wrong).toEqual([]);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-13-01')).toBe(false);
  });
});
