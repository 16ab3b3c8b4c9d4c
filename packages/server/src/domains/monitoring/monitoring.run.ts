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
 */
import type { Database } from '../../db/database.ts';
import { asActor, asSystem } from '../../db/scope.ts';
import type { Actor, Role } from '../access/permissions.ts';
import { countHouseholds } from '../householdFacts/householdFacts.ts';
import { refreshSnapshot, streamSnapshot } from '../householdFacts/snapshot.repo.ts';
import type { SnapshotRow } from '../householdFacts/snapshotFacts.ts';
import { activeCatalog } from '../rules/activeCatalog.ts';
import {
  type Context,
  candidateDrafts,
  householdTriggerDrafts,
  indicatorDrafts,
  readTriggerInputs,
} from './monitoring.batch.ts';
import * as repo from './monitoring.repo.ts';
import { loadTriggers, triggersVersion } from './triggers.ts';

export interface RunOptions {
  batchSize?: number;
  /** Called after each stored batch; tests throw from it to kill a run midway. */
  onBatch?: (done: number, total: number | null) => void | Promise<void>;
}

export interface RunOutcome {
  runId: string;
  status: repo.RunRow['status'];
  done: number;
  raised: number;
  updated: number;
  seconds: number;
  /** Where this attempt's time went: setup (catalogue, snapshot refresh, what an import touched),
   *  waiting for reads, scoring and triggers on this thread, waiting for writes, candidates. */
  phases: {
    setupMs: number;
    readWaitMs: number;
    evaluateMs: number;
    writeWaitMs: number;
    candidatesMs: number;
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
    seconds: (performance.now() - started) / 1000,
    phases: Object.fromEntries(
      Object.entries(phases).map(([k, v]) => [k, Math.round(v)]),
    ) as RunOutcome['phases'],
  });
  const phases = { setupMs: 0, readWaitMs: 0, evaluateMs: 0, writeWaitMs: 0, candidatesMs: 0 };
  let mark = performance.now();
  const lap = (key: keyof typeof phases) => {
    const now = performance.now();
    phases[key] += now - mark;
    mark = now;
  };
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
  try {
    const active = await activeCatalog(db, run.as_of);
    const triggers = loadTriggers();
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
      sources: [...new Set(triggers.triggers.map((t) => t.source))],
      asOf: run.as_of,
    };
    await refreshSnapshot(db, scope, run.region_code);
    const touched =
      run.kind === 'incremental' && run.source_import_id
        ? await asActor(db, scope, undefined, (tx) =>
            repo.touchedByImport(tx, run.source_import_id as string),
          )
        : undefined;
    const total = touched
      ? touched.householdIds.length
      : await asActor(db, scope, undefined, (tx) => countHouseholds(tx, run.region_code));
    await asActor(db, scope, undefined, (tx) => repo.markRunning(tx, runId, total));
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
    ) => {
      lap('evaluateMs');
      if (pending) await pending;
      lap('writeWaitMs');
      pending = asActor(db, scope, undefined, async (tx) => {
        const c = await repo.upsertAlerts(tx, runId, scope.displayName, dedupe(drafts));
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
    const batchSize = options.batchSize ?? 2000;
    let colourCounts = { ...progress.colourCounts };
    const batchOf = async (rows: SnapshotRow[], lastId: string) => {
      // The records are read while the model scores the batch on this thread.
      const reads = readTriggerInputs(db, scope, ctx, rows);
      reads.catch(() => undefined);
      colourCounts = { ...colourCounts };
      lap('readWaitMs');
      const drafts = indicatorDrafts(ctx, rows, colourCounts);
      lap('evaluateMs');
      const inputs = await reads;
      lap('readWaitMs');
      const t = householdTriggerDrafts(ctx, rows, inputs);
      await store([...drafts, ...t.drafts], lastId, rows.length, t.hits, colourCounts);
    };
    if (!progress.cursor?.startsWith(CANDIDATES)) {
      if (touched) {
        const rest = touched.householdIds.filter(
          (id) => !progress.cursor || id > (progress.cursor as string),
        );
        // The next batch's snapshot rows are read while this one is scored.
        const read = (from: number) => {
          const ids = rest.slice(from, from + batchSize);
          const p = asActor(db, scope, undefined, (tx) => repo.snapshotRows(tx, ids));
          p.catch(() => undefined);
          return { p, lastId: ids.at(-1) as string };
        };
        let next = rest.length > 0 ? read(0) : undefined;
        for (let i = 0; next; i += batchSize) {
          const current = next;
          next = i + batchSize < rest.length ? read(i + batchSize) : undefined;
          await batchOf(await current.p, current.lastId);
        }
      } else {
        for await (const page of streamSnapshot(db, { scope, batchSize, after: progress.cursor })) {
          await batchOf(page.rows, page.lastId);
        }
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
          sources: ctx.sources,
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
    await asActor(db, scope, undefined, (tx) => repo.markFinished(tx, runId, 'completed'));
    return result('completed');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await asSystem(db, (tx) => repo.markFinished(tx, runId, 'failed', message.slice(0, 1000))).catch(
      () => undefined,
    );
    throw error;
  }
}

/** One draft per subject and cause (ON CONFLICT may not touch a row twice in one statement). */
function dedupe(drafts: repo.AlertDraft[]): repo.AlertDraft[] {
  const seen = new Map<string, repo.AlertDraft>();
  for (const d of drafts) seen.set(`${d.subjectKey}|${d.cause}`, d);
  return [...seen.values()];
}
