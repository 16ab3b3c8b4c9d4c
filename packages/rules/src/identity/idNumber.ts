/**
 * Resident identity numbers (居民身份证号码) per GB 11643-1999:
 * 6-digit region code + birth date YYYYMMDD + 3-digit sequence (odd = male, even = female)
 * + a check character computed with ISO 7064 MOD 11-2.
 *
 * Pure functions, no I/O: the server (`doudi id check`, person forms) and the synthetic county
 * both use them, so a generated number always passes the same check the registry applies.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';

/** Province-level prefixes in use (GB/T 2260); a number outside these has no valid region. */
const PROVINCE_PREFIXES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
]);

export type IdNumberProblem = 'length' | 'characters' | 'regionPrefix' | 'birthDate' | 'checkDigit';

export type IdNumberCheck =
  | { valid: true; idNumber: string; regionCode: string; birthDate: string; sex: 'male' | 'female' }
  | { valid: false; problem: IdNumberProblem; message: string; messageEn: string };

/** The check character for the first 17 digits (which must be digits; any 18th is ignored). */
export function idCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] as number);
  return CHECK_CHARACTERS[sum % 11] as string;
}

/** The number written by `length` digits of `value` from `at` (already checked to be digits). */
export function digitsAt(value: string, at: number, length: number): number {
  let n = 0;
  for (let i = at; i < at + length; i++) n = n * 10 + value.charCodeAt(i) - 48;
  return n;
}

/** Whether the calendar has this day (the built-in calendar, not leap-year rules written again). */
export function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Checks an identity number, naming the first problem found in the order a clerk would look:
 * length, characters, region prefix, birth date, check digit. `today` bounds the birth date.
 */
export function checkIdNumber(
  input: string,
  today: string = new Date().toISOString().slice(0, 10),
): IdNumberCheck {
  const value = input.trim().toUpperCase();
  if (value.length !== 18) {
    return {
      valid: false,
      problem: 'length',
      message: `身份证号码应为18位，实际为${value.length}位`,
      messageEn: `an identity number has 18 characters, this one has ${value.length}`,
    };
  }
  if (!/^\d{17}[\dX]$/.test(value)) {
    return {
      valid: false,
      problem: 'characters',
      message: '身份证号码前17位应为数字，最后一位为数字或X',
      messageEn: 'the first 17 characters must be digits and the last a digit or X',
    };
  }
  if (!PROVINCE_PREFIXES.has(value.slice(0, 2)) || value.startsWith('0000', 2)) {
    return {
      valid: false,
      problem: 'regionPrefix',
      message: `身份证号码的地区码${value.slice(0, 6)}不是有效的行政区划代码`,
      messageEn: `region code ${value.slice(0, 6)} is not a valid administrative division`,
    };
  }
  // Digits read by char code, not sliced and parsed: a department's file checks a million numbers,
  // and the slices were most of this function's time and garbage.
  const year = digitsAt(value, 6, 4);
  const month = digitsAt(value, 10, 2);
  const day = digitsAt(value, 12, 2);
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (year < 1880 || !isRealDate(year, month, day) || birthDate > today) {
    return {
      valid: false,
      problem: 'birthDate',
      message: `身份证号码中的出生日期${value.slice(6, 14)}无效`,
      messageEn: `birth date ${value.slice(6, 14)} is not a real date in the past`,
    };
  }
  const expected = idCheckCharacter(value);
  if (value[17] !== expected) {
    return {
      valid: false,
      problem: 'checkDigit',
      message: `身份证号码校验位错误：应为${expected}，实际为${value[17]}`,
      messageEn: `check character should be ${expected}, found ${value[17]}`,
    };
  }
  return {
    valid: true,
    idNumber: value,
    regionCode: value.slice(0, 6),
    birthDate,
    sex: Number(value[16]) % 2 === 1 ? 'male' : 'female',
  };
}

/** Builds a valid number from its parts; `sequence` is 0..999 and its parity sets the sex. */
export function makeIdNumber(regionCode6: string, birthDate: string, sequence: number): string {
  const first17 = `${regionCode6}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return first17 + idCheckCharacter(first17);
}

/** Masks all but the region prefix and the last four characters: 420921********1234. */
export function maskIdNumber(value: string): string {
  if (value.length < 10) return '*'.repeat(value.length);
  return value.slice(0, 6) + '*'.repeat(value.length - 10) + value.slice(-4);
}
