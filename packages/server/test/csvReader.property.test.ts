/**
 * The CSV reader finds record boundaries itself and splits quote-free lines at their commas (see
 * readers/csv.ts for why); csv-parse reads every record with a quote. Whatever the mix, the records
 * must be exactly csv-parse's own reading of the whole file: random files written by csv-stringify,
 * cells with commas, quotes, line breaks and Chinese, few or many quoted lines (both paths).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../src/domains/sources/readers/csv.ts';

const LIMITS = { maxRows: 100_000, maxCellChars: 10_000, maxUncompressedBytes: 1e9 };
const plainCell = fc.string({ unit: fc.constantFrom('a', '1', '张', '三', '.', '-', ' '), maxLength: 8 });
const hostileCell = fc.string({
  unit: fc.constantFrom('a', '张', ',', '"', '\n', '\r\n', ' '),
  maxLength: 8,
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'doudi-csv-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(path: string): Promise<string[][]> {
  const out: string[][] = [];
  let headers: string[] = [];
  for await (const run of readCsv(path, 'utf-8', LIMITS).items)
    for (const item of run) {
      if (item.kind === 'headers') {
        headers = item.headers;
        out.push(headers);
      } else {
        expect(item.problem).toBeUndefined();
        out.push(headers.map((h) => String(item.cells[h])));
      }
    }
  return out;
}

describe('CSV reader agrees with csv-parse', () => {
  it('on random files, few to many quoted records (both paths), LF or CRLF', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc
          .record({ width: fc.integer({ min: 2, max: 5 }), hostileOneIn: fc.constantFrom(3, 10, 300) })
          .chain(({ width, hostileOneIn }) =>
            fc.record({
              rows: fc.array(
                fc.array(
                  fc.oneof(
                    { weight: hostileOneIn - 1, arbitrary: plainCell },
                    { weight: 1, arbitrary: hostileCell },
                  ),
                  { minLength: width, maxLength: width },
                ),
                { minLength: 1, maxLength: 120 },
              ),
              width: fc.constant(width),
              crlf: fc.boolean(),
              quoteAll: fc.boolean(),
            }),
          ),
        async ({ rows, width, crlf, quoteAll }) => {
          const header = Array.from({ length: width }, (_, i) => `列${i}`);
          const text = stringify([header, ...rows], {
            record_delimiter: crlf ? '\r\n' : '\n',
            quoted: quoteAll,
          });
          const path = join(dir, `f${n++}.csv`);
          await writeFile(path, text);
          const expected = parse(text, { relax_column_count: true, skip_empty_lines: true }) as string[][];
          expect(await readAll(path)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
