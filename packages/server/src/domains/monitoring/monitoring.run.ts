/**
 * A monitoring run (动态监测): the indicator models named in the trigger file and every event
 * trigger, over a region's households (full: the monthly re-screen) or over what one source import
 * touched (incremental), raising or updating alerts.
 *
 * Resumable and idempotent: households are taken in a fixed order, and each batch's alerts are
 * stored in the same transaction that moves the run's cursor, so a run killed mid-way continues
 * after its last stored batch. An alert this run already touched is not touched again
 * (monitoring.repo.ts upsertAlerts), so a redone batch changes nothing. Candidates (persons in a
 * source record but not in the registry) come after the households, keyed by blind index.
 *
 * Incremental runs score again only the touched households whose facts snapshot (or the run's
 * catalogue, trigger file or date) changed since they were scored, or whose raised alert has been
 * closed since; the triggers see every touched household (monitoring.scoring.ts says why).
 *
 * Speed (bench/monitoring): snapshot pages fetched by primary key (monitoring.snapshot.repo.ts
 * snapshotPage), raised households' evidence scored inside the batch, and, on a large full run while
 * a core is idle, the models on worker threads, which on a server read the pages themselves
 * (monitoring.pages.ts); the stored alerts are the same either way (tested).
 */
import { availableParallelism, loadavg } from 'node:os';
import { IndicatorWorkerPool } from '@doudi/rules';
import type { Database } from '../../db/database.ts';
import { asActor, asSystem } from '../../db/scope.ts';
import type { Actor, Role } from '../access/permissions.ts';
import { regionBounds } from '../householdFacts/householdFacts.ts';
import { refreshSnapshot } from '../householdFacts/snapshot.repo.ts';
import { activeCatalog } from '../rules/activeCatalog.ts';
import {
  type Context,
  candidateDrafts,
  householdTriggerDrafts,
  indicatorDrafts,
  scoreRows,
} from './monitoring.batch.ts';
import { type ScoredPage, scoredPages } from './monitoring.pages.ts';
import * as repo from './monitoring.repo.ts';
import { beginComparing, type Scoring, stillScored, storeScorings } from './monitoring.scoring.ts';
import { readTriggerInputs } from './monitoring.triggerInputs.ts';
import { recordWindows, triggersOf, triggersVersion } from './triggers.ts';

/**
 * Households per batch. A full run's pages are larger: at 1,000,000 households, 2,000 a page took
 * 78 s and 8,000 took 67 s (fewer statements and transactions, probes in longer sorted runs:
 * PostgreSQL's CPU 43 → 32 s); at 16,000 the larger live pages cost more collection than that
 * saved (bench/monitoring, session 15). A batch is what a killed run does again, and a store
 * transaction holds its alerts (≈2,000 at 8,000 households). An incremental run scores few
 * households and reads ahead by batches, and so does any run on PGlite.
 */
export const FULL_BATCH = 8000;
export const INCREMENTAL_BATCH = 2000;

export interface RunOptions {
  /** Households per batch; default `FULL_BATCH` (a full run on PostgreSQL) or `INCREMENTAL_BATCH`. */
  batchSize?: number;
  /** Called after each stored batch; tests throw from it to kill a run midway. */
  onBatch?: (done: number, total: number | null) => void | Promise<void>;
  /**
   * Worker threads for the indicator models. Default: 2 for a full run of at least `WORKERS_FROM`
   * households while the machine has a core to spare (load average below the cores less one), else
   * 0 (this thread). Workers shorten the wall-clock only on idle cores: each compiles the catalogue
   * (≈1 s of CPU), and moving batches across threads cost ≈60% more CPU per household when measured
   * on the shared 2-core machine, where busy cores gave no wall-clock back.
   */
  workers?: number;
}

/**
 * Batches an incremental run reads ahead of the one it handles: twice this many connections, and
 * one for the write, of the server's pool of 10 (the rest stay for requests).
 */
const READ_AHEAD = 2;

/** Households from which a full run scores on worker threads by default. */
export const WORKERS_FROM = 20_000;
/** The worker side: the snapshot decoded as screening decodes it, and pages read on a server. */
const DECODER = new URL('./monitoring.pageWorker.ts', import.meta.url);

