/**
 * 政策找人 (screening): start a run, follow its progress, list what it found, and for one household
 * the trace and the prescription. Permission first, then one scoped transaction (row-level security
 * decides which runs and results the user sees: a township caseworker sees the county's run but only
 * their township's households).
 */
import { evaluate, renderTraceZh } from '@doudi/rules';
import type { Database, Queryable } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import { AppError, errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { householdFactsFor, regionBounds } from '../householdFacts/householdFacts.ts';
import { isWithin, regionLevel } from '../regions/regionCode.ts';
import { findRegion } from '../regions/regions.repo.ts';
import { checkDate, today } from '../registry/registry.model.ts';
import { activeCatalog } from '../rules/activeCatalog.ts';
import { policyLedger } from '../rules/lint.ts';
import { buildPrescription } from './prescription.ts';
import * as repo from './screening.repo.ts';
import { receives, runScreening } from './screening.run.ts';
import { householdScreening, type ResultQuery, resultsPage } from './screeningResults.repo.ts';

/** Where runs go: the pg-boss queue when jobs run, else this process (tests, DOUDI_JOBS=false). */
export interface ScreeningDeps {
  db: Database;
  jobs?: { send(name: string, data: object): Promise<string | null> } | undefined;
  log?: { error(object: object, message: string): void };
}

type PolicyNames = ReadonlyMap<string, { zh: string; en: string }>;

/** Policy names of the catalogue in force on the run's date (the counts are keyed by id). */
async function policyNames(tx: Queryable, onDate: string): Promise<PolicyNames> {
  const active = await activeCatalog(tx, onDate);
  return new Map(active.catalog.policies.map((p) => [p.id, p.name]));
}

export function runView(row: repo.RunRow, names: PolicyNames = new Map()) {
  const counts = row.policy_counts ?? {};
  return {
    id: row.id,
    regionCode: row.region_code,
    onDate: row.on_date,
    catalogVersion: row.catalog_version,
    status: row.status,
    startedBy: row.started_by_name,
    total: row.total,
    processed: row.processed,
    householdsFound: row.households_found,
    pairsFound: row.pairs_found,
    pairsNewly: row.pairs_newly,
    policies: Object.entries(counts)
      .map(([policyId, c]) => ({
        policyId,
        name: names.get(policyId)?.zh ?? policyId,
        nameEn: names.get(policyId)?.en ?? policyId,
        ...c,
      }))
      .sort((a, b) => b.eligible - a.eligible || a.policyId.localeCompare(b.policyId)),
    error: row.error,
    attempts: row.attempts,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
  };
}

export async function startRun(
  deps: ScreeningDeps,
  actor: Actor | undefined,
  body: { regionCode?: string; onDate?: string },
  requestId?: string,
) {
  authorize(actor, Permission.screeningRun);
  const regionCode = body.regionCode ?? actor.regionCode;
  const onDate = checkDate(body.onDate ?? today(), 'onDate');
  if (!isWithin(regionCode, actor.regionCode)) throw errors.outOfScope('所选地区');
  if (regionLevel(regionCode) < 3)
    throw errors.validation(
      'regionCode',
      '政策找人按县（市、区）或乡镇、村运行',
      'run over a county or smaller',
    );
  const run = await asActor(deps.db, actor, requestId, async (tx) => {
    const region = await findRegion(tx, regionCode);
    if (!region) throw errors.validation('regionCode', `地区代码${regionCode}不存在`, 'unknown region');
    const previous = await repo.previousRun(tx, regionCode);
    const inserted = await repo
      .insertRun(tx, {
        region_code: regionCode,
        region_high: regionBounds(regionCode).high,
        on_date: onDate,
        started_by: actor.userId,
        started_by_name: actor.displayName,
        started_by_role: actor.role,
        previous_run_id: previous?.id ?? null,
      })
      .catch((error: unknown) => {
        if ((error as { code?: string }).code === '23505')
          throw errors.conflict(
            'SCREENING_ALREADY_RUNNING',
            `${region.name}已有一次政策找人正在进行，请等它完成后再发起`,
            'a screening run for this region is already queued or running',
          );
        throw error;
      });
    await appendAudit(tx, {
      action: 'screening.start',
      entityType: 'screening_run',
      entityId: inserted.id,
      regionCode,
      actorRole: actor.role,
      after: { regionCode, onDate, previousRunId: inserted.previous_run_id },
    });
    return inserted;
  });
  if (deps.jobs) await deps.jobs.send('screening-run', { runId: run.id });
  else
    void runScreening(deps.db, run.id).catch((error: unknown) =>
      deps.log?.error({ err: error, runId: run.id }, '政策找人运行失败'),
    );
  return runView(run);
}

async function visibleRun(tx: Queryable, id: string) {
  const run = await repo.findRun(tx, id);
  if (!run) throw errors.notFound('该次政策找人');
  return run;
}

export async function getRun(deps: ScreeningDeps, actor: Actor | undefined, id: string, requestId?: string) {
  authorize(actor, Permission.screeningRead);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const run = await visibleRun(tx, id);
    return runView(run, await policyNames(tx, run.on_date));
  });
}

