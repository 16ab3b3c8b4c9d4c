/**
 * The other branches of the templates: an objection during the public notice leads to a community
 * appraisal; a tekun case sampled for the county spot-check needs the spot-check record; the whole
 * time limit extended once with a reason; a refusal with reasons; a withdrawal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, createIntakeApp, type IntakeTestApp, submit } from './intakeFactories.ts';
import type { TestClient } from './testApp.ts';

describe('intake: objections, spot-checks, extensions, refusals', () => {
  let t: IntakeTestApp;
  let huayuan: TestClient;
  let verifier: TestClient;
  let county: TestClient;

  beforeAll(async () => {
    t = await createIntakeApp('2026-03-02');
    huayuan = await t.login('huayuan');
    verifier = await t.login('verifier');
    county = await t.login('county');
  }, 180_000);
  afterAll(() => t?.drop());

  async function open(policyId: string, documents: string[]) {
    t.setToday('2026-03-02');
    const response = await submit(huayuan, {
      householdId: t.huayuanHousehold,
      channel: 'window',
      items: [{ policyId, documents }],
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().cases[0].id as string;
  }

  /** Intake → verification → home visit (or investigation) → township opinion, for dibao and tekun. */
  async function toNotice(caseId: string, visit: string, visitDocuments: string[]) {
    expect((await act(huayuan, caseId, { action: 'complete' })).statusCode).toBe(200);
    expect(
      (await act(verifier, caseId, { action: 'complete', documents: ['verificationReport'] })).statusCode,
    ).toBe(200);
    const visited = await act(huayuan, caseId, {
      action: 'complete',
      documents: visitDocuments,
      investigators: ['王伟', '李娜'],
    });
    expect(visited.json().case.completedSteps).toContain(visit);
    expect(
      (await act(huayuan, caseId, { action: 'complete', documents: ['townshipOpinion'] })).statusCode,
    ).toBe(200);
    t.setToday('2026-03-20');
  }

  it('an objection during the notice brings a community appraisal before confirmation', async () => {
    const caseId = await open('dibao', ['idCard', 'authorisation', 'declaration']);
    await toNotice(caseId, 'homeVisit', ['homeVisitRecord']);
    const objected = await act(huayuan, caseId, {
      action: 'complete',
      outcome: 'objection',
      documents: ['noticeRecord'],
      reason: '邻居反映家中有经营性车辆',
    });
    expect(objected.json().case.currentStep.id).toBe('communityAppraisal');
    // The appraisal cannot be skipped straight to the decision.
    const skip = await huayuan.request('POST', `/api/intake/cases/${caseId}/transitions`, {
      version: objected.json().case.version,
      step: 'confirmation',
      action: 'refuse',
      reason: '车辆',
    });
    expect(skip.json().code).toBe('STEP_NOT_CURRENT');
    await act(huayuan, caseId, { action: 'complete', documents: ['appraisalRecord'] });
    // Refusal with reasons at the decision step, where the template allows it.
    const refused = await act(county, caseId, { action: 'refuse', reason: '家庭成员名下有经营性车辆' });
    expect(refused.json().case).toMatchObject({
      status: 'refused',
      outcomeReason: '家庭成员名下有经营性车辆',
    });
    const events = refused.json().case.events;
    expect(events.at(-1)).toMatchObject({ action: 'refuse', fromStep: 'confirmation', outcome: 'refused' });
    expect(events.at(-1).legalGround).toContain('审核确认');
  });

  it('the first tekun case of a county is sampled for the spot-check and needs its record', async () => {
    const caseId = await open('tekun', ['idCard', 'authorisation', 'declaration']);
    await toNotice(caseId, 'investigation', ['investigationRecord', 'careAssessment']);
    const noticed = await act(huayuan, caseId, {
      action: 'complete',
      outcome: 'noObjection',
      documents: ['noticeRecord'],
    });
    expect(noticed.json().case).toMatchObject({
      flags: ['spotCheck'],
      currentStep: { id: 'countyDecision' },
    });
    expect(noticed.json().case.currentStep.documents.map((d: { id: string }) => d.id)).toEqual([
      'countyDecision',
      'spotCheckRecord',
    ]);
    // Tekun decisions are the county's alone (not delegated).
    expect(
      (await act(huayuan, caseId, { action: 'complete', documents: ['countyDecision'] })).statusCode,
    ).toBe(403);
    const incomplete = await act(county, caseId, { action: 'complete', documents: ['countyDecision'] });
    expect(incomplete.statusCode).toBe(422);
    expect(incomplete.json()).toMatchObject({
      code: 'STEP_DOCUMENTS_MISSING',
      message: expect.stringContaining('县级抽查入户核实记录'),
    });
    // A refused attempt records nothing (one transaction): the decision is given again with the record.
    const decided = await act(county, caseId, {
      action: 'complete',
      documents: ['countyDecision', 'spotCheckRecord'],
    });
    expect(decided.json().case.currentStep.id).toBe('enrolment');
  });

  it('extends the whole time limit once, with a reason, where the template allows', async () => {
    const caseId = await open('dibao', ['idCard', 'authorisation', 'declaration']);
    const noReason = await act(huayuan, caseId, { action: 'extend' });
    expect(noReason.statusCode).toBe(400);
    const extended = await act(huayuan, caseId, { action: 'extend', reason: '户籍地与居住地分离，调查困难' });
    // 45 working days from 2 March 2026 (Qingming and the May Day holidays not counted).
    expect(extended.json().case).toMatchObject({
      caseDueOn: '2026-05-08',
      extendedReason: '户籍地与居住地分离，调查困难',
    });
    expect((await act(huayuan, caseId, { action: 'extend', reason: '再次' })).json().code).toBe(
      'ALREADY_EXTENDED',
    );
    const tempAid = await open('temporaryAid', ['idCard', 'hardshipStatement']);
    expect((await act(huayuan, tempAid, { action: 'extend', reason: '复杂' })).json().code).toBe(
      'NO_EXTENSION',
    );
  });

  it('the applicant may withdraw; a withdrawn case accepts nothing more', async () => {
    const caseId = await open('nearDibao', ['idCard']);
    const withdrawn = await act(huayuan, caseId, { action: 'withdraw', reason: '申请人外出务工，暂不申请' });
    expect(withdrawn.json().case).toMatchObject({ status: 'withdrawn', currentStep: null });
    const after = await huayuan.request('POST', `/api/intake/cases/${caseId}/transitions`, {
      version: withdrawn.json().case.version,
      step: 'intake',
      action: 'complete',
    });
    expect(after.json().code).toBe('CASE_CLOSED');
  });
});
