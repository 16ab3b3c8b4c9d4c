/**
 * A batch re-verification run: every enrolled household of a region (or a chosen list) verified
 * as of the run's date, a compact summary stored per household, compared with the household's
 * previous summary, and the changes that matter raised to the case owner.
 *
 * Set-based: a batch of households is read in four queries (households, persons and records
 * through verification_batch_rows, previous summaries, case owners), summarised with the report's
 * own pure `summarise`, and written in three statements.
 *
 * Resumable: households are taken in id order; a batch's summaries, changes, reminders and the
 * run's cursor are written in one transaction, so a run killed mid-way continues after its last
 * stored batch — nothing repeated, nothing skipped — and ends as an uninterrupted run would.
 */
import { lookupParameter, type ParameterValue } from '@doudi/rules';
import type { Database } from '../../db/database.ts';
import { asActor, asSystem } from '../../db/scope.ts';
import type { Actor, Role } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { regionPrefix } from '../regions/regionCode.ts';
import { activeCatalog } from '../rules/activeCatalog.ts';
import * as repo from './batch.repo.ts';
import { type BatchPerson, type BatchRecord, diffSummaries, householdSummary } from './batch.summary.ts';

export interface BatchRunOptions {
  batchSize?: number;
  /** Called after each stored batch; tests throw from it to kill a run midway. */
  onBatch?: (done: number, total: number | null) => void | Promise<void>;
}

export interface BatchRunOutcome {
  runId: string;
  status: repo.BatchRunRow['status'];
  done: number;
  baselines: number;
  changes: number;
  seconds: number;
  /** Where this attempt's time went (ms): reading, summarising and comparing, writing. */
  phases: { readMs: number; computeMs: number; writeMs: number };
}

export const DEPOSIT_THRESHOLD_PARAMETER = 'depositIncreaseAlertThreshold';

/** The actor a run works as: its starter, scoped to the run's region (row-level security). */
export function runScope(run: repo.BatchRunRow): Actor {
  return {
    userId: run.started_by,
    username: run.started_by,
    displayName: run.started_by_name,
    role: (run.started_by_role ?? 'countyOfficer') as Role,
    department: null,
    regionCode: run.region_code,
  };
}

/** The reminder text the case owner sees. */
export function reminderText(c: repo.ChangeRow, householdNumber: string): string {
  return `【批量核对】户号${householdNumber}：${c.reasonZh}，请核实处理`;
}

