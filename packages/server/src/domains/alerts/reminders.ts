/**
 * Reminders of the alert loop, through an outbox (`alert_outbox`, migration 021) as intake does for
 * cases: the sweep writes one row per alert, kind, round (escalation level or due date), audience,
 * region and channel, so a repeated sweep writes nothing new; senders then deliver the pending ones
 * (in-app now: the reminder is shown from the outbox itself; SMS or webhook implement the same
 * interface as intake's `ReminderSender`). Who is told of an escalation: civil affairs of the
 * escalated-to region (township or county) and, when a department leads, that department.
 */
import type { Database, Queryable } from '../../db/database.ts';
import { asActor, asSystem } from '../../db/scope.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { regionLevel } from '../regions/regionCode.ts';
import type { AlertDeps } from './alerts.service.ts';
import { departmentZh } from './dashboard.ts';
import { CIVIL_AFFAIRS } from './dispatchRules.ts';

export type ReminderKind = 'acceptEscalated' | 'handleDueSoon' | 'handleEscalated';

export interface Reminder {
  alertId: string;
  kind: ReminderKind;
  round: string;
  channel: 'inApp' | 'sms' | 'webhook';
  audience: 'civilAffairs' | 'department';
  department: string | null;
  regionCode: string;
  message: string;
  dueOn: string | null;
}

const levelZh = (code: string) => (regionLevel(code) <= 3 ? '县（市、区）' : '乡镇（街道）');
const leadZh = (lead: string | null) =>
  !lead || lead === CIVIL_AFFAIRS ? '属地民政' : `${departmentZh[lead] ?? lead}部门`;
const short = (text: string) => (text.length > 120 ? `${text.slice(0, 119)}…` : text);

export function reminderText(
  kind: ReminderKind,
  v: { summary: string; lead: string | null; dueOn: string; missedDueOn?: string | null; toRegion?: string },
): string {
  const what = short(v.summary);
  if (kind === 'handleDueSoon')
    return `【办理即将到期】预警“${what}”应于${v.dueOn}前办结，请${leadZh(v.lead)}抓紧办理`;
  const where = v.toRegion ? levelZh(v.toRegion) : '上级';
  if (kind === 'acceptEscalated')
    return `【超时未接单·已上报${where}】预警“${what}”应于${v.missedDueOn}前接单，${leadZh(v.lead)}未接单，请于${v.dueOn}前督办接单`;
  return `【超期未办结·已上报${where}】预警“${what}”应于${v.missedDueOn}前办结，${leadZh(v.lead)}仍未办结，请于${v.dueOn}前督办`;
}

/** The reminders of one escalation: the escalated-to civil-affairs office, and the lead department. */
export function escalationReminders(
  kind: 'acceptEscalated' | 'handleEscalated',
  e: {
    id: string;
    region: string;
    summary: string;
    lead: string | null;
    toRegion: string;
    level: number;
    missedDueOn: string | null;
    handleDueOn?: string;
    acceptDueOn?: string;
  },
  channels: Reminder['channel'][],
): Reminder[] {
  const dueOn = (e.handleDueOn ?? e.acceptDueOn) as string;
  const message = reminderText(kind, { ...e, dueOn });
  const out: Reminder[] = [];
  for (const channel of channels) {
    const base = { alertId: e.id, kind, round: String(e.level), channel, message, dueOn };
    out.push({ ...base, audience: 'civilAffairs', department: null, regionCode: e.toRegion });
    if (e.lead && e.lead !== CIVIL_AFFAIRS)
      out.push({ ...base, audience: 'department', department: e.lead, regionCode: e.region });
  }
  return out;
}

