/**
 * One batch of rows: prepared outside the transaction (blind index, encryption, content hash, the
 * COPY text), then written in one transaction as the importer: the set-based path
 * (import.stage.ts) inserts new records, marks unchanged ones seen and replaces changed ones
 * from an earlier snapshot; the rows it leaves over (repeated, out of region, older, same-date
 * corrections) are matched to persons, compared with the open versions by record number and
 * content hash, closed, replaced or rejected here, and counted.
 */
import { hash } from 'node:crypto';
import { maskIdNumber } from '@doudi/rules';
import type { Queryable } from '../../db/database.ts';
import { isWithin, regionPrefix } from '../regions/regionCode.ts';
import { type Pending, type RunContext, withDepartment } from './import.context.ts';
import {
  addCounts,
  type Counts,
  closeRecords,
  insertErrors,
  insertRecords,
  matchPersons,
  type NewRecord,
  openRecords,
  type RowError,
  replaceRecords,
  saveProgress,
  touchRecords,
  zeroCounts,
} from './import.repo.ts';
import { copyBytea, copyJson, copyText, writeChanged, writeStaged } from './import.stage.ts';
import type { ValidRecord } from './validate.ts';

/** SHA-256 of record number, ID number, name and data (the same bytes as before: stored hashes stay valid). */
function contentHash(record: ValidRecord, data: string): string {
  return hash('sha256', `${record.recordId}\u001f${record.idNumber}\u001f${record.name}\u001f${data}`, 'hex');
}

/** What the ID number becomes at rest; cached per run because one person has several records. */
export interface Identity {
  index: Buffer;
  hex: string;
  cipher: Buffer;
  masked: string;
  /** index, cipher and mask as three COPY text fields. */
  copy: string;
}

/**
 * A row kept for the row-by-row rules while its batch is written. Not the validated record: its
 * parsed data object and ID number would live as long for nothing (the batch outlives several
 * young-generation collections, and what it holds is copied at each).
 */
interface Good {
  rowNo: number;
  /** Record number. */
  key: string;
  name: string;
  identity: Identity;
  data: string;
  /** Content hash, hex. */
  hash: string;
}

export interface Prepared {
  rows: number;
  errors: RowError[];
  good: Good[];
  /** The good rows as COPY text (import.stage.ts), each record number once. */
  copy: string;
  /** Rows whose record number an earlier row of the batch has: not staged, left to the row rules. */
  repeats: number[];
  /** The batch's record numbers (import.run.ts keeps two batches that share one apart). */
  keys: Set<string>;
}

const IDENTITY_CACHE = 100_000;

/**
 * The CPU half of a batch (blind index, encryption, content hash, COPY text), done outside the
 * transaction so it overlaps the database's work on the previous batch. A repeated (ID number →
 * ciphertext) reveals only equality, which the blind index reveals anyway.
 */
export function prepareBatch(ctx: RunContext, batch: Pending[], cache: Map<string, Identity>): Prepared {
  const errors: RowError[] = [];
  const good: Good[] = [];
  const lines: string[] = [];
  const keys = new Set<string>();
  const repeats: number[] = [];
  for (const p of batch) {
    if (p.errors) {
      for (const e of p.errors) errors.push(e);
      continue;
    }
    const record = p.record as ValidRecord;
    let identity = cache.get(record.idNumber);
    if (!identity) {
      const index = ctx.cipher.blindIndex('idNumber', record.idNumber);
      const cipher = ctx.cipher.encrypt('idNumber', record.idNumber);
      const masked = maskIdNumber(record.idNumber);
      const hex = index.toString('hex');
      identity = {
        index,
        hex,
        cipher,
        masked,
        copy: `${copyBytea(hex)}\t${copyBytea(cipher.toString('hex'))}\t${copyText(masked)}`,
      };
      if (cache.size >= IDENTITY_CACHE) cache.clear();
      cache.set(record.idNumber, identity);
    }
    const data = JSON.stringify(record.data);
    const digest = contentHash(record, data);
    good.push({ rowNo: p.rowNo, key: record.recordId, name: record.name, identity, data, hash: digest });
    if (keys.has(record.recordId)) {
      repeats.push(p.rowNo);
      continue;
    }
    keys.add(record.recordId);
    lines.push(
      `${p.rowNo}\t${copyText(record.recordId)}\t${identity.copy}\t${copyText(record.name)}\t${copyJson(data)}\t${copyBytea(digest)}\n`,
    );
  }
  return { rows: batch.length, errors, good, copy: lines.join(''), repeats, keys };
}

/**
 * Whether the import expects every record number it writes to be new: true when the source had
 * no open record as it began (a department's first file, say). Then batches insert without the
 * conflict probe (import.stage.ts); the first batch that meets an open record turns it off.
 */
export interface FreshSource {
  expected: boolean;
}

/**
 * Writes one prepared batch: staged insert-or-touch, then the rows left over one by one. The
 * batch's counts are added to the run's, and saved with the cursor, only once `before` (the
 * previous batch) has committed: two batches may be written at once on two connections, but they
 * commit in file order, so the saved cursor never passes a batch that rolled back. Returns the
 * run's counts as this batch committed them.
 */
