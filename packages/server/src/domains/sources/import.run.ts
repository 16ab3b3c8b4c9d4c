/**
 * The import pipeline: read rows (CSV, XLSX or JSON), validate each against the source's schema,
 * and write them in batches (import.batch.ts), each batch one transaction as the importing user
 * (row-level security applies) that also moves the import's counts forward. A crash loses at
 * most the batch in flight; re-running the same file resumes after the last committed batch.
 * Every row read ends in exactly one of inserted, updated, unchanged or rejected, checked at the end.
 */
import { appendAudit } from '../audit/audit.repo.ts';
import { chinaDate } from '../registry/registry.model.ts';
import { type AnomalyReport, computeAnomalies, datedAfter } from './anomalies.ts';
import { type FreshSource, type Identity, prepareBatch, writeBatch } from './import.batch.ts';
import { BATCH, type Pending, type RunContext, withDepartment } from './import.context.ts';
import {
  type Counts,
  closeAbsent,
  countsOf,
  hasOpenRecords,
  insertErrors,
  type RowError,
  saveProgress,
} from './import.repo.ts';
import { bindHeaders, effectiveHeaders, objectRow, tableRow } from './mapping.ts';
import { type FileReader, FileRefused, type ReadItem } from './readers/types.ts';
import { validateRow } from './validate.ts';

export { BATCH, type RunContext, withDepartment } from './import.context.ts';

/** Rows between two turns of the event loop in the read loop (see runPasses). */
const YIELD_EVERY = 250;

/** A batch being written: its commit, its progress report, its record numbers. */
interface InFlight {
  committed: Promise<unknown>;
  reported: Promise<unknown>;
  keys: Set<string>;
}

/** Whether two batches share a record number (the smaller set is walked). */
function sharesKey(a: Set<string>, b: Set<string>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const key of small) if (large.has(key)) return true;
  return false;
}

/**
 * Turns the reader's items into validated rows, one call an item (undefined for the header). A
 * plain function, not a generator over the file: rows are validated in the import's loop, which
 * turns the event loop every YIELD_EVERY rows (runPasses).
 */
function rowValidator(
  ctx: RunContext,
  format: FileReader['format'],
  today: string,
  notes: Record<string, unknown>,
): (item: ReadItem) => Pending | undefined {
  const headers = effectiveHeaders(ctx.spec, ctx.mapping);
  let toRow: ((cells: Record<string, unknown>) => ReturnType<typeof tableRow>) | undefined;
  return (item) => {
    if (item.kind === 'headers') {
      if (format === 'json') toRow = (cells) => objectRow(headers, cells as never);
      else {
        const bound = bindHeaders(ctx.spec, headers, item.headers);
        if (bound.unknown.length > 0) notes.unknownColumns = bound.unknown;
        toRow = (cells) => tableRow(bound.columns, cells as never);
      }
      return undefined;
    }
    if (!toRow) throw new FileRefused('文件没有表头', 'no header row');
    if (item.problem)
      return {
        rowNo: item.rowNo,
        errors: [{ rowNo: item.rowNo, column: null, value: null, reason: item.problem }],
      };
    const result = validateRow(ctx.spec, toRow(item.cells), today);
    if ('record' in result) return { rowNo: item.rowNo, record: result.record };
    return { rowNo: item.rowNo, errors: result.problems.map((p) => ({ rowNo: item.rowNo, ...p })) };
  };
}

/** All-or-nothing sources: a first pass only validates; any bad row refuses the whole file. */
async function validateOnly(ctx: RunContext, today: string, notes: Record<string, unknown>): Promise<number> {
  const reader = await ctx.open();
  let rejected = 0;
  let read = 0;
  let errors: RowError[] = [];
  const flush = async () => {
    if (errors.length === 0) return;
    const batch = errors;
    errors = [];
    await withDepartment(ctx.db, ctx.actor, ctx.requestId, (tx) =>
      insertErrors(tx, ctx.row.id, ctx.row.department, ctx.row.region_code, batch),
    );
  };
  const keys = new Map<string, number>();
  const validated = rowValidator(ctx, reader.format, today, notes);
  for await (const run of reader.items)
    for (const item of run) {
      const p = validated(item);
      if (!p) continue;
      read += 1;
      if (p.errors) {
        rejected += 1;
        errors.push(...p.errors);
      } else if (p.record) {
        // Duplicates must be found before anything is written; keys of one file fit in memory here
        // because all-or-nothing sources are small identity feeds.
        const earlier = keys.get(p.record.recordId);
        if (earlier !== undefined) {
          rejected += 1;
          errors.push({
            rowNo: p.rowNo,
            column: '记录编号',
            value: p.record.recordId,
            reason: `记录编号与第 ${earlier} 行重复`,
          });
        } else keys.set(p.record.recordId, p.rowNo);
      }
      if (errors.length >= BATCH) await flush();
    }
  await flush();
  notes.validatedRows = read;
  return rejected;
}