export interface RunOutcome {
  runId: string;
  status: repo.RunRow['status'];
  done: number;
  raised: number;
  updated: number;
  /** Households this attempt scored with the models: all on a full run; on an incremental run
   *  only those whose facts snapshot changed since they were scored (monitoring.scoring.ts). */
  scored: number;
  seconds: number;
  /** Where this attempt's time went: setup (catalogue, snapshot refresh, what an import touched),
   *  waiting for reads, scoring and triggers on this thread, waiting for the workers' scores,
   *  waiting for writes, candidates; and the workers' busy time (decode + score, summed). */
  phases: {
    setupMs: number;
    readWaitMs: number;
    evaluateMs: number;
    scoreWaitMs: number;
    writeWaitMs: number;
    candidatesMs: number;
    workersBusyMs: number;
  };
}

const CANDIDATES = 'c:';

/** The actor a run works as: the region's scope, so row-level security bounds what it touches. */
function runScope(run: repo.RunRow): Actor {
  return {
    userId: run.started_by,
    username: run.started_by,
    displayName: run.started_by_name,
    role: (run.started_by_role ?? 'countyOfficer') as Role,
    department: null,
    regionCode: run.region_code,
  };
}

/** Runs (or continues) a monitoring run. A completed run is left as it is. */
export async function runMonitoring(
  db: Database,
  runId: string,
  options: RunOptions = {},
): Promise<RunOutcome> {
  const started = performance.now();
  const run = await asSystem(db, (tx) => repo.findRun(tx, runId));
  if (!run) throw new Error(`monitoring run ${runId} not found`);
  const result = (status: repo.RunRow['status']): RunOutcome => ({
    runId,
    status,
    done: progress.done,
    raised: progress.raised,
    updated: progress.updated,
    scored,
    seconds: (performance.now() - started) / 1000,
    phases: Object.fromEntries(
      Object.entries(phases).map(([k, v]) => [k, Math.round(v)]),
    ) as RunOutcome['phases'],
  });
  const phases = {
    setupMs: 0,
    readWaitMs: 0,
    evaluateMs: 0,
    scoreWaitMs: 0,
    writeWaitMs: 0,
    candidatesMs: 0,
    workersBusyMs: 0,
  };
  let mark = performance.now();
  const lap = (key: keyof typeof phases) => {
    const now = performance.now();
    phases[key] += now - mark;
    mark = now;
  };
  let scored = 0;
  const progress: repo.Progress = {
    cursor: run.cursor,
    done: run.households_done,
    raised: run.alerts_raised,
    updated: run.alerts_updated,
    triggerHits: run.trigger_hits,
    colourCounts: { ...run.colour_counts },
  };
  if (run.status === 'completed') return result('completed');
  const scope = runScope(run);
  let pool: IndicatorWorkerPool | undefined;
  try {
    const active = await activeCatalog(db, run.as_of);
    const triggers = triggersOf(active);
    if (run.catalog_version && run.catalog_version !== active.version)
      throw new Error(
        `规则目录在本次运行开始后已变更（${run.catalog_version} → ${active.version}），请重新发起运行`,
      );
    if (run.triggers_version && run.triggers_version !== triggersVersion(triggers))
      throw new Error('事件触发规则在本次运行开始后已变更，请重新发起运行');
    const models = triggers.models.map(({ model, raise }) => {
      const compiled = active.catalog.indicators?.find((m) => m.id === model);
      if (!compiled) throw new Error(`触发规则文件引用的指标模型 ${model} 不存在`);
      return { model: compiled, raise };
    });
    const ctx: Context = {
      catalog: active.catalog,
      models,
      triggers,
      windows: recordWindows(triggers, run.as_of),
      asOf: run.as_of,
    };
    await refreshSnapshot(db, scope, run.region_code);
    const touched =
      run.kind === 'incremental' && run.source_import_id
        ? await asActor(db, scope, undefined, (tx) =>
            repo.touchedByImport(tx, run.source_import_id as string),
          )
        : undefined;
    // A full run looks up records only of the persons who have some (an incremental run's
    // households were touched by an import: most of their members do). Asked for at once, and
    // awaited only by the first page's records: the pages are scored meanwhile.
    if (!touched) {
      ctx.personsWithRecords = asActor(db, scope, undefined, (tx) =>
        repo.personsWithRecords(tx, ctx.windows, ctx.asOf),
      );
      ctx.personsWithRecords.catch(() => undefined); // awaited by the first page
    }
    // A full run's households are the snapshot's rows it walks (counted off the page index).
    const total = touched
      ? touched.householdIds.length
      : await asActor(db, scope, undefined, (tx) => repo.countSnapshot(tx, regionBounds(run.region_code)));
    const spare = (loadavg()[0] ?? 0) < availableParallelism() - 1;
    const workers = options.workers ?? (run.kind === 'full' && total >= WORKERS_FROM && spare ? 2 : 0);
    if (workers > 0) {
      pool = new IndicatorWorkerPool(active.sources, { size: workers, decoder: DECODER });
      ctx.pool = pool;
    }
    await asActor(db, scope, undefined, async (tx) => {
      await repo.markRunning(tx, runId, total);
      if (!touched) await beginComparing(tx, runId);
    });
    lap('setupMs');
    // Batches are stored one after another, each with the counters as they were when it was
    // computed, so a stored cursor never carries the colours of a batch that is not stored yet.
    let pending: Promise<unknown> | undefined;
    const store = async (
      drafts: repo.AlertDraft[],
      cursor: string,
      households: number,
      hits: number,
      colourCounts: Record<string, number>,
      scorings: readonly Scoring[] = [],
    ) => {
      lap('evaluateMs');
      if (pending) await pending;
      lap('writeWaitMs');
      pending = asActor(db, scope, undefined, async (tx) => {
        const c = await repo.upsertAlerts(tx, runId, scope.displayName, dedupe(drafts));
        await storeScorings(tx, runId, scorings, { keepUnchanged: !touched });
        const next = {
          cursor,
          done: progress.done + households,
          raised: progress.raised + c.raised,
          updated: progress.updated + c.updated,
          triggerHits: progress.triggerHits + hits,
          colourCounts,
        };
        await repo.storeProgress(tx, runId, next);
        return next;
      }).then(async (next) => {
        Object.assign(progress, next);
        await options.onBatch?.(progress.done, total);
      });
      pending.catch(() => undefined); // awaited by the next store or after the loop
    };
    // PGlite serialises transactions: requests wait behind each store, so its batches stay small.
    const batchSize =
      options.batchSize ?? (touched || db.engine === 'pglite' ? INCREMENTAL_BATCH : FULL_BATCH);
    let colourCounts = { ...progress.colourCounts };
    // `unchanged`: households whose stored scoring still holds (incremental runs); triggers only.
    // `inputs`: the batch's trigger inputs when the caller has already asked for them.
    const batchOf = async (
      rows: repo.FactsRow[],
      lastId: string,
      unchanged?: Set<string>,
      inputs?: ReturnType<typeof readTriggerInputs>,
    ) => {
      lap('readWaitMs');
      const toScore = unchanged?.size ? rows.filter((r) => !unchanged.has(r.household_id)) : rows;
      scored += toScore.length;
      // The records are read (and, with workers, the triggers applied) while the models score.
      // On the pool, scoring starts first; on this thread, the read must be sent before it.
      const scoring = pool ? scoreRows(ctx, toScore) : undefined;
      scoring?.catch(() => undefined);
      const reads = inputs ?? readTriggerInputs(db, scope, ctx, rows);
      reads.catch(() => undefined);
      const scoredRows = scoring ?? scoreRows(ctx, toScore);
      lap('evaluateMs');
      const read = await reads;
      lap('readWaitMs');
      const t = householdTriggerDrafts(ctx, rows, read);
      lap('evaluateMs');
      const done = await scoredRows;
      lap('scoreWaitMs');
      colourCounts = { ...colourCounts };
      const scorings: Scoring[] = [];
      const drafts = indicatorDrafts(ctx, done, colourCounts, scorings);
      await store([...drafts, ...t.drafts], lastId, rows.length, t.hits, colourCounts, scorings);
    };
    // A full run's page: scored (tagged) and its members' records read while the page before it
    // was finished.
    const finishScored = async (page: ScoredPage) => {
      lap('evaluateMs');
      const { rows, scored: done, inputs } = await page.read;
      lap('readWaitMs');
      const t = householdTriggerDrafts(ctx, rows, inputs);
      colourCounts = { ...colourCounts };
      const scorings: Scoring[] = [];
      const drafts = indicatorDrafts(ctx, done, colourCounts, scorings);
      await store([...drafts, ...t.drafts], page.lastId, page.households, t.hits, colourCounts, scorings);
    };
    if (!progress.cursor?.startsWith(CANDIDATES)) {
      if (touched) {
        const rest = touched.householdIds.filter(
          (id) => !progress.cursor || id > (progress.cursor as string),
        );
        // Reads run READ_AHEAD batches ahead of the batch being handled: each batch's snapshot rows
        // (and which of them are still scored), then its members' records, on their own
        // connections. An import's run scores few households, so it waits on reads, most of them
        // index probes of pages not in shared buffers (bench/monitoring, session 10).
        const basis = {
          catalogVersion: run.catalog_version,
          triggersVersion: run.triggers_version,
          asOf: run.as_of,
        };
        const read = (from: number) => {
          const ids = rest.slice(from, from + batchSize);
          const p = asActor(db, scope, undefined, async (tx) => {
            const rows = await repo.snapshotRows(tx, ids);
            return { rows, unchanged: await stillScored(tx, rows, basis) };
          }).then((batch) => {
            const inputs = readTriggerInputs(db, scope, ctx, batch.rows);
            inputs.catch(() => undefined);
            return { ...batch, inputs };
          });
          p.catch(() => undefined);
          return { p, lastId: ids.at(-1) as string };
        };
        const ahead: ReturnType<typeof read>[] = [];
        let from = 0;
        for (; from < rest.length && ahead.length < READ_AHEAD; from += batchSize) ahead.push(read(from));
        for (let current = ahead.shift(); current; current = ahead.shift()) {
          if (from < rest.length) {
            ahead.push(read(from));
            from += batchSize;
          }
          const { rows, unchanged, inputs } = await current.p;
          await batchOf(rows, current.lastId, unchanged, inputs);
        }
      } else {
        // A page is sent to be scored as soon as its keys are read, while the page before it is
        // finished (triggers applied, alerts stored): the workers need not wait for this thread,
        // nor this thread for them. Its members come back with its scores (tagged), and its
        // records are asked for as soon as its scores are back (readWait includes the scores).
        let previous: ScoredPage | undefined;
        for await (const page of scoredPages(db, scope, ctx, run.region_code, batchSize, progress.cursor)) {
          lap('readWaitMs');
          scored += page.households;
          if (previous) await finishScored(previous);
          previous = page;
        }
        if (previous) await finishScored(previous);
      }
      if (pending) await pending;
      lap('writeWaitMs');
      progress.cursor = CANDIDATES;
    }
    // Candidates: persons named by a source record but not (yet) in the registry.
    // An import that named nobody new has no candidates to look at.
    for (; !touched || touched.candidates.length > 0; ) {
      const after = progress.cursor.slice(CANDIDATES.length) || null;
      const records = await asActor(db, scope, undefined, (tx) =>
        repo.unmatchedRecords(tx, {
          windows: ctx.windows,
          asOf: ctx.asOf,
          after,
          limit: batchSize,
          ...(touched ? { indexes: touched.candidates } : {}),
        }),
      );
      if (records.length === 0) break;
      const c = candidateDrafts(ctx, records);
      await store(c.drafts, `${CANDIDATES}${c.lastKey}`, 0, c.hits, colourCounts);
      await pending;
    }
    lap('candidatesMs');
    if (pool) phases.workersBusyMs = pool.busyMs;
    await asActor(db, scope, undefined, (tx) => repo.markFinished(tx, runId, 'completed'));
    if (!touched) await asSystem(db, (tx) => repo.analyzeRunTables(tx));
    return result('completed');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await asSystem(db, (tx) => repo.markFinished(tx, runId, 'failed', message.slice(0, 1000))).catch(
      () => undefined,
    );
    throw error;
  } finally {
    await pool?.close();
  }
}

/** One draft per subject and cause (ON CONFLICT may not touch a row twice in one statement). */
function dedupe(drafts: repo.AlertDraft[]): repo.AlertDraft[] {
  const seen = new Map<string, repo.AlertDraft>();
  for (const d of drafts) seen.set(`${d.subjectKey}|${d.cause}`, d);
  return [...seen.values()];
}
