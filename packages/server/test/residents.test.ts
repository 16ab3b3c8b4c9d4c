/**
 * Residents online (issue 6 item 1): phone sign-in with one-time codes (brute force, expiry, reuse,
 * enumeration, rate limits, hostile input), linking to the registered person, the portal, and the
 * rule that a resident applies only for their own household.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { cipherFor } from '../src/domains/registry/personalData.crypto.ts';
import { OtpHasher } from '../src/domains/residents/otp.ts';
import { requestCode, verifyCode } from '../src/domains/residents/residentLogin.service.ts';
import { createIntakeApp, type IntakeTestApp, submit } from './intakeFactories.ts';
import { freshPhone, householdWithHead, lastCode, residentSignIn, useSmsFile } from './residentsFactories.ts';
import { TestClient } from './testApp.ts';

describe('residents: phone sign-in, portal, own household only', () => {
  let t: IntakeTestApp;
  let sms: string;

  beforeAll(async () => {
    sms = useSmsFile();
    t = await createIntakeApp('2026-03-02');
  }, 180_000);
  afterAll(() => t?.drop());

  const post = (c: TestClient, url: string, body: unknown) => c.request('POST', url, body);

  it('answers a code request the same for a registered and an unknown phone', async () => {
    const known = freshPhone();
    await householdWithHead(t, known);
    const unknown = freshPhone();
    const a = await post(new TestClient(t.app), '/api/resident/sign-in/code', { phone: known });
    const b = await post(new TestClient(t.app), '/api/resident/sign-in/code', { phone: unknown });
    expect(a.statusCode).toBe(200);
    expect(b.statusCode).toBe(200);
    expect(a.json()).toEqual(b.json());
    expect(a.json()).toEqual({ sent: true, expiresInSeconds: 300, resendAfterSeconds: 60 });
    // Both got a code; neither the code nor its hash is stored in clear.
    expect(lastCode(sms, known)).toMatch(/^\d{6}$/);
    expect(lastCode(sms, unknown)).toMatch(/^\d{6}$/);
    const stored = await t.db.query<{ code_hash: Uint8Array }>(
      'SELECT code_hash FROM resident_otp_challenge',
    );
    for (const row of stored.rows)
      expect(Buffer.from(row.code_hash).toString()).not.toContain(lastCode(sms, known));
    // An unknown phone with the right code learns only that it must give an ID number, and an ID
    // number that does not match gives the same answer as one for a phone nobody registered.
    const c = new TestClient(t.app);
    const step = await post(c, '/api/resident/sign-in', { phone: unknown, code: lastCode(sms, unknown) });
    expect(step.json()).toEqual({ status: 'needsIdNumber' });
    const wrong = await post(c, '/api/resident/sign-in', {
      phone: unknown,
      code: lastCode(sms, unknown),
      idNumber: '11010519491231002X',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe('IDENTITY_NOT_MATCHED');
  });

  it('refuses a second code within a minute for the same phone', async () => {
    const phone = freshPhone();
    const c = new TestClient(t.app);
    expect((await post(c, '/api/resident/sign-in/code', { phone })).statusCode).toBe(200);
    const again = await post(c, '/api/resident/sign-in/code', { phone });
    expect(again.statusCode).toBe(429);
    expect(again.json().message).toContain('60秒');
  });

  it('stops brute force: five wrong codes end the code, even the right one afterwards', async () => {
    const phone = freshPhone();
    const { idNumber } = await householdWithHead(t, phone);
    const c = new TestClient(t.app);
    await post(c, '/api/resident/sign-in/code', { phone });
    const right = lastCode(sms, phone);
    const wrongCode = right === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const r = await post(c, '/api/resident/sign-in', { phone, code: wrongCode, idNumber });
      expect(r.statusCode).toBe(400);
      expect(r.json().code).toBe('OTP_INVALID');
    }
    const late = await post(c, '/api/resident/sign-in', { phone, code: right, idNumber });
    expect(late.statusCode).toBe(429);
    expect(c.cookies.has('doudi_session')).toBe(false);
  });

  it('refuses an expired code and a code used once already', async () => {
    const phone = freshPhone();
    const { idNumber } = await householdWithHead(t, phone);
    const c = new TestClient(t.app);
    await post(c, '/api/resident/sign-in/code', { phone });
    await t.db.query(`UPDATE resident_otp_challenge SET expires_at = now() - interval '1 second'`);
    const expired = await post(c, '/api/resident/sign-in', { phone, code: lastCode(sms, phone), idNumber });
    expect(expired.statusCode).toBe(400);
    expect(expired.json().code).toBe('OTP_INVALID');

    await t.db.query(`UPDATE resident_otp_challenge SET created_at = now() - interval '2 minutes'`);
    const resident = await residentSignIn(t, sms, phone, idNumber);
    expect(resident.cookies.has('doudi_session')).toBe(true);
    const reused = await post(new TestClient(t.app), '/api/resident/sign-in', {
      phone,
      code: lastCode(sms, phone),
    });
    expect(reused.statusCode).toBe(400);
    expect(reused.json().code).toBe('OTP_INVALID');
  });

  it('links on first sign-in, then signs in with the code alone; the portal shows my household', async () => {
    const phone = freshPhone();
    const { householdId, idNumber } = await householdWithHead(t, phone);
    const first = new TestClient(t.app);
    await post(first, '/api/resident/sign-in/code', { phone });
    const noId = await post(first, '/api/resident/sign-in', { phone, code: lastCode(sms, phone) });
    expect(noId.json()).toEqual({ status: 'needsIdNumber' });
    const linked = await post(first, '/api/resident/sign-in', {
      phone,
      code: lastCode(sms, phone),
      idNumber: idNumber.toLowerCase(),
    });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json()).toMatchObject({
      status: 'signedIn',
      account: { role: 'resident', displayName: '王德福' },
    });

    const portal = await first.request('GET', '/api/resident/portal');
    expect(portal.statusCode, portal.body).toBe(200);
    const body = portal.json();
    expect(body.linked).toBe(true);
    expect(body.household.id).toBe(householdId);
    // Masked by default: no full ID number anywhere in the portal.
    expect(portal.body).not.toContain(idNumber);
    expect(body.household.members.find((m: { me: boolean }) => m.me).idNumberMasked).toMatch(/\*/);

    await t.db.query(`UPDATE resident_otp_challenge SET created_at = now() - interval '2 minutes'`);
    const again = new TestClient(t.app);
    await post(again, '/api/resident/sign-in/code', { phone });
    const second = await post(again, '/api/resident/sign-in', { phone, code: lastCode(sms, phone) });
    expect(second.json().status).toBe('signedIn');
    const audit = await t.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE action IN ('resident.linked', 'resident.otpFailed', 'resident.linkFailed')`,
    );
    expect(audit.rows.map((r) => r.action)).toContain('resident.linked');
  });

  it('lets a resident apply online for their own household only, and shows the progress', async () => {
    const phone = freshPhone();
    const { householdId, idNumber } = await householdWithHead(t, phone);
    const resident = await residentSignIn(t, sms, phone, idNumber);
    const own = await submit(resident, { householdId, channel: 'online', items: [{ policyId: 'dibao' }] });
    expect(own.statusCode, own.body).toBe(200);
    // Another household of the same village: refused (row-level security alone would allow it).
    const other = await submit(resident, {
      householdId: t.huayuanHousehold,
      channel: 'online',
      items: [{ policyId: 'dibao' }],
    });
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ code: 'NOT_OWN_HOUSEHOLD', field: 'householdId' });
    // A resident account not linked to a registered person cannot apply at all.
    const unlinked = await t.login('resident');
    const refused = await submit(unlinked, {
      householdId,
      channel: 'online',
      items: [{ policyId: 'dibao' }],
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('RESIDENT_NOT_LINKED');
    expect((await unlinked.request('GET', '/api/resident/portal')).json()).toMatchObject({ linked: false });

    const portal = (await resident.request('GET', '/api/resident/portal')).json();
    expect(portal.applications).toHaveLength(1);
    const c = portal.applications[0].cases[0];
    expect(c).toMatchObject({
      policyId: 'dibao',
      status: 'open',
      currentStep: { name: '受理', dueOn: '2026-03-05' },
    });
    expect(c.steps[0]).toMatchObject({ id: 'intake', state: 'current' });
    // Community appraisal happens only on objection: not shown as a step ahead.
    expect(c.steps.map((s: { id: string }) => s.id)).not.toContain('communityAppraisal');
    expect(c.currentStep.missingDocuments.length).toBeGreaterThan(0);
    // Staff pages stay closed to residents.
    expect((await resident.request('GET', '/api/intake/cases')).statusCode).toBe(403);
  });

  it('limits codes per phone per hour and per client address per hour, and wrong codes per phone', async () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    const sent: string[] = [];
    const deps = {
      db: t.db,
      config,
      cipher: cipherFor(config.dataKey),
      hasher: new OtpHasher(config.dataKey),
      sender: { channel: 'test', send: async (m: { code: string }) => void sent.push(m.code) },
    };
    const ask = (phone: string, clientIp: string) =>
      requestCode(deps, { phone, clientIp, requestId: 'test-limits' });
    const backdate = () =>
      t.db.query(`UPDATE resident_otp_challenge SET created_at = created_at - interval '61 seconds'`);
    // Per phone: five an hour, even a minute apart.
    const phone = freshPhone();
    for (let i = 0; i < 5; i++) {
      await ask(phone, '10.0.0.1');
      await backdate();
    }
    await expect(ask(phone, '10.0.0.1')).rejects.toMatchObject({ statusCode: 429 });
    // Per client address: twenty an hour, whatever the phones.
    for (let i = 0; i < 20; i++) await ask(freshPhone(), '10.0.0.2');
    await expect(ask(freshPhone(), '10.0.0.2')).rejects.toMatchObject({ statusCode: 429 });
    // Wrong codes per phone across new codes: ten an hour, then even a fresh right code is refused.
    const target = freshPhone();
    const { idNumber } = await householdWithHead(t, target);
    const wrong = {
      phone: target,
      code: '000000',
      idNumber,
      clientIp: '10.0.0.3',
      userAgent: 't',
      requestId: 'x',
    };
    for (let round = 0; round < 2; round++) {
      await ask(target, '10.0.0.3');
      await backdate();
      for (let i = 0; i < 5; i++) await verifyCode(deps, wrong).catch(() => undefined);
    }
    await ask(target, '10.0.0.3');
    await expect(verifyCode(deps, { ...wrong, code: sent.at(-1) as string })).rejects.toMatchObject({
      statusCode: 429,
    });
  });

  it('rejects malformed and hostile input with Chinese messages', async () => {
    const c = new TestClient(t.app);
    const cases: [string, unknown, number][] = [
      ['/api/resident/sign-in/code', { phone: 'abc' }, 400],
      ['/api/resident/sign-in/code', { phone: '1'.repeat(21) }, 400],
      ['/api/resident/sign-in/code', { phone: "13800000000' OR 1=1 --" }, 400],
      ['/api/resident/sign-in/code', { phone: '13800000000', extra: 1 }, 400],
      ['/api/resident/sign-in/code', {}, 400],
      ['/api/resident/sign-in', { phone: '13800000000', code: 'abcdef' }, 400],
      ['/api/resident/sign-in', { phone: '13800000000', code: '1234567' }, 400],
      ['/api/resident/sign-in', { phone: '13800000000', code: '123456', idNumber: "1' OR '1'='1" }, 400],
      ['/api/resident/sign-in', { phone: '13800000000', code: '123456', idNumber: 'x'.repeat(31) }, 400],
    ];
    for (const [url, body, status] of cases) {
      const r = await post(c, url, body);
      expect(r.statusCode, `${url} ${JSON.stringify(body)}`).toBe(status);
      expect(r.json().message).toMatch(/[\u4e00-\u9fff]/);
    }
    const noCsrf = await c.request(
      'POST',
      '/api/resident/sign-in/code',
      { phone: '13800000000' },
      { csrf: false },
    );
    expect(noCsrf.statusCode).toBe(403);
    expect((await c.request('GET', '/api/resident/portal')).statusCode).toBe(401);
  });
});