export async function listRuns(
  deps: ScreeningDeps,
  actor: Actor | undefined,
  query: { page: number; pageSize: number },
  requestId?: string,
) {
  authorize(actor, Permission.screeningRead);
  const { rows, total } = await asActor(deps.db, actor, requestId, (tx) =>
    repo.listRuns(tx, query.pageSize, (query.page - 1) * query.pageSize),
  );
  return { items: rows.map((r) => runView(r)), total, page: query.page, pageSize: query.pageSize };
}

export async function listResults(
  deps: ScreeningDeps,
  actor: Actor | undefined,
  runId: string,
  query: ResultQuery,
  requestId?: string,
) {
  authorize(actor, Permission.screeningRead);
  if (
    query.regionCode &&
    !isWithin(query.regionCode, actor.regionCode) &&
    !isWithin(actor.regionCode, query.regionCode)
  )
    throw errors.outOfScope('所选地区');
  return asActor(deps.db, actor, requestId, async (tx) => {
    await visibleRun(tx, runId);
    return resultsPage(tx, runId, query);
  });
}

/**
 * One household of a run: its stored result, and the whole catalogue evaluated again with trace on the
 * run's date (the trace is not stored; it is one click away). Says so when the catalogue in force
 * now differs from the run's.
 */
export async function householdDetail(
  deps: ScreeningDeps,
  actor: Actor | undefined,
  runId: string,
  householdId: string,
  requestId?: string,
) {
  authorize(actor, Permission.screeningRead);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const run = await visibleRun(tx, runId);
    const stored = await householdScreening(tx, runId, householdId);
    const assembled = await householdFactsFor(tx, householdId, run.on_date);
    if (!assembled || !stored) throw errors.notFound('该户');
    const active = await activeCatalog(tx, run.on_date);
    let results: ReturnType<typeof evaluate>;
    try {
      results = evaluate(
        active.catalog,
        assembled.facts,
        run.on_date,
        `${assembled.regionCode.slice(0, 9)}000`,
      );
    } catch (error) {
      throw new AppError(500, 'EVALUATION_FAILED', '政策测算出错，请联系管理员', (error as Error).message);
    }
    const categories = (assembled.facts.household?.currentCategories as string[] | undefined) ?? [];
    const has = (policyId: string) => receives(policyId, categories);
    const ledger = policyLedger(active.sources);
    return {
      run: runView(run, new Map(active.catalog.policies.map((p) => [p.id, p.name]))),
      household: stored,
      catalogVersion: active.version,
      catalogChanged: run.catalog_version !== null && run.catalog_version !== active.version,
      economySource: assembled.economySource,
      economyAsOf: assembled.economyAsOf,
      policies: results.map((r) => ({
        policyId: r.policyId,
        name: r.trace.policyName.zh,
        nameEn: r.trace.policyName.en,
        status: r.status,
        receiving: has(r.policyId),
        amountFen: r.amountFen,
        amountUnit: r.trace.amount?.unit ?? null,
        missingFacts: r.missingFacts,
        traceZh: renderTraceZh(r.trace),
      })),
      prescription: buildPrescription(results, ledger, has),
    };
  });
}
