/**
 * Working days (工作日) for statutory time limits: Saturdays and Sundays rest, except the swapped
 * working days (调休) of the State Council's yearly notice, and its public holidays rest even on a
 * weekday. A region may add its own rest or working days (catalog/calendar/regions/<code>.yaml); the
 * most specific region wins. Date arithmetic by dayjs (UTC, so no daylight-saving or zone drift):
 * dates are ISO `YYYY-MM-DD` strings throughout.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import { Type } from 'typebox';
import { intakeCatalogDir } from './catalogPaths.ts';
import { loadCheckedYaml, ProcessLoadError } from './checkedYaml.ts';

dayjs.extend(utc);

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Holiday = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 50 }), from: IsoDate, to: IsoDate },
  { additionalProperties: false },
);
const NationalFile = Type.Object(
  {
    years: Type.Record(
      Type.String({ pattern: '^\\d{4}$' }),
      Type.Object(
        {
          source: Type.String({ minLength: 1 }),
          holidays: Type.Array(Holiday),
          workdays: Type.Array(IsoDate),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
const RegionFile = Type.Object(
  {
    region: Type.String({ pattern: '^(\\d{2}|\\d{4}|\\d{6}|\\d{9}|\\d{12})$' }),
    holidays: Type.Array(Type.Union([Holiday, IsoDate])),
    workdays: Type.Array(IsoDate),
  },
  { additionalProperties: false },
);

/** Rest days and working days that override the weekend rule, by ISO date. */
type Overrides = Map<string, 'rest' | 'work'>;

export interface CalendarData {
  national: Overrides;
  /** Years the national notice covers (outside them, weekends only). */
  years: ReadonlySet<number>;
  /** Region prefix (2–12 digits) → its own overrides. */
  regions: Map<string, Overrides>;
}

const utcDay = (iso: string) => dayjs.utc(iso, 'YYYY-MM-DD');

function realDate(iso: string): boolean {
  const d = utcDay(iso);
  return d.isValid() && d.format('YYYY-MM-DD') === iso;
}

function expand(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = utcDay(from); !d.isAfter(utcDay(to), 'day'); d = d.add(1, 'day'))
    out.push(d.format('YYYY-MM-DD'));
  return out;
}

/** Parses the calendar files; every error names the file, line and column. */
export function parseCalendar(
  national: { file: string; text: string },
  regionFiles: { file: string; text: string }[],
) {
  const years = new Set<number>();
  const data: CalendarData = { national: new Map(), years, regions: new Map() };
  const nat = loadCheckedYaml(national.file, national.text, NationalFile);
  for (const [year, entry] of Object.entries(nat.value.years)) {
    years.add(Number(year));
    entry.holidays.forEach((h, i) => {
      const at = ['years', year, 'holidays', i];
      for (const d of [h.from, h.to])
        if (!realDate(d) || !d.startsWith(year)) throw nat.error(at, `${d} is not a date in ${year}`);
      if (h.from > h.to) throw nat.error(at, `holiday ${h.name} ends before it starts`);
      for (const d of expand(h.from, h.to)) data.national.set(d, 'rest');
    });
    entry.workdays.forEach((d, i) => {
      if (!realDate(d) || !d.startsWith(year))
        throw nat.error(['years', year, 'workdays', i], `${d} is not a date in ${year}`);
      if (data.national.get(d) === 'rest')
        throw nat.error(['years', year, 'workdays', i], `${d} is both a holiday and a working day`);
      data.national.set(d, 'work');
    });
  }
  for (const rf of regionFiles) {
    const loaded = loadCheckedYaml(rf.file, rf.text, RegionFile);
    const overrides: Overrides = new Map();
    loaded.value.holidays.forEach((h, i) => {
      const [from, to] = typeof h === 'string' ? [h, h] : [h.from, h.to];
      if (!realDate(from) || !realDate(to) || from > to)
        throw loaded.error(['holidays', i], 'not a real date range');
      for (const d of expand(from, to)) overrides.set(d, 'rest');
    });
    loaded.value.workdays.forEach((d, i) => {
      if (!realDate(d)) throw loaded.error(['workdays', i], `${d} is not a real date`);
      overrides.set(d, 'work');
    });
    if (data.regions.has(loaded.value.region))
      throw loaded.error(['region'], `region ${loaded.value.region} has two calendar files`);
    data.regions.set(loaded.value.region, overrides);
  }
  return data;
}

