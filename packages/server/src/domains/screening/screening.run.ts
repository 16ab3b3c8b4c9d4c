/**
 * The screening run (政策找人): every household of a region subtree against the whole catalogue in
 * force on the run's date; per household, the policies it qualifies for and does not receive.
 *
 * Resumable and idempotent: households are taken in (village, household number) order, and each
 * batch's results are stored in the same transaction that moves the run's cursor (the last
 * household's id), so a run that crashed continues after the last stored batch, and a batch done
 * twice writes nothing twice (primary key run × household).
 * Households come from the facts snapshot (migration 008; changed households are rebuilt first)
 * as JSON text, which the worker threads decode (snapshotFacts.ts): the main thread reads, hands
 * out and stores. Pipelined: while a batch is on the workers, the next is read, the previous
 * one's rows are built and it is written, so the database and the engine work at the same time.
 */
import {
  type BatchResult,
  type CompiledCatalog,
  evaluateRecords,
  evaluationContext,
  RulesWorkerPool,
  STATUS_CODES,
} from '@doudi/rules';
import type { Database } from '../../db/database.ts';
import { asActor, asSystem } from '../../db/scope.ts';
import type { Actor, Role } from '../access/permissions.ts';
import { countHouseholds } from '../householdFacts/householdFacts.ts';
import { refreshSnapshot, streamSnapshot } from '../householdFacts/snapshot.repo.ts';
import {
  categoriesOn,
  householdRecords,
  type SnapshotItem,
  snapshotItem,
} from '../householdFacts/snapshotFacts.ts';
import { townshipOf } from '../regions/regionCode.ts';
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
  /**
   * Where the time went (this attempt): rebuilding changed households' snapshot rows, waiting for
   * reads, evaluating, waiting for writes.
   */
  phases?: {
    refreshMs: number;
    readWaitMs: number;
    evaluateMs: number;
    writeWaitMs: number;
    /** Summed over the workers (busy time inside them): snapshot items → facts, and the rules. */
    workerDecodeMs: number;
    workerEvaluateMs: number;
  };
}

const POLICY_ID = /^[A-Za-z][A-Za-z0-9_]*$/;

/** A household of a batch as the main thread holds it: facts stay JSON text for the workers. */
interface Screened {
  householdId: string;
  regionCode: string;
  /** Categories in force on the run's date (a policy the household receives is not "found"). */
  categories: string[];
  item: SnapshotItem;
}

interface Evaluator {
  evaluate(households: readonly Screened[], date: string, region: string): Promise<BatchResult>;
  close(): Promise<void>;
}

/** The worker side of the snapshot (snapshotFacts.ts exports `decodeHouseholds`). */
const DECODER = new URL('../householdFacts/snapshotFacts.ts', import.meta.url);

function makeEvaluator(
  catalog: CompiledCatalog,
  sources: ConstructorParameters<typeof RulesWorkerPool>[0],
  workers: number,
): Evaluator {
  if (workers <= 0) {
    // What a worker does (batchWorker.ts with this decoder), on this thread.
    return {
      evaluate: async (hs, date, region) =>
        evaluateRecords(
          evaluationContext(catalog, date, region),
          hs.length,
          (h) => householdRecords((hs[h] as Screened).item, date, catalog.facts),
          { details: false },
        ),
      close: async () => undefined,
    };
  }
  const pool = new RulesWorkerPool(sources, { size: workers, decoder: DECODER });
  return {
    evaluate: (hs, date, region) =>
      pool.evaluateItems(
        hs.map((h) => h.item),
        date,
        region,
        { details: false }, // only statuses and amounts are stored
      ),
    close: () => pool.close(),
  };
}

function emptyCounts(): repo.PolicyCounts[string] {
  return { eligible: 0, newly: 0, needsInfo: 0, amountFen: 0, errors: 0 };
}

type Evaluated = { group: Screened[]; result: BatchResult }[];

