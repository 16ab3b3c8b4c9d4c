import type { Rng } from './random.ts';

/** ISO dates as day numbers (days since 1970-01-01, UTC): exact, time-zone free arithmetic. */
const MS_PER_DAY = 86_400_000;

export function toDay(iso: string): number {
  return Math.floor(Date.parse(`${iso}T00:00:00Z`) / MS_PER_DAY);
}

export function fromDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function isIsoDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && fromDay(toDay(value)) === value;
}

/** Completed years of age on `asOf`. */
export function ageOn(birthDate: string, asOf: string): number {
  const years = Number(asOf.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return asOf.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** A birth date giving exactly `age` completed years on `asOf`. */
export function birthDateForAge(rng: Rng, age: number, asOf: string): string {
  const asOfDay = toDay(asOf);
  const year = Number(asOf.slice(0, 4)) - age;
  // The window of birth dates for this age is (asOf - (age+1) years, asOf - age years].
  const latest = toDay(`${year}${asOf.slice(4)}`.replace(/-02-29$/, '-02-28'));
  const earliest = toDay(`${year - 1}${asOf.slice(4)}`.replace(/-02-29$/, '-02-28')) + 1;
  return fromDay(Math.min(asOfDay, rng.int(earliest, latest)));
}

export function randomDate(rng: Rng, fromIso: string, toIso: string): string {
  const a = toDay(fromIso);
  const b = toDay(toIso);
  return fromDay(b <= a ? a : rng.int(a, b));
}

export function addDays(iso: string, days: number): string {
  return fromDay(toDay(iso) + days);
}

/** Same month and day `years` later (29 February becomes 28 February in common years). */
export function addYears(iso: string, years: number): string {
  const candidate = `${Number(iso.slice(0, 4)) + years}${iso.slice(4)}`;
  return isIsoDate(candidate) ? candidate : candidate.replace(/-02-29$/, '-02-28');
}

export function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

export function minDate(a: string, b: string): string {
  return a < b ? a : b;
}
