/**
 * Enrolment (issue 6 item 9): a completed dibao case enrols the household from the month after the
 * decision at the notice's amount; review tasks and re-checks after a death appear on time (the job
 * runs as of a chosen day); increases, cuts, stops and phase-outs are short cases with a legal ground,
 * decided by a second officer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEnrolmentJob } from '../src/domains/enrolment/enrolment.job.ts';
import { act, createIntakeApp, type IntakeTestApp } from './intakeFactories.ts';
import { caseAtNoticeStep, finishCase } from './residentsFactories.ts';
import type { TestClient } from './testApp.ts';

describe('enrolment: from case completion, reviews on time, changes with a legal ground', () => {
  let t: IntakeTestApp;
  let huayuan: TestClient;
  let huayuan2: TestClient;
  let verifier: TestClient;
  let grid: TestClient;
  let enrolmentId: string;
  let householdId: string;
  const key = () => `change-${Math.random().toString(36).slice(2, 12)}`;

  beforeAll(async () => {
    t = await createIntakeApp('2026-03-02');
    huayuan = await t.login('huayuan');
    huayuan2 = await t.login('huayuan2');
    verifier = await t.login('verifier');
    grid = await t.login('grid');
  }, 180_000);
  afterAll(() => t?.drop());

  async function enrolled(amountFen: number) {
    t.setToday('2026-03-02');
    const household = await t.newHousehold();
    const caseId = await caseAtNoticeStep({ caseworker: huayuan, verifier }, household);
    await huayuan.request('POST', '/api/notices', { caseId, proposedAmountFen: amountFen });
    t.setToday('2026-03-09');
    const r = await act(huayuan, caseId, {
      action: 'complete',
      outcome: 'noObjection',
      documents: ['noticeRecord'],
    });
    expect(r.statusCode, r.body).toBe(200);
    t.setToday('2026-03-12');
    await finishCase({ caseworker: huayuan }, caseId);
    return { household, caseId };
  }

  it('enrols the household when the case completes, once, from the next month', async () => {
    const { household, caseId } = await enrolled(62_000);
    householdId = household;
    const list = (await huayuan.request('GET', '/api/enrolments')).json();
    const e = list.items.find((i: { caseId: string }) => i.caseId === caseId);
    expect(e).toMatchObject({
      householdId: household,
      category: 'dibao',
      monthlyAmountFen: 62_000,
      decidedOn: '2026-03-12',
      startsOn: '2026-04-01',
      // A working-age member with no recorded incapacity: reviewed every 6 months.
      reviewMonths: 6,
      nextReviewOn: '2026-10-01',
      status: 'active',
    });
    enrolmentId = e.id;
    const category = await t.db.query<{ valid_from: string; monthly_amount_fen: number }>(
      `SELECT to_char(valid_from, 'YYYY-MM-DD') AS valid_from, monthly_amount_fen::int FROM household_category
        WHERE household_id = $1 AND category = 'dibao' AND valid_to IS NULL`,
      [household],
    );
    expect(category.rows).toEqual([{ valid_from: '2026-04-01', monthly_amount_fen: 62_000 }]);
    // A second approved dibao case for the same household does not enrol it twice.
    t.setToday('2026-03-02');
    const second = await caseAtNoticeStep({ caseworker: huayuan, verifier }, household);
    t.setToday('2026-03-09');
    await act(huayuan, second, { action: 'complete', outcome: 'noObjection', documents: ['noticeRecord'] });
    await finishCase({ caseworker: huayuan }, second);
    const count = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM enrolment WHERE household_id = $1',
      [household],
    );
    expect(count.rows[0]?.n).toBe(1);
  });

  it('makes review tasks 30 days ahead and re-checks within 3 months of a death, once each', async () => {
    expect((await runEnrolmentJob(t.db, { today: '2026-08-31' })).reviews).toBe(0);
    expect((await runEnrolmentJob(t.db, { today: '2026-09-01' })).reviews).toBe(1);
    expect((await runEnrolmentJob(t.db, { today: '2026-09-02' })).reviews).toBe(0);
    const tasks = (await huayuan.request('GET', '/api/enrolments/tasks')).json();
    expect(tasks).toContainEqual(
      expect.objectContaining({ enrolmentId, kind: 'review', dueOn: '2026-10-01', trigger: 'schedule' }),
    );

    // A member dies (registry event): a re-check due within three months.
    await t.db.query(
      `UPDATE person SET death_date = '2026-09-10' WHERE household_id = $1 AND relationship_to_head = 'spouse'`,
      [householdId],
    );
    expect((await runEnrolmentJob(t.db, { today: '2026-09-09' })).rechecks).toBe(0);
    expect((await runEnrolmentJob(t.db, { today: '2026-09-11' })).rechecks).toBe(1);
    expect((await runEnrolmentJob(t.db, { today: '2026-09-12' })).rechecks).toBe(0);
    const recheck = (await huayuan.request('GET', '/api/enrolments/tasks'))
      .json()
      .find(
        (x: { kind: string; enrolmentId: string }) => x.kind === 'recheck' && x.enrolmentId === enrolmentId,
      );
    expect(recheck).toMatchObject({ trigger: 'death', dueOn: '2026-12-10' });

    // Finishing the review needs a note, and moves the next review on by the period.
    const review = (await huayuan.request('GET', `/api/enrolments/${enrolmentId}`))
      .json()
      .tasks.find((x: { kind: string }) => x.kind === 'review');
    const url = `/api/enrolments/tasks/${review.id}/decision`;
    expect(
      (await huayuan.request('POST', url, { decision: 'done', version: review.version })).statusCode,
    ).toBe(400);
    expect(
      (await huayuan.request('POST', url, { decision: 'approve', version: review.version })).statusCode,
    ).toBe(400);
    t.setToday('2026-09-20');
    const done = await huayuan.request('POST', url, {
      decision: 'done',
      note: '入户复核，家庭情况无变化',
      version: review.version,
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().nextReviewOn).toBe('2027-04-01');
  });

  it('cuts the amount through a short case decided by a second officer', async () => {
    t.setToday('2026-09-20');
    const url = `/api/enrolments/${enrolmentId}/changes`;
    const body = {
      kind: 'cut',
      legalGround: 'membersChange',
      reason: '家庭成员死亡，保障人口减少',
      newAmountFen: 41_000,
    };
    expect((await huayuan.request('POST', url, body)).statusCode).toBe(400);
    const k = key();
    const proposed = await huayuan.request('POST', url, body, { headers: { 'idempotency-key': k } });
    expect(proposed.statusCode, proposed.body).toBe(200);
    const task = proposed.json();
    expect(task).toMatchObject({
      kind: 'cut',
      status: 'open',
      effectiveOn: '2026-10-01',
      newAmountFen: 41_000,
    });
    expect(task.legalGround).toContain('社会救助暂行办法');
    expect((await huayuan.request('POST', url, body, { headers: { 'idempotency-key': k } })).json().id).toBe(
      task.id,
    );

    const decide = `/api/enrolments/tasks/${task.id}/decision`;
    const self = await huayuan.request('POST', decide, { decision: 'approve', version: task.version });
    expect(self.statusCode).toBe(409);
    expect(self.json().code).toBe('SAME_OFFICER');
    expect(
      (await grid.request('POST', decide, { decision: 'approve', version: task.version })).statusCode,
    ).toBe(403);
    const approved = await huayuan2.request('POST', decide, { decision: 'approve', version: task.version });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ monthlyAmountFen: 41_000, status: 'active' });
    const stale = await huayuan2.request('POST', decide, { decision: 'approve', version: task.version });
    expect(stale.statusCode).toBe(409);
    const periods = await t.db.query<{
      valid_from: string;
      valid_to: string | null;
      monthly_amount_fen: number;
    }>(
      `SELECT to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to,
              monthly_amount_fen::int FROM household_category WHERE household_id = $1 ORDER BY valid_from`,
      [householdId],
    );
    expect(periods.rows).toEqual([
      { valid_from: '2026-04-01', valid_to: '2026-10-01', monthly_amount_fen: 62_000 },
      { valid_from: '2026-10-01', valid_to: null, monthly_amount_fen: 41_000 },
    ]);
  });

  it('phases out after income rises, and the job stops payment when the period ends', async () => {
    t.setToday('2026-09-25');
    const phase = await huayuan.request(
      'POST',
      `/api/enrolments/${enrolmentId}/changes`,
      {
        kind: 'phaseOut',
        legalGround: 'phaseOut',
        reason: '儿子务工，人均收入超过低保标准',
        phaseOutMonths: 3,
      },
      { headers: { 'idempotency-key': key() } },
    );
    expect(phase.statusCode, phase.body).toBe(200);
    const decided = await huayuan2.request('POST', `/api/enrolments/tasks/${phase.json().id}/decision`, {
      decision: 'approve',
      version: phase.json().version,
    });
    expect(decided.json()).toMatchObject({ status: 'phaseOut', phaseOutUntil: '2026-12-31' });
    expect((await runEnrolmentJob(t.db, { today: '2026-12-31' })).phaseOutsEnded).toBe(0);
    expect((await runEnrolmentJob(t.db, { today: '2027-01-01' })).phaseOutsEnded).toBe(1);
    expect((await runEnrolmentJob(t.db, { today: '2027-01-02' })).phaseOutsEnded).toBe(0);
    const e = (await huayuan.request('GET', `/api/enrolments/${enrolmentId}`)).json();
    expect(e).toMatchObject({ status: 'stopped', endedOn: '2027-01-01', endReason: '渐退期满' });
    expect(e.tasks.find((x: { trigger: string }) => x.trigger === 'phaseOutEnd').legalGround).toContain(
      '渐退期满',
    );
    const open = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM household_category WHERE household_id = $1 AND valid_to IS NULL`,
      [householdId],
    );
    expect(open.rows[0]?.n).toBe(0);
    const stopped = await huayuan.request(
      'POST',
      `/api/enrolments/${enrolmentId}/changes`,
      { kind: 'stop', legalGround: 'noLongerEligible', reason: '已停保后再次停发' },
      { headers: { 'idempotency-key': key() } },
    );
    expect(stopped.json().code).toBe('ENROLMENT_STOPPED');
  });

  it('keeps enrolment to staff, and refuses malformed changes', async () => {
    const { caseId } = await enrolled(50_000);
    const e = (await huayuan.request('GET', '/api/enrolments?status=active'))
      .json()
      .items.find((i: { caseId: string }) => i.caseId === caseId);
    const resident = await t.login('resident');
    expect((await resident.request('GET', '/api/enrolments')).statusCode).toBe(403);
    expect((await grid.request('GET', '/api/enrolments')).statusCode).toBe(200);
    const url = `/api/enrolments/${e.id}/changes`;
    const bad: Record<string, unknown>[] = [
      { kind: 'increase', legalGround: 'incomeChange', reason: '收入减少需要增发', newAmountFen: 40_000 },
      { kind: 'increase', legalGround: 'incomeChange', reason: '收入减少需要增发' },
      { kind: 'stop', legalGround: 'noLongerEligible', reason: '不再符合条件', newAmountFen: 1 },
      { kind: 'stop', legalGround: 'because', reason: '不再符合条件' },
      { kind: 'stop', reason: '没有法律依据' },
      { kind: 'cut', legalGround: 'incomeChange', reason: '收入增加', newAmountFen: -5 },
      { kind: 'cut', legalGround: 'incomeChange', reason: '收入增加', newAmountFen: '一百元' },
      { kind: 'phaseOut', legalGround: 'phaseOut', reason: '务工收入增加', phaseOutMonths: 7 },
      { kind: 'delete', legalGround: 'incomeChange', reason: "'; DROP TABLE enrolment; --" },
      { kind: 'stop', legalGround: 'noLongerEligible', reason: ' ' },
    ];
    for (const body of bad) {
      const r = await huayuan.request('POST', url, body, { headers: { 'idempotency-key': key() } });
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(
      (
        await grid.request(
          'POST',
          url,
          { kind: 'stop', legalGround: 'noLongerEligible', reason: '不再符合条件' },
          { headers: { 'idempotency-key': key() } },
        )
      ).statusCode,
    ).toBe(403);
  });
});
