/**
 * One household, one assistance chain: enrolment (start and monthly amount), its increases, cuts,
 * phase-outs and stop sit in the timeline beside the alerts, in time order, with what the officer
 * needs to read (amounts in yuan, legal ground, decision); another township sees none of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertApp, raise } from './alertsFactories.ts';
import { regions } from './factories.ts';
import type { IntakeTestApp } from './intakeFactories.ts';
import type { TestClient } from './testApp.ts';

type Entry = { at: string; kind: string; titleZh: string; status: string | null; refId: string | null };

describe('alerts: the household chain with enrolment', () => {
  let t: IntakeTestApp;
  let huayuan: TestClient;
  let fengshan: TestClient;
  let household: string;
  let dibao: string;

  beforeAll(async () => {
    t = await createAlertApp('2026-03-02');
    huayuan = await t.login('huayuan');
    fengshan = await t.login('fengshan');
    household = await t.newHousehold();
    // What domains/enrolment writes when a dibao case completes, and its later short cases.
    const enrol = async (category: string, fen: number | null, startsOn: string, extra = '') =>
      (
        await t.db.query<{ id: string }>(
          `INSERT INTO enrolment (household_id, region_code, category, policy_id, monthly_amount_fen, decided_on,
                                  starts_on, review_months, next_review_on, legal_ground ${extra ? ', status, ended_on, end_reason' : ''})
           VALUES ($1, $2, $3, $3, $4, $5::date - 10, $5, 12, $5::date + 365, '《社会救助暂行办法》第九条' ${extra})
           RETURNING id`,
          [household, regions.huayuanVillage, category, fen, startsOn],
        )
      ).rows[0]?.id as string;
    dibao = await enrol('dibao', 52_000, '2025-07-01');
    await enrol('nearDibao', null, '2024-01-01', `, 'stopped', '2025-06-30', '纳入低保，不再列为低保边缘'`);
    const task = (kind: string, status: string, key: string, fields: string, values: string) =>
      t.db.query(
        `INSERT INTO enrolment_task (enrolment_id, region_code, kind, trigger, trigger_key, status, due_on,
                                     requested_by, requested_by_name, legal_ground ${fields})
         VALUES ($1, $2, $3, 'manual', $4, $5, '2026-01-10', 'u1', '花园镇社工', '《湖北省最低生活保障办法》' ${values})`,
        [dibao, regions.huayuanVillage, kind, key, status],
      );
    await task(
      'increase',
      'approved',
      'k1',
      ', new_amount_fen, effective_on, reason',
      ", 61000, '2026-01-01', '新增重病成员'",
    );
    await task('cut', 'open', 'k2', ', new_amount_fen, reason', ", 30000, '子女就业，收入增加'");
    await task('stop', 'rejected', 'k3', ', reason', ", '<script>alert(1)</script>'");
    expect(
      (await raise(huayuan, { householdId: household, category: 'income', description: '收入下降' }))
        .statusCode,
    ).toBe(200);
  }, 180_000);
  afterAll(() => t?.drop());

  it('shows enrolment start, amount, changes and end beside the alerts, newest first', async () => {
    const r = await huayuan.request('GET', `/api/alerts/households/${household}/timeline`);
    expect(r.statusCode, r.body).toBe(200);
    const entries = r.json().entries as Entry[];
    const mine = entries.filter((e) => e.kind === 'enrolment' || e.kind === 'enrolmentChange');
    expect(mine.map((e) => [e.kind, e.titleZh, e.status])).toEqual(
      expect.arrayContaining([
        ['enrolment', '纳入低保，自 2025-07-01 起每月 520.00 元（《社会救助暂行办法》第九条）', '享受中'],
        ['enrolment', '纳入低保边缘，自 2024-01-01 起（《社会救助暂行办法》第九条）', '已停发'],
        ['enrolmentChange', '低保边缘停发（2025-06-30）：纳入低保，不再列为低保边缘', '已停发'],
        [
          'enrolmentChange',
          '低保增发：调整为每月 610.00 元，自 2026-01-01 起，理由：新增重病成员，依据：《湖北省最低生活保障办法》',
          '已批准',
        ],
        [
          'enrolmentChange',
          expect.stringMatching(/^低保减发：调整为每月 300.00 元，理由：子女就业/),
          '待审批',
        ],
        ['enrolmentChange', expect.stringMatching(/^低保停发：理由：<script>/), '未批准'],
      ]),
    );
    expect(mine).toHaveLength(6);
    expect(mine.find((e) => e.titleZh.startsWith('纳入低保，'))?.refId).toBe(dibao);
    // Alerts and enrolment in one list, newest first.
    expect(entries.some((e) => e.kind === 'alert')).toBe(true);
    const times = entries.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('another township sees neither the household nor its enrolment; a malformed id is a 400', async () => {
    expect((await fengshan.request('GET', `/api/alerts/households/${household}/timeline`)).statusCode).toBe(
      404,
    );
    expect((await huayuan.request('GET', `/api/alerts/households/not-a-uuid/timeline`)).statusCode).toBe(400);
    expect(
      (await huayuan.request('GET', `/api/alerts/households/00000000-0000-0000-0000-000000000000/timeline`))
        .statusCode,
    ).toBe(404);
  });
});
