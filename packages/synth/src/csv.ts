import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import {
  type Column,
  ENROLMENT_COLUMNS,
  HOUSEHOLD_COLUMNS,
  PERSON_COLUMNS,
  SOURCE_FILES,
} from './csvColumns.ts';
import { generateCounty } from './generate.ts';
import type { GenerateOptions, SourceName, SourceRecord } from './types.ts';

export interface WriteCsvOptions extends GenerateOptions {
  outDir: string;
  /** Prefix a UTF-8 byte-order mark (helps Excel open Chinese text); off by default. */
  bom?: boolean;
}

export interface WriteCsvResult {
  households: number;
  persons: number;
  /** Rows written per file name (relative to outDir). */
  rows: Record<string, number>;
}

export const GROUND_TRUTH_FILE = join('ground-truth', 'ground-truth.jsonl');

/** Waits for `drain` only when the stream asks for it: backpressure without a promise per row. */
async function put(stream: Writable, chunk: string): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

/**
 * Households are formatted in batches: csv-stringify's synchronous API turns a batch of rows into
 * one string, written with one call. Row-by-row streaming through a Stringifier was ~5× slower
 * (one fs write per row); a batch keeps memory bounded all the same.
 */
const BATCH_HOUSEHOLDS = 500;

class CsvFile<T> {
  readonly out: WriteStream;
  rows = 0;
  private pending: (string | number | null)[][] = [];
  private started = false;

  constructor(
    path: string,
    private readonly columns: readonly Column<T>[],
    private readonly bom: boolean,
  ) {
    this.out = createWriteStream(path);
  }

  add(row: T): void {
    this.rows += 1;
    this.pending.push(this.columns.map((c) => c.get(row)));
  }

  async flush(): Promise<void> {
    if (this.started && this.pending.length === 0) return;
    const text = stringify(this.pending, {
      header: !this.started,
      columns: this.columns.map((c) => c.header),
      bom: this.bom && !this.started,
    });
    this.started = true;
    this.pending = [];
    await put(this.out, text);
  }

  async close(): Promise<void> {
    await this.flush();
    this.out.end();
    await finished(this.out);
  }
}

/**
 * Streams a county to CSV files a department would send (one per source), plus households.csv,
 * persons.csv and enrolments.csv, and the ground truth as JSON lines under `ground-truth/` — a
 * separate folder so that nobody imports it by mistake. Memory stays flat: each household is
 * written and dropped, and writes wait when a file stream is full.
 */
export async function writeCountyCsv(options: WriteCsvOptions): Promise<WriteCsvResult> {
  const { outDir } = options;
  const bom = options.bom ?? false;
  await mkdir(join(outDir, 'ground-truth'), { recursive: true });
  const households = new CsvFile(join(outDir, 'households.csv'), HOUSEHOLD_COLUMNS, bom);
  const persons = new CsvFile(join(outDir, 'persons.csv'), PERSON_COLUMNS, bom);
  const enrolments = new CsvFile(join(outDir, 'enrolments.csv'), ENROLMENT_COLUMNS, bom);
  const sources = new Map<SourceName, CsvFile<SourceRecord>>();
  for (const [name, spec] of Object.entries(SOURCE_FILES) as [
    SourceName,
    { file: string; columns: Column<SourceRecord>[] },
  ][]) {
    sources.set(name, new CsvFile(join(outDir, spec.file), spec.columns, bom));
  }
  const truthStream = createWriteStream(join(outDir, GROUND_TRUTH_FILE));
  const all: CsvFile<never>[] = [households, persons, enrolments, ...sources.values()] as CsvFile<never>[];

  let householdCount = 0;
  let personCount = 0;
  let truthRows = 0;
  let truthText = '';
  const flush = async () => {
    for (const f of all) await f.flush();
    await put(truthStream, truthText);
    truthText = '';
  };
  try {
    for (const { household, records, truth } of generateCounty(options)) {
      householdCount += 1;
      households.add(household);
      for (const p of household.members) {
        personCount += 1;
        persons.add(p);
      }
      for (const enrolment of household.enrolments) enrolments.add({ household, enrolment });
      for (const r of records) (sources.get(r.source) as CsvFile<SourceRecord>).add(r);
      truthText += `${JSON.stringify(truth)}\n`;
      truthRows += 1;
      if (householdCount % BATCH_HOUSEHOLDS === 0) await flush();
    }
    await put(truthStream, truthText);
    await Promise.all(all.map((f) => f.close()));
  } finally {
    for (const f of all) f.out.end();
    truthStream.end();
  }
  await finished(truthStream);

  const rows: Record<string, number> = {
    'households.csv': households.rows,
    'persons.csv': persons.rows,
    'enrolments.csv': enrolments.rows,
    [GROUND_TRUTH_FILE]: truthRows,
  };
  for (const [name, file] of sources) rows[SOURCE_FILES[name].file] = file.rows;
  return { households: householdCount, persons: personCount, rows };
}