/** Sends a batch to the evaluator, one request per township (parameters differ by township). */
function startEvaluation(evaluator: Evaluator, households: Screened[], date: string): Promise<Evaluated> {
  const groups = new Map<string, Screened[]>();
  for (const h of households) {
    const key = townshipOf(h.regionCode);
    const group = groups.get(key);
    if (group) group.push(h);
    else groups.set(key, [h]);
  }
  return Promise.all(
    [...groups].map(async ([region, group]) => ({
      group,
      result: await evaluator.evaluate(group, date, region),
    })),
  );
}

const ELIGIBLE_CODE = STATUS_CODES.indexOf('eligible');
const NEEDS_INFORMATION_CODE = STATUS_CODES.indexOf('needsInformation');
const ERROR_CODE = STATUS_CODES.indexOf('error');

/**
 * The run's rows for one evaluated batch, and the counters moved along. Runs for every policy of
 * every household (36 × 1M cells) on the thread that also reads and stores: per policy, what does
 * not change by household (its counters, whether a category covers it) is looked up once per
 * group, and a cell that is neither eligible, needing information nor an error costs one byte read.
 */
function resultRows(
  evaluated: Evaluated,
  units: Map<string, string>,
  /** The previous run's findings for these households (undefined on a first run). */
  previous: Map<string, string[]> | undefined,
  state: { counts: repo.PolicyCounts; householdsFound: number; pairsFound: number; pairsNewly: number },
): repo.ResultRow[] {
  const rows: repo.ResultRow[] = [];
  for (const { group, result } of evaluated) {
    const policyIds = result.policyIds;
    const policyCount = policyIds.length;
    const statuses = result.statuses;
    const counts = policyIds.map((policyId) => {
      let c = state.counts[policyId];
      if (!c) {
        c = emptyCounts();
        state.counts[policyId] = c;
      }
      return c;
    });
    const monthly = policyIds.map((policyId) => units.get(policyId) === 'fen/month');
    const covering = policyIds.map((policyId) => RECEIVED_BY_CATEGORY[policyId]);
    for (let h = 0; h < group.length; h++) {
      const household = group[h] as Screened;
      const categories = household.categories;
      const before = previous?.get(household.householdId);
      let row: repo.ResultRow | undefined;
      const base = h * policyCount;
      for (let p = 0; p < policyCount; p++) {
        const code = statuses[base + p] as number;
        if (code !== ELIGIBLE_CODE && code !== NEEDS_INFORMATION_CODE && code !== ERROR_CODE) continue;
        const policyCounts = counts[p] as repo.PolicyCounts[string];
        if (code === ERROR_CODE) {
          policyCounts.errors += 1;
          continue;
        }
        // A policy the household already receives (by its category) is not "found".
        const cover = covering[p];
        if (cover !== undefined && categories.length > 0 && cover.some((c) => categories.includes(c)))
          continue;
        const policyId = policyIds[p] as string;
        row ??= {
          householdId: household.householdId,
          regionCode: household.regionCode,
          eligible: [],
          amountsFen: [],
          newly: [],
          needsInfo: [],
          monthlyTotalFen: 0,
        };
        if (code === NEEDS_INFORMATION_CODE) {
          row.needsInfo.push(policyId);
          policyCounts.needsInfo += 1;
          continue;
        }
        const amount = result.amountsFen[base + p] as number;
        const amountFen = Number.isNaN(amount) ? null : amount;
        row.eligible.push(policyId);
        row.amountsFen.push(amountFen);
        policyCounts.eligible += 1;
        policyCounts.amountFen += amountFen ?? 0;
        if (amountFen !== null && monthly[p]) row.monthlyTotalFen += amountFen;
        // With no earlier run there is no "before": nothing is called new on a first screening.
        if (previous && !before?.includes(policyId)) {
          row.newly.push(policyId);
          policyCounts.newly += 1;
        }
      }
      if (!row) continue;
      if (row.eligible.length > 0) state.householdsFound += 1;
      state.pairsFound += row.eligible.length;
      state.pairsNewly += row.newly.length;
      rows.push(row);
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
    // Households changed since the snapshot was last built are rebuilt first (migration 008).
    const refreshStart = performance.now();
    await refreshSnapshot(db, scope, run.region_code);
    const refreshMs = performance.now() - refreshStart;
    const total = await asActor(db, scope, undefined, (tx) => countHouseholds(tx, run.region_code));
    await asActor(db, scope, undefined, (tx) => repo.markRunning(tx, runId, active.version, total));
    const state = {
      counts: run.policy_counts ?? {},
      householdsFound: run.households_found ?? 0,
      pairsFound: run.pairs_found ?? 0,
      pairsNewly: run.pairs_newly ?? 0,
    };
    let processed = run.processed;
    const phases = {
      refreshMs,
      readWaitMs: 0,
      evaluateMs: 0,
      writeWaitMs: 0,
      workerDecodeMs: 0,
      workerEvaluateMs: 0,
    };
    let mark = performance.now();
    const lap = (key: 'readWaitMs' | 'evaluateMs' | 'writeWaitMs') => {
      const now = performance.now();
      phases[key] += now - mark;
      mark = now;
    };
    const evaluator = makeEvaluator(active.catalog, active.sources, options.workers ?? 2);
    try {
      let pendingWrite: Promise<void> | undefined;
      type Job = {
        lastId: string;
        count: number;
        evaluated: Promise<Evaluated>;
        previous: Promise<Map<string, string[]> | undefined>;
      };
      // Results of batch N are turned into rows and stored while batch N+1 is on the workers, so
      // the workers never wait for this thread.
      const finish = async (job: Job) => {
        const evaluated = await job.evaluated;
        for (const { result } of evaluated) {
          phases.workerDecodeMs += result.timing?.decodeMs ?? 0;
          phases.workerEvaluateMs += result.timing?.evaluateMs ?? 0;
        }
        const rows = resultRows(evaluated, units, await job.previous, state);
        lap('evaluateMs');
        if (pendingWrite) await pendingWrite;
        lap('writeWaitMs');
        processed += job.count;
        const progress = { cursor: job.lastId, processed, ...state, counts: structuredClone(state.counts) };
        pendingWrite = asActor(db, scope, undefined, (tx) => repo.storeBatch(tx, runId, rows, progress)).then(
          () => options.onBatch?.(progress.processed, total),
        );
        pendingWrite.catch(() => undefined); // awaited before the next write or after the loop
      };
      let inFlight: Job | undefined;
      for await (const page of streamSnapshot(db, {
        scope,
        batchSize: options.batchSize ?? 4000,
        after: run.cursor_household_id,
      })) {
        lap('readWaitMs');
        const households = page.rows.map(
          (r): Screened => ({
            householdId: r.household_id,
            regionCode: r.region_code,
            categories: categoriesOn(r.categories, run.on_date),
            item: snapshotItem(r),
          }),
        );
        const ids = households.map((h) => h.householdId);
        const job: Job = {
          lastId: page.lastId,
          count: households.length,
          evaluated: startEvaluation(evaluator, households, run.on_date),
          // Read while the workers evaluate.
          previous: run.previous_run_id
            ? asActor(db, scope, undefined, (tx) => repo.eligibleIn(tx, run.previous_run_id as string, ids))
            : Promise.resolve(undefined),
        };
        // Observed now; awaited in finish (an earlier failure may leave them unawaited).
        job.evaluated.catch(() => undefined);
        job.previous.catch(() => undefined);
        if (inFlight) await finish(inFlight);
        inFlight = job;
      }
      if (inFlight) await finish(inFlight);
      if (pendingWrite) await pendingWrite;
      lap('writeWaitMs');
    } finally {
      await evaluator.close();
    }
    await asActor(db, scope, undefined, (tx) => repo.markFinished(tx, runId, 'done'));
    await asSystem(db, (tx) => repo.analyzeResults(tx));
    return { runId, status: 'done', processed, seconds: (performance.now() - startedAt) / 1000, phases };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await asSystem(db, (tx) => repo.markFinished(tx, runId, 'failed', message.slice(0, 1000))).catch(
      () => undefined,
    );
    throw error;
  }
}
