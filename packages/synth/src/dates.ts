import type { Rng } from './random.ts';

/**
 * ISO dates as day numbers (days since 1970-01-01) with integer civil-calendar arithmetic (Howard
 * Hinnant's days_from_civil): exact, time-zone free, and ~10× faster than going through Date, which
 * matters at a million households.
 */
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

export function toDay(iso: string): number {
  let y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  const d = Number(iso.slice(8, 10));
  if (m <= 2) y -= 1;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export function fromDay(day: number): string {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${pad2(m)}-${pad2(d)}`;
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
  const y = Number(iso.slice(0, 4)) + years;
  const rest = iso.slice(4);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return `${y}${rest === '-02-29' && !leap ? '-02-28' : rest}`;
}

export function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

export function minDate(a: string, b: string): string {
  return a < b ? a : b;
}
