/**
 * 派单 and escalation. An alert is dispatched by the rules (catalog/dispatch/rules.yaml) the moment a
 * request is raised, and by the `alerts-sweep` job for alerts raised from data. The same job
 * escalates every dispatched alert whose accept limit has passed one level up the region tree, with
 * a new limit, so that a department that never accepts is seen by the township, then the county.
 * Each step is an event and an audit row; a repeat on the same day finds nothing left to do.
 * Every escalation writes reminders (reminders.ts) to the escalated-to office and the lead
 * department; then the handling clocks are swept (handling.ts) and pending reminders delivered.
 */
import type { Database, Queryable } from '../../db/database.ts';
import { asSystem } from '../../db/scope.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { calendarFor } from '../intake/calendar.ts';
import * as repo from './alerts.repo.ts';
import { dispatchRules, ruleFor } from './dispatchRules.ts';
import { sweepHandling } from './handling.ts';
import { escalateTo } from './loop.ts';
import {
  type AlertReminderSender,
  deliverAlertReminders,
  escalationReminders,
  inAppAlertSender,
  insertReminders,
} from './reminders.ts';

export interface Who {
  id: string;
  name: string;
  role: string;
}
export const SYSTEM: Who = { id: 'system', name: '系统', role: 'system' };

/** Dispatches one raised alert (locked by the caller) by the rules, as of `today`. */
export async function dispatchAlert(
  tx: Queryable,
  alert: Pick<repo.AlertRow, 'id' | 'cause' | 'request_category' | 'region_code' | 'status'>,
  today: string,
  who: Who,
): Promise<void> {
  const rule = ruleFor(dispatchRules(), alert.cause, alert.request_category);
  const acceptDueOn = calendarFor(alert.region_code).addWorkingDays(today, rule.acceptWorkingDays);
  await repo.updateAlert(tx, alert.id, {
    status: 'dispatched',
    lead_department: rule.lead,
    supporting_departments: rule.supporting,
    dispatch_rule: rule.id,
    responsible_region_code: alert.region_code,
    dispatched_on: today,
    accept_due_on: acceptDueOn,
  });
  const detail = { rule: rule.id, lead: rule.lead, supporting: rule.supporting, acceptDueOn };
  await repo.insertEvent(tx, {
    alert_id: alert.id,
    action: 'dispatch',
    from_status: alert.status,
    to_status: 'dispatched',
    detail,
    actor_id: who.id,
    actor_name: who.name,
    region_code: alert.region_code,
  });
  await appendAudit(tx, {
    action: 'alert.dispatch',
    entityType: 'monitoring_alert',
    entityId: alert.id,
    regionCode: alert.region_code,
    actorId: who.id === 'system' ? 'system' : undefined,
    actorRole: who.role,
    after: detail,
  });
}

const BATCH = 500;

/**
 * The job: dispatch what is raised, escalate what is overdue, as of `today`. Works as the system
 * (every region), in batches of one transaction each: the rules are applied in memory, then one
 * UPDATE, one INSERT of the events and one audit row (naming every alert) per batch, since a run of
 * the monitoring models can raise thousands at once. Rows are locked (SKIP LOCKED) and picked by
 * their status and date, so two sweeps at once or a repeat never dispatch or escalate one twice.
 */
