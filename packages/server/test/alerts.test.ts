/**
 * The alert loop over HTTP: 点单 → 派单 → 接单 → 办理 → 反馈 → 办结 with every step an event and an
 * audit row; a retried request never duplicates; opening an intake case from an alert; two
 * officers accepting at once; escalation up the region tree when a department never accepts
 * (a clock the test moves); row-level security between townships; the household chain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepAlerts } from '../src/domains/alerts/dispatch.ts';
import { jobs } from '../src/jobs/queue.ts';
import { actOn, createAlertApp, raise, requestKey } from './alertsFactories.ts';
import { regions } from './factories.ts';
import type { IntakeTestApp } from './intakeFactories.ts';
import type { TestClient } from './testApp.ts';

describe('alerts: the raise–dispatch–accept loop', () => {
  let t: IntakeTestApp;
  let grid: TestClient;
  let huayuan: TestClient;
  let huayuan2: TestClient;
  let fengshan: TestClient;
  let county: TestClient;
  let medical: TestClient;
  let education: TestClient;

  beforeAll(async () => {
    t = await createAlertApp('2026-03-02');
    grid = await t.login('grid');
    huayuan = await t.login('huayuan');
    huayuan2 = await t.login('huayuan2');
    fengshan = await t.login('fengshan');
    county = await t.login('county');
    medical = await t.login('medical');
    education = await t.login('education');
  }, 180_000);
  afterAll(() => t?.drop());

  it('takes a grid worker’s request through every step, each an event and an audit row', async () => {
    t.setToday('2026-03-02');
    const key = requestKey();
    const body = {
      householdId: t.huayuanHousehold,
      category: 'income',
      description: '家中主要劳动力受伤，三个月没有收入',
    };
    const raised = await raise(grid, body, key);
    expect(raised.statusCode, raised.body).toBe(200);
    const alert = raised.json().alert;
    expect(alert).toMatchObject({
      status: 'dispatched',
      origin: 'gridWorker',
      colour: 'yellow',
      cause: 'request',
      leadDepartment: 'civilAffairs',
      dispatchRule: 'default',
      responsibleRegionCode: regions.huayuanVillage,
      dispatchedOn: '2026-03-02',
      // Two working days from Monday 2 March 2026.
      acceptDueOn: '2026-03-04',
      raiseCount: 1,
    });
    // The grid worker of the village may accept a civil-affairs alert of the village.
    expect(alert.allowedActions).toEqual(['accept']);

    // A retry with the same key returns the same alert; another report for the household adds to it.
    const again = await raise(grid, body, key);
    expect(again.json()).toMatchObject({ replayed: true, alert: { id: alert.id, raiseCount: 1 } });
    const changed = await raise(grid, { ...body, category: 'medical' }, key);
    expect(changed.statusCode).toBe(409);
    expect(changed.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
    const second = await raise(huayuan, { ...body, description: '邻居反映家里孩子没钱交午餐费' });
    expect(second.json()).toMatchObject({ merged: true, alert: { id: alert.id, raiseCount: 2 } });

    // Stale version, wrong step, and a department that is not the lead.
    const stale = await huayuan.request('POST', `/api/alerts/${alert.id}/actions`, {
      version: 1,
      action: 'accept',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({
      code: 'ALERT_VERSION_CONFLICT',
      message: expect.stringContaining('刷新'),
    });
    const early = await actOn(huayuan, alert.id, { action: 'feedback', note: '已解决' });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({
      code: 'ALERT_WRONG_STATUS',
      message: expect.stringContaining('待接单'),
    });
    const notLead = await actOn(education, alert.id, { action: 'accept' });
    expect(notLead.statusCode).toBe(403);
    expect(notLead.json().code).toBe('NOT_YOUR_ALERT');

    const accepted = await actOn(huayuan, alert.id, { action: 'accept' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().alert).toMatchObject({
      status: 'accepted',
      acceptedByName: 'huayuan',
      acceptedOn: '2026-03-02',
      handleDueOn: '2026-03-16',
    });
    const noNote = await actOn(huayuan, alert.id, { action: 'handle', handling: 'visit' });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.json().message).toContain('走访');
    expect(
      (
        await actOn(huayuan, alert.id, {
          action: 'handle',
          handling: 'visit',
          note: '入户走访，核实情况属实',
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await actOn(huayuan, alert.id, { action: 'feedback', note: '已申请临时救助 2000 元' })).statusCode,
    ).toBe(200);
    // Closing is civil affairs' call, and needs an outcome.
    expect((await actOn(grid, alert.id, { action: 'close', outcome: 'helped' })).statusCode).toBe(403);
    expect((await actOn(huayuan, alert.id, { action: 'close' })).statusCode).toBe(400);
    const closed = await actOn(huayuan, alert.id, { action: 'close', outcome: 'helped', note: '已救助' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().alert).toMatchObject({ status: 'closed', outcome: 'helped', allowedActions: [] });
    expect(closed.json().events.map((e: { action: string }) => e.action)).toEqual([
      'raise',
      'dispatch',
      'update',
      'accept',
      'handle',
      'feedback',
      'close',
    ]);
    const audit = await t.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY seq`,
      [alert.id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'alert.raise',
      'alert.dispatch',
      'alert.raise.merge',
      'alert.accept',
      'alert.handle',
      'alert.feedback',
      'alert.close',
    ]);
    // Closed: the next report opens a new alert.
    const fresh = await raise(grid, body);
    expect(fresh.json()).toMatchObject({ merged: false, alert: { raiseCount: 1 } });
    expect(fresh.json().alert.id).not.toBe(alert.id);
  });

  it('opens an intake case from an alert with one call and links it into the household chain', async () => {
    t.setToday('2026-03-03');
    const household = await t.newHousehold();
    const alert = (
      await raise(huayuan, { householdId: household, category: 'income', description: '低保边缘户收入下降' })
    ).json().alert;
    expect((await actOn(huayuan, alert.id, { action: 'accept' })).statusCode).toBe(200);
    const noPolicy = await actOn(huayuan, alert.id, { action: 'handle', handling: 'case' });
    expect(noPolicy.statusCode).toBe(400);
    const opened = await actOn(huayuan, alert.id, { action: 'handle', handling: 'case', policyId: 'dibao' });
    expect(opened.statusCode, opened.body).toBe(200);
    const caseId = opened.json().alert.intakeCaseId;
    expect(caseId).toMatch(/^[0-9a-f-]{36}$/);
    const intakeCase = (await huayuan.request('GET', `/api/intake/cases/${caseId}`)).json();
    expect(intakeCase).toMatchObject({ policyId: 'dibao', status: 'open' });
    const applications = await t.db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM intake_application WHERE household_id = $1`,
      [household],
    );
    expect(applications.rows[0]?.n).toBe('1');

    // One person, one assistance chain: the alert, its steps and the case, newest first.
    const timeline = await huayuan.request('GET', `/api/alerts/households/${household}/timeline`);
    expect(timeline.statusCode, timeline.body).toBe(200);
    const kinds = timeline.json().entries.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['alert', 'alertStep', 'case']));
    expect(timeline.json().entries.find((e: { kind: string }) => e.kind === 'case').refId).toBe(caseId);
  });

  it('opens one case when two officers open one at once', async () => {
    const household = await t.newHousehold();
    const alert = (
      await raise(grid, { householdId: household, category: 'income', description: '收入骤减' })
    ).json().alert;
    const accepted = (await actOn(huayuan, alert.id, { action: 'accept' })).json().alert;
    const body = { version: accepted.version, action: 'handle', handling: 'case', policyId: 'dibao' };
    const [a, b] = await Promise.all([
      huayuan.request('POST', `/api/alerts/${alert.id}/actions`, body),
      huayuan2.request('POST', `/api/alerts/${alert.id}/actions`, body),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const applications = await t.db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM intake_application WHERE household_id = $1`,
      [household],
    );
    expect(applications.rows[0]?.n).toBe('1');
  });

  it('lets one of two officers accept at once and tells the other', async () => {
    t.setToday('2026-03-03');
    const household = await t.newHousehold();
    const alert = (
      await raise(grid, { householdId: household, category: 'care', description: '独居老人无人照料' })
    ).json().alert;
    const [a, b] = await Promise.all([
      huayuan.request('POST', `/api/alerts/${alert.id}/actions`, {
        version: alert.version,
        action: 'accept',
      }),
      huayuan2.request('POST', `/api/alerts/${alert.id}/actions`, {
        version: alert.version,
        action: 'accept',
      }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const events = (await county.request('GET', `/api/alerts/${alert.id}`)).json().events;
    expect(events.filter((e: { action: string }) => e.action === 'accept')).toHaveLength(1);
  });

  it('escalates an alert its department never accepts: township, then county, never silence', async () => {
    t.setToday('2026-03-02');
    const household = await t.newHousehold();
    const alert = (
      await raise(grid, {
        householdId: household,
        category: 'medical',
        description: '住院自付费用已超过5万元',
      })
    ).json().alert;
    expect(alert).toMatchObject({
      leadDepartment: 'medicalSecurity',
      supportingDepartments: ['civilAffairs', 'health'],
      acceptDueOn: '2026-03-04',
    });
    // Not yet the township's to take, nor in its queue.
    expect((await actOn(huayuan, alert.id, { action: 'accept' })).json().code).toBe('NOT_YOUR_ALERT');
    const before = (await huayuan.request('GET', '/api/alerts?mine=true&pageSize=100')).json();
    expect(before.items.map((i: { id: string }) => i.id)).not.toContain(alert.id);
    expect((await t.db.query(`SELECT 1 FROM monitoring_alert WHERE id = $1`, [alert.id])).rows).toHaveLength(
      1,
    );

    // On the due date nothing happens; the day after, it goes up to the township.
    expect((await sweepAlerts(t.db, '2026-03-04')).escalated).toBe(0);
    expect((await sweepAlerts(t.db, '2026-03-05')).escalated).toBeGreaterThanOrEqual(1);
    t.setToday('2026-03-05');
    const up = (await huayuan.request('GET', `/api/alerts/${alert.id}`)).json();
    expect(up.alert).toMatchObject({
      status: 'dispatched',
      escalationLevel: 1,
      responsibleRegionCode: regions.huayuan,
      acceptDueOn: '2026-03-09',
      allowedActions: ['accept'],
    });
    const townshipQueue = (await huayuan.request('GET', '/api/alerts?mine=true&pageSize=100')).json();
    expect(townshipQueue.items.map((i: { id: string }) => i.id)).toContain(alert.id);
    expect(up.events.at(-1)).toMatchObject({
      action: 'escalate',
      detail: { fromRegion: regions.huayuanVillage, toRegion: regions.huayuan, missedDueOn: '2026-03-04' },
    });
    // The village grid worker is no longer responsible once the township is.
    expect(up.alert.overdue).toBe(false);
    // A repeat of the job the same day does nothing twice; the job entry runs the same sweep.
    const job = jobs.find((j) => j.name === 'alerts-sweep');
    expect(job).toBeDefined();
    await job?.run(t.db, { info() {}, error() {} }, { today: '2026-03-05' });
    const events = (await county.request('GET', `/api/alerts/${alert.id}`)).json().events;
    expect(events.filter((e: { action: string }) => e.action === 'escalate')).toHaveLength(1);

    await sweepAlerts(t.db, '2026-03-10');
    const top = (await county.request('GET', `/api/alerts/${alert.id}`)).json().alert;
    expect(top).toMatchObject({ escalationLevel: 2, responsibleRegionCode: regions.county });
    // At the county now: the county's queue, no longer the township's; the department's all along.
    const queue = (await county.request('GET', '/api/alerts?mine=true&pageSize=100')).json();
    expect(queue.items.map((i: { id: string }) => i.id)).toContain(alert.id);
    const township = (await huayuan.request('GET', '/api/alerts?mine=true&pageSize=100')).json();
    expect(township.items.map((i: { id: string }) => i.id)).not.toContain(alert.id);
    const departmentQueue = (await medical.request('GET', '/api/alerts?mine=true&pageSize=100')).json();
    expect(
      departmentQueue.items.every((i: { leadDepartment: string }) => i.leadDepartment === 'medicalSecurity'),
    ).toBe(true);
    expect((await education.request('GET', '/api/alerts?mine=true')).json().items).toEqual([]);
    // The overdue list names it until someone accepts; the department still may.
    t.setToday('2026-03-13');
    const overdue = (await county.request('GET', '/api/alerts?overdue=true')).json();
    expect(overdue.items.map((i: { id: string }) => i.id)).toContain(alert.id);
    expect((await actOn(medical, alert.id, { action: 'accept' })).statusCode).toBe(200);
  });

  it('dispatches alerts raised from data by their trigger, once, however often the job runs', async () => {
    const household = await t.newHousehold();
    // What the monitoring run (domains/monitoring) writes: status raised, a cause, evidence.
    const inserted = await t.db.query<{ id: string }>(
      `INSERT INTO monitoring_alert (household_id, subject_key, region_code, cause, origin, colour, evidence, summary_zh)
       VALUES ($1::uuid, $1::text, $2, 'trigger:medicalOutOfPocket12m', 'data', 'red',
               '[{"label":"近12个月医疗自付","amountFen":6120000,"on":"2026-02-28"}]', '近12个月医疗自付 61,200 元')
       RETURNING id`,
      [household, regions.huayuanVillage],
    );
    const id = inserted.rows[0]?.id as string;
    // Two sweeps at once (job and a click): each alert is dispatched by one of them only.
    const [one, two] = await Promise.all([sweepAlerts(t.db, '2026-03-02'), sweepAlerts(t.db, '2026-03-02')]);
    expect(one.dispatched + two.dispatched).toBeGreaterThanOrEqual(1);
    expect((await sweepAlerts(t.db, '2026-03-02')).dispatched).toBe(0);
    const batchAudit = await t.db.query<{ after: { alerts: { id: string }[] } }>(
      `SELECT after FROM audit_log WHERE action = 'alert.dispatch.batch'`,
    );
    expect(batchAudit.rows.flatMap((r) => r.after.alerts.map((a) => a.id))).toContain(id);
    const detail = (await medical.request('GET', `/api/alerts/${id}`)).json();
    expect(detail.alert).toMatchObject({
      status: 'dispatched',
      dispatchRule: 'medicalBill',
      leadDepartment: 'medicalSecurity',
      acceptDueOn: '2026-03-04',
      allowedActions: ['accept'],
    });
    expect(detail.events.map((e: { action: string }) => e.action)).toEqual(['dispatch']);
    const portrait = (await medical.request('GET', `/api/alerts/${id}/portrait`)).json();
    expect(portrait.evidence[0]).toMatchObject({ amountFen: 6120000, on: '2026-02-28' });
  });

  it('keeps townships apart: another township cannot see, act on or chart the alert', async () => {
    t.setToday('2026-03-03');
    const alert = (
      await raise(huayuan, { householdId: t.huayuanHousehold, category: 'housing', description: '房屋漏雨' })
    ).json().alert;
    expect((await fengshan.request('GET', `/api/alerts/${alert.id}`)).statusCode).toBe(404);
    expect((await fengshan.request('GET', `/api/alerts/${alert.id}/portrait`)).statusCode).toBe(404);
    expect(
      (await fengshan.request('POST', `/api/alerts/${alert.id}/actions`, { version: 1, action: 'accept' }))
        .statusCode,
    ).toBe(404);
    const list = (await fengshan.request('GET', '/api/alerts?pageSize=100')).json();
    expect(list.items.some((i: { regionCode: string }) => i.regionCode.startsWith('420921100'))).toBe(false);
    expect(
      (await fengshan.request('GET', `/api/alerts/households/${t.huayuanHousehold}/timeline`)).statusCode,
    ).toBe(404);
    expect(
      (await fengshan.request('GET', `/api/alerts/dashboard?regionCode=${regions.huayuan}`)).statusCode,
    ).toBe(403);
    // Raising for another township's household is refused as not found.
    expect(
      (await raise(fengshan, { householdId: t.huayuanHousehold, category: 'income', description: '困难' }))
        .statusCode,
    ).toBe(404);
    // The county sees both townships.
    const all = (await county.request('GET', '/api/alerts?pageSize=100')).json();
    expect(all.items.some((i: { id: string }) => i.id === alert.id)).toBe(true);
  });
});
