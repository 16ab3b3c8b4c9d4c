/**
 * Decisions and statutory documents (issue 6 item 8), as issued: each document type produced by the
 * real transitions, numbered per county, series and year without gaps (also when issued in parallel),
 * stored once as a PDF with its SHA-256; the decision record holds the policy version, the trace and
 * the approved figures. Access and immutability: decisionsAccess.test.ts.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asActor, asSystem } from '../src/db/scope.ts';
import { systemActor } from '../src/demo/demoAccounts.ts';
import * as repo from '../src/domains/decisions/decisions.repo.ts';
import { contentDisposition } from '../src/domains/decisions/decisions.routes.ts';
import { createDecisionsContext, type DecisionsContext, type Doc } from './decisionsFactories.ts';
import { regions } from './factories.ts';
import { act, type IntakeTestApp } from './intakeFactories.ts';
import { caseAtNoticeStep, freshPhone, householdWithHead, residentSignIn } from './residentsFactories.ts';
import type { TestClient } from './testApp.ts';

describe('decisions and numbered statutory documents: issuing', () => {
  let t: IntakeTestApp;
  let huayuan: TestClient;
  let huayuan2: TestClient;
  let verifier: TestClient;
  let county: TestClient;
  let sms: string;
  let docsOf: DecisionsContext['docsOf'];
  let newCase: DecisionsContext['newCase'];

  beforeAll(async () => {
    ({ t, huayuan, huayuan2, verifier, county, sms, docsOf, newCase } = await createDecisionsContext());
  }, 180_000);
  afterAll(() => t?.drop());

  it('accepts, confirms and stops a dibao case with one document each, numbered and stored once', async () => {
    t.setToday('2026-03-02');
    const phone = freshPhone();
    const { householdId, idNumber } = await householdWithHead(t, phone);
    // Verification's approved figures, and a published version of the dibao file in force.
    await asSystem(t.db, async (tx) => {
      await tx.query(
        `INSERT INTO household_economy (household_id, region_code, as_of, source, facts, recorded_by)
         VALUES ($1, $2, '2026-03-03', 'approved', $3, 'test')`,
        [
          householdId,
          regions.huayuanVillage,
          JSON.stringify({ wageIncome: 30_000, financialAssets: 500_000 }),
        ],
      );
      const { readFileSync } = await import('node:fs');
      const { intakeCatalogDir } = await import('../src/domains/intake/catalogPaths.ts');
      const body = readFileSync(`${intakeCatalogDir()}/policies/dibao.yaml`, 'utf8');
      const sha = createHash('sha256').update(body).digest('hex');
      const user = (await tx.query<{ id: string }>("SELECT id FROM app_user WHERE username = 'county'"))
        .rows[0];
      await tx.query(
        `INSERT INTO policy_version (file, version_no, body, sha256, base_sha256, effective_from, reason, region_code,
           published_by, publisher_name)
         VALUES ('policies/dibao.yaml', 1, $1, $2, $2, '2026-01-01', '测试发布', $3, $4, '县民政')`,
        [body, sha, regions.county, user?.id],
      );
    });
    const caseId = await caseAtNoticeStep({ caseworker: huayuan, verifier }, householdId);
    let docs = await docsOf(caseId);
    expect(docs.documents.map((d) => [d.kind, d.number, d.title])).toEqual([
      ['acceptance', '孝民低保受〔2026〕第0001号', '最低生活保障申请受理通知书'],
    ]);
    expect(docs.decision).toBeNull();

    await huayuan.request('POST', '/api/notices', { caseId, proposedAmountFen: 62_000 });
    t.setToday('2026-03-09');
    expect(
      (
        await act(huayuan, caseId, {
          action: 'complete',
          outcome: 'noObjection',
          documents: ['noticeRecord'],
        })
      ).statusCode,
    ).toBe(200);
    t.setToday('2026-03-12');
    const confirmed = await act(county, caseId, { action: 'complete', documents: ['confirmationDecision'] });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    // A retry of the same transition (same version) is refused and issues nothing.
    const retried = await county.request('POST', `/api/intake/cases/${caseId}/transitions`, {
      version: confirmed.json().case.version - 1,
      step: 'confirmation',
      action: 'complete',
      documents: ['confirmationDecision'],
    });
    expect(retried.statusCode).toBe(409);
    docs = await docsOf(caseId);
    expect(docs.documents.map((d) => [d.kind, d.number, d.title])).toEqual([
      ['acceptance', '孝民低保受〔2026〕第0001号', '最低生活保障申请受理通知书'],
      ['confirmation', '孝民低保确〔2026〕第0001号', '最低生活保障审核确认决定书'],
    ]);
    expect(docs.decision).toMatchObject({
      outcome: 'approved',
      step: 'confirmation',
      decidedOn: '2026-03-12',
      policyId: 'dibao',
      policyVersionNo: 1,
      policyEffectiveFrom: '2026-01-01',
      amountFen: 62_000,
      figuresAsOf: '2026-03-03',
      decidedByName: expect.any(String),
    });
    expect(String(docs.decision?.catalogVersion)).toMatch(/^pv-[0-9a-f]{12}$/);
    expect(String(docs.decision?.traceZh)).toContain('最低生活保障');
    expect(docs.decision?.figures).toContainEqual(
      expect.objectContaining({ name: 'wageIncome', value: 30_000 }),
    );

    // The stored bytes: a PDF, the number in its metadata (UTF-16 in the Info dictionary), the hash.
    const confirmation = docs.documents[1] as Doc;
    const pdf = await huayuan.request('GET', `/api/documents/${confirmation.id}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(String(pdf.headers['content-disposition'])).toBe(
      contentDisposition('最低生活保障审核确认决定书-孝民低保确〔2026〕第0001号.pdf'),
    );
    expect(String(pdf.headers['content-disposition'])).toContain(
      `filename*=UTF-8''${encodeURIComponent('最低生活保障审核确认决定书')}`,
    );
    const bytes = pdf.rawPayload;
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // pdfkit writes Info strings as literal UTF-16BE with a byte-order mark.
    const utf16 = Buffer.from(`\ufeff${confirmation.number}`, 'utf16le').swap16();
    expect(bytes.indexOf(utf16)).toBeGreaterThan(0);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(confirmation.sha256);
    // Served again: the same bytes.
    const again = await huayuan.request('GET', `/api/documents/${confirmation.id}/pdf`);
    expect(createHash('sha256').update(again.rawPayload).digest('hex')).toBe(confirmation.sha256);

    // Finish and enrol, then stop: a termination notice, listed with the case.
    for (const documents of [['decisionNoticeReceipt'], ['enrolmentRecord']])
      expect((await act(huayuan, caseId, { action: 'complete', documents })).statusCode).toBe(200);
    const enrolment = (await huayuan.request('GET', '/api/enrolments'))
      .json()
      .items.find((e: { caseId: string }) => e.caseId === caseId);
    t.setToday('2026-05-10');
    const stop = await huayuan.request(
      'POST',
      `/api/enrolments/${enrolment.id}/changes`,
      { kind: 'stop', legalGround: 'noLongerEligible', reason: '家庭人均收入超过当地低保标准' },
      { headers: { 'idempotency-key': 'stop-decisions-1' } },
    );
    expect(stop.statusCode, stop.body).toBe(200);
    const decided = await huayuan2.request('POST', `/api/enrolments/tasks/${stop.json().id}/decision`, {
      decision: 'approve',
      version: stop.json().version,
    });
    expect(decided.statusCode, decided.body).toBe(200);
    docs = await docsOf(caseId);
    expect(docs.documents.at(-1)).toMatchObject({
      kind: 'termination',
      number: '孝民低保终〔2026〕第0001号',
      title: '停发最低生活保障金通知书',
    });

    // The resident sees and downloads the household's three documents.
    const resident = await residentSignIn(t, sms, phone, idNumber);
    const mine = await resident.request('GET', '/api/resident/documents');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(
      mine
        .json()
        .map((d: Doc) => d.kind)
        .sort(),
    ).toEqual(['acceptance', 'confirmation', 'termination']);
    const own = await resident.request('GET', `/api/resident/documents/${confirmation.id}/pdf`);
    expect(own.statusCode).toBe(200);
    expect(createHash('sha256').update(own.rawPayload).digest('hex')).toBe(confirmation.sha256);
    // Every download is audited.
    const audited = await asSystem(t.db, (tx) =>
      tx.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_log WHERE action = 'document.download' AND entity_id = $1",
        [confirmation.id],
      ),
    );
    expect(audited.rows[0]?.n).toBe(3);
  }, 180_000);

  it('rejects at intake and refuses with reasons: a decision record and the notice with the route of appeal', async () => {
    t.setToday('2026-03-16');
    const rejectedCase = await newCase(await t.newHousehold());
    expect(
      (await act(huayuan, rejectedCase, { action: 'reject', reason: '申请人户籍不在本镇' })).statusCode,
    ).toBe(200);
    const rejected = await docsOf(rejectedCase);
    expect(rejected.documents.map((d) => [d.kind, d.number, d.title])).toEqual([
      ['intakeRefusal', '孝民低保不受〔2026〕第0001号', '最低生活保障申请不予受理通知书'],
    ]);
    expect(rejected.decision).toMatchObject({
      outcome: 'rejected',
      step: 'intake',
      reason: '申请人户籍不在本镇',
    });

    // A hostile, long reason is data: stored as given, printed into the PDF, nothing breaks.
    const hostile = `${'理由'.repeat(480)}\u202e😀<script>alert(1)</script>)\\(`;
    const hostileCase = await newCase(await t.newHousehold());
    const hostileReject = await act(huayuan, hostileCase, { action: 'reject', reason: hostile });
    expect(hostileReject.statusCode, hostileReject.body).toBe(200);
    const hostileDocs = await docsOf(hostileCase);
    expect(hostileDocs.decision).toMatchObject({ outcome: 'rejected', reason: hostile });
    expect(hostileDocs.documents[0]?.number).toBe('孝民低保不受〔2026〕第0002号');
    const hostilePdf = await huayuan.request('GET', `/api/documents/${hostileDocs.documents[0]?.id}/pdf`);
    expect(hostilePdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const refusedCase = await caseAtNoticeStep({ caseworker: huayuan, verifier }, await t.newHousehold());
    t.setToday('2026-03-23');
    expect(
      (
        await act(huayuan, refusedCase, {
          action: 'complete',
          outcome: 'noObjection',
          documents: ['noticeRecord'],
        })
      ).statusCode,
    ).toBe(200);
    const refused = await act(county, refusedCase, {
      action: 'refuse',
      reason: '家庭人均收入高于当地低保标准',
    });
    expect(refused.statusCode, refused.body).toBe(200);
    const docs = await docsOf(refusedCase);
    expect(docs.documents.map((d) => [d.kind, d.title])).toEqual([
      ['acceptance', '最低生活保障申请受理通知书'],
      ['refusal', '最低生活保障不予确认通知书'],
    ]);
    expect(docs.decision).toMatchObject({
      outcome: 'refused',
      amountFen: null,
      reason: '家庭人均收入高于当地低保标准',
    });
    const stored = await asSystem(t.db, (tx) =>
      tx.query<{ content: { issuer: string; reason: string; legalGround: string } }>(
        "SELECT content FROM statutory_document WHERE case_id = $1 AND kind = 'refusal'",
        [refusedCase],
      ),
    );
    expect(stored.rows[0]?.content).toMatchObject({
      issuer: '孝昌县民政局',
      reason: '家庭人均收入高于当地低保标准',
    });
  }, 180_000);

  it('numbers documents issued in parallel without gaps or repeats', async () => {
    t.setToday('2026-04-01');
    const households = await Promise.all(Array.from({ length: 6 }, () => t.newHousehold()));
    const cases: string[] = [];
    for (const h of households) cases.push(await newCase(h));
    const before = await asSystem(t.db, (tx) =>
      tx.query<{ last_no: number }>(
        "SELECT last_no FROM statutory_document_counter WHERE series = '孝民低保受' AND year = 2026",
      ),
    );
    const start = before.rows[0]?.last_no ?? 0;
    const results = await Promise.all(cases.map((id) => act(huayuan, id, { action: 'complete' })));
    for (const r of results) expect(r.statusCode, r.body).toBe(200);
    const numbers = await asSystem(t.db, (tx) =>
      tx.query<{ seq: number }>(
        "SELECT seq FROM statutory_document WHERE series = '孝民低保受' AND year = 2026 AND case_id = ANY($1::uuid[]) ORDER BY seq",
        [cases],
      ),
    );
    expect(numbers.rows.map((r) => r.seq)).toEqual(Array.from({ length: 6 }, (_, i) => start + i + 1));
    // A rolled-back issue gives its number back.
    await expect(
      asActor(
        t.db,
        { ...systemActor, role: 'countyOfficer', regionCode: regions.county },
        undefined,
        async (tx) => {
          await repo.nextNumber(tx, '420921', '孝民低保受', 2026);
          throw new Error('rolled back');
        },
      ),
    ).rejects.toThrow('rolled back');
    const after = await asSystem(t.db, (tx) =>
      tx.query<{ last_no: number }>(
        "SELECT last_no FROM statutory_document_counter WHERE series = '孝民低保受' AND year = 2026",
      ),
    );
    expect(after.rows[0]?.last_no).toBe(start + 6);
  }, 180_000);
});
