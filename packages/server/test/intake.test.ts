/**
 * One-door intake over HTTP: a dibao case through every step, steps that cannot be skipped, the
 * missing-documents return with the full list, two officers at once, and the emergency path of
 * temporary aid and a referral to the education department.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, createIntakeApp, type IntakeTestApp, submit } from './intakeFactories.ts';
import type { TestClient } from './testApp.ts';

describe('intake: applications and the enforced workflow', () => {
  let t: IntakeTestApp;
  let huayuan: TestClient;
  let huayuan2: TestClient;
  let verifier: TestClient;
  let county: TestClient;

  beforeAll(async () => {
    t = await createIntakeApp('2026-03-02');
    huayuan = await t.login('huayuan');
    huayuan2 = await t.login('huayuan2');
    verifier = await t.login('verifier');
    county = await t.login('county');
  }, 180_000);
  afterAll(() => t?.drop());

  it('takes a dibao application through every step, each audited with its legal ground', async () => {
    t.setToday('2026-03-02');
    const submitted = await submit(huayuan, {
      householdId: t.huayuanHousehold,
      channel: 'window',
      items: [{ policyId: 'dibao', documents: ['idCard', 'authorisation', 'declaration'] }],
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const application = submitted.json();
    expect(application).toMatchObject({ channel: 'window', ownerName: 'huayuan', replayed: false });
    const caseId = application.cases[0].id;
    expect(application.cases[0]).toMatchObject({
      templateId: 'dibaoApproval',
      status: 'open',
      currentStep: {
        id: 'intake',
        clock: { startedOn: '2026-03-02', dueOn: '2026-03-05', dueStatus: 'green' },
      },
      // 30 working days from Monday 2 March 2026, Qingming (Monday 6 April) not counted: 14 April.
      caseDueOn: '2026-04-14',
    });

    expect((await act(huayuan, caseId, { action: 'complete' })).statusCode).toBe(200);
    // The township cannot do the verification centre's step.
    const wrongOffice = await act(huayuan, caseId, { action: 'complete', documents: ['verificationReport'] });
    expect(wrongOffice.statusCode).toBe(403);
    expect(wrongOffice.json()).toMatchObject({
      code: 'NOT_YOUR_STEP',
      message: expect.stringContaining('核对中心'),
    });
    expect(
      (await act(verifier, caseId, { action: 'complete', documents: ['verificationReport'] })).statusCode,
    ).toBe(200);

    const oneInvestigator = await act(huayuan, caseId, {
      action: 'complete',
      documents: ['homeVisitRecord'],
      investigators: ['王伟', ' 王伟 '],
    });
    expect(oneInvestigator.statusCode).toBe(400);
    expect(oneInvestigator.json().message).toContain('2名');
    expect(
      (
        await act(huayuan, caseId, {
          action: 'complete',
          documents: ['homeVisitRecord'],
          investigators: ['王伟', '李娜'],
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await act(huayuan, caseId, { action: 'complete', documents: ['townshipOpinion'] })).statusCode,
    ).toBe(200);

    // Public notice: 7 days, and the outcome decides whether a community appraisal follows.
    const early = await act(huayuan, caseId, {
      action: 'complete',
      outcome: 'noObjection',
      documents: ['noticeRecord'],
    });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'PERIOD_NOT_OVER', message: expect.stringContaining('7天') });
    const noticeStart = (await huayuan.request('GET', `/api/intake/cases/${caseId}`)).json().currentStep.clock
      .startedOn;
    t.setToday(new Date(Date.parse(noticeStart) + 7 * 86_400_000).toISOString().slice(0, 10));
    const noOutcome = await act(huayuan, caseId, { action: 'complete', documents: ['noticeRecord'] });
    expect(noOutcome.statusCode).toBe(400);
    expect(noOutcome.json().message).toContain('noObjection');
    const noticed = await act(huayuan, caseId, {
      action: 'complete',
      outcome: 'noObjection',
      documents: ['noticeRecord'],
    });
    expect(noticed.statusCode, noticed.body).toBe(200);
    expect(noticed.json().case.currentStep.id).toBe('confirmation');

    // Confirmation is delegated to the township here; the county may also confirm.
    expect(
      (await act(county, caseId, { action: 'complete', documents: ['confirmationDecision'] })).statusCode,
    ).toBe(200);
    expect(
      (await act(huayuan, caseId, { action: 'complete', documents: ['decisionNoticeReceipt'] })).statusCode,
    ).toBe(200);
    const done = await act(huayuan, caseId, { action: 'complete', documents: ['enrolmentRecord'] });
    expect(done.statusCode).toBe(200);
    const final = done.json().case;
    expect(final).toMatchObject({ status: 'completed', currentStep: null });
    expect(final.completedSteps).toEqual([
      'intake',
      'verification',
      'homeVisit',
      'townshipOpinion',
      'publicNotice',
      'confirmation',
      'decisionNotice',
      'enrolment',
    ]);
    expect(final.events.map((e: { action: string }) => e.action)).toEqual([
      'open',
      ...Array(8).fill('complete'),
    ]);
    for (const e of final.events) expect(e.legalGround).toMatch(/[\u4e00-\u9fa5]/);
    expect(final.events[5]).toMatchObject({
      fromStep: 'publicNotice',
      toStep: 'confirmation',
      outcome: 'noObjection',
    });
    const audit = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1 AND action = 'intake.case.complete'
          AND after->>'legalGround' <> ''`,
      [caseId],
    );
    expect(audit.rows[0]?.n).toBe(8);
    // Closed: nothing more happens to it.
    const again = await huayuan.request('POST', `/api/intake/cases/${caseId}/transitions`, {
      version: final.version,
      step: 'enrolment',
      action: 'complete',
    });
    expect(again.json().code).toBe('CASE_CLOSED');
  });

  it('refuses a skipped step, a refusal before verification, and an outcome the step does not have', async () => {
    t.setToday('2026-03-02');
    const app = (
      await submit(huayuan, {
        householdId: t.huayuanHousehold,
        channel: 'window',
        items: [{ policyId: 'dibao', documents: ['idCard', 'authorisation', 'declaration'] }],
      })
    ).json();
    const caseId = app.cases[0].id;
    const skip = await huayuan.request('POST', `/api/intake/cases/${caseId}/transitions`, {
      version: app.cases[0].version,
      step: 'confirmation',
      action: 'complete',
    });
    expect(skip.statusCode).toBe(409);
    expect(skip.json()).toMatchObject({
      code: 'STEP_NOT_CURRENT',
      message: expect.stringContaining('不得跳过或合并'),
    });
    const refuseAtIntake = await act(huayuan, caseId, { action: 'refuse', reason: '收入超标' });
    expect(refuseAtIntake.json().code).toBe('REFUSAL_NOT_ALLOWED');
    const badOutcome = await act(huayuan, caseId, { action: 'complete', outcome: 'objection' });
    expect(badOutcome.statusCode).toBe(400);
    const noReason = await act(huayuan, caseId, { action: 'reject', reason: '  ' });
    expect(noReason.statusCode).toBe(400);
    const rejected = await act(huayuan, caseId, { action: 'reject', reason: '申请人户籍不在本镇' });
    expect(rejected.json().case).toMatchObject({ status: 'rejected', outcomeReason: '申请人户籍不在本镇' });
  });

  it('sends the case back once with the full list of missing documents, then resumes', async () => {
    t.setToday('2026-03-02');
    const app = (
      await submit(huayuan, {
        householdId: t.huayuanHousehold,
        channel: 'window',
        items: [{ policyId: 'expenditureHardship', documents: ['idCard'] }],
      })
    ).json();
    const caseId = app.cases[0].id;
    expect(app.cases[0].templateId).toBe('lowIncomeRecognition');
    const returned = await act(huayuan, caseId, { action: 'complete', documents: ['declaration'] });
    expect(returned.statusCode).toBe(200);
    expect(returned.json().result).toBe('returned');
    // Everything still missing, in one list: authorisation and the expense receipts (expenditureHardship only).
    expect(returned.json().missingDocuments.map((d: { id: string }) => d.id)).toEqual([
      'authorisation',
      'expenseProof',
    ]);
    expect(returned.json().case.status).toBe('awaitingApplicant');
    const whileWaiting = await act(huayuan, caseId, { action: 'complete' });
    expect(whileWaiting.json().code).toBe('AWAITING_APPLICANT');
    t.setToday('2026-03-09');
    const resumed = await act(huayuan, caseId, {
      action: 'resubmit',
      documents: ['authorisation', 'expenseProof'],
    });
    expect(resumed.json().case).toMatchObject({
      status: 'open',
      currentStep: { id: 'intake', clock: { startedOn: '2026-03-09' } },
    });
    const accepted = await act(huayuan, caseId, { action: 'complete' });
    expect(accepted.json()).toMatchObject({ result: 'moved', case: { currentStep: { id: 'verification' } } });
    const events = accepted.json().case.events.map((e: { action: string }) => e.action);
    expect(events).toEqual(['open', 'returnToApplicant', 'resubmit', 'complete']);
    expect(accepted.json().case.events[1].detail.missing).toHaveLength(2);
  });

  it('two officers acting at once: one wins, the other is told in Chinese', async () => {
    t.setToday('2026-03-02');
    const app = (
      await submit(huayuan, {
        householdId: t.huayuanHousehold,
        channel: 'window',
        items: [{ policyId: 'dibao', documents: ['idCard', 'authorisation', 'declaration'] }],
      })
    ).json();
    const c = app.cases[0];
    const body = { version: c.version, step: 'intake', action: 'complete' };
    const [a, b] = await Promise.all([
      huayuan.request('POST', `/api/intake/cases/${c.id}/transitions`, body),
      huayuan2.request('POST', `/api/intake/cases/${c.id}/transitions`, body),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json()).toMatchObject({
      code: 'CASE_VERSION_CONFLICT',
      message: expect.stringContaining('已被他人办理'),
    });
    const events = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM intake_case_event WHERE case_id = $1 AND action = 'complete'`,
      [c.id],
    );
    expect(events.rows[0]?.n).toBe(1);
  });

  it('temporary aid on the emergency path: paid first, checked after', async () => {
    t.setToday('2026-03-02');
    const app = (
      await submit(huayuan, {
        householdId: t.huayuanHousehold,
        channel: 'window',
        items: [{ policyId: 'temporaryAid', documents: ['idCard', 'hardshipStatement'] }],
      })
    ).json();
    const caseId = app.cases[0].id;
    expect(app.cases[0].currentStep.outcomes).toEqual(['standard', 'emergency']);
    const first = await act(huayuan, caseId, { action: 'complete', outcome: 'emergency' });
    expect(first.json().case.currentStep).toMatchObject({
      id: 'emergencyPayment',
      clock: { dueOn: '2026-03-03' },
    });
    await act(huayuan, caseId, { action: 'complete', documents: ['emergencyPaymentRecord'] });
    await act(verifier, caseId, { action: 'complete', documents: ['verificationReport'] });
    await act(huayuan, caseId, {
      action: 'complete',
      documents: ['homeVisitRecord'],
      investigators: ['甲', '乙'],
    });
    // The authorisation is collected after the aid: still missing → back to the applicant.
    const back = await act(huayuan, caseId, { action: 'complete', documents: ['supplementaryApproval'] });
    expect(back.json().missingDocuments.map((d: { id: string }) => d.id)).toEqual(['authorisation']);
    await act(huayuan, caseId, { action: 'resubmit', documents: ['authorisation'] });
    const done = await act(huayuan, caseId, { action: 'complete' });
    expect(done.json().case).toMatchObject({ status: 'completed' });
    expect(done.json().case.completedSteps).toEqual([
      'intake',
      'emergencyPayment',
      'verificationAfter',
      'homeVisitAfter',
      'supplementaryApproval',
    ]);
  });

  it('one door, several items: each routed to its owner; the education department handles its own', async () => {
    t.setToday('2026-03-02');
    const response = await submit(huayuan, {
      householdId: t.huayuanHousehold,
      channel: 'window',
      items: [
        { policyId: 'dibao', documents: ['idCard'] },
        { policyId: 'compulsoryEducationAid', documents: ['idCard', 'itemForm', 'transferSlip'] },
      ],
    });
    const app = response.json();
    expect(
      app.cases.map((c: { templateId: string; department: string | null }) => [c.templateId, c.department]),
    ).toEqual([
      ['dibaoApproval', null],
      ['referral', 'education'],
    ]);
    const referral = app.cases[1].id;
    await act(huayuan, referral, { action: 'complete' });
    const education = await t.login('education');
    const inbox = (await education.request('GET', '/api/intake/cases?office=department&status=open')).json();
    expect(inbox.items.map((c: { id: string }) => c.id)).toEqual([referral]);
    // The department sees only its own items.
    expect((await education.request('GET', `/api/intake/cases/${app.cases[0].id}`)).statusCode).toBe(404);
    expect(
      (await act(huayuan, referral, { action: 'complete', documents: ['departmentDecision'] })).statusCode,
    ).toBe(403);
    await act(education, referral, { action: 'complete', documents: ['departmentDecision'] });
    const fed = await act(education, referral, { action: 'complete', documents: ['feedbackRecord'] });
    expect(fed.json().case.status).toBe('completed');
    // First contact owns the intake until it is handed over.
    const handed = await huayuan.request('POST', `/api/intake/applications/${app.id}/handover`, {
      toUsername: 'huayuan2',
      version: app.version,
    });
    expect(handed.json()).toMatchObject({ ownerName: '花园镇二号', version: app.version + 1 });
    const stale = await huayuan.request('POST', `/api/intake/applications/${app.id}/handover`, {
      toUsername: 'huayuan',
      version: app.version,
    });
    expect(stale.statusCode).toBe(409);
  });
});
