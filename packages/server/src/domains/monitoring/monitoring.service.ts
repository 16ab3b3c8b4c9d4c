/**
 * 动态监测 runs: start a full re-screen (or the incremental run of an import), follow progress,
 * list the alerts in scope, check a trigger file, calibrate a model. Permission first, then one
 * scoped transaction; every write audited.
 */
import { RuleLoadError } from '@doudi/rules';
import type { Database } from '../../db/database.ts';
import { asActor, asSystem } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { isWithin, regionLevel } from '../regions/regionCode.ts';
import { findRegion } from '../regions/regions.repo.ts';
import { checkDate, today } from '../registry/registry.model.ts';
import { activeCatalog } from '../rules/activeCatalog.ts';
import * as repo from './monitoring.repo.ts';
import { runMonitoring } from './monitoring.run.ts';
import { parseTriggers, triggersOf, triggersVersion } from './triggers.ts';

export interface MonitoringDeps {
  db: Database;
  jobs?: { send(name: string, data: object): Promise<string | null> } | undefined;
  log?: { error(object: object, message: string): void };
}

export function runView(r: repo.RunRow) {
  return {
    id: r.id,
    kind: r.kind,
    regionCode: r.region_code,
    modelId: r.model_id,
    modelVersion: r.model_version,
    catalogVersion: r.catalog_version,
    triggersVersion: r.triggers_version,
    asOf: r.as_of,
    sourceImportId: r.source_import_id,
    status: r.status,
    householdsTotal: r.households_total,
    householdsDone: r.households_done,
    alertsRaised: r.alerts_raised,
    alertsUpdated: r.alerts_updated,
    triggerHits: r.trigger_hits,
    colourCounts: r.colour_counts,
    error: r.error,
    startedBy: r.started_by_name,
    startedAt: r.started_at.toISOString(),
    finishedAt: r.finished_at ? r.finished_at.toISOString() : null,
  };
}

/** The trigger file in force, or a clear refusal naming the file, line and column of its mistake. */
function triggersOrRefuse(active: { triggers?: Record<string, string> }) {
  try {
    return triggersOf(active);
  } catch (error) {
    if (!(error instanceof RuleLoadError)) throw error;
    throw errors.conflict(
      'MONITORING_TRIGGERS_INVALID',
      `事件触发规则文件有误，请修正后再运行：${error.message}`,
      `the trigger file is invalid: ${error.message}`,
    );
  }
}

/** Creates a run row with the versions in force (no work yet). */
export async function createRun(
  db: Database,
  actor: Actor,
  input: { kind: 'full' | 'incremental'; regionCode: string; asOf: string; sourceImportId: string | null },
  requestId?: string,
) {
  const active = await activeCatalog(db, input.asOf);
  const triggers = triggersOrRefuse(active);
  const modelIds = triggers.models.map((m) => m.model);
  const missing = modelIds.filter((id) => !active.catalog.indicators?.some((m) => m.id === id));
  if (missing.length > 0)
    throw errors.conflict(
      'MONITORING_MODEL_MISSING',
      `事件触发规则文件引用的指标模型不存在：${missing.join('、')}`,
      `unknown indicator models: ${missing.join(', ')}`,
    );
  const versions = modelIds.map((id) => active.catalog.indicators?.find((m) => m.id === id)?.version ?? '?');
  return asActor(db, actor, requestId, async (tx) => {
    const { row, created } = await repo
      .insertRun(tx, {
        kind: input.kind,
        regionCode: input.regionCode,
        modelId: modelIds.join(','),
        modelVersion: versions.join(','),
        catalogVersion: active.version,
        triggersVersion: triggersVersion(triggers),
        asOf: input.asOf,
        sourceImportId: input.sourceImportId,
        startedBy: actor.userId,
        startedByName: actor.displayName,
        startedByRole: actor.role,
      })
      .catch((error: unknown) => {
        if ((error as { code?: string }).code === '23505')
          throw errors.conflict(
            'MONITORING_ALREADY_RUNNING',
            '本地区已有一次全量监测正在进行，请等它完成，或在运行记录中继续该次运行',
            'a full monitoring run for this region is already running',
          );
        throw error;
      });
    if (created)
      await appendAudit(tx, {
        action: 'monitoring.run.start',
        entityType: 'monitoring_run',
        entityId: row.id,
        regionCode: input.regionCode,
        actorRole: actor.role,
        after: { kind: input.kind, asOf: input.asOf, sourceImportId: input.sourceImportId },
      });
    return { row, created };
  });
}

