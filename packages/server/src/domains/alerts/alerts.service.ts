/**
 * The loop 点单 → 派单 → 接单 → 办理 → 反馈 → 办结. A request (resident self-report, grid worker,
 * caseworker) raises an alert and dispatches it at once; then the lead department or the local
 * office accepts it, handles it (opens an intake case, refers, visits, or closes with a reason),
 * reports back, and civil affairs closes it. Every action locks the alert, compares the version the
 * user saw (two officers at once: one wins, one gets 409), writes an event and an audit row.
 */
import type { Database, Queryable } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { findHousehold } from '../intake/intake.repo.ts';
import { isRegionCode } from '../regions/regionCode.ts';
import { chinaDate } from '../registry/registry.model.ts';
import * as repo from './alerts.repo.ts';
import { alertView, categoryZh, eventView } from './alerts.views.ts';
import { dispatchAlert } from './dispatch.ts';

export interface AlertDeps {
  db: Database;
  /** The time now; tests move it to run the accept limits and escalation. */
  clock?: () => Date;
}

export const nowOf = (deps: AlertDeps) => deps.clock?.() ?? new Date();
export const todayOf = (deps: AlertDeps) => chinaDate(nowOf(deps));

const KEY = /^[A-Za-z0-9._:-]{8,100}$/;

export interface RaiseInput {
  householdId?: string | undefined;
  category: string;
  description: string;
  colour?: string | undefined;
}

/** Strips control characters (kept: new lines) so a report reads the same everywhere it is shown. */
export const clean = (text: string) =>
  text.replace(/[\p{Cc}\u202a-\u202e]/gu, (c) => (c === '\n' ? c : '')).trim();

export async function raiseRequest(
  deps: AlertDeps,
  actor: Actor | undefined,
  body: RaiseInput,
  idempotencyKey: string | undefined,
  requestId?: string,
) {
  authorize(actor, Permission.alertRaise);
  if (!idempotencyKey || !KEY.test(idempotencyKey))
    throw errors.validation(
      'Idempotency-Key',
      '上报须带 Idempotency-Key 请求头（8到100位字母、数字或 ._:-），重试时使用同一个值',
      'an Idempotency-Key header of 8–100 characters is required',
    );
  const description = clean(body.description);
  if (!description) throw errors.validation('description', '请写明遇到的困难', 'describe the hardship');
  const resident = actor.role === 'resident';
  if (!resident && !body.householdId)
    throw errors.validation('householdId', '请选择需要帮扶的家庭', 'choose the household');
  if (resident && body.householdId)
    throw errors.validation('householdId', '群众点单不需选择家庭', 'residents report for themselves');
  const origin = resident ? 'selfReport' : actor.role === 'gridWorker' ? 'gridWorker' : 'staff';
  // A resident's own report is at least yellow; emergencies red; staff may set the colour.
  const colour = body.colour ?? (body.category === 'emergency' ? 'red' : 'yellow');
  if (resident && body.colour) throw errors.validation('colour', '群众点单不能指定预警颜色', 'no colour');
  const today = todayOf(deps);

  return asActor(deps.db, actor, requestId, async (tx) => {
    const earlier = await repo.alertByRequestKey(tx, actor.userId, idempotencyKey);
    if (earlier) return replay(tx, earlier, today, actor, body);
    let householdId: string | null = null;
    let regionCode = actor.regionCode;
    if (body.householdId) {
      const household = await findHousehold(tx, body.householdId);
      if (!household) throw errors.notFound('该户');
      householdId = household.id;
      regionCode = household.region_code;
    }
    if (resident) {
      const own = await residentHousehold(tx, actor.userId);
      if (own) {
        householdId = own.id;
        regionCode = own.region_code;
      }
    }
    if (!isRegionCode(regionCode)) throw errors.validation('regionCode', '所在地区无效', 'bad region');
    const subjectKey = householdId ?? `resident:${actor.userId}`;
    const evidence = {
      kind: 'request',
      category: body.category,
      text: description,
      by: actor.displayName,
      on: today,
    };
    const summary = `${categoryZh[body.category] ?? body.category}：${description}`.slice(0, 200);

    // One open request per household: a second report adds to it (more evidence, count + 1).
    const open = await repo.openAlertFor(tx, subjectKey, 'request');
    if (open) {
      const row = (await repo.findAlert(tx, open)) as repo.AlertRow;
      const more = [...(row.evidence ?? []), evidence].slice(-30);
      await repo.updateAlert(tx, open, {
        evidence: JSON.stringify(more),
        raise_count: row.raise_count + 1,
        last_raised_at: nowOf(deps),
      });
      await repo.insertEvent(tx, {
        alert_id: open,
        action: 'update',
        from_status: row.status,
        to_status: row.status,
        detail: { category: body.category, text: description, origin },
        actor_id: actor.userId,
        actor_name: actor.displayName,
        region_code: row.region_code,
      });
      await appendAudit(tx, {
        action: 'alert.raise.merge',
        entityType: 'monitoring_alert',
        entityId: open,
        regionCode: row.region_code,
        actorRole: actor.role,
        after: { category: body.category, origin },
      });
      const merged = (await repo.findAlert(tx, open)) as repo.AlertRow;
      return { alert: alertView(merged, today, actor), replayed: false, merged: true };
    }

    const id = await repo.insertRequestAlert(tx, {
      household_id: householdId,
      subject_key: subjectKey,
      region_code: regionCode,
      origin,
      colour,
      evidence: [evidence],
      summary_zh: summary,
      request_category: body.category,
      request_text: description,
      raised_by: actor.userId,
      raised_by_name: actor.displayName,
      request_key: idempotencyKey,
      raised_at: nowOf(deps),
    });
    if (!id) throw errors.conflict('IDEMPOTENCY_RACE', '请稍后重试', 'please retry');
    const who = { id: actor.userId, name: actor.displayName, role: actor.role };
    await repo.insertEvent(tx, {
      alert_id: id,
      action: 'raise',
      from_status: null,
      to_status: 'raised',
      detail: { origin, category: body.category, colour },
      actor_id: who.id,
      actor_name: who.name,
      region_code: regionCode,
    });
    await appendAudit(tx, {
      action: 'alert.raise',
      entityType: 'monitoring_alert',
      entityId: id,
      regionCode,
      actorRole: actor.role,
      after: { householdId, origin, category: body.category, colour },
    });
    await dispatchAlert(
      tx,
      { id, cause: 'request', request_category: body.category, region_code: regionCode, status: 'raised' },
      today,
      who,
    );
    const row = (await repo.findAlert(tx, id)) as repo.AlertRow;
    return { alert: alertView(row, today, actor), replayed: false, merged: false };
  });
}

