/**
 * After-death estate inquiry (身后一件事): one combined report for the deceased across every source as
 * of the date of death, printable; refused without a death record, and refused when the requester
 * is not recorded as kin unless a notarised document is referenced. Idempotent; every reading logged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newKey, signedOn } from './delegatedFactories.ts';
import { idFor } from './registryFactories.ts';
import { upload } from './sourcesFactories.ts';
import { createTestApp, type TestApp } from './testApp.ts';
import { seedVerification, sourceCsv, type VerificationWorld } from './verificationFactories.ts';

describe('after-death estate inquiry (身后一件事)', () => {
  let t: TestApp;
  let w: VerificationWorld;
  const DEATH = '2025-07-05';

  const body = (extra: Record<string, unknown> = {}) => ({
    deceased: { ...w.head },
    deathCertificate: '鄂孝昌医证字2025-001',
    heir: { ...w.spouse, relationship: 'spouse' },
    authorisation: { reference: 'JC-2025-01', signedOn: signedOn() },
    ...extra,
  });
  const file = (payload: unknown, key = newKey()) =>
    w.verify.request('POST', '/api/verification/estate', payload, { headers: { 'idempotency-key': key } });

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedVerification(t);
    const csv = sourceCsv('death', [
      { recordId: 'DEATH-1', ...w.head, deathDate: DEATH, cause: '疾病', cremated: '是' },
    ]);
    const response = await upload(t, w.verify, 'death', csv, { asOf: '2025-07-10' });
    expect(response.statusCode, response.body).toBe(200);
    // A housing fund account loaded after the death: still reported, marked with its date.
    const fund = sourceCsv('providentFund', [
      {
        recordId: 'HF-1',
        ...w.head,
        employerName: '孝感某厂',
        monthlyDepositFen: '300',
        balanceFen: '45678.9',
      },
    ]);
    expect((await upload(t, w.verify, 'providentFund', fund, { asOf: '2025-07-31' })).statusCode).toBe(200);
  }, 300_000);
  afterAll(() => t.drop());

  it('issues one report combining every source for the deceased as of the date of death', async () => {
    const filed = await file(body());
    expect(filed.statusCode, filed.body).toBe(200);
    expect(filed.json()).toMatchObject({
      status: 'issued',
      deceased: { name: w.head.name, deathDate: DEATH },
      heir: { relationship: 'spouse', kinshipBasis: 'household' },
    });
    expect(filed.body).not.toContain(w.head.idNumber);
    const response = await w.verify.request('GET', `/api/verification/estate/${filed.json().id}`);
    expect(response.statusCode, response.body).toBe(200);
    const { report } = response.json();
    expect(report.asOf).toBe(DEATH);
    const section = (key: string) => report.sections.find((s: { key: string }) => s.key === key);
    expect(section('deposits').total).toBe(10_000_000);
    expect(section('deposits').items[0].fields.map((f: { text: string }) => f.text)).toContain(
      '孝昌农商银行',
    );
    // Both languages side by side: the English page shows no Chinese label or amount.
    const balance = section('deposits').items[0].fields.find(
      (f: { name: string }) => f.name === 'balanceFen',
    );
    expect(balance).toMatchObject({ label: '余额', labelEn: 'Balance', text: '10万元', textEn: '¥100,000' });
    expect(section('property').items).toHaveLength(2);
    expect(section('vehicles').items).toHaveLength(1); // the disability vehicle is still the estate's
    expect(
      section('business').items[0].fields.some((f: { text: string }) => f.text.includes('建国商贸')),
    ).toBe(true);
    expect(section('pensions').items).toHaveLength(1);
    expect(section('housingFund')).toMatchObject({ total: 4_567_890 });
    expect(section('housingFund').items[0]).toMatchObject({ afterDeath: true, validFrom: '2025-07-31' });
    // Never loaded: unknown, not "nothing found".
    expect(section('securities').sources[0].lastAsOf).toBeNull();
    // The spouse's shop and the son's bank account are theirs, not the deceased's.
    expect(response.body).not.toContain('花园镇商业街1号');
    expect(response.body).not.toContain('工商银行');
    expect(response.body).not.toContain(w.head.idNumber);
    const pdf = await w.verify.request('GET', `/api/verification/estate/${filed.json().id}/report.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const log = (await w.verify.request('GET', `/api/verification/estate/${filed.json().id}/access`)).json();
    expect(log.map((a: { action: string }) => a.action)).toEqual(['print', 'view', 'issue']);
  });

  it('refuses without a death record, and says why', async () => {
    const response = await file(
      body({ deceased: { ...w.spouse }, heir: { ...w.head, relationship: 'spouse' } }),
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().status).toBe('refused');
    expect(response.json().refusalReason).toContain('没有该人员的死亡记录');
    expect(response.json().refusalReasonEn).toMatch(/^No death of this person is on record/);
    const read = (await w.verify.request('GET', `/api/verification/estate/${response.json().id}`)).json();
    expect(read.report).toBeNull();
    expect(
      (await w.verify.request('GET', `/api/verification/estate/${response.json().id}/report.pdf`)).statusCode,
    ).toBe(409);
  });

  it('refuses a requester not recorded as kin unless a notarised document is referenced', async () => {
    const stranger = { name: '王某', idNumber: idFor('1975-02-03', 'male') };
    const refused = await file(body({ heir: { ...stranger, relationship: 'child' } }));
    expect(refused.json()).toMatchObject({ status: 'refused', heir: { kinshipBasis: null } });
    expect(refused.json().refusalReason).toContain('公证书');
    const notarised = await file(
      body({ heir: { ...stranger, relationship: 'child' }, notarisedReference: '(2025)鄂孝昌证字第88号' }),
    );
    expect(notarised.json()).toMatchObject({ status: 'issued', heir: { kinshipBasis: 'notarised' } });
    // An administrator always needs the document, even from the same household.
    const admin = await file(body({ heir: { ...w.spouse, relationship: 'administrator' } }));
    expect(admin.json().status).toBe('refused');
  });

  it('files once per idempotency key and keeps the estate inquiry from departments', async () => {
    const key = newKey();
    const first = (await file(body(), key)).json();
    const again = (await file(body(), key)).json();
    expect(again).toMatchObject({ id: first.id, replayed: true });
    expect((await file(body({ deathCertificate: 'X' }), key)).statusCode).toBe(409);
    expect((await w.county.request('GET', `/api/verification/estate/${first.id}`)).statusCode).toBe(403);
    const hostile: [Record<string, unknown>, string][] = [
      [{ deceased: { ...w.head, idNumber: '42092119600305123X' } }, 'deceased.idNumber'],
      [{ heir: { ...w.head, relationship: 'spouse' } }, 'heir.idNumber'],
      [{ notarisedReference: '证'.repeat(101) }, 'notarisedReference'],
      [{ authorisation: { reference: 'A', signedOn: '2020-01-01' } }, 'authorisation.signedOn'],
    ];
    for (const [patch, field] of hostile) {
      const response = await file(body(patch));
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().field).toBe(field);
    }
    expect((await file({ ...body(), heir: { ...w.spouse, relationship: 'neighbour' } })).statusCode).toBe(
      400,
    );
  });
});