export async function writeBatch(
  ctx: RunContext,
  prepared: Prepared,
  counts: Counts,
  bytesRead: number,
  before: Promise<unknown> = Promise.resolve(),
  fresh: FreshSource = { expected: false },
): Promise<Counts> {
  const { row, spec, actor } = ctx;
  return withDepartment(ctx.db, actor, ctx.requestId, async (tx) => {
    const errors = [...prepared.errors];
    const delta = zeroCounts();
    delta.rowsRead = prepared.rows;
    delta.rejected = prepared.rows - prepared.good.length;
    let rest = prepared.good;
    if (rest.length > 0) {
      const meta = {
        source: spec.id,
        department: row.department,
        asOf: row.as_of,
        importId: row.id,
        regionCode: row.region_code,
        regionPrefix: regionPrefix(row.region_code),
      };
      const staged = await writeStaged(tx, meta, prepared.copy, fresh.expected);
      if (staged.conflicted) fresh.expected = false;
      const changed = await writeChanged(tx, meta, staged.leftover);
      delta.inserted += staged.inserted;
      delta.unchanged += staged.unchanged;
      delta.updated += changed.updated;
      delta.unmatched += staged.unmatched + changed.unmatched;
      delta.nameMismatches += staged.nameMismatches + changed.nameMismatches;
      const settled = new Set(changed.settled);
      const leftover = staged.leftover.filter((n) => !settled.has(n));
      if (leftover.length > 0 || prepared.repeats.length > 0) {
        const left = new Set([...leftover, ...prepared.repeats]);
        rest = prepared.good.filter((g) => left.has(g.rowNo));
        await writeLeftovers(tx, ctx, prepared.good, rest, delta, errors);
      }
    }
    await insertErrors(tx, row.id, row.department, row.region_code, errors);
    // A rejection here (the previous batch failed) rolls this one back too.
    await before;
    addCounts(counts, delta);
    await saveProgress(tx, row.id, counts, bytesRead);
    return { ...counts };
  });
}

/**
 * The rows the staged write did not settle, by the rules one at a time. `all` is the whole batch:
 * a repeated record number names the batch's first row with it, which may have been written above.
 */
async function writeLeftovers(
  tx: Queryable,
  ctx: RunContext,
  all: Good[],
  good: Good[],
  counts: Counts,
  errors: RowError[],
): Promise<void> {
  const { row, spec } = ctx;
  const asOf = row.as_of;
  const firstRow = new Map<string, number>();
  for (const g of all) if (!firstRow.has(g.key)) firstRow.set(g.key, g.rowNo);
  const existing = new Map(
    (
      await openRecords(
        tx,
        spec.id,
        good.map((g) => g.key),
      )
    ).map((r) => [r.record_key, r]),
  );
  const persons = new Map(
    // PGlite returns bytea as Uint8Array, pg as Buffer: compare as hex either way.
    (await matchPersons(tx, [...new Map(good.map((g) => [g.identity.hex, g.identity.index])).values()])).map(
      (m) => [Buffer.from(m.id_number_index).toString('hex'), m],
    ),
  );
  const inserts: NewRecord[] = [];
  const closes: number[] = [];
  const touches: number[] = [];
  const replaces: { id: number; record: NewRecord }[] = [];
  const reject = (g: Good, column: string | null, reason: string) => {
    counts.rejected += 1;
    errors.push({
      rowNo: g.rowNo,
      column,
      value: column === '记录编号' ? g.key : null,
      reason,
    });
  };
  for (const g of good) {
    const key = g.key;
    const earlierRow = firstRow.get(key);
    if (earlierRow !== undefined && earlierRow !== g.rowNo) {
      reject(g, '记录编号', `记录编号与第 ${earlierRow} 行重复`);
      continue;
    }
    const open = existing.get(key);
    if (open && open.import_id === row.id) {
      reject(g, '记录编号', '记录编号与本文件前面的行重复');
      continue;
    }
    const person = persons.get(g.identity.hex);
    if (person && !isWithin(person.region_code, row.region_code)) {
      reject(g, '身份证号码', '该身份证号码的人员登记在本辖区以外，不能由本辖区导入');
      continue;
    }
    const mismatch = person !== undefined && person.name !== g.name;
    const record: NewRecord = {
      key,
      regionCode: person?.region_code ?? row.region_code,
      personId: person?.person_id ?? null,
      cipher: g.identity.cipher,
      index: g.identity.index,
      masked: g.identity.masked,
      name: g.name,
      nameMismatch: mismatch,
      data: g.data,
      hash: Buffer.from(g.hash, 'hex'),
    };
    if (open) {
      if (Buffer.from(open.content_hash).toString('hex') === g.hash) {
        counts.unchanged += 1;
        if (open.seen_as_of < asOf) touches.push(open.id);
        continue;
      }
      if (open.valid_from > asOf) {
        reject(g, null, `已有 ${open.valid_from} 的更新记录，本文件截至日期 ${asOf} 较旧`);
        continue;
      }
      if (open.valid_from === asOf) replaces.push({ id: open.id, record });
      else {
        closes.push(open.id);
        inserts.push(record);
      }
      counts.updated += 1;
    } else {
      inserts.push(record);
      counts.inserted += 1;
    }
    if (!person) counts.unmatched += 1;
    if (mismatch) counts.nameMismatches += 1;
  }
  await closeRecords(tx, closes, asOf, row.id);
  await insertRecords(tx, { source: spec.id, department: row.department, asOf, importId: row.id }, inserts);
  await replaceRecords(tx, row.id, replaces);
  await touchRecords(tx, touches, asOf);
}
