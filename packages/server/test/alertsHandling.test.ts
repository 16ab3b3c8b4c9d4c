/**
 * The handling clock after 接单, with a clock the test moves: yellow at 80% of the rule's working
 * days with a reminder to the lead department, escalation up the region tree once overdue (village →
 * township → county) at most once a day, reminders through the outbox to the escalated-to office and
 * the department (each sees only theirs), a failing sender retried, hostile queries refused.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepAlerts } from '../src/domains/alerts/dispatch.ts';
import { inAppAlertSender } from '../src/domains/alerts/reminders.ts';
import { jobs } from '../src/jobs/queue.ts';
import { actOn, createAlertApp, raise } from './alertsFactories.ts';
import { regions } from './factories.ts';
import type { IntakeTestApp } from './intakeFactories.ts';
import type { TestClient } from './testApp.ts';

type Reminder = {
  alertId: string;
  kind: string;
  message: string;
  regionCode: string;
  department: string | null;
};

describe('alerts: handling deadlines, escalation and reminders', () => {
  let t: IntakeTestApp;
  let grid: TestClient;
  let huayuan: TestClient;
  let fengshan: TestClient;
  let county: TestClient;
  let medical: TestClient;
  let education: TestClient;
  let alertId: string;

  const remindersOf = async (client: TestClient, id = alertId): Promise<Reminder[]> => {
    const r = await client.request('GET', '/api/alerts/reminders?limit=200');
    expect(r.statusCode, r.body).toBe(200);
    return (r.json() as Reminder[]).filter((m) => m.alertId === id);
  };
  const view = async (today: string) => {
    t.setToday(today);
    return (await county.request('GET', `/api/alerts/${alertId}`)).json();
  };

  beforeAll(async () => {
    t = await createAlertApp('2026-03-02');
    grid = await t.login('grid');
    huayuan = await t.login('huayuan');
    fengshan = await t.login('fengshan');
    county = await t.login('county');
    medical = await t.login('medical');
    education = await t.login('education');
    const household = await t.newHousehold();
    const raised = await raise(grid, {
      householdId: household,
      category: 'medical',
      description: '住院费用高',
    });
    expect(raised.statusCode, raised.body).toBe(200);
    alertId = raised.json().alert.id;
    // Accepted on Monday 2 March 2026: 10 working days to handle (rule medicalBill) → Monday 16 March.
    const accepted = await actOn(medical, alertId, { action: 'accept' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().alert).toMatchObject({
      handleDueOn: '2026-03-16',
      handleDueStatus: 'green',
      handleWorkingDays: 10,
    });
  }, 180_000);
  afterAll(() => t?.drop());

  it('turns yellow at 80% of the working days and tells the lead department once', async () => {
    expect((await sweepAlerts(t.db, '2026-03-11')).handleYellow).toBe(0);
    expect((await view('2026-03-11')).alert).toMatchObject({
      handleDueStatus: 'green',
      handleUsedWorkingDays: 7,
    });
    expect(await remindersOf(medical)).toEqual([]);

    const first = await sweepAlerts(t.db, '2026-03-12');
    expect(first.handleYellow).toBe(1);
    expect(first.delivered).toBeGreaterThanOrEqual(1);
    expect((await view('2026-03-12')).alert).toMatchObject({ handleDueStatus: 'yellow', overdue: false });
    const soon = await remindersOf(medical);
    expect(soon).toHaveLength(1);
    expect(soon[0]).toMatchObject({ kind: 'handleDueSoon', department: 'medicalSecurity' });
    expect(soon[0]?.message).toContain('2026-03-16前办结');
    // A repeat the same day (and the next day) writes nothing new; other departments see nothing.
    expect((await sweepAlerts(t.db, '2026-03-12')).reminders).toBe(0);
    expect((await sweepAlerts(t.db, '2026-03-13')).reminders).toBe(0);
    expect(await remindersOf(education)).toEqual([]);
    const stored = await t.db.query(
      `SELECT state FROM (SELECT status AS state FROM monitoring_alert WHERE id = $1) s`,
      [alertId],
    );
    expect(stored.rows).toEqual([{ state: 'accepted' }]);
  });

  it('escalates once overdue, township then county, once a day, with reminders to each office', async () => {
    // On the due date it is not yet overdue.
    expect((await sweepAlerts(t.db, '2026-03-16')).handleEscalated).toBe(0);
    expect((await view('2026-03-16')).alert.overdue).toBe(false);

    expect((await sweepAlerts(t.db, '2026-03-17')).handleEscalated).toBe(1);
    const up = await view('2026-03-17');
    expect(up.alert).toMatchObject({
      status: 'accepted',
      handleEscalationLevel: 1,
      handleEscalatedTo: regions.huayuan,
      // A new limit of the rule's accept days (2) to get it moving.
      handleDueOn: '2026-03-19',
      handleFromOn: '2026-03-17',
      handleDueStatus: 'green',
    });
    expect(up.events.at(-1)).toMatchObject({
      action: 'escalate',
      detail: {
        kind: 'handling',
        fromRegion: regions.huayuanVillage,
        toRegion: regions.huayuan,
        missedDueOn: '2026-03-16',
        level: 1,
      },
    });
    // The township office and the department are told; the other township and the village are not.
    const township = await remindersOf(huayuan);
    expect(township.map((m) => [m.kind, m.regionCode])).toEqual([['handleEscalated', regions.huayuan]]);
    expect(township[0]?.message).toMatch(/^【超期未办结·已上报乡镇（街道）】/);
    expect((await remindersOf(medical)).map((m) => m.kind).sort()).toEqual([
      'handleDueSoon',
      'handleEscalated',
    ]);
    expect(await remindersOf(fengshan)).toEqual([]);
    expect((await remindersOf(grid)).filter((m) => m.kind === 'handleEscalated')).toEqual([]);

    // Twice the same day, by the job or by hand: no second escalation, no second reminder.
    expect((await sweepAlerts(t.db, '2026-03-17')).handleEscalated).toBe(0);
    const job = jobs.find((j) => j.name === 'alerts-sweep');
    await job?.run(t.db, { info() {}, error() {} }, { today: '2026-03-17' });
    const [a, b] = await Promise.all([sweepAlerts(t.db, '2026-03-17'), sweepAlerts(t.db, '2026-03-17')]);
    expect(a.handleEscalated + b.handleEscalated).toBe(0);
    const events = (await view('2026-03-17')).events.filter(
      (e: { action: string }) => e.action === 'escalate',
    );
    expect(events).toHaveLength(1);
    expect(await remindersOf(huayuan)).toHaveLength(1);

    // Still not handled two working days later: up to the county, which is told.
    expect((await sweepAlerts(t.db, '2026-03-20')).handleEscalated).toBe(1);
    const top = (await view('2026-03-20')).alert;
    expect(top).toMatchObject({ handleEscalationLevel: 2, handleEscalatedTo: regions.county });
    const countyReminders = await remindersOf(county);
    expect(countyReminders.some((m) => m.kind === 'handleEscalated' && m.regionCode === regions.county)).toBe(
      true,
    );
    expect(countyReminders.find((m) => m.regionCode === regions.county)?.message).toContain('县（市、区）');
    const audit = await t.db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM audit_log WHERE action = 'alert.escalate.handling.batch'`,
    );
    expect(Number(audit.rows[0]?.n)).toBe(2);

    // The dashboard's 超期上报 figure: the alert under its township at level 2, still open; the
    // township sees it too, the other township does not; the Excel sheet says the same.
    const board = (await county.request('GET', '/api/alerts/dashboard')).json();
    expect(board.handleEscalated).toBe(1);
    expect(board.handlingEscalations).toEqual([
      { key: regions.huayuan, nameZh: '花园镇', level: 2, count: 1, open: 1 },
    ]);
    expect((await huayuan.request('GET', '/api/alerts/dashboard')).json().handlingEscalations).toHaveLength(
      1,
    );
    expect((await fengshan.request('GET', '/api/alerts/dashboard')).json().handlingEscalations).toEqual([]);
    const x = await county.request('GET', '/api/alerts/dashboard.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect(workbook.getWorksheet('超期上报')?.getRow(2).values).toEqual([
      undefined,
      regions.huayuan,
      '花园镇',
      '上报二级',
      1,
      1,
    ]);
  });

  it('a handled alert is no longer escalated; a failing sender leaves its reminders pending', async () => {
    const handled = await actOn(medical, alertId, {
      action: 'handle',
      handling: 'visit',
      note: '已入户走访',
    });
    expect(handled.statusCode, handled.body).toBe(200);
    const failing = { channel: 'sms' as const, send: async () => Promise.reject(new Error('网关不可用')) };
    // Handling status keeps the clock; escalate again from the county to the county when overdue.
    const result = await sweepAlerts(t.db, '2026-03-30', [inAppAlertSender, failing]);
    expect(result.handleEscalated).toBe(1);
    const sms = await t.db.query<{ attempts: number; sent_at: Date | null; last_error: string }>(
      `SELECT attempts, sent_at, last_error FROM alert_outbox WHERE alert_id = $1 AND channel = 'sms'`,
      [alertId],
    );
    expect(sms.rows.length).toBeGreaterThanOrEqual(1);
    expect(
      sms.rows.every((r) => r.sent_at === null && r.attempts === 1 && r.last_error === '网关不可用'),
    ).toBe(true);
    const feedback = await actOn(medical, alertId, { action: 'feedback', note: '已纳入医疗救助' });
    expect(feedback.statusCode, feedback.body).toBe(200);
    expect((await sweepAlerts(t.db, '2026-04-30')).handleEscalated).toBe(0);
    expect((await view('2026-04-30')).alert.handleDueStatus).toBeNull();
  });

  it('refuses hostile reminder queries and readers without the permission', async () => {
    for (const q of ['limit=100000', 'limit=abc', 'limit=-1', 'limit=1%27%20OR%201=1'])
      expect((await county.request('GET', `/api/alerts/reminders?${q}`)).statusCode, q).toBe(400);
    const resident = await t.login('resident');
    expect((await resident.request('GET', '/api/alerts/reminders')).statusCode).toBe(403);
  });
});