export interface RunOutcome {
  status: 'done' | 'refused' | 'failed';
  counts: Counts;
  message: string | null;
  notes: Record<string, unknown>;
  anomalies?: AnomalyReport | null;
  /** Whether a row read may have had a date after the as-of date (anomalies.ts datedAfter). */
  futureDated?: boolean;
}

/** The anomaly checks, from what was committed (done and refused imports; a failed one is rerun). */
async function withAnomalies(ctx: RunContext, outcome: RunOutcome): Promise<RunOutcome> {
  if (outcome.status === 'failed') return outcome;
  const anomalies = await withDepartment(ctx.db, ctx.actor, ctx.requestId, (tx) =>
    computeAnomalies(
      tx,
      ctx.row,
      ctx.spec,
      outcome.counts.rowsRead,
      ctx.shrinkPercent ?? null,
      outcome.futureDated ?? true,
    ),
  );
  return { ...outcome, anomalies };
}

export async function runImport(ctx: RunContext): Promise<RunOutcome> {
  return withAnomalies(ctx, await runPasses(ctx));
}

async function runPasses(ctx: RunContext): Promise<RunOutcome> {
  const today = chinaDate(new Date());
  const notes: Record<string, unknown> = {};
  const counts = countsOf(ctx.row);
  const resumeFrom = ctx.row.rows_read;
  let bytesRead = ctx.row.bytes_read;
  try {
    if (ctx.row.all_or_nothing && resumeFrom === 0) {
      const bad = await validateOnly(ctx, today, notes);
      if (bad > 0) {
        const total = Number(notes.validatedRows);
        return {
          status: 'refused',
          counts: { ...counts, rowsRead: total, rejected: bad },
          message: `“${ctx.spec.label}”要求整份文件无误：${total} 行中有 ${bad} 行不合格，整份文件未导入，请下载错误报告修正后重新上传`,
          notes,
        };
      }
    }
    // Imports of a source run one at a time (import.claim.ts), so a source with no open record now
    // gets none but this import's, all seen on its date: nothing will be absent from its snapshot.
    // Asked before the file is opened: nothing is read while the database answers.
    const hadOpen = await withDepartment(ctx.db, ctx.actor, ctx.requestId, (tx) =>
      hasOpenRecords(tx, ctx.spec.id),
    );
    const fresh: FreshSource = { expected: !hadOpen };
    const reader = await ctx.open();
    let skipped = 0;
    let batch: Pending[] = [];
    const cache = new Map<string, Identity>();
    // Two batches are written at once, each in its own transaction on its own connection, while a
    // third is read, validated and encrypted: one connection kept PostgreSQL on one core, and its
    // share (about 25 µs a row) was the import's wall time. They commit in file order (writeBatch).
    // Two batches that share a record number are written one after the other: each would
    // otherwise wait for the other's uncommitted version, which no deadlock check sees when one
    // of the waits is this process waiting for the other's commit.
    // `older`: the progress report of the batch before the previous one, awaited before a new
    // batch starts (at most two in the database; a report that stalls stalls the import).
    let older: Promise<unknown> = Promise.resolve();
    let previous: InFlight | null = null;
    let failure: unknown;
    const fail = (error: unknown) => {
      failure ??= error;
    };
    const submit = async (rows: Pending[], bytes: number) => {
      const prepared = prepareBatch(ctx, rows, cache);
      await older;
      if (failure) throw failure;
      const before = previous?.committed ?? Promise.resolve();
      if (previous && sharesKey(previous.keys, prepared.keys)) await before.catch(() => undefined);
      if (failure) throw failure;
      const committed = writeBatch(ctx, prepared, counts, bytes, before, fresh);
      committed.catch(fail);
      // Progress is reported after the commit, outside the transaction (a report that reads the
      // database must not wait for the next batch's transaction on PGlite's one connection).
      const reported = Promise.all([previous?.reported, committed])
        .then(([, saved]) => ctx.onProgress?.(saved, bytes))
        .catch(fail);
      older = previous?.reported ?? Promise.resolve();
      previous = { committed, reported, keys: prepared.keys };
    };
    const settle = () => Promise.allSettled([previous?.committed, previous?.reported]);
    // Rows passed over on a resume were not looked at: they may have had a future date.
    let futureDated = resumeFrom > 0;
    const isDatedAfter = datedAfter(ctx.spec, ctx.row.as_of);
    try {
      const validated = rowValidator(ctx, reader.format, today, notes);
      for await (const run of reader.items)
        for (const item of run) {
          if (skipped < resumeFrom && item.kind === 'row') {
            skipped += 1;
            continue;
          }
          const p = validated(item);
          if (!p) continue;
          if (!futureDated && p.record) futureDated = isDatedAfter(p.record);
          batch.push(p);
          // Reading, validating and preparing run as microtasks that never return to the event loop
          // while the file is buffered: the database's replies to the batches being written waited up
          // to a chunk's worth of rows each, and the database sat idle. Every YIELD_EVERY rows the
          // loop lets them through (a macrotask costs about a microsecond).
          if (batch.length % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
          if (batch.length >= (ctx.batchSize ?? BATCH)) {
            bytesRead = Math.max(bytesRead, reader.bytesRead());
            await submit(batch, bytesRead);
            batch = [];
          }
        }
    } catch (error) {
      // The rows read before the file broke off are written and counted, not lost.
      if (error instanceof FileRefused && batch.length > 0) await submit(batch, bytesRead).catch(fail);
      await settle();
      throw failure ?? error;
    }
    await submit(batch, ctx.row.bytes);
    await settle();
    if (failure) throw failure;
    if (ctx.spec.asOf === 'snapshot') {
      // Without open records at the start the statement finds nothing, but walks every record the
      // import wrote to learn that (1 s at 1,000,000 rows).
      if (counts.rejected === 0)
        counts.closed = hadOpen
          ? await withDepartment(ctx.db, ctx.actor, ctx.requestId, (tx) =>
              closeAbsent(tx, ctx.spec.id, ctx.row.as_of, ctx.row.id),
            )
          : 0;
      else notes.snapshotNotClosed = '有被拒绝的行，快照中缺少的记录暂不注销，修正后重新导入即可';
    }
    const sum = counts.inserted + counts.updated + counts.unchanged + counts.rejected;
    if (sum !== counts.rowsRead) throw new Error(`计数不平：读取 ${counts.rowsRead} 行，分类 ${sum} 行`);
    return { status: 'done', counts, message: null, notes, futureDated };
  } catch (error) {
    if (error instanceof FileRefused) {
      const nothingWritten = counts.rowsRead === 0;
      return { status: nothingWritten ? 'refused' : 'failed', counts, message: error.message, notes };
    }
    return { status: 'failed', counts, message: `导入失败：${(error as Error).message}`, notes };
  }
}

/** Records the outcome and its audit entry in one transaction. */
export async function finishImport(
  ctx: Pick<RunContext, 'db' | 'actor' | 'requestId' | 'row'>,
  outcome: RunOutcome,
  startedAt: number,
): Promise<void> {
  const { row } = ctx;
  await withDepartment(ctx.db, ctx.actor, ctx.requestId, async (tx) => {
    // A failed run keeps the counts of its committed batches (the batch in flight rolled back).
    if (outcome.status !== 'failed')
      await saveProgress(tx, row.id, outcome.counts, outcome.status === 'done' ? row.bytes : row.bytes_read);
    await tx.query(
      `UPDATE source_import SET status = $2, message = $3, notes = $4, finished_at = now(), duration_ms = $5,
              anomalies = $6
        WHERE id = $1`,
      [
        row.id,
        outcome.status,
        outcome.message,
        JSON.stringify(outcome.notes),
        Math.round(performance.now() - startedAt),
        outcome.anomalies ? JSON.stringify(outcome.anomalies) : null,
      ],
    );
    await appendAudit(tx, {
      action: `sources.import.${outcome.status}`,
      entityType: 'source_import',
      entityId: row.id,
      regionCode: row.region_code,
      actorRole: ctx.actor.role,
      after: {
        source: row.source,
        fileName: row.file_name,
        checksum: row.checksum,
        asOf: row.as_of,
        ...outcome.counts,
      },
    });
  });
}
