/**
 * A reader may be opened well before its rows are asked for (the import asks the database things
 * in between): no format may start reading the file early and drop what it read. The JSON reader
 * once did (a byte counter set the stream flowing at open; CI on PostgreSQL read no rows).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../src/domains/sources/readers/csv.ts';
import { readJson } from '../src/domains/sources/readers/json.ts';
import type { FileReader } from '../src/domains/sources/readers/types.ts';
import { readXlsx } from '../src/domains/sources/readers/xlsx.ts';

const LIMITS = { maxRows: 100_000, maxCellChars: 10_000, maxUncompressedBytes: 1e9 };
const ROWS = 3_000;
const pause = () => new Promise((resolve) => setTimeout(resolve, 150));

async function rowsOf(reader: FileReader): Promise<number> {
  let rows = 0;
  for await (const run of reader.items)
    for (const item of run) if (item.kind === 'row' && !item.problem) rows++;
  return rows;
}

describe('readers opened before they are read', () => {
  let dir: string;
  const keys = Array.from({ length: ROWS }, (_, i) => `K-${i}`);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'doudi-readers-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('JSON array and JSON Lines', async () => {
    const array = join(dir, 'rows.json');
    await writeFile(array, JSON.stringify(keys.map((k) => ({ 记录编号: k, 姓名: '张三' }))));
    const lines = join(dir, 'rows.jsonl');
    await writeFile(lines, keys.map((k) => JSON.stringify({ recordId: k })).join('\n'));
    const a = readJson(array, 'utf-8', LIMITS, '[');
    const l = readJson(lines, 'utf-8', LIMITS, '{');
    await pause();
    expect(await rowsOf(a)).toBe(ROWS);
    expect(await rowsOf(l)).toBe(ROWS);
  });

  it('CSV and XLSX', async () => {
    const csv = join(dir, 'rows.csv');
    await writeFile(csv, ['记录编号,姓名', ...keys.map((k) => `${k},张三`)].join('\n'));
    const xlsx = join(dir, 'rows.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('数据');
    sheet.addRow(['记录编号', '姓名']);
    for (const k of keys) sheet.addRow([k, '张三']);
    await workbook.xlsx.writeFile(xlsx);
    const c = readCsv(csv, 'utf-8', LIMITS);
    const x = await readXlsx(xlsx, LIMITS);
    await pause();
    expect(await rowsOf(c)).toBe(ROWS);
    expect(await rowsOf(x)).toBe(ROWS);
  });
});
