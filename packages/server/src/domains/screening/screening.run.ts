/**
 * The screening run (政策找人): every household of a region subtree against the whole catalogue in
 * force on the run's date; per household, the policies it qualifies for and does not receive.
 *
 * Resumable and idempotent: households are taken in (village, household number) order, and each
 * batch's results are stored in the same transaction that moves the run's cursor (the last
 * household's id), so a run that crashed continues after the last stored batch, and a batch done
 * twice writes nothing twice (primary key run × household).
 * Pipelined: while a batch is evaluated (on worker threads) the next is read and the previous one
 * written, so the database and the engine work at the same time.
 */
import {
  type BatchResult,
  type CompiledCatalog,
  evaluateBatch,
  RulesWorkerPool,
  STATUS_CODES,
} from '@doudi/rules';
import type { Database } from '../../db/database.ts';
import { asActor, asSystem } from '../../db/scope.ts';
import type { Actor, Role } from '../access/permissions.ts';
import {
  type AssembledHousehold,
  countHouseholds,
  streamHouseholdFacts,
} from '../householdFacts/householdFacts.ts';
import { activeCatalog } from '../rules/activeCatalog.ts';
import * as repo from './screening.repo.ts';

/**
 * Policies that correspond to a category in the registry: a household in that category already
 * receives the policy, so it is not "found". Other policies have no enrolment record yet (issue 6),
 * so a qualifying household is reported whatever it may receive from another department.
 */
export const RECEIVED_BY_CATEGORY: Record<string, readonly string[]> = {
  dibao: ['dibao'],
  dibaoSinglePerson: ['dibao'],
  tekun: ['tekun'],
  nearDibao: ['nearDibao'],
  expenditureHardship: ['expenditureHardship'],
  relapseWatch: ['relapseWatch'],
  // Every enrolled category is already watched in the information circles.
  lowIncomeMonitoring: [
    'dibao',
    'tekun',
    'nearDibao',
    'expenditureHardship',
    'relapseWatch',
    'otherHardship',
  ],
};

export function receives(policyId: string, categories: readonly string[]): boolean {
  const covering = RECEIVED_BY_CATEGORY[policyId];
  return covering?.some((c) => categories.includes(c)) ?? false;
}

export interface RunOptions {
  batchSize?: number;
  /** Worker threads for evaluation; 0 evaluates on this thread (tests of small counties). */
  workers?: number;
  /** Called after each stored batch (progress logs; tests use it to stop a run midway). */
  onBatch?: (processed: number, total: number) => void | Promise<void>;
}

export interface RunOutcome {
  runId: string;
  status: repo.RunRow['status'];
  processed: number;
  seconds: number;
  /** Where the time went (this attempt): waiting for reads, evaluating, waiting for writes. */
  phases?: { readWaitMs: number; evaluateMs: number; writeWaitMs: number };
}

/** Parameters are overridden down to township level: one evaluation context per township. */
const townshipOf = (regionCode: string) => `${regionCode.slice(0, 9)}000`;
const POLICY_ID = /^[A-Za-z][A-Za-z0-9_]*$/;

interface Evaluator {
  evaluate(households: readonly AssembledHousehold[], date: string, region: string): Promise<BatchResult>;
  close(): Promise<void>;
}

function makeEvaluator(
  catalog: CompiledCatalog,
  sources: ConstructorParameters<typeof RulesWorkerPool>[0],
  workers: number,
): Evaluator {
  if (workers <= 0) {
    return {
      evaluate: async (hs, date, region) =>
        evaluateBatch(
          catalog,
          hs.map((h) => h.facts),
          date,
          region,
        ),
      close: async () => undefined,
    };
  }
  const pool = new RulesWorkerPool(sources, { size: workers });
  return {
    evaluate: (hs, date, region) =>
      pool.evaluateBatch(
        hs.map((h) => h.facts),
        date,
        region,
      ),
    close: () => pool.close(),
  };
}

function emptyCounts(): repo.PolicyCounts[string] {
  return { eligible: 0, newly: 0, needsInfo: 0, amountFen: 0, errors: 0 };
}

