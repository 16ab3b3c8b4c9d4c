/**
 * Service of statutory documents (送达): the numbered receipt (送达回执) printed on demand or issued
 * with the record, the record of service once per document (idempotent retry, a second record
 * refused, two at once: one wins), who may serve, hostile input, the time for an appeal from the day
 * served on the working-day calendar; the seal area and the full ID number printed on the served
 * document, each download logged as a full view; and the portal's village notices after a decision.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSystem } from '../src/db/scope.ts';
import { chineseDate } from '../src/documents/pdf.ts';
import { createDecisionsContext, type DecisionsContext, type Doc } from './decisionsFactories.ts';
import { act, type IntakeTestApp, idempotencyKey } from './intakeFactories.ts';
import { pdfText } from './pdfText.ts';
import {
  caseAtNoticeStep,
  finishCase,
  freshPhone,
  householdWithHead,
  residentSignIn,
} from './residentsFactories.ts';
import { TestClient } from './testApp.ts';

interface Served extends Doc {
  service: Record<string, unknown> | null;
  receipt: { id: string; number: string } | null;
}

describe('service of statutory documents, the seal area and the full ID number', () => {
  let c: DecisionsContext;
  let t: IntakeTestApp;
  let huayuan: TestClient;

  const serve = (client: TestClient, id: string, body: Record<string, unknown>, key = idempotencyKey()) =>
    client.request('POST', `/api/documents/${id}/service`, body, { headers: { 'idempotency-key': key } });
  const textOf = async (client: TestClient, id: string) => {
    const r = await client.request('GET', `/api/documents/${id}/pdf`);
    expect(r.statusCode, r.body.slice(0, 200)).toBe(200);
    return pdfText(r.rawPayload);
  };
  const served = async (caseId: string, kind: string) =>
    (await c.docsOf(caseId)).documents.find((d) => d.kind === kind) as Served;

  beforeAll(async () => {
    c = await createDecisionsContext();
    ({ t, huayuan } = c);
  }, 180_000);
  afterAll(() => t?.drop());

  it('prints the full ID and a seal area, logs each download as a full view, and records service once', async () => {
    t.setToday('2026-03-02');
    const phone = freshPhone();
    const { householdId, idNumber } = await householdWithHead(t, phone);
    const caseId = await caseAtNoticeStep({ caseworker: huayuan, verifier: c.verifier }, householdId);
    const acceptance = await served(caseId, 'acceptance');
    expect(acceptance).toMatchObject({ service: null, receipt: null });

    // The document served on the applicant prints his own number in full; the stored content never.
    const text = await textOf(huayuan, acceptance.id);
    expect(text).toContain(idNumber);
    expect(text).toContain('二〇二六年三月二日');
    expect(text).toContain('电子文书');
    expect(text).toContain('以系统存档为准');
    expect(text).not.toContain('（印章）');
    const stored = await asSystem(t.db, (tx) =>
      tx.query<{ content: string }>('SELECT content::text AS content FROM statutory_document WHERE id = $1', [
        acceptance.id,
      ]),
    );
    expect(stored.rows[0]?.content).not.toContain(idNumber);
    expect(stored.rows[0]?.content).toContain('"idNumberPrinted": "full"');

    // Each download, staff or the resident himself, is a full view in the personal-data access log.
    const resident = await residentSignIn(t, c.sms, phone, idNumber);
    expect((await resident.request('GET', `/api/resident/documents/${acceptance.id}/pdf`)).statusCode).toBe(
      200,
    );
    const views = await asSystem(t.db, (tx) =>
      tx.query<{ actor_role: string; field: string; purpose: string }>(
        `SELECT actor_role, field, purpose FROM personal_data_access WHERE detail->>'documentId' = $1
          ORDER BY at`,
        [acceptance.id],
      ),
    );
    expect(views.rows).toEqual([
      {
        actor_role: 'caseworker',
        field: 'idNumber',
        purpose: `下载文书（印有完整身份证号码）：${acceptance.number}`,
      },
      {
        actor_role: 'resident',
        field: 'idNumber',
        purpose: `下载文书（印有完整身份证号码）：${acceptance.number}`,
      },
    ]);

    // The receipt, printed before going out: numbered once, the blank form with the four methods.
    const printed = await huayuan.request('POST', `/api/documents/${acceptance.id}/receipt`);
    expect(printed.statusCode, printed.body).toBe(200);
    const receipt = printed.json().receipt;
    expect(receipt.number).toBe('孝民低保送〔2026〕第0001号');
    const again = await huayuan.request('POST', `/api/documents/${acceptance.id}/receipt`);
    expect(again.json().receipt).toEqual(receipt);
    const form = await textOf(huayuan, receipt.id);
    for (const s of [
      '送达回执',
      acceptance.title,
      acceptance.number,
      '王德福',
      '□直接送达',
      '□留置送达',
      '□邮寄送达',
      '□电子送达',
    ])
      expect(form).toContain(s);
    // Receipts are the office's record: not in the lists, not for the resident.
    expect((await c.docsOf(caseId)).documents.map((d) => d.kind)).toEqual(['acceptance']);
    expect((await resident.request('GET', `/api/resident/documents/${receipt.id}/pdf`)).statusCode).toBe(404);

    // Recorded once; the same request again is answered with the first record; another is refused.
    const body = {
      method: 'direct',
      servedOn: '2026-03-02',
      recipientName: '王德福',
      recipientRelation: 'self',
    };
    const first = await serve(huayuan, acceptance.id, body, 'serve-acceptance-1');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      replayed: false,
      document: {
        receipt,
        service: { method: 'direct', servedOn: '2026-03-02', serverName: expect.any(String), appeal: null },
      },
    });
    const retried = await serve(huayuan, acceptance.id, body, 'serve-acceptance-1');
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ replayed: true, document: first.json().document });
    const second = await serve(c.huayuan2, acceptance.id, { ...body, method: 'post' });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: 'DOCUMENT_ALREADY_SERVED' });
    expect(second.json().message).toContain('2026-03-02直接送达');
    const audited = await asSystem(t.db, (tx) =>
      tx.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_log WHERE action = 'document.serve' AND entity_id = $1",
        [acceptance.id],
      ),
    );
    expect(audited.rows[0]?.n).toBe(1);
    // The resident sees that his document was served.
    const mine = (await resident.request('GET', '/api/resident/documents')).json() as Served[];
    expect(mine.find((d) => d.id === acceptance.id)?.service).toMatchObject({ servedOn: '2026-03-02' });
  }, 180_000);

  it('refuses roles that do not serve, other scopes and hostile input; counts the appeal period from service', async () => {
    t.setToday('2026-02-12');
    const caseId = await caseAtNoticeStep(
      { caseworker: huayuan, verifier: c.verifier },
      await t.newHousehold(),
    );
    t.setToday('2026-03-02');
    const notice = await act(huayuan, caseId, {
      action: 'complete',
      outcome: 'noObjection',
      documents: ['noticeRecord'],
    });
    expect(notice.statusCode, notice.body).toBe(200);
    const refused = await act(c.county, caseId, { action: 'refuse', reason: '家庭人均收入高于当地低保标准' });
    expect(refused.statusCode, refused.body).toBe(200);
    const refusal = await served(caseId, 'refusal');
    const left = {
      method: 'leftAtAddress',
      servedOn: '2026-03-02',
      recipientName: '张三',
      recipientRelation: 'self',
      witnessName: '李村委',
      refusalReason: '受送达人拒绝签收',
    };

    const auditor = await t.login('auditor');
    const grid = await t.login('grid');
    const fengshan = await t.login('fengshan');
    for (const [client, status] of [
      [auditor, 403],
      [c.verifier, 403],
      [fengshan, 404],
      [c.education, 404],
    ] as const) {
      expect((await serve(client, refusal.id, left)).statusCode).toBe(status);
      expect((await client.request('POST', `/api/documents/${refusal.id}/receipt`)).statusCode).toBe(status);
    }
    // Signed out (with a CSRF token, so the refusal is for the missing session).
    expect((await serve(new TestClient(t.app), refusal.id, left)).statusCode).toBe(401);

    const hostile: [Record<string, unknown>, string][] = [
      [{ ...left, witnessName: undefined }, 'witnessName'],
      [{ ...left, witnessName: '张三' }, 'witnessName'],
      [{ ...left, refusalReason: ' ' }, 'refusalReason'],
      [{ ...left, method: 'direct' }, 'witnessName'],
      [{ ...left, servedOn: '2026-02-30' }, 'servedOn'],
      [{ ...left, servedOn: "2026-03-02' OR 1=1" }, 'servedOn'],
      [{ ...left, servedOn: '2026-03-03' }, 'servedOn'],
      [{ ...left, servedOn: '2026-03-01' }, 'servedOn'],
      [{ ...left, recipientName: '张\u202e三' }, 'recipientName'],
      [{ ...left, recipientName: '\u0000' }, 'recipientName'],
      [{ ...left, recipientName: '长'.repeat(51) }, 'recipientName'],
      [{ ...left, method: 'fax' }, 'method'],
      [
        {
          ...left,
          method: 'post',
          witnessName: undefined,
          refusalReason: undefined,
          trackingNumber: 'x;drop',
        },
        'trackingNumber',
      ],
      [
        {
          ...left,
          method: 'electronic',
          witnessName: undefined,
          refusalReason: undefined,
          recipientRelation: 'agent',
        },
        'recipientRelation',
      ],
    ];
    for (const [body, field] of hostile) {
      const r = await serve(huayuan, refusal.id, body);
      expect(r.statusCode, `${field}: ${r.body}`).toBe(400);
      expect(r.json().field ?? '', JSON.stringify(body)).toContain(field);
    }
    expect((await serve(huayuan, refusal.id, { ...left, extra: 1 })).statusCode).toBe(400);
    const noKey = await huayuan.request('POST', `/api/documents/${refusal.id}/service`, left);
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json().field).toBe('Idempotency-Key');
    const receiptOfReceipt = await huayuan.request('POST', `/api/documents/${refusal.id}/receipt`);
    const receiptId = receiptOfReceipt.json().receipt.id;
    expect((await serve(huayuan, receiptId, left)).statusCode).toBe(400);
    expect(
      await asSystem(t.db, (tx) =>
        tx.query('SELECT 1 FROM document_service WHERE document_id = $1', [refusal.id]),
      ),
    ).toMatchObject({ rows: [] });

    // 留置送达 by the grid worker who carried it: served 2 March, 60 days end on 1 May, a holiday
    // (劳动节 1–5 May 2026): the last day is the next working day, 6 May.
    const ok = await serve(grid, refusal.id, left);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().document.service).toMatchObject({
      method: 'leftAtAddress',
      witnessName: '李村委',
      appeal: { reconsiderationBy: '2026-05-06', litigationBy: '2026-09-02' },
    });
    // The receipt was printed before the service, so it stays the blank form that was signed.
    expect(ok.json().document.receipt.id).toBe(receiptId);

    // Two caseworkers record the acceptance's service at once: one wins, the other is told.
    const acceptance = await served(caseId, 'acceptance');
    const direct = {
      method: 'direct',
      servedOn: '2026-03-02',
      recipientName: '张三',
      recipientRelation: 'self',
    };
    const both = await Promise.all([
      serve(huayuan, acceptance.id, direct),
      serve(c.huayuan2, acceptance.id, direct),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    // Recorded with no receipt printed before: the receipt is issued filled in with the record.
    const filled = await textOf(huayuan, (await served(caseId, 'acceptance')).receipt?.id ?? '');
    expect(filled).toContain('■直接送达');
    expect(filled).toContain('张三（受送达人本人）');
  }, 180_000);

  it('shows a village notice in the portal only while it is open, and the household its own until decided', async () => {
    t.setToday('2026-04-01');
    const phone = freshPhone();
    const { householdId, idNumber } = await householdWithHead(t, phone);
    const neighbourPhone = freshPhone();
    const neighbour = await householdWithHead(t, neighbourPhone);
    const caseId = await caseAtNoticeStep({ caseworker: huayuan, verifier: c.verifier }, householdId);
    const posted = await huayuan.request('POST', '/api/notices', { caseId, proposedAmountFen: 50_000 });
    expect(posted.statusCode, posted.body).toBe(200);
    const me = await residentSignIn(t, c.sms, phone, idNumber);
    const other = await residentSignIn(t, c.sms, neighbourPhone, neighbour.idNumber);
    const noticesOf = async (client: TestClient) =>
      (
        (await client.request('GET', '/api/resident/portal')).json().notices as {
          id: string;
          mine: boolean;
        }[]
      ).filter((n) => n.id === posted.json().id);
    expect(await noticesOf(me)).toMatchObject([{ mine: true }]);
    expect(await noticesOf(other)).toMatchObject([{ mine: false }]);

    t.setToday('2026-04-09');
    expect(
      (
        await act(huayuan, caseId, {
          action: 'complete',
          outcome: 'noObjection',
          documents: ['noticeRecord'],
        })
      ).statusCode,
    ).toBe(200);
    // Closed: the neighbours' objection period is over; the household still sees what was published.
    expect(await noticesOf(other)).toEqual([]);
    expect(await noticesOf(me)).toHaveLength(1);
    await finishCase({ caseworker: huayuan }, caseId);
    // Decided and enrolled: the decision takes the notice's place.
    expect(await noticesOf(me)).toEqual([]);
  }, 180_000);

  it('dates documents in Chinese capitals', () => {
    expect(chineseDate('2026-11-23')).toBe('二〇二六年十一月二十三日');
    expect(chineseDate('2026-01-10')).toBe('二〇二六年一月十日');
    expect(chineseDate('2030-12-31')).toBe('二〇三〇年十二月三十一日');
    expect(chineseDate('2026-10-20')).toBe('二〇二六年十月二十日');
    expect(() => chineseDate('2026-13-01')).toThrow(RangeError);
    expect(() => chineseDate('yesterday')).toThrow(RangeError);
  });
});
