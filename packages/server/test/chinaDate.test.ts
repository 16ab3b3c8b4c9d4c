/**
 * Every "today" on the server is China's date (registry.model.ts). From 16:00 to 24:00 UTC the UTC
 * date is a day behind; a form's default date, a served-on check and a default as-of date must all
 * agree on the day, whatever time zone the server runs in.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chinaDate, today } from '../src/domains/registry/registry.model.ts';

describe('chinaDate', () => {
  it('turns over at 16:00 UTC, midnight in China', () => {
    expect(chinaDate(new Date('2026-11-23T15:59:59Z'))).toBe('2026-11-23');
    expect(chinaDate(new Date('2026-11-23T16:00:00Z'))).toBe('2026-11-24');
    expect(chinaDate(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01');
    expect(today(new Date('2026-11-23T18:00:00Z'))).toBe('2026-11-24');
  });

  it('is the UTC date of the instant eight hours later, for any instant since 1992', () => {
    // China kept summer time from 1986 to 1991 (UTC+9): the time-zone database knows it, so a
    // 1990 summer evening is already the next day there (found by this property, CI 2026-11-24).
    expect(chinaDate(new Date('1990-09-15T15:30:00Z'))).toBe('1990-09-16');
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1992, 0, 1), max: 4_102_444_800_000 }), (ms) => {
        expect(chinaDate(new Date(ms))).toBe(new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10));
      }),
    );
  });
});
