/**
 * Delegated verification (委托核对) end to end: a department files with a purpose and an
 * authorisation, the centre completes or refuses, the result holds only the purpose's sources and
 * fields, expires, is hidden from other departments, and every reading is logged. Hostile input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  complete,
  type DelegatedWorld,
  delegatedBody,
  fileRequest,
  newKey,
  seedDelegated,
  signedOn,
} from './delegatedFactories.ts';
import { createTestApp, type TestApp } from './testApp.ts';

describe('delegated verification (委托核对)', () => {
  let t: TestApp;
  let w: DelegatedWorld;
  let housingId: string;

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedDelegated(t);
    housingId = (await fileRequest(w.housing, delegatedBody(w, 'publicRentalHousing'))).id;
  }, 300_000);
  afterAll(() => t.drop());

  it('offers each department its own purposes; the centre sees the whole catalogue', async () => {
    const mine = (await w.housing.request('GET', '/api/verification/purposes')).json();
    expect(mine.map((p: { id: string }) => p.id)).toEqual(['publicRentalHousing']);
    expect(mine[0].legal.length).toBeGreaterThan(0);
    const all = (await w.verify.request('GET', '/api/verification/purposes')).json();
    expect(all.length).toBeGreaterThanOrEqual(4);
    expect((await w.county.request('GET', '/api/verification/purposes')).statusCode).toBe(403);
  });

  it('limits a housing result to property, income and vehicles: no deposit is ever returned', async () => {
    const filed = (await w.verify.request('GET', `/api/verification/delegated/${housingId}`)).json();
    expect(filed).toMatchObject({ status: 'requested', department: 'housing', expired: false });
    expect(
      (await w.housing.request('GET', `/api/verification/delegated/${housingId}/result`)).statusCode,
    ).toBe(409);
    const done = await complete(w.verify, housingId);
    expect(done.status).toBe('completed');
    expect(done.expiresOn > done.asOf).toBe(true);
    const response = await w.housing.request('GET', `/api/verification/delegated/${housingId}/result`);
    expect(response.statusCode, response.body).toBe(200);
    const { result } = response.json();
    const head = result.subjects[0];
    expect(head.sources.map((s: { source: string }) => s.source)).toEqual([
      'realEstate',
      'tax',
      'socialInsurance',
      'vehicle',
    ]);
    const estate = head.sources.find((s: { source: string }) => s.source === 'realEstate');
    expect(estate.records).toHaveLength(2);
    expect(estate.records[0].fields.map((f: { name: string }) => f.name)).not.toContain('certificateNumber');
    // Deposits, business roles and the full ID number are not in the response at all.
    for (const absent of [
      'bankDeposit',
      'balanceFen',
      '孝昌农商银行',
      '建国商贸',
      'certificateNumber',
      w.head.idNumber,
    ])
      expect(response.body).not.toContain(absent);
    // Stored result holds nothing more than what is returned.
    const stored = await t.db.query<{ result: unknown }>(
      'SELECT result FROM delegated_request WHERE id = $1',
      [housingId],
    );
    expect(JSON.stringify(stored.rows[0]?.result)).not.toContain('孝昌农商银行');
  });

  it('gives a medical-subsidy request the deposits but no property', async () => {
    const id = (await fileRequest(w.medical, delegatedBody(w, 'medicalAssistance'))).id;
    await complete(w.verify, id);
    const response = await w.medical.request('GET', `/api/verification/delegated/${id}/result`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.body).toContain('孝昌农商银行');
    expect(response.body).not.toContain('realEstate');
    expect(response.body).not.toContain('花园镇建设路12号');
  });

  it("hides one department's requests from another: 404, not in the list, no log", async () => {
    for (const path of ['', '/result', '/access'])
      expect(
        (await w.medical.request('GET', `/api/verification/delegated/${housingId}${path}`)).statusCode,
      ).toBe(404);
    const list = (await w.medical.request('GET', '/api/verification/delegated')).json();
    expect(list.map((r: { id: string }) => r.id)).not.toContain(housingId);
    expect(list.every((r: { department: string }) => r.department === 'medicalSecurity')).toBe(true);
    const centre = (await w.verify.request('GET', '/api/verification/delegated')).json();
    expect(centre.map((r: { id: string }) => r.id)).toContain(housingId);
    // Only the centre decides; only a department files.
    const other = await fileRequest(w.housing, delegatedBody(w, 'publicRentalHousing'));
    expect(
      (await w.housing.request('POST', `/api/verification/delegated/${other.id}/complete`, {})).statusCode,
    ).toBe(403);
    const byCentre = await w.verify.request(
      'POST',
      '/api/verification/delegated',
      delegatedBody(w, 'studentAid'),
      {
        headers: { 'idempotency-key': newKey() },
      },
    );
    expect(byCentre.statusCode).toBe(403);
  });

  it('logs every view of the result, visible to the requesting department and the centre', async () => {
    const before = (await w.housing.request('GET', `/api/verification/delegated/${housingId}/access`)).json();
    await w.housing.request('GET', `/api/verification/delegated/${housingId}/result`);
    await w.verify.request('GET', `/api/verification/delegated/${housingId}/result`);
    const after = (await w.housing.request('GET', `/api/verification/delegated/${housingId}/access`)).json();
    expect(after.length).toBe(before.length + 2);
    expect(
      after.slice(0, 2).map((a: { action: string; actorRole: string }) => [a.action, a.actorRole]),
    ).toEqual([
      ['view', 'verificationCentre'],
      ['view', 'departmentOfficer'],
    ]);
    expect(after.some((a: { action: string }) => a.action === 'complete')).toBe(true);
    const centreLog = (
      await w.verify.request('GET', `/api/verification/delegated/${housingId}/access`)
    ).json();
    expect(centreLog).toHaveLength(after.length);
    const audit = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'verification.delegated.view' AND entity_id = $1",
      [housingId],
    );
    expect(audit.rows[0]?.n).toBe(after.filter((a: { action: string }) => a.action === 'view').length);
  });

  it('refuses the result once it has expired (410), and says so in the request', async () => {
    const id = (await fileRequest(w.housing, delegatedBody(w, 'publicRentalHousing'))).id;
    await complete(w.verify, id);
    expect((await w.housing.request('GET', `/api/verification/delegated/${id}/result`)).statusCode).toBe(200);
    await t.db.query('UPDATE delegated_request SET expires_on = current_date - 2 WHERE id = $1', [id]);
    const expired = await w.housing.request('GET', `/api/verification/delegated/${id}/result`);
    expect(expired.statusCode).toBe(410);
    expect(expired.json().code).toBe('RESULT_EXPIRED');
    expect((await w.housing.request('GET', `/api/verification/delegated/${id}`)).json().expired).toBe(true);
  });

  it('refuses with a reason; a decided request cannot be decided again', async () => {
    const id = (await fileRequest(w.housing, delegatedBody(w, 'publicRentalHousing'))).id;
    expect(
      (await w.verify.request('POST', `/api/verification/delegated/${id}/refuse`, { reason: '  ' }))
        .statusCode,
    ).toBe(400);
    const refused = await w.verify.request('POST', `/api/verification/delegated/${id}/refuse`, {
      reason: '授权书签字与申请人不符',
    });
    expect(refused.json()).toMatchObject({ status: 'refused', refusalReason: '授权书签字与申请人不符' });
    expect(
      (await w.verify.request('POST', `/api/verification/delegated/${id}/complete`, {})).statusCode,
    ).toBe(409);
    expect((await w.housing.request('GET', `/api/verification/delegated/${id}/result`)).statusCode).toBe(409);
  });

  it('files once per idempotency key: a retry returns the first, a changed body is a 409', async () => {
    const key = newKey();
    const body = delegatedBody(w, 'publicRentalHousing', { note: '重试测试' });
    const first = await fileRequest(w.housing, body, key);
    const again = await fileRequest(w.housing, body, key);
    expect(again).toMatchObject({ id: first.id, replayed: true });
    const rows = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM delegated_request WHERE note = '重试测试'",
    );
    expect(rows.rows[0]?.n).toBe(1);
    const changed = await w.housing.request(
      'POST',
      '/api/verification/delegated',
      { ...body, note: '别的' },
      {
        headers: { 'idempotency-key': key },
      },
    );
    expect(changed.statusCode).toBe(409);
    expect((await w.housing.request('POST', '/api/verification/delegated', body)).statusCode).toBe(400);
  });

  it('turns hostile input away with a named field', async () => {
    const cases: [Record<string, unknown>, string | RegExp][] = [
      [{ purpose: 'x'.repeat(5000) }, /purpose/],
      [{ purpose: "publicRentalHousing'; DROP TABLE delegated_request;--" }, 'purpose'],
      [{ purpose: 'studentAid' }, 'purpose'], // not open to housing
      [{ note: '长'.repeat(501) }, 'note'],
      [
        { subjects: [{ ...w.head, idNumber: '420921196003051234', relationship: 'applicant' }] },
        'subjects.0.idNumber',
      ],
      [
        { subjects: [{ ...w.head, idNumber: "1' OR '1'='1", relationship: 'applicant' }] },
        'subjects.0.idNumber',
      ],
      [{ subjects: [{ ...w.head, relationship: 'spouse' }] }, 'subjects'],
      [
        { subjects: Array.from({ length: 11 }, () => ({ ...w.head, relationship: 'applicant' })) },
        /subjects/,
      ],
      [{ subjects: [{ ...w.head, name: 'a\u0000b', relationship: 'applicant' }] }, 'subjects.0.name'],
      [{ authorisation: { reference: '', signedOn: signedOn() } }, 'authorisation.reference'],
      [{ authorisation: { reference: 'A1', signedOn: '2099-01-01' } }, 'authorisation.signedOn'],
      [{ authorisation: { reference: 'A1', signedOn: '2025-02-30' } }, 'authorisation.signedOn'],
      [
        {
          authorisation: {
            reference: 'A1',
            signedOn: signedOn(),
            fileBase64: Buffer.from('MZ\x90\x00exe').toString('base64'),
          },
        },
        'authorisation.fileBase64',
      ],
      [{ authorisation: undefined }, /authorisation/],
      [{ extra: 1 }, /.*/],
    ];
    for (const [patch, field] of cases) {
      const body = { ...delegatedBody(w, 'publicRentalHousing'), ...patch };
      const response = await w.housing.request('POST', '/api/verification/delegated', body, {
        headers: { 'idempotency-key': newKey() },
      });
      expect(response.statusCode, `${JSON.stringify(patch).slice(0, 80)} ${response.body}`).toBe(400);
      const error = response.json();
      if (typeof field === 'string') expect(error.field).toBe(field);
      else expect(`${error.field ?? ''} ${error.message}`).toMatch(field);
    }
    const bad = await w.verify.request('POST', '/api/verification/delegated/not-a-uuid/complete', {});
    expect(bad.statusCode).toBe(400);
    const pdf = Buffer.from('%PDF-1.4\n%âãÏÓ\n').toString('base64');
    const withFile = delegatedBody(w, 'publicRentalHousing', {
      authorisation: { reference: 'SQ-9', signedOn: signedOn(), fileBase64: pdf },
    });
    expect((await fileRequest(w.housing, withFile)).status).toBe('requested');
  });
});
