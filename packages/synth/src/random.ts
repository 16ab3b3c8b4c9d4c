import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/**
 * The only source of randomness in the generator: one xoroshiro128+ stream (pure-rand) consumed in a
 * fixed order, so one seed always yields byte-identical output. Never call Math.random or Date.now
 * in generation code.
 */
export class Rng {
  private readonly gen: RandomGenerator;

  constructor(seed: number) {
    this.gen = xoroshiro128plus(seed >>> 0);
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return uniformInt(this.gen, min, max);
  }

  /** Uniform float in [0, 1). */
  float(): number {
    return uniformFloat64(this.gen);
  }

  chance(p: number): boolean {
    return p > 0 && this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** Standard normal deviate (Box–Muller). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * Log-normal amount around `median` with spread `sigma` (log scale), clamped; used for incomes and
   * balances, whose distributions are right-skewed. Returned as an integer.
   */
  logNormal(median: number, sigma: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const value = Math.round(median * Math.exp(sigma * this.normal()));
    return Math.min(max, Math.max(min, value));
  }

  /** Random digits as a string (phone numbers, certificate serials). */
  digits(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += String.fromCharCode(48 + this.int(0, 9));
    return out;
  }
}

/**
 * A weighted table, precomputed once (cumulative weights), drawn by binary search. Weights need not
 * sum to 1.
 */
export class Weighted<T> {
  private readonly values: T[];
  private readonly cumulative: number[];
  private readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    this.values = entries.map((e) => e[0]);
    let sum = 0;
    this.cumulative = entries.map((e) => {
      sum += e[1];
      return sum;
    });
    this.total = sum;
    if (!(sum > 0)) throw new Error('weighted table needs a positive total');
  }

  draw(rng: Rng): T {
    const x = rng.float() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.cumulative[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo] as T;
  }

  /** Share of the total carried by `value` (tests compare observed rates with it). */
  share(value: T): number {
    let w = 0;
    for (let i = 0; i < this.values.length; i++) {
      if (this.values[i] === value)
        w += (this.cumulative[i] as number) - (i > 0 ? (this.cumulative[i - 1] as number) : 0);
    }
    return w / this.total;
  }
}
