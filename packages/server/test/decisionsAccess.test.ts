import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asActor, asSystem } from '../src/db/scope.ts';
import { systemActor } from '../src/demo/demoAccounts.ts';
import { contentDisposition } from '../src/domains/decisions/decisions.routes.ts';
import { amountInCapitals } from '../src/domains/decisions/documentText.ts';
import { runEnrolmentJob } from '../src/domains/enrolment/enrolment.job.ts';
import { createDecisionsContext, type DecisionsContext } from './decisionsFactories.ts';
import { regions } from './factories.ts';
import { act, type IntakeTestApp } from './intakeFactories.ts';
import { caseAtNoticeStep, freshPhone, householdWithHead, residentSignIn } from './residentsFactories.ts';
import type { TestClient } from './testApp.ts';

describe('decisions and numbered statutory documents: access and termination', () => {
  let t: IntakeTestApp;
  let huayuan: TestClient;
  let huayuan2: TestClient;
  let verifier: TestClient;
  let education: TestClient;
  let sms: string;
  let docsOf: DecisionsContext['docsOf'];

  beforeAll(async () => {
    ({ t, huayuan, huayuan2, verifier, education, sms, docsOf } = await createDecisionsContext());
  }, 180_000);
  afterAll(() => t?.drop());

  it('issues a termination notice when the job ends a phase-out, once however often it runs', async () => {
    t.setToday('2026-06-01');
    const caseId = await caseAtNoticeStep({ caseworker: huayuan, verifier }, await t.newHousehold());
    await huayuan.request('POST', '/api/notices', { caseId, proposedAmountFen: 50_000 });
    t.setToday('2026-06-08');
    expect(
      (
        await act(huayuan, caseId, {
          action: 'complete',
          outcome: 'noObjection',
          documents: ['noticeRecord'],
        })
      ).statusCode,
    ).toBe(200);
    t.setToday('2026-06-10');
    // A township caseworker confirms for the county (delegated): the decision says so.
    for (const documents of [['confirmationDecision'], ['decisionNoticeReceipt'], ['enrolmentRecord']])
      expect((await act(huayuan, caseId, { action: 'complete', documents })).statusCode).toBe(200);
    const enrolment = (await huayuan.request('GET', '/api/enrolments'))
      .json()
      .items.find((e: { caseId: string }) => e.caseId === caseId);
    const phase = await huayuan.request(
      'POST',
      `/api/enrolments/${enrolment.id}/changes`,
      {
        kind: 'phaseOut',
        legalGround: 'phaseOut',
        reason: '儿子就业，人均收入超过低保标准',
        phaseOutMonths: 1,
      },
      { headers: { 'idempotency-key': 'phase-decisions-1' } },
    );
    expect(phase.statusCode, phase.body).toBe(200);
    expect(
      (
        await huayuan2.request('POST', `/api/enrolments/tasks/${phase.json().id}/decision`, {
          decision: 'approve',
          version: phase.json().version,
        })
      ).statusCode,
    ).toBe(200);
    for (let i = 0; i < 2; i++) await runEnrolmentJob(t.db, { today: '2026-08-05' });
    const docs = await docsOf(caseId);
    expect(docs.documents.map((d) => d.kind)).toEqual(['acceptance', 'confirmation', 'termination']);
    const stored = await asSystem(t.db, (tx) =>
      tx.query<{ issuer: string; created_by: string; content: { effectiveOn: string; reason: string } }>(
        `SELECT issuer, created_by, content FROM statutory_document WHERE case_id = $1 OR enrolment_id = $2
          ORDER BY created_at`,
        [caseId, enrolment.id],
      ),
    );
    expect(stored.rows[1]?.issuer).toBe('花园镇人民政府（受孝昌县民政局委托）');
    expect(stored.rows[2]).toMatchObject({
      issuer: '孝昌县民政局',
      created_by: 'system',
      content: { effectiveOn: '2026-08-01', reason: '渐退期满' },
    });
  }, 180_000);

  it('keeps documents and decisions immutable, and refuses others’ households, bad ids and other departments', async () => {
    const some = await asSystem(t.db, (tx) =>
      tx.query<{ id: string; case_id: string }>(
        'SELECT id, case_id FROM statutory_document WHERE case_id IS NOT NULL LIMIT 1',
      ),
    );
    const doc = some.rows[0] as { id: string; case_id: string };
    await expect(
      asActor(t.db, { ...systemActor, role: 'countyOfficer', regionCode: regions.county }, undefined, (tx) =>
        tx.query("UPDATE statutory_document SET title = 'x' WHERE id = $1", [doc.id]),
      ),
    ).rejects.toThrow();
    await expect(asSystem(t.db, (tx) => tx.query("UPDATE case_decision SET reason = 'x'"))).rejects.toThrow(
      /immutable/,
    );
    await expect(asSystem(t.db, (tx) => tx.query('DELETE FROM statutory_document'))).rejects.toThrow(
      /immutable/,
    );

    // A resident of another household in the same village: 404, as for a document that does not exist.
    const phone = freshPhone();
    const other = await householdWithHead(t, phone);
    const resident = await residentSignIn(t, sms, phone, other.idNumber);
    expect((await resident.request('GET', '/api/resident/documents')).json()).toEqual([]);
    expect((await resident.request('GET', `/api/resident/documents/${doc.id}/pdf`)).statusCode).toBe(404);
    expect((await resident.request('GET', `/api/documents/${doc.id}/pdf`)).statusCode).toBe(403);
    expect((await resident.request('GET', '/api/resident/documents/not-a-uuid/pdf')).statusCode).toBe(400);
    expect(
      (await huayuan.request('GET', '/api/documents/00000000-0000-4000-8000-000000000000/pdf')).statusCode,
    ).toBe(404);
    expect((await huayuan.request('GET', `/api/documents/${doc.id}%00/pdf`)).statusCode).toBe(400);
    // Another township (row-level security) and a department officer (not their department's case).
    const fengshan = await t.login('fengshan');
    expect((await fengshan.request('GET', `/api/documents/${doc.id}/pdf`)).statusCode).toBe(404);
    expect((await fengshan.request('GET', `/api/intake/cases/${doc.case_id}/documents`)).statusCode).toBe(
      404,
    );
    expect((await education.request('GET', `/api/documents/${doc.id}/pdf`)).statusCode).toBe(404);
    const anonymous = await t.app.inject({ method: 'GET', url: `/api/documents/${doc.id}/pdf` });
    expect(anonymous.statusCode).toBe(401);
  }, 180_000);

  it('writes amounts in capitals and encodes Chinese file names for every browser', () => {
    expect(amountInCapitals(62_000)).toBe('陆佰贰拾元整');
    expect(amountInCapitals(100_050)).toBe('壹仟元伍角');
    expect(amountInCapitals(1_000_001)).toBe('壹万元零壹分');
    expect(amountInCapitals(10_020_000)).toBe('壹拾万零贰佰元整');
    const header = contentDisposition('停发通知书"; x=(1).pdf');
    expect(header).toMatch(/^attachment; filename="[A-Za-z0-9._-]+"; filename\*=UTF-8''[A-Za-z0-9%._~!-]+$/);
  });
});
