/**
 * Batch re-verification (批量核对): start a run over every enrolled household of a region or over a
 * chosen list (ids or household numbers), follow its progress, list the changes found and
 * acknowledge them. Permission first, then one scoped transaction; every write audited. One
 * active run per county (a second start is a 409, never a duplicate).
 */
import { lookupParameter } from '@doudi/rules';
import type { Database } from '../../db/database.ts';
import { asActor, asSystem } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { inAppSender, type ReminderSender } from '../intake/deadlines.ts';
import { isWithin, regionLevel, regionPrefix } from '../regions/regionCode.ts';
import { findRegion } from '../regions/regions.repo.ts';
import { checkDate, today } from '../registry/registry.model.ts';
import { activeCatalog } from '../rules/activeCatalog.ts';
import * as repo from './batch.repo.ts';
import { runBatch } from './batch.run.ts';

export interface BatchDeps {
  db: Database;
  jobs?: { send(name: string, data: object): Promise<string | null> } | undefined;
  log?: { error(object: object, message: string): void };
}

export const MAX_LIST = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOUSEHOLD_NUMBER = /^[0-9A-Za-z-]{1,40}$/;

export function runView(r: repo.BatchRunRow) {
  return {
    id: r.id,
    regionCode: r.region_code,
    kind: r.kind,
    asOf: r.as_of,
    period: r.period,
    status: r.status,
    householdsTotal: r.households_total,
    householdsDone: r.households_done,
    baselines: r.baselines,
    changesFound: r.changes_found,
    listSize: r.household_ids?.length ?? null,
    error: r.error,
    startedBy: r.started_by_name,
    startedAt: new Date(r.started_at).toISOString(),
    finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
  };
}

const alreadyRunning = () =>
  errors.conflict(
    'VERIFICATION_BATCH_RUNNING',
    '本县已有一次批量核对正在进行，请等它完成或在运行记录中继续该次核对',
    'a batch verification run is already active in this county',
  );

/** Creates a run row (no work yet); a second active run in the county is a 409. */
export async function createRun(
  db: Database,
  actor: Actor,
  input: { regionCode: string; kind: repo.BatchRunRow['kind']; asOf: string; householdIds: string[] | null },
  requestId?: string,
) {
  const active = await activeCatalog(db, input.asOf);
  return asActor(db, actor, requestId, async (tx) => {
    // The total is known at once, so the progress bar has its scale before the first batch.
    const total =
      input.householdIds?.length ?? (await repo.countEnrolled(tx, regionPrefix(input.regionCode)));
    const row = await repo
      .insertRun(tx, {
        ...input,
        total,
        catalogVersion: active.version,
        startedByName: actor.displayName,
        startedByRole: actor.role,
      })
      .catch((error: unknown) => {
        if ((error as { code?: string }).code === '23505') throw alreadyRunning();
        throw error;
      });
    await appendAudit(tx, {
      action: 'verification.batch.start',
      entityType: 'verification_batch_run',
      entityId: row.id,
      regionCode: input.regionCode,
      actorRole: actor.role,
      after: { kind: input.kind, asOf: input.asOf, listSize: input.householdIds?.length ?? null },
    });
    return row;
  });
}

function dispatch(deps: BatchDeps, runId: string) {
  if (deps.jobs) return deps.jobs.send('verification-batch-run', { runId });
  void runBatch(deps.db, runId).catch((error: unknown) =>
    deps.log?.error({ err: error, runId }, '批量核对失败'),
  );
  return Promise.resolve(null);
}

export interface StartBody {
  regionCode?: string;
  asOf?: string;
  householdIds?: string[];
  householdNumbers?: string[];
}

/** Checks and resolves a chosen list to household ids in scope; any bad or unknown entry refuses it. */
async function resolveList(db: Database, actor: Actor, body: StartBody, prefix: string, requestId?: string) {
  const ids = body.householdIds ?? [];
  const numbers = body.householdNumbers ?? [];
  if (ids.length + numbers.length === 0)
    throw errors.validation('householdIds', '请选择至少一户', 'the list is empty');
  if (ids.length + numbers.length > MAX_LIST)
    throw errors.validation(
      'householdIds',
      `一次最多核对${MAX_LIST}户`,
      `at most ${MAX_LIST} households at a time`,
    );
  const badId = ids.findIndex((id) => typeof id !== 'string' || !UUID.test(id));
  if (badId >= 0)
    throw errors.validation(
      'householdIds',
      `第${badId + 1}项不是有效的家庭编号`,
      `item ${badId + 1} is not a household id`,
    );
  const badNumber = numbers.findIndex((n) => typeof n !== 'string' || !HOUSEHOLD_NUMBER.test(n.trim()));
  if (badNumber >= 0)
    throw errors.validation(
      'householdNumbers',
      `第${badNumber + 1}项户号格式不正确（应为1至40位字母、数字或连字符）`,
      `item ${badNumber + 1} is not a household number`,
    );
  const wantedIds = [...new Set(ids.map((id) => id.toLowerCase()))];
  const wantedNumbers = [...new Set(numbers.map((n) => n.trim()))];
  return asActor(db, actor, requestId, async (tx) => {
    const found = await tx.query<{ id: string; household_number: string }>(
      `SELECT id, household_number FROM household
        WHERE (id = ANY($1::uuid[]) OR household_number = ANY($2::text[]))
          AND region_code >= $3 AND region_code < $3 || '~'`,
      [wantedIds, wantedNumbers, prefix],
    );
    const byId = new Set(found.rows.map((r) => r.id));
    const byNumber = new Set(found.rows.map((r) => r.household_number));
    const missing = [
      ...wantedIds.filter((id) => !byId.has(id)),
      ...wantedNumbers.filter((n) => !byNumber.has(n)),
    ];
    if (missing.length > 0)
      throw errors.validation(
        wantedIds.some((id) => !byId.has(id)) ? 'householdIds' : 'householdNumbers',
        `有${missing.length}户不存在或不在所选地区：${missing.slice(0, 5).join('、')}${missing.length > 5 ? '等' : ''}`,
        `${missing.length} household(s) not found in the region: ${missing.slice(0, 5).join(', ')}`,
      );
    return [...byId].sort();
  });
}

