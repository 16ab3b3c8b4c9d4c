/**
 * `ageOn` reads the dates by char code (functions.ts): checked here against an independent count of
 * birthdays on the built-in calendar, and for the dates it must refuse.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageOn } from './functions.ts';

const iso = (d: Date) => d.toISOString().slice(0, 10);
const day = fc.date({
  min: new Date('1900-01-01T00:00:00Z'),
  max: new Date('2100-12-31T00:00:00Z'),
  noInvalidDate: true,
});

/** Birthdays passed by `on`: in a year without 29 February, that birthday falls on 1 March. */
function birthdaysPassed(birth: Date, on: Date): number {
  let age = 0;
  for (let y = birth.getUTCFullYear() + 1; y <= on.getUTCFullYear(); y++) {
    const month = birth.getUTCMonth();
    const date = new Date(Date.UTC(y, month, birth.getUTCDate()));
    const birthday = date.getUTCMonth() === month ? date : new Date(Date.UTC(y, 2, 1));
    if (birthday.getTime() <= on.getTime()) age++;
  }
  return age;
}

describe('ageOn', () => {
  it('counts the birthdays passed, for any two dates', () => {
    fc.assert(
      fc.property(day, day, (a, b) => {
        const [birth, on] = a.getTime() <= b.getTime() ? [a, b] : [b, a];
        const when = new Date(Date.UTC(on.getUTCFullYear(), on.getUTCMonth(), on.getUTCDate()));
        const born = new Date(Date.UTC(birth.getUTCFullYear(), birth.getUTCMonth(), birth.getUTCDate()));
        expect(Number(ageOn(iso(born), iso(when)))).toBe(birthdaysPassed(born, when));
      }),
      { numRuns: 2000 },
    );
  });

  it('turns a year older on 1 March for someone born on 29 February', () => {
    expect(ageOn('2000-02-29', '2001-02-28')).toBe(0n);
    expect(ageOn('2000-02-29', '2001-03-01')).toBe(1n);
    expect(ageOn('2000-02-29', '2004-02-29')).toBe(4n);
  });

  it('refuses what is not an ISO date', () => {
    for (const bad of ['2000-1-01', '２０００-01-01', '2000-01-01 ', '20000101', '', '2000-0a-01'])
      expect(() => ageOn(bad, '2020-01-01')).toThrow(/ISO dates/);
  });
});