/** The run's rows for one batch, and the counters moved along. */
async function evaluateBatchOf(
  evaluator: Evaluator,
  households: AssembledHousehold[],
  date: string,
  units: Map<string, string>,
  /** The previous run's findings for these households; read while the batch is evaluated. */
  previousFindings: Promise<Map<string, string[]> | undefined>,
  state: { counts: repo.PolicyCounts; householdsFound: number; pairsFound: number; pairsNewly: number },
): Promise<repo.ResultRow[]> {
  const groups = new Map<string, AssembledHousehold[]>();
  for (const h of households) {
    const key = townshipOf(h.regionCode);
    const group = groups.get(key);
    if (group) group.push(h);
    else groups.set(key, [h]);
  }
  const evaluated = await Promise.all(
    [...groups].map(async ([region, group]) => ({
      group,
      result: await evaluator.evaluate(group, date, region),
    })),
  );
  const previous = await previousFindings;
  const rows: repo.ResultRow[] = [];
  for (const { group, result } of evaluated) {
    const policyCount = result.policyIds.length;
    for (let h = 0; h < group.length; h++) {
      const household = group[h] as AssembledHousehold;
      const categories = (household.facts.household?.currentCategories as string[] | undefined) ?? [];
      const before = previous?.get(household.householdId) ?? [];
      const row: repo.ResultRow = {
        householdId: household.householdId,
        regionCode: household.regionCode,
        eligible: [],
        amountsFen: [],
        newly: [],
        needsInfo: [],
        monthlyTotalFen: 0,
      };
      for (let p = 0; p < policyCount; p++) {
        const policyId = result.policyIds[p] as string;
        const status = STATUS_CODES[result.statuses[h * policyCount + p] as number];
        let counts = state.counts[policyId];
        if (!counts) {
          counts = emptyCounts();
          state.counts[policyId] = counts;
        }
        if (status === 'error') counts.errors += 1;
        if (status === 'needsInformation' && !receives(policyId, categories)) {
          row.needsInfo.push(policyId);
          counts.needsInfo += 1;
        }
        if (status !== 'eligible' || receives(policyId, categories)) continue;
        const amount = result.amountsFen[h * policyCount + p] as number;
        const amountFen = Number.isNaN(amount) ? null : amount;
        row.eligible.push(policyId);
        row.amountsFen.push(amountFen);
        counts.eligible += 1;
        counts.amountFen += amountFen ?? 0;
        if (amountFen !== null && units.get(policyId) === 'fen/month') row.monthlyTotalFen += amountFen;
        // With no earlier run there is no "before": nothing is called new on a first screening.
        if (previous && !before.includes(policyId)) {
          row.newly.push(policyId);
          counts.newly += 1;
        }
      }
      if (row.eligible.length > 0) state.householdsFound += 1;
      state.pairsFound += row.eligible.length;
      state.pairsNewly += row.newly.length;
      if (row.eligible.length > 0 || row.needsInfo.length > 0) rows.push(row);
    }
  }
  return rows;
}

/** Runs (or continues) a screening run. Safe to call twice: a finished run is left as it is. */
export async function runScreening(
  db: Database,
  runId: string,
  options: RunOptions = {},
): Promise<RunOutcome> {
  const startedAt = performance.now();
  const run = await asSystem(db, (tx) => repo.findRun(tx, runId));
  if (!run) throw new Error(`screening run ${runId} not found`);
  if (run.status === 'done') return { runId, status: 'done', processed: run.processed, seconds: 0 };
  // The run works in its own region's scope, as the officer who started it: row-level security
  // bounds what it reads and writes even if the code had a bug.
  const scope: Actor = {
    userId: run.started_by,
    username: run.started_by_name,
    displayName: run.started_by_name,
    role: run.started_by_role as Role,
    department: null,
    regionCode: run.region_code,
  };
  try {
    const active = await activeCatalog(db, run.on_date);
    if (run.catalog_version && run.catalog_version !== active.version)
      throw new Error(
        `the catalogue changed since this run started (${run.catalog_version} → ${active.version}); start a new run`,
      );
    for (const p of active.catalog.policies)
      if (!POLICY_ID.test(p.id)) throw new Error(`bad policy id ${p.id}`);
    const units = new Map(active.catalog.policies.map((p) => [p.id, p.amount?.unit ?? '']));
    const total = await asActor(db, scope, undefined, (tx) => countHouseholds(tx, run.region_code));
    await asActor(db, scope, undefined, (tx) => repo.markRunning(tx, runId, active.version, total));
    const state = {
      counts: run.policy_counts ?? {},
      householdsFound: run.households_found ?? 0,
      pairsFound: run.pairs_found ?? 0,
      pairsNewly: run.pairs_newly ?? 0,
    };
    let processed = run.processed;
    const phases = { readWaitMs: 0, evaluateMs: 0, writeWaitMs: 0 };
    let mark = performance.now();
    const lap = (key: keyof typeof phases) => {
      const now = performance.now();
      phases[key] += now - mark;
      mark = now;
    };
    const evaluator = makeEvaluator(active.catalog, active.sources, options.workers ?? 2);
    try {
      let pendingWrite: Promise<void> | undefined;
      for await (const batch of streamHouseholdFacts(db, {
        scope,
        onDate: run.on_date,
        batchSize: options.batchSize ?? 2000,
        after: run.cursor_household_id,
      })) {
        lap('readWaitMs');
        const ids = batch.households.map((h) => h.householdId);
        // Not awaited here: the previous run's findings are read while the workers evaluate.
        const previous = run.previous_run_id
          ? asActor(db, scope, undefined, (tx) => repo.eligibleIn(tx, run.previous_run_id as string, ids))
          : Promise.resolve(undefined);
        previous.catch(() => undefined); // awaited in evaluateBatchOf; observed if evaluation fails first
        const rows = await evaluateBatchOf(evaluator, batch.households, run.on_date, units, previous, state);
        lap('evaluateMs');
        if (pendingWrite) await pendingWrite;
        lap('writeWaitMs');
        processed += batch.households.length;
        const progress = { cursor: batch.lastId, processed, ...state, counts: structuredClone(state.counts) };
        pendingWrite = asActor(db, scope, undefined, (tx) => repo.storeBatch(tx, runId, rows, progress)).then(
          () => options.onBatch?.(progress.processed, total),
        );
        pendingWrite.catch(() => undefined); // awaited before the next write or after the loop
      }
      if (pendingWrite) await pendingWrite;
      lap('writeWaitMs');
    } finally {
      await evaluator.close();
    }
    await asActor(db, scope, undefined, (tx) => repo.markFinished(tx, runId, 'done'));
    return { runId, status: 'done', processed, seconds: (performance.now() - startedAt) / 1000, phases };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await asSystem(db, (tx) => repo.markFinished(tx, runId, 'failed', message.slice(0, 1000))).catch(
      () => undefined,
    );
    throw error;
  }
}
