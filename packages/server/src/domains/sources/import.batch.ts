/**
 * One batch of rows: prepared outside the transaction (blind index, encryption, content hash),
 * then written in one transaction as the importer: matched to persons, compared with the open
 * versions by record number and content hash, inserted, closed, replaced or left alone, counted.
 */
import { createHash } from 'node:crypto';
import { maskIdNumber } from '@doudi/rules';
import { isWithin } from '../regions/regionCode.ts';
import { type Pending, type RunContext, withDepartment } from './import.context.ts';
import {
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
} from './import.repo.ts';
import type { ValidRecord } from './validate.ts';

function contentHash(record: ValidRecord, data: string): Buffer {
  return createHash('sha256')
    .update(record.recordId)
    .update('\u001f')
    .update(record.idNumber)
    .update('\u001f')
    .update(record.name)
    .update('\u001f')
    .update(data)
    .digest();
}

/** What the ID number becomes at rest; cached per run because one person has several records. */
export interface Identity {
  index: Buffer;
  hex: string;
  cipher: Buffer;
  masked: string;
}

interface Prepared {
  rows: number;
  errors: RowError[];
  good: { rowNo: number; record: ValidRecord; identity: Identity; data: string; hash: Buffer }[];
}

const IDENTITY_CACHE = 100_000;

/**
 * The CPU half of a batch (blind index, encryption, content hash), done outside the transaction
 * so it overlaps the database's work on the previous batch. A repeated (ID number → ciphertext)
 * reveals only equality, which the blind index reveals anyway.
 */
export function prepareBatch(ctx: RunContext, batch: Pending[], cache: Map<string, Identity>): Prepared {
  const errors: RowError[] = [];
  const good: Prepared['good'] = [];
  for (const p of batch) {
    if (p.errors) {
      errors.push(...p.errors);
      continue;
    }
    const record = p.record as ValidRecord;
    let identity = cache.get(record.idNumber);
    if (!identity) {
      const index = ctx.cipher.blindIndex('idNumber', record.idNumber);
      identity = {
        index,
        hex: index.toString('hex'),
        cipher: ctx.cipher.encrypt('idNumber', record.idNumber),
        masked: maskIdNumber(record.idNumber),
      };
      if (cache.size >= IDENTITY_CACHE) cache.clear();
      cache.set(record.idNumber, identity);
    }
    const data = JSON.stringify(record.data);
    good.push({ rowNo: p.rowNo, record, identity, data, hash: contentHash(record, data) });
  }
  return { rows: batch.length, errors, good };
}

/** Writes one prepared batch: match, compare with the open versions, insert/close/replace, count. */
export async function writeBatch(
  ctx: RunContext,
  prepared: Prepared,
  counts: Counts,
  bytesRead: number,
): Promise<void> {
  const { row, spec, actor } = ctx;
  const asOf = row.as_of;
  await withDepartment(ctx.db, actor, ctx.requestId, async (tx) => {
    const { good } = prepared;
    const errors = [...prepared.errors];
    counts.rowsRead += prepared.rows;
    counts.rejected += prepared.rows - good.length;
    const existing = new Map(
      (
        await openRecords(
          tx,
          spec.id,
          good.map((g) => g.record.recordId),
        )
      ).map((r) => [r.record_key, r]),
    );
    const persons = new Map(
      // PGlite returns bytea as Uint8Array, pg as Buffer: compare as hex either way.
      (
        await matchPersons(tx, [...new Map(good.map((g) => [g.identity.hex, g.identity.index])).values()])
      ).map((m) => [Buffer.from(m.id_number_index).toString('hex'), m]),
    );
    const inserts: NewRecord[] = [];
    const closes: number[] = [];
    const touches: number[] = [];
    const replaces: { id: number; record: NewRecord }[] = [];
    const seenInBatch = new Map<string, number>();
    const reject = (g: (typeof good)[number], column: string | null, reason: string) => {
      counts.rejected += 1;
      errors.push({
        rowNo: g.rowNo,
        column,
        value: column === '记录编号' ? g.record.recordId : null,
        reason,
      });
    };
    for (const g of good) {
      const key = g.record.recordId;
      const earlierRow = seenInBatch.get(key);
      if (earlierRow !== undefined) {
        reject(g, '记录编号', `记录编号与第 ${earlierRow} 行重复`);
        continue;
      }
      seenInBatch.set(key, g.rowNo);
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
      const mismatch = person !== undefined && person.name !== g.record.name;
      const record: NewRecord = {
        key,
        regionCode: person?.region_code ?? row.region_code,
        personId: person?.person_id ?? null,
        cipher: g.identity.cipher,
        index: g.identity.index,
        masked: g.identity.masked,
        name: g.record.name,
        nameMismatch: mismatch,
        data: g.data,
        hash: g.hash,
      };
      if (open) {
        if (Buffer.from(open.content_hash).equals(g.hash)) {
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
    await insertErrors(tx, row.id, row.department, row.region_code, errors);
    await saveProgress(tx, row.id, counts, bytesRead);
  });
  await ctx.onProgress?.(counts, bytesRead);
}
