import type { Rng } from './random.ts';

/** Official identifiers other than ID numbers: phones, plates, credit codes, certificate numbers. */

/**
 * Mobile prefixes of China Mobile, China Unicom and China Telecom (MIIT allocations); numbers are
 * 11 digits. Phone numbers need not be unique: family members sometimes share one.
 */
// biome-ignore format: compact table, one row per line would hide the data
const MOBILE_PREFIXES = [
  '134', '135', '136', '137', '138', '139', '147', '150', '151', '152', '157', '158', '159', '178', '182',
  '183', '184', '187', '188', '198', '130', '131', '132', '155', '156', '166', '175', '176', '185', '186',
  '133', '153', '173', '177', '180', '181', '189', '191', '199',
];

export function mobilePhone(rng: Rng): string {
  return rng.pick(MOBILE_PREFIXES) + rng.digits(8);
}

/** 鄂K is Xiaogan's plate prefix. Letters I and O are not used on plates. */
const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

export function plateNumber(rng: Rng, newEnergy: boolean): string {
  let tail = '';
  if (newEnergy) {
    // New-energy small cars: D (battery) or F (hybrid) then five digits.
    tail = (rng.chance(0.8) ? 'D' : 'F') + rng.digits(5);
  } else {
    for (let i = 0; i < 5; i++) {
      tail += i < 2 && rng.chance(0.5) ? PLATE_LETTERS[rng.int(0, PLATE_LETTERS.length - 1)] : rng.digits(1);
    }
  }
  return `鄂K${tail}`;
}

const CREDIT_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** Check character of a 9-character organisation code (GB 11714). */
function orgCodeCheck(body8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++)
    sum += CREDIT_CODE_CHARS.indexOf(body8[i] as string) * (ORG_CODE_WEIGHTS[i] as number);
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** Check character of an 18-character unified social credit code (GB 32100-2015). */
export function creditCodeCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++)
    sum += CREDIT_CODE_CHARS.indexOf(first17[i] as string) * (CREDIT_CODE_WEIGHTS[i] as number);
  return CREDIT_CODE_CHARS[(31 - (sum % 31)) % 31] as string;
}

/**
 * A unified social credit code: '9' (market regulation) + '1' company / '2' individual business +
 * 6-digit region + 9-character organisation code + check character.
 */
export function creditCode(rng: Rng, individual: boolean, region6: string): string {
  const body = rng.digits(8);
  const first17 = `9${individual ? '2' : '1'}${region6}${body}${orgCodeCheck(body)}`;
  return first17 + creditCodeCheck(first17);
}

/** 不动产权证书号, e.g. 鄂(2021)孝昌县不动产权第0012345号. */
export function realEstateCertificate(rng: Rng, year: string, registry: string): string {
  return `鄂(${year})${registry}不动产权第${rng.digits(7)}号`;
}

/** 残疾人证号 (second-generation card): ID number + type digit (1–7) + grade digit (1–4). */
export const DISABILITY_TYPE_DIGIT = {
  visual: '1',
  hearing: '2',
  speech: '3',
  physical: '4',
  intellectual: '5',
  mental: '6',
  multiple: '7',
} as const;
