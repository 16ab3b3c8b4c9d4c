/**
 * Public notice and objections (issue 6 item 7): a notice from the notice step of a dibao case, read
 * by the village's residents and by staff, objections (anonymous but recorded) routed to the case, and
 * the notice step's outcome bound to them: an objection forces community appraisal, none forbids it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regions } from './factories.ts';
import { act, createIntakeApp, type IntakeTestApp } from './intakeFactories.ts';
import {
  caseAtNoticeStep,
  freshPhone,
  householdWithHead,
  residentSignIn,
  useSmsFile,
} from './residentsFactories.ts';
import type { TestClient } from './testApp.ts';

describe('notices: posting, reading, objections routed to the case', () => {
  let t: IntakeTestApp;
  let sms: string;
  let huayuan: TestClient;
  let verifier: TestClient;
  let resident: TestClient;
  let farResident: TestClient;
  let residentUserId: string;

  beforeAll(async () => {
    sms = useSmsFile();
    t = await createIntakeApp('2026-03-02');
    huayuan = await t.login('huayuan');
    verifier = await t.login('verifier');
    const phone = freshPhone();
    const mine = await householdWithHead(t, phone);
    resident = await residentSignIn(t, sms, phone, mine.idNumber);
    residentUserId = (await resident.request('GET', '/api/account')).json().id;
    const far = freshPhone();
    const farHousehold = await householdWithHead(t, far, regions.fengshanVillage);
    farResident = await residentSignIn(t, sms, far, farHousehold.idNumber);
  }, 240_000);
  afterAll(() => t?.drop());

  const key = () => `objection-${Math.random().toString(36).slice(2, 12)}`;

  it('posts a notice from the notice step, once, with masked ID and calendar-day dates', async () => {
    t.setToday('2026-03-02');
    const caseId = await caseAtNoticeStep({ caseworker: huayuan, verifier }, t.huayuanHousehold);
    expect(
      (await resident.request('POST', '/api/notices', { caseId, proposedAmountFen: 52_000 })).statusCode,
    ).toBe(403);
    const posted = await huayuan.request('POST', '/api/notices', { caseId, proposedAmountFen: 52_000 });
    expect(posted.statusCode, posted.body).toBe(200);
    const notice = posted.json();
    expect(notice).toMatchObject({
      caseId,
      headName: '张建国',
      householdSize: 3,
      proposedAmountFen: 52_000,
      startsOn: '2026-03-02',
      endsOn: '2026-03-08',
      days: 7,
      dayKind: 'calendar',
      status: 'open',
      objectionCount: 0,
    });
    expect(notice.idNumberMasked).toMatch(/^\d{6}\*+\w{4}$|\*/);
    const again = await huayuan.request('POST', '/api/notices', { caseId, proposedAmountFen: 1 });
    expect(again.json().id).toBe(notice.id);
    const timeline = (await huayuan.request('GET', `/api/intake/cases/${caseId}`)).json().events;
    expect(timeline.map((e: { action: string }) => e.action)).toContain('notice');

    // Residents of the village read it (without the case id); another village's residents do not.
    const list = (await resident.request('GET', '/api/notices')).json();
    expect(list.items.map((n: { id: string }) => n.id)).toContain(notice.id);
    expect(list.items.find((n: { id: string }) => n.id === notice.id).caseId).toBeNull();
    expect((await farResident.request('GET', `/api/notices/${notice.id}`)).statusCode).toBe(404);
    expect((await farResident.request('GET', '/api/notices')).json().items).toHaveLength(0);
  });

  it('refuses a notice for a case that is not at its notice step', async () => {
    t.setToday('2026-03-02');
    const submitted = await huayuan.request(
      'POST',
      '/api/intake/applications',
      { householdId: t.huayuanHousehold, channel: 'window', items: [{ policyId: 'tekun' }] },
      { headers: { 'idempotency-key': key() } },
    );
    const caseId = submitted.json().cases[0].id;
    const r = await huayuan.request('POST', '/api/notices', { caseId, proposedAmountFen: 100 });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('NOT_AT_NOTICE_STEP');
  });

  it('routes an anonymous objection to the case and forces community appraisal', async () => {
    t.setToday('2026-03-02');
    const household = await t.newHousehold();
    const caseId = await caseAtNoticeStep({ caseworker: huayuan, verifier }, household);
    const notice = (
      await huayuan.request('POST', '/api/notices', { caseId, proposedAmountFen: 30_000 })
    ).json();
    const url = `/api/notices/${notice.id}/objections`;
    const noKey = await resident.request('POST', url, {
      reason: '该户有两套住房，家里有车',
      anonymous: true,
    });
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json().field).toBe('Idempotency-Key');
    const short = await resident.request(
      'POST',
      url,
      { reason: ' 不 ', anonymous: true },
      { headers: { 'idempotency-key': key() } },
    );
    expect(short.statusCode).toBe(400);
    const k = key();
    const hostile = '<script>alert(1)</script> 该户在县城有门面房出租\u0000';
    const first = await resident.request(
      'POST',
      url,
      { reason: hostile.replace('\u0000', ''), anonymous: true },
      { headers: { 'idempotency-key': k } },
    );
    expect(first.statusCode, first.body).toBe(200);
    const retried = await resident.request(
      'POST',
      url,
      { reason: hostile.replace('\u0000', ''), anonymous: true },
      { headers: { 'idempotency-key': k } },
    );
    expect(retried.json()).toEqual({ id: first.json().id, replayed: true });

    // Staff see the reason, not who lodged it; the resident sees only the count.
    const staffView = (await huayuan.request('GET', `/api/notices/${notice.id}`)).json();
    expect(staffView.objectionCount).toBe(1);
    expect(staffView.objections[0]).toMatchObject({ anonymous: true, objectorName: null });
    expect(staffView.objections[0].reason).toContain('<script>');
    expect((await resident.request('GET', `/api/notices/${notice.id}`)).json().objections).toEqual([]);
    // …but the account is recorded, and the case carries the objection.
    const row = await t.db.query<{ objector_id: string }>('SELECT objector_id FROM notice_objection');
    expect(row.rows.map((r) => r.objector_id)).toContain(residentUserId);
    const c = (await huayuan.request('GET', `/api/intake/cases/${caseId}`)).json();
    expect(c.flags).toContain('objection');
    expect(c.events.find((e: { action: string }) => e.action === 'objection')).toMatchObject({
      actorName: '匿名',
    });

    t.setToday('2026-03-09');
    const noAppraisal = await act(huayuan, caseId, {
      action: 'complete',
      outcome: 'noObjection',
      documents: ['noticeRecord'],
    });
    expect(noAppraisal.statusCode).toBe(409);
    expect(noAppraisal.json().code).toBe('OBJECTION_ON_FILE');
    const appraisal = await act(huayuan, caseId, {
      action: 'complete',
      outcome: 'objection',
      documents: ['noticeRecord'],
    });
    expect(appraisal.statusCode, appraisal.body).toBe(200);
    expect(appraisal.json().case.currentStep.id).toBe('communityAppraisal');
    const closed = (await huayuan.request('GET', `/api/notices/${notice.id}`)).json();
    expect(closed.status).toBe('closed');
    const late = await resident.request(
      'POST',
      url,
      { reason: '还有别的情况需要说明', anonymous: false },
      { headers: { 'idempotency-key': key() } },
    );
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('NOTICE_NOT_OPEN');
  });

  it('without an objection the notice step cannot go to appraisal, and not before the period ends', async () => {
    t.setToday('2026-03-02');
    const household = await t.newHousehold();
    const caseId = await caseAtNoticeStep({ caseworker: huayuan, verifier }, household);
    t.setToday('2026-03-04');
    // Posted two days into the step: the notice, not the step, sets the end.
    const notice = (
      await huayuan.request('POST', '/api/notices', { caseId, proposedAmountFen: 10_000 })
    ).json();
    expect(notice.endsOn).toBe('2026-03-10');
    t.setToday('2026-03-09');
    const early = await act(huayuan, caseId, {
      action: 'complete',
      outcome: 'noObjection',
      documents: ['noticeRecord'],
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('NOTICE_NOT_OVER');
    t.setToday('2026-03-11');
    const appraisal = await act(huayuan, caseId, {
      action: 'complete',
      outcome: 'objection',
      documents: ['noticeRecord'],
    });
    expect(appraisal.json().code).toBe('NO_OBJECTION');
    const ok = await act(huayuan, caseId, {
      action: 'complete',
      outcome: 'noObjection',
      documents: ['noticeRecord'],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().case.currentStep.id).toBe('confirmation');
  });

  it('rejects hostile input on notices', async () => {
    const bad: [string, string, unknown][] = [
      ['POST', '/api/notices', { caseId: 'not-a-uuid', proposedAmountFen: 1 }],
      ['POST', '/api/notices', { caseId: '00000000-0000-4000-8000-000000000000', proposedAmountFen: -1 }],
      ['POST', '/api/notices', { caseId: '00000000-0000-4000-8000-000000000000', proposedAmountFen: 1e12 }],
      [
        'POST',
        '/api/notices',
        { caseId: '00000000-0000-4000-8000-000000000000', proposedAmountFen: '1; DROP TABLE x' },
      ],
      ['GET', "/api/notices/1' OR 1=1", undefined],
      ['GET', '/api/notices?pageSize=100000', undefined],
      [
        'POST',
        '/api/notices/00000000-0000-4000-8000-000000000000/objections',
        { reason: 'x'.repeat(1001), anonymous: true },
      ],
    ];
    for (const [method, url, body] of bad) {
      const r = await huayuan.request(method as 'GET', url, body, { headers: { 'idempotency-key': key() } });
      expect(r.statusCode, `${method} ${url}`).toBe(400);
      expect(r.json().message).toMatch(/[\u4e00-\u9fff]/);
    }
    const missing = await huayuan.request('POST', '/api/notices', {
      caseId: '00000000-0000-4000-8000-000000000000',
      proposedAmountFen: 1,
    });
    expect(missing.statusCode).toBe(404);
  });
});
