import { makeIdNumber } from '@doudi/rules';
import { addDays, toDay } from './dates.ts';
import { ALL_BIRTH_REGION_CODES } from './regions.ts';
import type { Sex } from './types.ts';

/**
 * Issues identity numbers without duplicates in flat memory. For each (region, birth date, sex)
 * there are 500 sequence numbers (odd for men, even for women, GB 11643). A counter per key lives in
 * a Uint16Array indexed by region × day × sex, so memory is fixed (~4 MB for 14 regions × 140 years)
 * however many households are generated. The n-th number of a key is a fixed permutation of n, so
 * sequences look scattered (real ones encode the police station) rather than 001, 003, 005…
 */
const FIRST_DAY = toDay('1900-01-01');
const SEQUENCES_PER_SEX = 500;
const STRIDE = 263; // prime, coprime with 500: n ↦ (n·263 + offset) mod 500 is a bijection

export class IdAllocator {
  private readonly regionIndex = new Map<string, number>();
  private readonly counters: Uint16Array;
  private readonly days: number;

  constructor(
    asOf: string,
    private readonly regions: readonly string[] = ALL_BIRTH_REGION_CODES,
  ) {
    this.days = toDay(asOf) - FIRST_DAY + 1;
    regions.forEach((code, i) => {
      this.regionIndex.set(code, i);
    });
    this.counters = new Uint16Array(regions.length * this.days * 2);
  }

  /** Index of a birth region; regions are fixed when the allocator is built (its memory is sized by them). */
  private indexOf(region: string): number {
    const found = this.regionIndex.get(region);
    if (found === undefined) throw new Error(`region ${region} is not registered with the ID allocator`);
    return found;
  }

  /**
   * A fresh number for someone born in `region` on `birthDate`. If the 500 numbers of that day are
   * used up (never at county scale: ~80 births share a day and sex), the next day is used and the
   * returned birth date says so.
   */
  issue(region: string, birthDate: string, sex: Sex): { idNumber: string; birthDate: string } {
    const r = this.indexOf(region);
    let date = birthDate;
    for (let attempt = 0; attempt < 366; attempt++) {
      const day = toDay(date) - FIRST_DAY;
      if (day < 0 || day >= this.days) throw new Error(`birth date ${date} outside 1900-01-01..asOf`);
      const slot = (r * this.days + day) * 2 + (sex === 'male' ? 1 : 0);
      const n = this.counters[slot] as number;
      if (n < SEQUENCES_PER_SEX) {
        this.counters[slot] = n + 1;
        const offset = (day * 31 + r * 17) % SEQUENCES_PER_SEX;
        const k = (n * STRIDE + offset) % SEQUENCES_PER_SEX;
        const sequence = k * 2 + (sex === 'male' ? 1 : 0);
        return { idNumber: makeIdNumber(region, date, sequence), birthDate: date };
      }
      date = addDays(date, day + 1 < this.days ? 1 : -1);
    }
    throw new Error(`no identity numbers left around ${birthDate} in ${region}`);
  }

  get regionCodes(): readonly string[] {
    return this.regions;
  }
}
