/**
 * The handling clock after 接单 (issue 7 item 4: "accepted within a time limit; handled …; overdue
 * escalation up the region tree"). The dispatch rule gives the handling limit in working days
 * (catalog/dispatch/rules.yaml `handleWorkingDays`, counted on the intake holiday calendar from the
 * day of acceptance). The sweep marks each accepted or handling alert green, yellow (80% of the
 * working days used) or red (past the due date); an overdue one is escalated one level up the region
 * tree (village → township → county; the county stays the county) with a new limit of the rule's
 * accept days to get it moving, at most once a day per alert. Reminders go into `alert_outbox`
 * (reminders.ts): the escalated-to civil-affairs office and the lead department are told.
 */
import type { Database } from '../../db/database.ts';
import { asSystem } from '../../db/scope.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { calendarFor } from '../intake/calendar.ts';
import { type DispatchRule, dispatchRules, ruleFor } from './dispatchRules.ts';
import { escalateTo } from './loop.ts';
import { escalationReminders, insertReminders, type Reminder, reminderText } from './reminders.ts';

export type DueStatus = 'green' | 'yellow' | 'red';

export interface HandleClock {
  fromOn: string;
  dueOn: string;
  workingDays: number;
  usedWorkingDays: number;
  dueStatus: DueStatus;
}

/** The handling clock of an accepted or handling alert as of `today` (null before acceptance). */
export function handleClock(
  row: {
    status: string;
    region_code: string;
    accepted_on: string | null;
    handle_from_on: string | null;
    handle_due_on: string | null;
  },
  today: string,
): HandleClock | null {
  if (row.status !== 'accepted' && row.status !== 'handling') return null;
  const fromOn = row.handle_from_on ?? row.accepted_on;
  const dueOn = row.handle_due_on;
  if (!fromOn || !dueOn) return null;
  const calendar = calendarFor(row.region_code);
  const workingDays = calendar.workingDaysBetween(fromOn, dueOn);
  const used = calendar.workingDaysBetween(fromOn, today);
  const dueStatus: DueStatus =
    today > dueOn ? 'red' : workingDays > 0 && used >= 0.8 * workingDays ? 'yellow' : 'green';
  return { fromOn, dueOn, workingDays, usedWorkingDays: Math.max(used, 0), dueStatus };
}

interface Row {
  id: string;
  cause: string;
  request_category: string | null;
  status: string;
  region_code: string;
  responsible_region_code: string | null;
  lead_department: string | null;
  summary_zh: string;
  accepted_on: string | null;
  handle_from_on: string | null;
  handle_due_on: string | null;
  handle_due_status: string | null;
  handle_escalation_level: number;
  handle_escalated_to: string | null;
  handle_escalated_on: string | null;
}

const BATCH = 500;
const d = (c: string) => `to_char(${c}, 'YYYY-MM-DD') AS ${c}`;

/**
 * Marks every accepted or handling alert's clock, writes due-soon reminders and escalates the
 * overdue ones, as of `today`. Works as the system in batches of one transaction each, keyset by id;
 * rows are locked (SKIP LOCKED) so two sweeps at once never escalate one alert twice, and an alert
 * escalated today is not escalated again today.
 */