/** Runs (or continues) a batch run. A completed run is left as it is. */
export async function runBatch(
  db: Database,
  runId: string,
  options: BatchRunOptions = {},
): Promise<BatchRunOutcome> {
  const started = performance.now();
  const phases = { readMs: 0, computeMs: 0, writeMs: 0 };
  const run = await asSystem(db, (tx) => repo.findRun(tx, runId));
  if (!run) throw new Error(`verification batch run ${runId} not found`);
  const progress = {
    cursor: run.cursor,
    done: run.households_done,
    baselines: run.baselines,
    changes: run.changes_found,
  };
  const outcome = (status: repo.BatchRunRow['status']): BatchRunOutcome => ({
    runId,
    status,
    done: progress.done,
    baselines: progress.baselines,
    changes: progress.changes,
    seconds: (performance.now() - started) / 1000,
    phases: {
      readMs: Math.round(phases.readMs),
      computeMs: Math.round(phases.computeMs),
      writeMs: Math.round(phases.writeMs),
    },
  });
  if (run.status === 'completed') return outcome('completed');
  const scope = runScope(run);
  const prefix = regionPrefix(run.region_code);
  try {
    const active = await activeCatalog(db, run.as_of);
    if (run.catalog_version && run.catalog_version !== active.version)
      throw new Error(
        `规则目录在本次核对开始后已变更（${run.catalog_version} → ${active.version}），请重新发起批量核对`,
      );
    const cache = new Map<string, ParameterValue>();
    const paramFor = (village: string) => (name: string) => {
      const key = `${name}|${village}`;
      let value = cache.get(key);
      if (!value) {
        const p = active.catalog.parameters.get(name);
        if (!p) throw new Error(`参数${name}不存在`);
        try {
          value = lookupParameter(p, run.as_of, village);
        } catch {
          throw new Error(`核对日期${run.as_of}在${village}没有生效的参数“${p.description ?? name}”`);
        }
        cache.set(key, value);
      }
      return value;
    };
    const total = await asActor(db, scope, undefined, async (tx) => {
      const n = run.household_ids ? run.household_ids.length : await repo.countEnrolled(tx, prefix);
      await repo.markRunning(tx, runId, n);
      return n;
    });
    const batchSize = options.batchSize ?? 1000;
    const listed = run.household_ids ? [...run.household_ids].sort() : null;
    for (;;) {
      let mark = performance.now();
      const lap = (key: keyof typeof phases) => {
        const now = performance.now();
        phases[key] += now - mark;
        mark = now;
      };
      const next = await asActor(db, scope, undefined, async (tx) => {
        const after = progress.cursor;
        const ids = listed
          ? listed.filter((id) => after === null || id > after).slice(0, batchSize)
          : await repo.enrolledAfter(tx, prefix, after, batchSize);
        if (ids.length === 0) return null;
        const input = await repo.readBatch(tx, runId, ids, run.as_of);
        lap('readMs');
        const personsOf = new Map<string, BatchPerson[]>();
        for (const p of input.persons) {
          const list = personsOf.get(p.household_id);
          if (list) list.push(p);
          else personsOf.set(p.household_id, [p]);
        }
        const householdsOf = new Map<string, string[]>();
        for (const p of input.persons)
          householdsOf.set(p.id, [...(householdsOf.get(p.id) ?? []), p.household_id]);
        const recordsOf = new Map<string, BatchRecord[]>();
        for (const r of input.records)
          for (const h of householdsOf.get(r.person_id) ?? []) {
            const list = recordsOf.get(h);
            if (list) list.push(r);
            else recordsOf.set(h, [r]);
          }
        const summaries: Parameters<typeof repo.storeBatch>[2] = [];
        const changes: repo.ChangeRow[] = [];
        const numbers = new Map<string, string>();
        let baselines = 0;
        for (const h of input.households) {
          numbers.set(h.id, h.household_number);
          const persons = personsOf.get(h.id) ?? [];
          const param = paramFor(h.region_code);
          const summary = householdSummary(persons, recordsOf.get(h.id) ?? [], run.as_of, h.urban, param);
          summaries.push({ householdId: h.id, regionCode: h.region_code, summary });
          const previous = input.previous.get(h.id);
          if (!previous) baselines += 1;
          const names = new Map(persons.map((p) => [p.id, p.name]));
          const threshold = Number(param(DEPOSIT_THRESHOLD_PARAMETER).value);
          const owner = input.owners.get(h.id);
          for (const c of diffSummaries(previous, summary, names, threshold))
            changes.push({
              ...c,
              householdId: h.id,
              regionCode: h.region_code,
              ownerId: owner?.owner_id ?? null,
              ownerName: owner?.owner_name ?? null,
            });
        }
        lap('computeMs');
        const raised = await repo.storeBatch(tx, run, summaries, changes, (c) =>
          reminderText(c, numbers.get(c.householdId) ?? ''),
        );
        const state = {
          cursor: ids.at(-1) as string,
          done: progress.done + ids.length,
          baselines: progress.baselines + baselines,
          changes: progress.changes + raised.length,
        };
        await repo.storeProgress(tx, runId, state);
        if (raised.length)
          await appendAudit(tx, {
            action: 'verification.batch.changes',
            entityType: 'verification_batch_run',
            entityId: runId,
            regionCode: run.region_code,
            actorRole: scope.role,
            after: { changes: raised },
          });
        lap('writeMs');
        return state;
      });
      if (!next) break;
      Object.assign(progress, next);
      await options.onBatch?.(progress.done, total);
    }
    await asActor(db, scope, undefined, async (tx) => {
      await repo.markFinished(tx, runId, 'completed');
      await appendAudit(tx, {
        action: 'verification.batch.complete',
        entityType: 'verification_batch_run',
        entityId: runId,
        regionCode: run.region_code,
        actorRole: scope.role,
        after: { done: progress.done, baselines: progress.baselines, changes: progress.changes },
      });
    });
    return outcome('completed');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await asSystem(db, (tx) => repo.markFinished(tx, runId, 'failed', message.slice(0, 1000))).catch(
      () => undefined,
    );
    throw error;
  }
}
