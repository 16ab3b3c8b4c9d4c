/**
 * Region codes are stored as 12 digits (GB/T 2260 extended by the statistics bureau):
 * province 2, city 4, county 6, township 9, village 12 significant digits.
 */
export const NATIONAL_REGION = '000000000000';

export type RegionLevel = 0 | 1 | 2 | 3 | 4 | 5;

export const regionLevelNames: Record<RegionLevel, { zh: string; en: string }> = {
  0: { zh: '全国', en: 'nation' },
  1: { zh: '省', en: 'province' },
  2: { zh: '市', en: 'city' },
  3: { zh: '县', en: 'county' },
  4: { zh: '乡镇', en: 'township' },
  5: { zh: '村（社区）', en: 'village' },
};

const SIGNIFICANT_DIGITS: Record<RegionLevel, number> = { 0: 0, 1: 2, 2: 4, 3: 6, 4: 9, 5: 12 };

export function isRegionCode(code: string): boolean {
  return /^\d{12}$/.test(code);
}

/** Pads a 2/4/6/9/12-digit statistics code to 12 digits. */
export function toRegionCode(original: string): string {
  if (!/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/.test(original))
    throw new Error(`不是有效的行政区划代码：${original}`);
  return original.padEnd(12, '0');
}

export function regionLevel(code: string): RegionLevel {
  if (code === NATIONAL_REGION) return 0;
  if (code.endsWith('0000000000')) return 1;
  if (code.endsWith('00000000')) return 2;
  if (code.endsWith('000000')) return 3;
  if (code.endsWith('000')) return 4;
  return 5;
}

/** The prefix shared by every code in the region's subtree ('' for the nation). */
export function regionPrefix(code: string): string {
  return code.slice(0, SIGNIFICANT_DIGITS[regionLevel(code)]);
}

/**
 * The township a village (or any finer code) belongs to: parameters are overridden down to
 * township level, so evaluations are grouped by it.
 */
export const townshipOf = (code: string): string => `${code.slice(0, 9)}000`;

/** The value of the `doudi.scope` database setting for a user whose home region is `code`. */
export function scopeSetting(code: string): string {
  return code === NATIONAL_REGION ? 'all' : regionPrefix(code);
}

export function isWithin(code: string, scopeRegion: string): boolean {
  return code.startsWith(regionPrefix(scopeRegion));
}