export async function startRun(
  deps: BatchDeps,
  actor: Actor | undefined,
  body: StartBody,
  requestId?: string,
) {
  authorize(actor, Permission.verificationBatch);
  const regionCode = body.regionCode ?? actor.regionCode;
  const asOf = checkDate(body.asOf ?? today(), 'asOf');
  if (!/^\d{12}$/.test(regionCode))
    throw errors.validation('regionCode', '地区代码应为12位数字', 'region code must be 12 digits');
  if (!isWithin(regionCode, actor.regionCode)) throw errors.outOfScope('所选地区');
  if (regionLevel(regionCode) < 3)
    throw errors.validation(
      'regionCode',
      '批量核对按县（市、区）或乡镇、村发起',
      'run over a county or smaller',
    );
  const region = await asActor(deps.db, actor, requestId, (tx) => findRegion(tx, regionCode));
  if (!region) throw errors.validation('regionCode', `地区代码${regionCode}不存在`, 'unknown region');
  const isList = body.householdIds !== undefined || body.householdNumbers !== undefined;
  const householdIds = isList
    ? await resolveList(deps.db, actor, body, regionPrefix(regionCode), requestId)
    : null;
  const row = await createRun(
    deps.db,
    actor,
    { regionCode, kind: isList ? 'list' : 'all', asOf, householdIds },
    requestId,
  );
  await dispatch(deps, row.id);
  return runView(row);
}

export async function resumeRun(deps: BatchDeps, actor: Actor | undefined, id: string, requestId?: string) {
  authorize(actor, Permission.verificationBatch);
  const row = await asActor(deps.db, actor, requestId, async (tx) => {
    const run = await repo.findRun(tx, id);
    if (!run) throw errors.notFound('该次批量核对');
    if (run.status === 'completed')
      throw errors.conflict(
        'VERIFICATION_BATCH_COMPLETED',
        '该次批量核对已完成，无需继续',
        'the run is completed',
      );
    // Marked running here, so the county's one-active-run index refuses a resume beside another run.
    if (run.status === 'failed')
      await tx
        .query(
          "UPDATE verification_batch_run SET status = 'running', error = NULL, finished_at = NULL WHERE id = $1",
          [id],
        )
        .catch((error: unknown) => {
          if ((error as { code?: string }).code === '23505') throw alreadyRunning();
          throw error;
        });
    await appendAudit(tx, {
      action: 'verification.batch.resume',
      entityType: 'verification_batch_run',
      entityId: id,
      regionCode: run.region_code,
      actorRole: actor.role,
      after: { cursor: run.cursor, householdsDone: run.households_done },
    });
    return { ...run, status: 'running' as const, error: null };
  });
  await dispatch(deps, id);
  return runView(row);
}

export async function listRuns(
  deps: BatchDeps,
  actor: Actor | undefined,
  query: { page: number; pageSize: number },
  requestId?: string,
) {
  authorize(actor, Permission.verificationRead);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const { rows, total } = await repo.listRuns(tx, query.pageSize, (query.page - 1) * query.pageSize);
    return { items: rows.map(runView), total, page: query.page, pageSize: query.pageSize };
  });
}

export async function getRun(deps: BatchDeps, actor: Actor | undefined, id: string, requestId?: string) {
  authorize(actor, Permission.verificationRead);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const run = await repo.findRun(tx, id);
    if (!run) throw errors.notFound('该次批量核对');
    return runView(run);
  });
}