export function loadCalendarFromDir(dir = path.join(intakeCatalogDir(), 'calendar')): CalendarData {
  const nationalFile = path.join(dir, 'national.yaml');
  if (!existsSync(nationalFile))
    throw new ProcessLoadError(`${nationalFile}: the national calendar is missing`);
  const regionDir = path.join(dir, 'regions');
  const regionFiles = existsSync(regionDir)
    ? readdirSync(regionDir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => ({ file: `calendar/regions/${f}`, text: readFileSync(path.join(regionDir, f), 'utf8') }))
    : [];
  return parseCalendar(
    { file: 'calendar/national.yaml', text: readFileSync(nationalFile, 'utf8') },
    regionFiles,
  );
}

/** The working-day rules for one region: national, then each enclosing region's file, innermost last. */
export class WorkingCalendar {
  private readonly layers: Overrides[];

  constructor(
    private readonly data: CalendarData,
    readonly regionCode = '',
  ) {
    const prefixes = [...data.regions.keys()]
      .filter((p) => regionCode.startsWith(p))
      .sort((a, b) => a.length - b.length);
    this.layers = [data.national, ...prefixes.map((p) => data.regions.get(p) as Overrides)];
  }

  /** True when the national notice for the date's year is on file (else weekends only). */
  covers(iso: string): boolean {
    return this.data.years.has(Number(iso.slice(0, 4)));
  }

  isWorkingDay(iso: string): boolean {
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const said = this.layers[i]?.get(iso);
      if (said) return said === 'work';
    }
    const weekday = utcDay(iso).day();
    return weekday !== 0 && weekday !== 6;
  }

  /**
   * Working or not, by day number (days since 1970-01-01), remembered: deadline sweeps ask about
   * the same few hundred days for thousands of cases, and building a date object per day per case
   * cost milliseconds a case.
   */
  private readonly flags = new Map<number, boolean>();
  private working(day: number): boolean {
    let flag = this.flags.get(day);
    if (flag === undefined) {
      flag = this.isWorkingDay(fromDayNumber(day));
      this.flags.set(day, flag);
    }
    return flag;
  }

  /**
   * The date `n` working days after `iso` (n ≥ 0). The start day itself is not counted (a limit of
   * 3 working days from a Friday intake ends on Wednesday); n = 0 returns the date unchanged.
   */
  addWorkingDays(iso: string, n: number): string {
    if (!Number.isInteger(n) || n < 0) throw new RangeError('working days must be a whole number ≥ 0');
    let day = dayNumber(iso);
    let left = n;
    while (left > 0) {
      day += 1;
      if (this.working(day)) left -= 1;
    }
    return fromDayNumber(day);
  }

  /** Working days in (from, to]: how many of the limit have been used by `to`; negative if to < from. */
  workingDaysBetween(from: string, to: string): number {
    if (to < from) return 0 - this.workingDaysBetween(to, from);
    let count = 0;
    const last = dayNumber(to);
    for (let day = dayNumber(from) + 1; day <= last; day++) if (this.working(day)) count += 1;
    return count;
  }
}

const DAY_MS = 86_400_000;
const dayNumber = (iso: string) => Math.round(utcDay(iso).valueOf() / DAY_MS);
const fromDayNumber = (day: number) => dayjs.utc(day * DAY_MS).format('YYYY-MM-DD');

let cached: CalendarData | undefined;

/** The calendar of a region from catalog/calendar, read once per process. */
const calendars = new Map<string, WorkingCalendar>();
export function calendarFor(regionCode: string): WorkingCalendar {
  cached ??= loadCalendarFromDir();
  let calendar = calendars.get(regionCode);
  if (!calendar) {
    if (calendars.size > 50_000) calendars.clear();
    calendar = new WorkingCalendar(cached, regionCode);
    calendars.set(regionCode, calendar);
  }
  return calendar;
}

/** Calendar days from one ISO date to another (dayjs), for limits counted in natural days (公示 7 days). */
export function daysBetween(from: string, to: string): number {
  return utcDay(to).diff(utcDay(from), 'day');
}
