/**
 * The working-day calendar: known dates of the 2025 and 2026 State Council notices, regional rest
 * days, properties that must hold for any date and count (fast-check), and located errors for bad
 * calendar files.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadCalendarFromDir, parseCalendar, WorkingCalendar } from '../src/domains/intake/calendar.ts';

const data = loadCalendarFromDir();
const national = new WorkingCalendar(data, '420921100001');

const isoDate = fc
  .date({ min: new Date('2024-10-01T00:00:00Z'), max: new Date('2027-03-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const days = fc.integer({ min: 0, max: 80 });

describe('working-day calendar', () => {
  it('knows the 2025 and 2026 holidays and swapped working days', () => {
    const rest = [
      '2025-01-01',
      '2025-01-28',
      '2025-02-04',
      '2025-05-05',
      '2025-10-08',
      '2026-02-23',
      '2026-10-07',
    ];
    const work = [
      '2025-01-26',
      '2025-02-08',
      '2025-04-27',
      '2025-09-28',
      '2025-10-11',
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ];
    for (const d of rest) expect(national.isWorkingDay(d), d).toBe(false);
    for (const d of work) expect(national.isWorkingDay(d), d).toBe(true);
    // 248 working days in each of 2025 and 2026 (365 − 104 weekend days − holidays on weekdays + swapped days).
    expect(national.workingDaysBetween('2024-12-31', '2025-12-31')).toBe(248);
    expect(national.workingDaysBetween('2025-12-31', '2026-12-31')).toBe(248);
    expect(national.addWorkingDays('2025-09-30', 1)).toBe('2025-10-09');
    expect(national.addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(national.addWorkingDays('2026-02-14', 1)).toBe('2026-02-24');
    expect(national.covers('2026-06-01')).toBe(true);
    expect(national.covers('2027-06-01')).toBe(false);
  });

  it('a region adds its own rest and working days; the most specific region wins', () => {
    const regional = parseCalendar({ file: 'national.yaml', text: 'years: {}\n' }, [
      { file: 'r/42.yaml', text: 'region: "42"\nholidays: [2027-03-03]\nworkdays: []\n' },
      {
        file: 'r/420921.yaml',
        text: 'region: "420921"\nholidays: [{ name: 县庆, from: 2027-03-04, to: 2027-03-05 }]\nworkdays: [2027-03-03, 2027-03-06]\n',
      },
    ]);
    const county = new WorkingCalendar(regional, '420921100001');
    const elsewhere = new WorkingCalendar(regional, '420100000000');
    expect(elsewhere.isWorkingDay('2027-03-03')).toBe(false);
    expect(county.isWorkingDay('2027-03-03')).toBe(true);
    expect(county.isWorkingDay('2027-03-04')).toBe(false);
    expect(county.isWorkingDay('2027-03-06')).toBe(true);
    expect(county.addWorkingDays('2027-03-03', 1)).toBe('2027-03-06');
    expect(elsewhere.addWorkingDays('2027-03-02', 1)).toBe('2027-03-04');
  });

  it('properties: the due date is a working day, counts back to n, and adds up', () => {
    fc.assert(
      fc.property(isoDate, days, days, (d, a, b) => {
        const due = national.addWorkingDays(d, a);
        if (a > 0) expect(national.isWorkingDay(due)).toBe(true);
        expect(due >= d).toBe(true);
        expect(national.workingDaysBetween(d, due)).toBe(a);
        expect(national.addWorkingDays(due, b)).toBe(national.addWorkingDays(d, a + b));
        // The day before the due date still leaves one working day to go.
        if (a > 0) {
          const before = new Date(Date.parse(`${due}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
          expect(national.workingDaysBetween(d, before)).toBe(a - 1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('properties: workingDaysBetween is additive and antisymmetric, never more than the calendar days', () => {
    fc.assert(
      fc.property(isoDate, isoDate, isoDate, (x, y, z) => {
        const [a, b, c] = [x, y, z].sort();
        expect(national.workingDaysBetween(a as string, c as string)).toBe(
          national.workingDaysBetween(a as string, b as string) +
            national.workingDaysBetween(b as string, c as string),
        );
        expect(national.workingDaysBetween(c as string, a as string)).toBe(
          0 - national.workingDaysBetween(a as string, c as string),
        );
        const span = (Date.parse(c as string) - Date.parse(a as string)) / 86_400_000;
        expect(national.workingDaysBetween(a as string, c as string)).toBeLessThanOrEqual(span);
      }),
      { numRuns: 100 },
    );
    expect(() => national.addWorkingDays('2026-01-01', -1)).toThrow(RangeError);
    expect(() => national.addWorkingDays('2026-01-01', 1.5)).toThrow(RangeError);
  });

  it('refuses bad calendar files with file:line:column', () => {
    const bad = (text: string) => () => parseCalendar({ file: 'calendar/national.yaml', text }, []);
    expect(
      bad(
        'years:\n  2026:\n    source: x\n    holidays:\n      - { name: 春节, from: 2026-02-30, to: 2026-02-23 }\n    workdays: []\n',
      ),
    ).toThrow(/calendar\/national\.yaml:5:\d+: 2026-02-30 is not a date in 2026/);
    expect(bad('years:\n  2026:\n    source: x\n    holidays: []\n    workdays: [2025-01-01]\n')).toThrow(
      /national\.yaml:5:\d+: .*not a date in 2026/,
    );
    expect(bad('years:\n  2026:\n    source: x\n    holidays: []\n    workdays: []\n    extra: 1\n')).toThrow(
      /national\.yaml:6:\d+: .*unknown field extra/,
    );
    expect(bad('years: [\n')).toThrow(/national\.yaml:\d+:\d+:/);
    expect(() =>
      parseCalendar({ file: 'n.yaml', text: 'years: {}\n' }, [
        { file: 'r.yaml', text: 'region: "4209211"\nholidays: []\nworkdays: []\n' },
      ]),
    ).toThrow(/r\.yaml:1:\d+: \/region/);
  });
});