/** Delivers pending reminders (in-app: recording that they are due), as the intake deadlines do. */
export async function deliverReminders(db: Database, senders: ReminderSender[] = [inAppSender]) {
  const bySender = new Map(senders.map((s) => [s.channel, s]));
  const pending = await asSystem(db, (tx) =>
    tx.query<{
      id: string;
      channel: 'inApp' | 'sms' | 'webhook';
      office: string;
      region_code: string;
      message: string;
    }>(
      `SELECT id, channel, office, region_code, message FROM verification_outbox
        WHERE sent_at IS NULL AND attempts < 5 ORDER BY created_at LIMIT 5000`,
    ),
  );
  const sent: string[] = [];
  let failed = 0;
  for (const m of pending.rows) {
    const sender = bySender.get(m.channel);
    if (!sender) continue;
    try {
      await sender.send({ ...m, department: null, regionCode: m.region_code });
      sent.push(m.id);
    } catch (error) {
      failed += 1;
      await db.query(
        'UPDATE verification_outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1',
        [m.id, String((error as Error).message ?? error).slice(0, 500)],
      );
    }
  }
  if (sent.length)
    await db.query(
      'UPDATE verification_outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = ANY($1::uuid[])',
      [sent],
    );
  return { delivered: sent.length, failed };
}

/** Who the monthly job acts as, per county. */
export const BATCH_SYSTEM: Actor = {
  userId: 'system',
  username: 'system',
  displayName: '系统（批量核对）',
  role: 'admin',
  department: null,
  regionCode: '000000000000',
};

/**
 * The monthly job: one run per county with enrolled households, unless that county already has a
 * completed monthly run for the month; a run left running by a crash is continued, not duplicated.
 */
export async function monthlyBatch(db: Database, asOf: string) {
  const counties = await asSystem(db, (tx) =>
    tx.query<{ code: string }>(
      `SELECT DISTINCT rpad(left(region_code, 6), 12, '0') AS code FROM enrolment WHERE status <> 'stopped' ORDER BY 1`,
    ),
  );
  const runs: string[] = [];
  for (const { code } of counties.rows) {
    const existing = await asSystem(db, (tx) =>
      tx.query<{ id: string; status: string }>(
        `SELECT id, status FROM verification_batch_run
          WHERE left(region_code, 6) = left($1, 6)
            AND (status = 'running' OR (kind = 'monthly' AND status = 'completed' AND period = to_char($2::date, 'YYYY-MM')))
          ORDER BY status = 'running' DESC LIMIT 1`,
        [code, asOf],
      ),
    );
    const found = existing.rows[0];
    if (found?.status === 'completed') continue;
    const id =
      found?.id ??
      (
        await createRun(
          db,
          { ...BATCH_SYSTEM, regionCode: code },
          { regionCode: code, kind: 'monthly', asOf, householdIds: null },
        )
      ).id;
    await runBatch(db, id);
    runs.push(id);
  }
  const delivery = await deliverReminders(db);
  const pruned = await pruneSummaries(db, asOf);
  return { runs, ...delivery, pruned };
}

export const KEEP_PARAMETER = 'batchSummaryKeepRuns';

/**
 * Summaries are only compared with the next run, so each household keeps its newest N (parameter
 * batchSummaryKeepRuns of its county, in force on the date; never fewer than 2, so that a run in
 * progress still finds the previous summary beside its own) and older ones are deleted. Changes
 * found, their acknowledgements and the runs themselves are kept. One audit row per county.
 */
export async function pruneSummaries(db: Database, asOf: string) {
  const active = await activeCatalog(db, asOf);
  const parameter = active.catalog.parameters.get(KEEP_PARAMETER);
  if (!parameter) throw new Error(`参数${KEEP_PARAMETER}不存在`);
  return asSystem(db, async (tx) => {
    const counties = await tx.query<{ county: string }>(
      'SELECT DISTINCT left(region_code, 6) AS county FROM verification_batch_summary ORDER BY 1',
    );
    const keep = counties.rows.map(({ county }) => ({
      county,
      n: Math.max(2, Number(lookupParameter(parameter, asOf, county.padEnd(12, '0')).value)),
    }));
    if (keep.length === 0) return {};
    const deleted = await tx.query<{ county: string; n: number }>(
      `WITH keep AS (SELECT * FROM json_to_recordset($1::json) AS k (county text, n integer)),
            ranked AS (
              SELECT run_id, household_id, left(region_code, 6) AS county,
                     row_number() OVER (PARTITION BY household_id ORDER BY seq DESC) AS rn
                FROM verification_batch_summary),
            gone AS (
              DELETE FROM verification_batch_summary s USING ranked r, keep k
               WHERE s.run_id = r.run_id AND s.household_id = r.household_id AND k.county = r.county
                 AND r.rn > k.n
              RETURNING left(s.region_code, 6) AS county)
       SELECT county, count(*)::int AS n FROM gone GROUP BY county ORDER BY county`,
      [JSON.stringify(keep)],
    );
    const byCounty: Record<string, number> = {};
    for (const { county, n } of deleted.rows) {
      byCounty[county] = n;
      await appendAudit(tx, {
        action: 'verification.batch.prune',
        entityType: 'verification_batch_summary',
        regionCode: county.padEnd(12, '0'),
        actorId: 'system',
        actorRole: 'system',
        after: { asOf, keep: keep.find((k) => k.county === county)?.n, deleted: n },
      });
    }
    return byCounty;
  });
}