export async function sweepAlerts(
  db: Database,
  today: string,
  senders: AlertReminderSender[] = [inAppAlertSender],
): Promise<{
  dispatched: number;
  escalated: number;
  handleYellow: number;
  handleEscalated: number;
  reminders: number;
  delivered: number;
}> {
  const totals = {
    dispatched: 0,
    escalated: 0,
    handleYellow: 0,
    handleEscalated: 0,
    reminders: 0,
    delivered: 0,
  };
  const channels = senders.map((s) => s.channel);
  const rules = dispatchRules();
  for (;;) {
    const n = await asSystem(db, async (tx) => {
      const rows = (
        await tx.query<repo.AlertRow>(
          `SELECT id, cause, request_category, region_code FROM monitoring_alert
            WHERE status = 'raised' ORDER BY first_raised_at, id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
        )
      ).rows;
      if (!rows.length) return 0;
      const changes = rows.map((row) => {
        const rule = ruleFor(rules, row.cause, row.request_category);
        return {
          id: row.id,
          region: row.region_code,
          rule: rule.id,
          lead: rule.lead,
          supporting: rule.supporting,
          due: calendarFor(row.region_code).addWorkingDays(today, rule.acceptWorkingDays),
        };
      });
      const batch = JSON.stringify(changes);
      await tx.query(
        `UPDATE monitoring_alert a
            SET status = 'dispatched', lead_department = u.lead,
                supporting_departments = ARRAY(SELECT jsonb_array_elements_text(u.supporting)),
                dispatch_rule = u.rule, responsible_region_code = a.region_code, dispatched_on = $2::date,
                accept_due_on = u.due, version = a.version + 1, updated_at = now()
           FROM jsonb_to_recordset($1::jsonb) AS u(id uuid, lead text, supporting jsonb, rule text, due date)
          WHERE a.id = u.id`,
        [batch, today],
      );
      await tx.query(
        `INSERT INTO monitoring_alert_event (alert_id, action, from_status, to_status, detail, actor_id, actor_name, region_code)
         SELECT u.id, 'dispatch', 'raised', 'dispatched',
                jsonb_build_object('rule', u.rule, 'lead', u.lead, 'supporting', u.supporting, 'acceptDueOn', u.due),
                $2, $3, u.region
           FROM jsonb_to_recordset($1::jsonb) AS u(id uuid, region text, lead text, supporting jsonb, rule text, due text)`,
        [batch, SYSTEM.id, SYSTEM.name],
      );
      await appendAudit(tx, {
        action: 'alert.dispatch.batch',
        entityType: 'monitoring_alert',
        actorId: 'system',
        actorRole: 'system',
        after: { today, alerts: changes.map((c) => ({ id: c.id, rule: c.rule, acceptDueOn: c.due })) },
      });
      return rows.length;
    });
    totals.dispatched += n;
    if (n < BATCH) break;
  }
  for (;;) {
    const n = await asSystem(db, async (tx) => {
      const rows = (
        await tx.query<repo.AlertRow>(
          `SELECT id, cause, request_category, region_code, escalation_level, lead_department, summary_zh,
                  responsible_region_code, to_char(accept_due_on, 'YYYY-MM-DD') AS accept_due_on
             FROM monitoring_alert WHERE status = 'dispatched' AND accept_due_on < $1::date
            ORDER BY accept_due_on, id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
          [today],
        )
      ).rows;
      if (!rows.length) return 0;
      const changes = rows.map((row) => {
        const rule = ruleFor(rules, row.cause, row.request_category);
        const from = row.responsible_region_code ?? row.region_code;
        return {
          id: row.id,
          region: row.region_code,
          fromRegion: from,
          toRegion: escalateTo(from),
          level: row.escalation_level + 1,
          missedDueOn: row.accept_due_on,
          acceptDueOn: calendarFor(row.region_code).addWorkingDays(today, rule.acceptWorkingDays),
          lead: row.lead_department,
        };
      });
      const summaries = new Map(rows.map((r) => [r.id, r.summary_zh]));
      totals.reminders += await insertReminders(
        tx,
        changes.flatMap((c) =>
          escalationReminders('acceptEscalated', { ...c, summary: summaries.get(c.id) ?? '' }, channels),
        ),
      );
      const batch = JSON.stringify(changes);
      await tx.query(
        `UPDATE monitoring_alert a
            SET escalation_level = u.level, responsible_region_code = u."toRegion", accept_due_on = u."acceptDueOn",
                version = a.version + 1, updated_at = now()
           FROM jsonb_to_recordset($1::jsonb) AS u(id uuid, level int, "toRegion" text, "acceptDueOn" date)
          WHERE a.id = u.id`,
        [batch],
      );
      await tx.query(
        `INSERT INTO monitoring_alert_event (alert_id, action, from_status, to_status, detail, actor_id, actor_name, region_code)
         SELECT (u.c ->> 'id')::uuid, 'escalate', 'dispatched', 'dispatched', u.c - 'id' - 'region', $2, $3, u.c ->> 'region'
           FROM jsonb_array_elements($1::jsonb) AS u(c)`,
        [batch, SYSTEM.id, SYSTEM.name],
      );
      await appendAudit(tx, {
        action: 'alert.escalate.batch',
        entityType: 'monitoring_alert',
        actorId: 'system',
        actorRole: 'system',
        after: { today, alerts: changes.map((c) => ({ id: c.id, toRegion: c.toRegion, level: c.level })) },
      });
      return rows.length;
    });
    totals.escalated += n;
    if (n < BATCH) break;
  }
  const handling = await sweepHandling(db, today, channels);
  totals.handleYellow = handling.yellow;
  totals.handleEscalated = handling.escalated;
  totals.reminders += handling.reminders;
  totals.delivered = (await deliverAlertReminders(db, senders)).delivered;
  return totals;
}
