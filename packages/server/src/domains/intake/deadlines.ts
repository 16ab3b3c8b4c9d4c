/**
 * Deadlines: every open case's step clock, marked yellow at 80% of its working days and red once
 * overdue; a reminder for each into the outbox (one per case, step round, kind and channel, so the
 * job can run any number of times), then delivered by the senders. The in-app sender only marks
 * the reminder delivered (the workbench reads the outbox); SMS and webhook senders implement the
 * same interface. Overdue lists group open cases by office, department and township.
 */
import type { Database, Queryable } from '../../db/database.ts';
import { asActor, asSystem } from '../../db/scope.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { type IntakeDeps, todayOf } from './applications.service.ts';
import type { CaseRow } from './intake.repo.ts';
import { caseView, policyRefs, stepClock, templateOf } from './intake.views.ts';
import { stepOf } from './templates.ts';
import { officeName } from './transitions.ts';

export interface OutboxMessage {
  id: string;
  channel: 'inApp' | 'sms' | 'webhook';
  office: string;
  department: string | null;
  regionCode: string;
  message: string;
}

/** Delivers one reminder; throws to leave it pending for the next run. */
export interface ReminderSender {
  channel: OutboxMessage['channel'];
  send(message: OutboxMessage): Promise<void>;
}

/** In-app: the reminder is shown from the outbox itself, so delivering it is recording that it is due. */
export const inAppSender: ReminderSender = { channel: 'inApp', async send() {} };

const BATCH = 500;

/** Marks every open case's clock as of `today`, writes reminders, delivers pending ones. */
export async function sweepDeadlines(
  db: Database,
  options: { today: string; senders?: ReminderSender[] },
): Promise<{
  checked: number;
  yellow: number;
  red: number;
  reminders: number;
  delivered: number;
  failed: number;
}> {
  const senders = options.senders ?? [inAppSender];
  let after = '00000000-0000-0000-0000-000000000000';
  const totals = { checked: 0, yellow: 0, red: 0, reminders: 0, delivered: 0, failed: 0 };
  for (;;) {
    const done = await asSystem(db, async (tx) => {
      const rows = (
        await tx.query<CaseRow>(
          `SELECT id, region_code, policy_id, template_id, department, current_step, step_round, step_office,
                  to_char(step_started_on, 'YYYY-MM-DD') AS step_started_on, to_char(step_due_on, 'YYYY-MM-DD') AS step_due_on,
                  step_working_days, due_status
             FROM intake_case WHERE status = 'open' AND id > $1 ORDER BY id LIMIT $2`,
          [after, BATCH],
        )
      ).rows;
      const changed: { id: string; status: string }[] = [];
      const reminders: Reminder[] = [];
      for (const row of rows) {
        totals.checked += 1;
        const clock = stepClock(
          row.region_code,
          row.step_started_on,
          row.step_due_on,
          row.step_working_days,
          options.today,
        );
        if (!clock) continue;
        if (clock.dueStatus === 'yellow') totals.yellow += 1;
        if (clock.dueStatus === 'red') totals.red += 1;
        if (clock.dueStatus !== row.due_status) changed.push({ id: row.id, status: clock.dueStatus });
        if (clock.dueStatus !== 'green')
          for (const sender of senders)
            reminders.push(reminderFor(row, clock.dueStatus, clock.dueOn, sender.channel));
      }
      // One statement each for the batch: a county's open cases are marked in a few round trips.
      if (changed.length)
        await tx.query(
          `UPDATE intake_case c SET due_status = u.status FROM unnest($1::uuid[], $2::text[]) AS u(id, status)
            WHERE c.id = u.id`,
          [changed.map((c) => c.id), changed.map((c) => c.status)],
        );
      totals.reminders += await insertReminders(tx, reminders);
      after = rows.at(-1)?.id ?? after;
      return rows.length < BATCH;
    });
    if (done) break;
  }
  const delivery = await deliverPending(db, senders);
  totals.delivered = delivery.delivered;
  totals.failed = delivery.failed;
  if (totals.reminders > 0 || totals.delivered > 0)
    await asSystem(db, (tx) =>
      appendAudit(tx, {
        action: 'intake.deadlines.sweep',
        entityType: 'intake_case',
        actorId: 'system',
        actorRole: 'system',
        after: { today: options.today, ...totals },
      }),
    );
  return totals;
}