export async function sweepHandling(
  db: Database,
  today: string,
  channels: Reminder['channel'][] = ['inApp'],
): Promise<{ checked: number; yellow: number; red: number; escalated: number; reminders: number }> {
  const totals = { checked: 0, yellow: 0, red: 0, escalated: 0, reminders: 0 };
  const rules = dispatchRules();
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const done = await asSystem(db, async (tx) => {
      const rows = (
        await tx.query<Row>(
          `SELECT id, cause, request_category, status, region_code, responsible_region_code, lead_department,
                  summary_zh, ${d('accepted_on')}, ${d('handle_from_on')}, ${d('handle_due_on')}, handle_due_status,
                  handle_escalation_level, handle_escalated_to, ${d('handle_escalated_on')}
             FROM monitoring_alert
            WHERE status IN ('accepted', 'handling') AND handle_due_on IS NOT NULL AND id > $1
            ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
          [after],
        )
      ).rows;
      const marks: { id: string; status: DueStatus }[] = [];
      const escalations: ReturnType<typeof escalation>[] = [];
      const reminders: Reminder[] = [];
      for (const row of rows) {
        totals.checked += 1;
        const clock = handleClock(row, today);
        if (!clock) continue;
        if (clock.dueStatus === 'red' && (!row.handle_escalated_on || row.handle_escalated_on < today)) {
          const e = escalation(row, ruleFor(rules, row.cause, row.request_category), today);
          escalations.push(e);
          reminders.push(...escalationReminders('handleEscalated', e, channels));
          continue;
        }
        if (clock.dueStatus === 'yellow') totals.yellow += 1;
        if (clock.dueStatus === 'red') totals.red += 1;
        if (clock.dueStatus !== row.handle_due_status) marks.push({ id: row.id, status: clock.dueStatus });
        if (clock.dueStatus === 'yellow')
          for (const channel of channels) reminders.push(dueSoonReminder(row, clock.dueOn, channel));
      }
      if (marks.length)
        await tx.query(
          `UPDATE monitoring_alert a SET handle_due_status = u.status
             FROM unnest($1::uuid[], $2::text[]) AS u(id, status) WHERE a.id = u.id`,
          [marks.map((m) => m.id), marks.map((m) => m.status)],
        );
      if (escalations.length) {
        const batch = JSON.stringify(escalations);
        await tx.query(
          `UPDATE monitoring_alert a
              SET handle_escalation_level = u.level, handle_escalated_to = u."toRegion", handle_escalated_on = $2::date,
                  handle_from_on = $2::date, handle_due_on = u."handleDueOn", handle_due_status = 'green',
                  version = a.version + 1, updated_at = now()
             FROM jsonb_to_recordset($1::jsonb) AS u(id uuid, level int, "toRegion" text, "handleDueOn" date)
            WHERE a.id = u.id`,
          [batch, today],
        );
        await tx.query(
          `INSERT INTO monitoring_alert_event (alert_id, action, from_status, to_status, detail, actor_id, actor_name, region_code)
           SELECT (u.c ->> 'id')::uuid, 'escalate', u.c ->> 'status', u.c ->> 'status',
                  (u.c - 'id' - 'region' - 'status' - 'summary') || '{"kind":"handling"}'::jsonb, 'system', '系统', u.c ->> 'region'
             FROM jsonb_array_elements($1::jsonb) AS u(c)`,
          [batch],
        );
        await appendAudit(tx, {
          action: 'alert.escalate.handling.batch',
          entityType: 'monitoring_alert',
          actorId: 'system',
          actorRole: 'system',
          after: {
            today,
            alerts: escalations.map((e) => ({ id: e.id, toRegion: e.toRegion, level: e.level })),
          },
        });
        totals.escalated += escalations.length;
      }
      totals.reminders += await insertReminders(tx, reminders);
      after = rows.at(-1)?.id ?? after;
      return rows.length < BATCH;
    });
    if (done) break;
  }
  return totals;
}

function escalation(row: Row, rule: DispatchRule, today: string) {
  const from = row.handle_escalated_to ?? row.responsible_region_code ?? row.region_code;
  return {
    id: row.id,
    region: row.region_code,
    status: row.status,
    summary: row.summary_zh,
    lead: row.lead_department,
    fromRegion: from,
    toRegion: escalateTo(from),
    level: row.handle_escalation_level + 1,
    missedDueOn: row.handle_due_on as string,
    handleDueOn: calendarFor(row.region_code).addWorkingDays(today, rule.acceptWorkingDays),
  };
}

function dueSoonReminder(row: Row, dueOn: string, channel: Reminder['channel']): Reminder {
  const department =
    row.lead_department && row.lead_department !== 'civilAffairs' ? row.lead_department : null;
  return {
    alertId: row.id,
    kind: 'handleDueSoon',
    round: dueOn,
    channel,
    audience: department ? 'department' : 'civilAffairs',
    department,
    regionCode: department ? row.region_code : (row.responsible_region_code ?? row.region_code),
    message: reminderText('handleDueSoon', { summary: row.summary_zh, lead: row.lead_department, dueOn }),
    dueOn,
  };
}