/**
 * The household of a resident who signed in with a linked account (resident_account, the residents
 * domain), so a self-report lands on the family's own chain; without a link it stays the resident's.
 */
async function residentHousehold(tx: Queryable, userId: string) {
  const linked = await tx.query<{ ok: boolean }>(
    `SELECT to_regclass('resident_account') IS NOT NULL
            AND has_table_privilege('resident_account', 'SELECT') AS ok`,
  );
  if (!linked.rows[0]?.ok) return undefined;
  const r = await tx.query<{ id: string; region_code: string }>(
    `SELECT h.id, h.region_code FROM resident_account ra JOIN person p ON p.id = ra.person_id
       JOIN household h ON h.id = p.household_id WHERE ra.user_id::text = $1`,
    [userId],
  );
  return r.rows[0];
}

async function replay(tx: Queryable, id: string, today: string, actor: Actor, body: RaiseInput) {
  const row = await repo.findAlert(tx, id);
  if (!row) throw errors.conflict('IDEMPOTENCY_RACE', '请稍后重试', 'please retry');
  if (
    row.request_category !== body.category ||
    (body.householdId ?? null) !== (row.origin === 'selfReport' ? null : row.household_id)
  )
    throw errors.conflict(
      'IDEMPOTENCY_KEY_REUSED',
      '该 Idempotency-Key 已用于另一次内容不同的上报，请换一个新值',
      'this Idempotency-Key was used for a different report',
    );
  return { alert: alertView(row, today, actor), replayed: true, merged: false };
}

export async function listAlerts(
  deps: AlertDeps,
  actor: Actor | undefined,
  query: {
    page: number;
    pageSize: number;
    status?: string | undefined;
    colour?: string | undefined;
    department?: string | undefined;
    regionCode?: string | undefined;
    householdId?: string | undefined;
    overdue?: boolean | undefined;
    mine?: boolean | undefined;
  },
  requestId?: string,
) {
  authorize(actor, Permission.monitoringRead);
  const today = todayOf(deps);
  // "My queue": a department's open alerts; the office's for local civil affairs; all open ones
  // for the county officer, who supervises every alert of the county.
  const queue = !query.mine
    ? undefined
    : actor.role === 'departmentOfficer'
      ? { department: actor.department ?? '-' }
      : actor.role === 'countyOfficer'
        ? { allOpen: true as const }
        : { civilAffairsIn: actor.regionCode };
  return asActor(deps.db, actor, requestId, async (tx) => {
    const { rows, total } = await repo.listAlerts(
      tx,
      {
        status: query.status,
        colour: query.colour,
        department: query.department,
        queue,
        regionCode: query.regionCode,
        householdId: query.householdId,
        overdueOn: query.overdue ? today : undefined,
      },
      query.pageSize,
      (query.page - 1) * query.pageSize,
      today,
    );
    return {
      items: rows.map((r) => alertView(r, today, actor)),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  });
}

export async function getAlert(deps: AlertDeps, actor: Actor | undefined, id: string, requestId?: string) {
  authorize(actor, Permission.monitoringRead);
  const today = todayOf(deps);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const row = await repo.findAlert(tx, id);
    if (!row) throw errors.notFound('该预警');
    const events = await repo.eventsOf(tx, id);
    return {
      alert: alertView(row, today, actor),
      evidence: row.evidence ?? [],
      events: events.map(eventView),
    };
  });
}

/**
 * 我的上报: what someone raised and where it stands (a resident follows a self-report this way;
 * residents do not read the alert list). Only the person's own requests, newest first.
 */
export async function myRequests(deps: AlertDeps, actor: Actor | undefined, requestId?: string) {
  authorize(actor, Permission.alertRaise);
  const today = todayOf(deps);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const rows = await tx.query<repo.AlertRow>(
      `SELECT ${repo.ALERT_COLUMNS} FROM ${repo.ALERT_FROM}
        WHERE a.raised_by = $1 ORDER BY a.first_raised_at DESC LIMIT 50`,
      [actor.userId],
    );
    return rows.rows.map((r) => {
      const v = alertView(r, today);
      // A resident sees the progress, not the office's notes about the household.
      return {
        id: v.id,
        category: v.requestCategory,
        text: v.requestText,
        status: v.status,
        statusZh: v.statusZh,
        leadDepartment: v.leadDepartment,
        acceptDueOn: v.acceptDueOn,
        raisedAt: v.firstRaisedAt,
        closedAt: v.closedAt,
        outcome: v.outcome,
      };
    });
  });
}