interface Reminder {
  caseId: string;
  stepRound: number;
  step: string;
  kind: 'dueSoon' | 'overdue';
  channel: OutboxMessage['channel'];
  office: string;
  department: string | null;
  regionCode: string;
  message: string;
  dueOn: string;
}

function reminderFor(
  row: CaseRow,
  status: 'yellow' | 'red',
  dueOn: string,
  channel: OutboxMessage['channel'],
): Reminder {
  const t = templateOf(row);
  const step = stepOf(t, row.current_step as string);
  const policy = policyRefs().get(row.policy_id)?.name?.zh ?? row.policy_id;
  const message =
    status === 'red'
      ? `【已超期】${policy}案件“${step.name.zh}”环节应于${dueOn}前办结，请${officeName(step.office)}立即办理`
      : `【即将到期】${policy}案件“${step.name.zh}”环节将于${dueOn}到期，请${officeName(step.office)}抓紧办理`;
  return {
    caseId: row.id,
    stepRound: row.step_round,
    step: step.id,
    kind: status === 'red' ? 'overdue' : 'dueSoon',
    channel,
    office: step.office,
    department: row.department,
    regionCode: row.region_code,
    message,
    dueOn,
  };
}

/** Inserts the batch's reminders; those already written (same case, round, kind, channel) are skipped. */
async function insertReminders(tx: Queryable, list: Reminder[]): Promise<number> {
  if (list.length === 0) return 0;
  const column = <K extends keyof Reminder>(k: K) => list.map((r) => r[k]);
  const r = await tx.query(
    `INSERT INTO intake_outbox (case_id, step_round, step, kind, channel, office, department, region_code, message, due_on)
     SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                          $9::text[], $10::date[])
     ON CONFLICT DO NOTHING`,
    [
      column('caseId'),
      column('stepRound'),
      column('step'),
      column('kind'),
      column('channel'),
      column('office'),
      column('department'),
      column('regionCode'),
      column('message'),
      column('dueOn'),
    ],
  );
  return r.rowCount ?? 0;
}

async function deliverPending(db: Database, senders: ReminderSender[]) {
  const bySender = new Map(senders.map((s) => [s.channel, s]));
  const pending = await asSystem(db, (tx) =>
    tx.query<{
      id: string;
      channel: OutboxMessage['channel'];
      office: string;
      department: string | null;
      region_code: string;
      message: string;
    }>(
      `SELECT id, channel, office, department, region_code, message FROM intake_outbox
        WHERE sent_at IS NULL AND attempts < 5 ORDER BY created_at LIMIT 1000`,
    ),
  );
  let delivered = 0;
  let failed = 0;
  const sent: string[] = [];
  for (const m of pending.rows) {
    const sender = bySender.get(m.channel);
    if (!sender) continue;
    try {
      await sender.send({ ...m, regionCode: m.region_code });
      sent.push(m.id);
      delivered += 1;
    } catch (error) {
      await db.query('UPDATE intake_outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [
        m.id,
        String((error as Error).message ?? error).slice(0, 500),
      ]);
      failed += 1;
    }
  }
  if (sent.length)
    await db.query(
      'UPDATE intake_outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = ANY($1::uuid[])',
      [sent],
    );
  return { delivered, failed };
}

const OFFICE_OF_ROLE: Partial<Record<Actor['role'], string>> = {
  caseworker: 'township',
  countyOfficer: 'county',
  departmentOfficer: 'department',
  verificationCentre: 'verificationCentre',
};