function dispatch(deps: MonitoringDeps, runId: string) {
  if (deps.jobs) return deps.jobs.send('monitoring-run', { runId });
  void runMonitoring(deps.db, runId).catch((error: unknown) =>
    deps.log?.error({ err: error, runId }, '监测运行失败'),
  );
  return Promise.resolve(null);
}

export async function startRun(
  deps: MonitoringDeps,
  actor: Actor | undefined,
  body: { regionCode?: string; asOf?: string },
  requestId?: string,
) {
  authorize(actor, Permission.monitoringRun);
  const regionCode = body.regionCode ?? actor.regionCode;
  const asOf = checkDate(body.asOf ?? today(), 'asOf');
  if (!isWithin(regionCode, actor.regionCode)) throw errors.outOfScope('所选地区');
  if (regionLevel(regionCode) < 3)
    throw errors.validation(
      'regionCode',
      '监测运行按县（市、区）或乡镇、村发起',
      'run over a county or smaller',
    );
  const region = await asActor(deps.db, actor, requestId, (tx) => findRegion(tx, regionCode));
  if (!region) throw errors.validation('regionCode', `地区代码${regionCode}不存在`, 'unknown region');
  const { row } = await createRun(
    deps.db,
    actor,
    { kind: 'full', regionCode, asOf, sourceImportId: null },
    requestId,
  );
  await dispatch(deps, row.id);
  return runView(row);
}

export async function resumeRun(
  deps: MonitoringDeps,
  actor: Actor | undefined,
  id: string,
  requestId?: string,
) {
  authorize(actor, Permission.monitoringRun);
  const row = await asActor(deps.db, actor, requestId, async (tx) => {
    const run = await repo.findRun(tx, id);
    if (!run) throw errors.notFound('该次监测运行');
    if (run.status === 'completed')
      throw errors.conflict(
        'MONITORING_RUN_COMPLETED',
        '该次监测运行已完成，无需继续',
        'the run is completed',
      );
    await appendAudit(tx, {
      action: 'monitoring.run.resume',
      entityType: 'monitoring_run',
      entityId: id,
      regionCode: run.region_code,
      actorRole: actor.role,
      after: { cursor: run.cursor, householdsDone: run.households_done },
    });
    return run;
  });
  await dispatch(deps, id);
  return runView(row);
}

export async function listRuns(
  deps: MonitoringDeps,
  actor: Actor | undefined,
  query: { page: number; pageSize: number },
  requestId?: string,
) {
  authorize(actor, Permission.monitoringRead);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const { rows, total } = await repo.listRuns(tx, {
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return { items: rows.map(runView), total, page: query.page, pageSize: query.pageSize };
  });
}

export async function getRun(deps: MonitoringDeps, actor: Actor | undefined, id: string, requestId?: string) {
  authorize(actor, Permission.monitoringRead);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const run = await repo.findRun(tx, id);
    if (!run) throw errors.notFound('该次监测运行');
    return runView(run);
  });
}

export interface AlertQuery {
  page: number;
  pageSize: number;
  colour?: string;
  cause?: string;
  status?: string;
  runId?: string;
  candidates?: boolean;
}

