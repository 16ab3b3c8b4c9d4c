/**
 * Deadlines with a controllable clock: a step's clock in working days (holidays and swapped
 * working days counted), yellow at 80%, red when overdue, reminders written once however often the
 * job runs, delivered by pluggable senders (a failing one is retried), overdue lists per office and
 * township; and the county spot-check sampling that never falls below its share.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepDeadlines } from '../src/domains/intake/deadlines.ts';
import { jobs } from '../src/jobs/queue.ts';
import { createIntakeApp, type IntakeTestApp, submit } from './intakeFactories.ts';
import type { TestClient } from './testApp.ts';

const log = { info() {}, error() {} };

describe('intake: deadlines, reminders and overdue lists', () => {
  let t: IntakeTestApp;
  let huayuan: TestClient;
  let county: TestClient;
  let caseId: string;
  const sweep = (today: string) => jobs.find((j) => j.name === 'intake-deadlines')?.run(t.db, log, { today });

  beforeAll(async () => {
    t = await createIntakeApp('2026-03-02');
    huayuan = await t.login('huayuan');
    county = await t.login('county');
    const app = (
      await submit(huayuan, {
        householdId: t.huayuanHousehold,
        channel: 'window',
        items: [{ policyId: 'dibao' }],
      })
    ).json();
    caseId = app.cases[0].id;
  }, 180_000);
  afterAll(() => t?.drop());

  it('marks green, then yellow at 80% of the working days, then red; one reminder of each', async () => {
    expect(await sweep('2026-03-02')).toMatchObject({ checked: 1, yellow: 0, red: 0, reminders: 0 });
    // Intake: 3 working days from Monday 2 March, due Thursday 5 March; on the 5th 3 of 3 are used.
    expect(await sweep('2026-03-04')).toMatchObject({ yellow: 0, red: 0 });
    expect(await sweep('2026-03-05')).toMatchObject({ yellow: 1, red: 0, reminders: 1, delivered: 1 });
    expect(await sweep('2026-03-05')).toMatchObject({ yellow: 1, reminders: 0, delivered: 0 });
    expect(await sweep('2026-03-06')).toMatchObject({ red: 1, reminders: 1, delivered: 1 });
    expect(await sweep('2026-03-09')).toMatchObject({ red: 1, reminders: 0 });
    const row = await t.db.query<{ due_status: string }>('SELECT due_status FROM intake_case WHERE id = $1', [
      caseId,
    ]);
    expect(row.rows[0]?.due_status).toBe('red');
    const outbox = await t.db.query<{ kind: string; sent: boolean }>(
      'SELECT kind, sent_at IS NOT NULL AS sent FROM intake_outbox WHERE case_id = $1 ORDER BY created_at',
      [caseId],
    );
    expect(outbox.rows).toEqual([
      { kind: 'dueSoon', sent: true },
      { kind: 'overdue', sent: true },
    ]);
    const audit = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'intake.deadlines.sweep'`,
    );
    expect(audit.rows[0]?.n).toBe(2);
  });

  it('shows the reminders in the app and the overdue lists per office and township', async () => {
    t.setToday('2026-03-09');
    const reminders = (await huayuan.request('GET', '/api/intake/reminders')).json();
    expect(reminders.map((r: { kind: string }) => r.kind)).toEqual(['overdue', 'dueSoon']);
    expect(reminders[0].message).toContain('已超期');
    // The county office has no reminder: the step is the township's.
    expect((await county.request('GET', '/api/intake/reminders')).json()).toEqual([]);
    const lists = (await county.request('GET', '/api/intake/overdue')).json();
    expect(lists.asOf).toBe('2026-03-09');
    expect(lists.groups).toEqual([
      {
        office: 'township',
        department: null,
        townshipCode: '420921100000',
        townshipName: '花园镇',
        yellow: 0,
        red: 1,
      },
    ]);
    expect(lists.overdue[0]).toMatchObject({
      id: caseId,
      currentStep: { clock: { dueStatus: 'red', dueOn: '2026-03-05' } },
    });
    const red = (await huayuan.request('GET', '/api/intake/cases?dueStatus=red')).json();
    expect(red.items.map((c: { id: string }) => c.id)).toEqual([caseId]);
    // The region filter is a code prefix: the township (420921100) or the village (420921100001).
    const ids = async (prefix: string) =>
      (await huayuan.request('GET', `/api/intake/cases?regionCode=${prefix}`))
        .json()
        .items.map((c: { id: string }) => c.id);
    expect(await ids('420921100')).toEqual([caseId]);
    expect(await ids('420921100001')).toEqual([caseId]);
    expect(await ids('420921101')).toEqual([]);
    const fengshan = await t.login('fengshan');
    expect((await fengshan.request('GET', '/api/intake/overdue')).json().groups).toEqual([]);
  });

  it('counts holidays and swapped working days: National Day 2026', async () => {
    t.setToday('2026-09-30');
    const app = (
      await submit(huayuan, {
        householdId: t.huayuanHousehold,
        channel: 'window',
        items: [{ policyId: 'dibao' }],
      })
    ).json();
    // Wednesday 30 September + 3 working days: 8 Oct (Thu), 9 Oct (Fri), 10 Oct (a Saturday worked).
    expect(app.cases[0].currentStep.clock).toMatchObject({ startedOn: '2026-09-30', dueOn: '2026-10-10' });
    t.setToday('2026-10-07');
    const during = (await huayuan.request('GET', `/api/intake/cases/${app.cases[0].id}`)).json();
    expect(during.currentStep.clock).toMatchObject({ usedWorkingDays: 0, dueStatus: 'green' });
    const due = (
      await huayuan.request(
        'GET',
        '/api/intake/calendar/due-date?regionCode=420921100001&from=2026-02-13&workingDays=1',
      )
    ).json();
    expect(due).toEqual({
      from: '2026-02-13',
      workingDays: 1,
      dueOn: '2026-02-14',
      calendarDays: 1,
      covered: true,
    });
    const bad = await huayuan.request('GET', '/api/intake/calendar/due-date?regionCode=42&workingDays=1');
    expect(bad.statusCode).toBe(400);
  });

  it('a failing sender leaves its reminders pending and retries them on the next run', async () => {
    let fail = true;
    const sms = {
      channel: 'sms' as const,
      sent: [] as string[],
      async send(m: { message: string }) {
        if (fail) throw new Error('短信网关不可用');
        this.sent.push(m.message);
      },
    };
    const first = await sweepDeadlines(t.db, { today: '2026-10-12', senders: [sms] });
    expect(first.failed).toBeGreaterThan(0);
    const pending = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM intake_outbox WHERE channel = 'sms' AND sent_at IS NULL AND last_error <> ''`,
    );
    expect(pending.rows[0]?.n).toBe(first.failed);
    fail = false;
    const second = await sweepDeadlines(t.db, { today: '2026-10-12', senders: [sms] });
    expect(second).toMatchObject({ reminders: 0, delivered: first.failed, failed: 0 });
    expect(sms.sent.length).toBe(first.failed);
  });

  it('samples at least 30% of cases for the county spot-check, at every point', async () => {
    let sampled = 0;
    for (let n = 1; n <= 40; n++) {
      const r = await t.db.query<{ pick: boolean }>(
        `SELECT intake_spot_check_draw('420921', 'tekunApproval', 'countyDecision', 0.3) AS pick`,
      );
      if (r.rows[0]?.pick) sampled += 1;
      expect(sampled).toBeGreaterThanOrEqual(Math.ceil(0.3 * n) - 0);
    }
    // The application role cannot read or change the counter directly.
    const denied = await t.db
      .transaction(async (tx) => {
        await tx.query('SET LOCAL ROLE doudi_app');
        return tx.query('SELECT * FROM intake_spot_check_counter');
      })
      .then(
        () => 'allowed',
        () => 'denied',
      );
    expect(denied).toBe('denied');
  });
});