/** In-app reminders for the actor's office in their scope, newest first. */
export async function listReminders(
  deps: IntakeDeps,
  actor: Actor | undefined,
  limit: number,
  requestId?: string,
) {
  authorize(actor, Permission.intakeRead);
  const office = OFFICE_OF_ROLE[actor.role] ?? null;
  return asActor(deps.db, actor, requestId, async (tx) => {
    const r = await tx.query<{
      id: string;
      case_id: string;
      kind: string;
      step: string;
      message: string;
      due_on: string;
      created_at: Date;
    }>(
      `SELECT id, case_id, kind, step, message, to_char(due_on, 'YYYY-MM-DD') AS due_on, created_at
         FROM intake_outbox
        WHERE channel = 'inApp' AND ($1::text IS NULL OR office = $1) AND ($2::text IS NULL OR department = $2)
        ORDER BY created_at DESC, id LIMIT $3`,
      [office, actor.role === 'departmentOfficer' ? actor.department : null, limit],
    );
    return r.rows.map((m) => ({
      id: m.id,
      caseId: m.case_id,
      kind: m.kind,
      step: m.step,
      message: m.message,
      dueOn: m.due_on,
      createdAt: new Date(m.created_at).toISOString(),
    }));
  });
}

/**
 * Overdue and due-soon cases in the actor's scope as of today, grouped per office, department and
 * township (the lists the issue asks for), with the red cases themselves, most overdue first.
 */
export async function overdueLists(deps: IntakeDeps, actor: Actor | undefined, requestId?: string) {
  authorize(actor, Permission.intakeRead);
  const today = todayOf(deps);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const rows = (
      await tx.query<CaseRow & { township_name: string | null }>(
        `SELECT c.id, c.application_id, c.item_no, c.household_id, c.region_code, c.policy_id, c.template_id, c.department,
                c.status, c.current_step, c.step_round, c.step_office, to_char(c.step_started_on, 'YYYY-MM-DD') AS step_started_on,
                to_char(c.step_due_on, 'YYYY-MM-DD') AS step_due_on, c.step_working_days, c.due_status,
                to_char(c.received_on, 'YYYY-MM-DD') AS received_on, to_char(c.case_due_on, 'YYYY-MM-DD') AS case_due_on,
                c.extended_reason, c.flags, c.completed_steps, c.outcome_reason, c.version, c.created_at, c.updated_at,
                c.closed_at, t.name AS township_name
           FROM intake_case c LEFT JOIN region t ON t.code = substr(c.region_code, 1, 9) || '000'
          WHERE c.status = 'open' AND ($1::text IS NULL OR c.department = $1)
          ORDER BY c.step_due_on LIMIT 5000`,
        [actor.role === 'departmentOfficer' ? actor.department : null],
      )
    ).rows;
    const groups = new Map<
      string,
      {
        office: string;
        department: string | null;
        townshipCode: string;
        townshipName: string | null;
        yellow: number;
        red: number;
      }
    >();
    const red = [];
    for (const row of rows) {
      const view = caseView(row, today);
      const status = view.currentStep?.clock?.dueStatus ?? 'green';
      if (status === 'green') continue;
      const townshipCode = `${row.region_code.slice(0, 9)}000`;
      const key = `${row.step_office}|${row.department ?? ''}|${townshipCode}`;
      const g = groups.get(key) ?? {
        office: row.step_office ?? '',
        department: row.department,
        townshipCode,
        townshipName: row.township_name,
        yellow: 0,
        red: 0,
      };
      g[status] += 1;
      groups.set(key, g);
      if (status === 'red' && red.length < 200) red.push(view);
    }
    return {
      asOf: today,
      groups: [...groups.values()].sort(
        (a, b) => b.red - a.red || b.yellow - a.yellow || a.townshipCode.localeCompare(b.townshipCode),
      ),
      overdue: red,
    };
  });
}
