/**
 * 送达记录更正: a wrong service record is corrected by the officer who entered it or the county office,
 * with a written reason; the old record stays (superseded, in the history), the appeal deadlines follow
 * the corrected date, a retried request writes nothing twice, a stale or concurrent correction is a 409,
 * and the correction is audited with both versions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSystem } from '../src/db/scope.ts';
import { createDecisionsContext, type DecisionsContext } from './decisionsFactories.ts';
import { act, type IntakeTestApp, idempotencyKey } from './intakeFactories.ts';
import { caseAtNoticeStep } from './residentsFactories.ts';
import type { TestClient } from './testApp.ts';

interface Record {
  id: string;
  servedOn: string;
  method: string;
  correctionReason: string | null;
  appeal: { reconsiderationBy: string; litigationBy: string } | null;
  superseded: { id: string; servedOn: string; correctionReason: string | null }[];
}

describe('correcting a service record', () => {
  let c: DecisionsContext;
  let t: IntakeTestApp;

  const post = (client: TestClient, url: string, body: object, key = idempotencyKey()) =>
    client.request('POST', url, body, { headers: { 'idempotency-key': key } });
  const direct = { method: 'direct', recipientName: '张三', recipientRelation: 'self' };

  beforeAll(async () => {
    c = await createDecisionsContext();
    ({ t } = c);
  }, 180_000);
  afterAll(() => t?.drop());

  it('keeps the old record, moves the appeal deadlines, refuses others, and writes a retry once', async () => {
    t.setToday('2026-02-12');
    const caseId = await caseAtNoticeStep(
      { caseworker: c.huayuan, verifier: c.verifier },
      await t.newHousehold(),
    );
    t.setToday('2026-03-02');
    const notice = await act(c.huayuan, caseId, {
      action: 'complete',
      outcome: 'noObjection',
      documents: ['noticeRecord'],
    });
    expect(notice.statusCode, notice.body).toBe(200);
    expect(
      (await act(c.county, caseId, { action: 'refuse', reason: '家庭人均收入高于当地低保标准' })).statusCode,
    ).toBe(200);
    const refusal = (await c.docsOf(caseId)).documents.find((d) => d.kind === 'refusal');
    if (!refusal) throw new Error('no refusal notice');
    t.setToday('2026-03-10');
    const first = await post(c.huayuan, `/api/documents/${refusal.id}/service`, {
      ...direct,
      servedOn: '2026-03-02',
    });
    expect(first.statusCode, first.body).toBe(200);
    const wrong = first.json().document.service as Record;
    expect(wrong).toMatchObject({ appeal: { reconsiderationBy: '2026-05-06' }, superseded: [] });

    const url = `/api/documents/${refusal.id}/service/correction`;
    const fix = {
      ...direct,
      servedOn: '2026-03-09',
      corrects: wrong.id,
      reason: '送达日期误录，回执签收日期为3月9日',
    };
    // A reason is required; a "correction" that changes nothing is refused; so is a date in the future.
    for (const [body, field] of [
      [{ ...fix, reason: ' ' }, 'reason'],
      [{ ...fix, servedOn: '2026-03-02' }, 'corrects'],
      [{ ...fix, servedOn: '2026-03-11' }, 'servedOn'],
    ] as const) {
      const r = await post(c.huayuan, url, body);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().field).toBe(field);
    }
    expect((await post(c.huayuan, url, { ...fix, extra: 1 })).statusCode).toBe(400);
    // Someone else's record: another caseworker may not; roles that do not serve may not at all.
    expect((await post(c.huayuan2, url, fix)).statusCode).toBe(403);
    expect((await post(c.verifier, url, fix)).statusCode).toBe(403);
    expect((await post(await t.login('fengshan'), url, fix)).statusCode).toBe(404);

    // The officer who entered it corrects it; the same request again is the same answer, no second row.
    const corrected = await post(c.huayuan, url, fix, 'correct-refusal-1');
    expect(corrected.statusCode, corrected.body).toBe(200);
    const now = corrected.json().document.service as Record;
    expect(now).toMatchObject({
      servedOn: '2026-03-09',
      correctionReason: fix.reason,
      // 60 days from 9 March end on Friday 8 May; six months on Wednesday 9 September.
      appeal: { reconsiderationBy: '2026-05-08', litigationBy: '2026-09-09' },
      superseded: [{ id: wrong.id, servedOn: '2026-03-02', correctionReason: null }],
    });
    const retried = await post(c.huayuan, url, fix, 'correct-refusal-1');
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ replayed: true, document: corrected.json().document });
    // Correcting the superseded record again is stale: the caller is told to reload.
    const stale = await post(c.county, url, { ...fix, servedOn: '2026-03-08' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('SERVICE_RECORD_SUPERSEDED');

    // The county office corrects anyone's record; two corrections of the same record at once: one wins.
    const again = {
      ...fix,
      corrects: now.id,
      reason: '签收人为同住家属',
      recipientRelation: 'adultFamilyMember',
    };
    const both = await Promise.all([
      post(c.county, url, again),
      post(c.county, url, { ...again, servedOn: '2026-03-08' }),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const listed = (await c.docsOf(caseId)).documents.find((d) => d.id === refusal.id) as unknown as {
      service: Record;
    };
    expect(listed.service.superseded.map((s) => s.id)).toEqual([now.id, wrong.id]);

    const rows = await asSystem(t.db, (tx) =>
      tx.query<{ n: number; audits: number }>(
        `SELECT (SELECT count(*)::int FROM document_service WHERE document_id = $1::uuid) AS n,
                (SELECT count(*)::int FROM audit_log WHERE action = 'document.serviceCorrect' AND entity_id = $1::text)
                  AS audits`,
        [refusal.id],
      ),
    );
    expect(rows.rows[0]).toEqual({ n: 3, audits: 2 });
    const audit = await asSystem(t.db, (tx) =>
      tx.query<{ before: { servedOn: string }; after: { servedOn: string; reason: string } }>(
        `SELECT before, after FROM audit_log WHERE action = 'document.serviceCorrect' AND entity_id = $1
          ORDER BY seq LIMIT 1`,
        [refusal.id],
      ),
    );
    expect(audit.rows[0]).toMatchObject({
      before: { servedOn: '2026-03-02' },
      after: { servedOn: '2026-03-09', reason: fix.reason },
    });
  }, 180_000);
});