/** Alerts in scope, reddest and newest first (the evidence is read on the alert itself). */
export async function listAlerts(
  deps: MonitoringDeps,
  actor: Actor | undefined,
  query: AlertQuery,
  requestId?: string,
) {
  authorize(actor, Permission.monitoringRead);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.colour) add('colour = ?', query.colour);
    if (query.cause) add('cause = ?', query.cause);
    if (query.status) add('status = ?', query.status);
    if (query.runId) add('last_run_id = ?::uuid', query.runId);
    if (query.candidates !== undefined) where.push(`household_id IS ${query.candidates ? '' : 'NOT '}NULL`);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM monitoring_alert ${filter}`,
      params,
    );
    const rows = await tx.query<Record<string, unknown>>(
      `SELECT id, household_id, region_code, cause, origin, colour, score::float8 AS score, model_version,
              summary_zh, evidence, status, raise_count, first_raised_at, last_raised_at, last_run_id
         FROM monitoring_alert ${filter}
        ORDER BY array_position(ARRAY['red','yellow','blue','green'], colour), last_raised_at DESC, id
        LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.pageSize, (query.page - 1) * query.pageSize],
    );
    return {
      items: rows.rows.map((r) => ({
        id: r.id as string,
        householdId: (r.household_id as string | null) ?? null,
        candidate: r.household_id === null,
        regionCode: r.region_code as string,
        cause: r.cause as string,
        origin: r.origin as string,
        colour: r.colour as string,
        score: (r.score as number | null) ?? null,
        modelVersion: (r.model_version as string | null) ?? null,
        summaryZh: r.summary_zh as string,
        evidence: r.evidence as unknown[],
        status: r.status as string,
        raiseCount: r.raise_count as number,
        firstRaisedAt: (r.first_raised_at as Date).toISOString(),
        lastRaisedAt: (r.last_raised_at as Date).toISOString(),
        lastRunId: (r.last_run_id as string | null) ?? null,
      })),
      total: total.rows[0]?.n ?? 0,
      page: query.page,
      pageSize: query.pageSize,
    };
  });
}

/** Checks a trigger file text (a draft before it is published): refused with file:line:column. */
export function checkTriggers(actor: Actor | undefined, text: string) {
  authorize(actor, Permission.monitoringRun);
  try {
    const set = parseTriggers(text, 'triggers/triggers.yaml');
    return {
      ok: true,
      version: set.version,
      triggers: set.triggers.map((t) => ({ id: t.id, label: t.label, source: t.source, colour: t.colour })),
      problems: [],
    };
  } catch (error) {
    if (!(error instanceof RuleLoadError)) throw error;
    return {
      ok: false,
      version: null,
      triggers: [],
      problems: [
        {
          code: error.code,
          message: error.summary,
          file: error.file,
          line: error.line,
          column: error.column,
        },
      ],
    };
  }
}

/** Creates and runs the incremental run of each finished import that has none yet (the import hook). */
export async function followImports(db: Database, actor: Actor, limit = 20) {
  const pending = await asSystem(db, (tx) =>
    tx.query<{ id: string; region_code: string; as_of: string }>(
      `SELECT i.id, i.region_code, to_char(i.as_of, 'YYYY-MM-DD') AS as_of FROM source_import i
        WHERE i.status = 'done' AND (i.inserted + i.updated) > 0
          AND NOT EXISTS (SELECT 1 FROM monitoring_run r WHERE r.source_import_id = i.id AND r.status = 'completed')
        ORDER BY i.finished_at LIMIT $1`,
      [limit],
    ),
  );
  const done: string[] = [];
  for (const i of pending.rows) {
    const { row } = await createRun(
      db,
      { ...actor, regionCode: i.region_code },
      {
        kind: 'incremental',
        regionCode: i.region_code,
        asOf: i.as_of,
        sourceImportId: i.id,
      },
    );
    await runMonitoring(db, row.id);
    done.push(row.id);
  }
  return { runs: done };
}

/** The monthly re-screen: one full run per county that has households. */
export async function monthlyRescreen(db: Database, actor: Actor, asOf: string) {
  const counties = await asSystem(db, (tx) =>
    tx.query<{ code: string }>(
      `SELECT DISTINCT rpad(left(region_code, 6), 12, '0') AS code FROM household ORDER BY 1`,
    ),
  );
  const runs: string[] = [];
  for (const { code } of counties.rows) {
    // A full run left running by a crash is finished first instead of refused.
    const running = await asSystem(db, (tx) =>
      tx.query<{ id: string }>(
        "SELECT id FROM monitoring_run WHERE region_code = $1 AND kind = 'full' AND status = 'running'",
        [code],
      ),
    );
    const id =
      running.rows[0]?.id ??
      (
        await createRun(
          db,
          { ...actor, regionCode: code },
          { kind: 'full', regionCode: code, asOf, sourceImportId: null },
        )
      ).row.id;
    await runMonitoring(db, id);
    runs.push(id);
  }
  return { runs };
}

/** Who the monitoring jobs act as (runs triggered by imports and by the monthly schedule). */
export const MONITORING_SYSTEM: Actor = {
  userId: 'system',
  username: 'system',
  displayName: '系统（动态监测）',
  role: 'admin',
  department: null,
  regionCode: '000000000000',
};