/** Inserts reminders; those already written (same alert, kind, round, audience, region, channel) are skipped. */
export async function insertReminders(tx: Queryable, list: Reminder[]): Promise<number> {
  if (list.length === 0) return 0;
  const column = <K extends keyof Reminder>(k: K) => list.map((r) => r[k]);
  const r = await tx.query(
    `INSERT INTO alert_outbox (alert_id, kind, round, channel, audience, department, region_code, message, due_on)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                          $8::text[], $9::date[])
     ON CONFLICT DO NOTHING`,
    [
      column('alertId'),
      column('kind'),
      column('round'),
      column('channel'),
      column('audience'),
      column('department'),
      column('regionCode'),
      column('message'),
      column('dueOn'),
    ],
  );
  return r.rowCount ?? 0;
}

export interface AlertReminderMessage {
  id: string;
  channel: Reminder['channel'];
  audience: Reminder['audience'];
  department: string | null;
  regionCode: string;
  message: string;
}

/** Delivers one reminder; throws to leave it pending for the next sweep (five tries). */
export interface AlertReminderSender {
  channel: Reminder['channel'];
  send(message: AlertReminderMessage): Promise<void>;
}

/** In-app: the reminder list reads the outbox, so delivering is recording that it is due. */
export const inAppAlertSender: AlertReminderSender = { channel: 'inApp', async send() {} };

export async function deliverAlertReminders(
  db: Database,
  senders: AlertReminderSender[] = [inAppAlertSender],
): Promise<{ delivered: number; failed: number }> {
  const bySender = new Map(senders.map((s) => [s.channel, s]));
  const pending = await asSystem(db, (tx) =>
    tx.query<AlertReminderMessage & { region_code: string }>(
      `SELECT id, channel, audience, department, region_code, message FROM alert_outbox
        WHERE sent_at IS NULL AND attempts < 5 ORDER BY created_at, id LIMIT 1000`,
    ),
  );
  let failed = 0;
  const sent: string[] = [];
  for (const m of pending.rows) {
    const sender = bySender.get(m.channel);
    if (!sender) continue;
    try {
      await sender.send({ ...m, regionCode: m.region_code });
      sent.push(m.id);
    } catch (error) {
      await db.query('UPDATE alert_outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [
        m.id,
        String((error as Error).message ?? error).slice(0, 500),
      ]);
      failed += 1;
    }
  }
  if (sent.length)
    await db.query(
      'UPDATE alert_outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = ANY($1::uuid[])',
      [sent],
    );
  return { delivered: sent.length, failed };
}

/**
 * The signed-in user's reminders, newest first: a department officer sees their department's; civil
 * affairs (grid worker, caseworker) those addressed to offices in their region; the county officer
 * every one in scope (row-level security bounds all three by region).
 */
export async function listAlertReminders(
  deps: AlertDeps,
  actor: Actor | undefined,
  limit: number,
  requestId?: string,
) {
  authorize(actor, Permission.monitoringRead);
  const audience =
    actor.role === 'departmentOfficer'
      ? 'department'
      : actor.role === 'countyOfficer'
        ? null
        : 'civilAffairs';
  return asActor(deps.db, actor, requestId, async (tx) => {
    const r = await tx.query<{
      id: string;
      alert_id: string;
      kind: ReminderKind;
      message: string;
      due_on: string | null;
      region_code: string;
      department: string | null;
      created_at: Date;
    }>(
      // The county sees each reminder once, though both the office and the department were told.
      `SELECT * FROM (
         SELECT DISTINCT ON (alert_id, kind, round) id, alert_id, kind, message, to_char(due_on, 'YYYY-MM-DD') AS due_on,
                region_code, department, created_at
           FROM alert_outbox
          WHERE channel = 'inApp' AND ($1::text IS NULL OR audience = $1)
            AND ($2::text IS NULL OR department = $2)
          ORDER BY alert_id, kind, round, audience, created_at) r
        ORDER BY created_at DESC, id LIMIT $3`,
      [audience, actor.role === 'departmentOfficer' ? (actor.department ?? '-') : null, limit],
    );
    return r.rows.map((m) => ({
      id: m.id,
      alertId: m.alert_id,
      kind: m.kind,
      message: m.message,
      dueOn: m.due_on,
      regionCode: m.region_code,
      department: m.department,
      createdAt: new Date(m.created_at).toISOString(),
    }));
  });
}
