import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPeople, TEST_PASSWORD } from './factories.ts';
import { createTestApp, type TestApp } from './testApp.ts';

describe('signing in and sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ lockoutThreshold: 3, lockoutMinutes: 15, loginRateLimit: 1000 });
    await seedPeople(t.db);
  });
  afterAll(() => t.drop());

  it('logs in with the right password, sets an httpOnly SameSite=Strict cookie, and knows who you are', async () => {
    const client = t.client();
    const response = await client.login('huayuan', TEST_PASSWORD);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ username: 'huayuan', role: 'caseworker', regionName: '花园镇' });
    const cookie = response.cookies.find((c) => c.name === 'doudi_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const account = await client.request('GET', '/api/account');
    expect(account.json().permissions).toContain('user.read');
    expect(account.json()).not.toHaveProperty('passwordHash');
  });

  it('refuses a wrong password with one message that does not say whether the user exists', async () => {
    const wrong = await t.client().login('huayuan', 'not-the-password-1');
    const unknown = await t.client().login('nobody-here', 'not-the-password-1');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({
      code: 'BAD_CREDENTIALS',
      message: '用户名或密码错误',
      field: 'password',
    });
    expect(unknown.json().message).toBe(wrong.json().message);
  });

  it('locks an account after repeated failures, even against the right password, and records it', async () => {
    const client = t.client();
    for (let i = 0; i < 3; i++)
      expect((await client.login('fengshan', `wrong-password-${i}`)).statusCode).toBe(401);
    const locked = await client.login('fengshan', TEST_PASSWORD);
    expect(locked.statusCode).toBe(423);
    expect(locked.json()).toMatchObject({ code: 'ACCOUNT_LOCKED' });
    expect(locked.json().message).toMatch(/账户已锁定，请 1[45] 分钟后再试/);
    const actions = (
      await t.db.query<{ action: string }>(
        `SELECT action FROM audit_log WHERE entity_type = 'user' ORDER BY seq`,
      )
    ).rows.map((r) => r.action);
    expect(actions).toContain('auth.locked');
    // The administrator unlocks it.
    const admin = t.client();
    await admin.login('admin', TEST_PASSWORD);
    const user = (await admin.request('GET', '/api/users?search=fengshan')).json().items[0];
    expect(user.locked).toBe(true);
    expect((await admin.request('PATCH', `/api/users/${user.id}`, { unlock: true })).json().locked).toBe(
      false,
    );
    expect((await client.login('fengshan', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('rejects a forged session cookie and a malformed one', async () => {
    for (const value of [
      'A'.repeat(43),
      'not a token',
      `${'x'.repeat(5000)}`,
      "'; DROP TABLE app_session;--",
    ]) {
      const client = t.client();
      client.cookies.set('doudi_session', encodeURIComponent(value));
      const response = await client.request('GET', '/api/account');
      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe('UNAUTHENTICATED');
    }
  });

  it('an expired session is refused with its own message and removed', async () => {
    const client = t.client();
    await client.login('resident', TEST_PASSWORD);
    await t.db.query(`UPDATE app_session SET expires_at = now() - interval '1 minute'`);
    const response = await client.request('GET', '/api/account');
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'SESSION_EXPIRED', message: '登录已过期，请重新登录' });
    expect((await client.request('GET', '/api/account')).json().code).toBe('UNAUTHENTICATED');
  });

  it('an idle session expires too', async () => {
    const client = t.client();
    await client.login('resident', TEST_PASSWORD);
    await t.db.query(`UPDATE app_session SET last_seen_at = now() - interval '3 hours'`);
    expect((await client.request('GET', '/api/account')).json().code).toBe('SESSION_EXPIRED');
  });

  it('refuses every change without the CSRF token, or with a token of another client', async () => {
    const client = t.client();
    await client.login('huayuan', TEST_PASSWORD);
    const missing = await client.request(
      'POST',
      '/api/account/password',
      { currentPassword: TEST_PASSWORD, newPassword: 'Another-pass-99' },
      { csrf: false },
    );
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toMatchObject({ code: 'CSRF_INVALID', message: '页面已过期，请刷新后重试' });
    const other = t.client();
    await other.request('GET', '/api/auth/csrf').then((r) => {
      other.csrfToken = r.json().token;
    });
    const foreign = await client.request(
      'POST',
      '/api/auth/logout',
      {},
      { csrf: false, headers: { 'x-csrf-token': other.csrfToken ?? '' } },
    );
    expect(foreign.statusCode).toBe(403);
    const login = await t
      .client()
      .request('POST', '/api/auth/login', { username: 'huayuan', password: TEST_PASSWORD }, { csrf: false });
    expect(login.statusCode).toBe(403);
  });

  it('logout ends the session on the server, not only the cookie', async () => {
    const client = t.client();
    await client.login('huayuan', TEST_PASSWORD);
    const stolen = client.cookies.get('doudi_session') as string;
    expect((await client.request('POST', '/api/auth/logout', {})).json()).toEqual({ ok: true });
    const replay = t.client();
    replay.cookies.set('doudi_session', stolen);
    expect((await replay.request('GET', '/api/account')).statusCode).toBe(401);
  });

  it('changes a password: checks the current one and strength, then ends other sessions', async () => {
    const phone = t.client();
    await phone.login('auditor', TEST_PASSWORD);
    const desk = t.client();
    await desk.login('auditor', TEST_PASSWORD);
    const wrong = await desk.request('POST', '/api/account/password', {
      currentPassword: 'nope-nope-1',
      newPassword: 'Brand-new-pass-7',
    });
    expect(wrong.json()).toMatchObject({
      code: 'BAD_CREDENTIALS',
      field: 'currentPassword',
      message: '当前密码不正确',
    });
    const weak = await desk.request('POST', '/api/account/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'short',
    });
    expect(weak.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'newPassword',
      message: '密码至少需要10个字符',
    });
    const ok = await desk.request('POST', '/api/account/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'Brand-new-pass-7',
    });
    expect(ok.json()).toEqual({ otherSessionsEnded: 1 });
    expect((await phone.request('GET', '/api/account')).statusCode).toBe(401);
    expect((await desk.request('GET', '/api/account')).statusCode).toBe(200);
    expect((await t.client().login('auditor', 'Brand-new-pass-7')).statusCode).toBe(200);
  });
});

describe('login rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ loginRateLimit: 3 });
    await seedPeople(t.db);
  });
  afterAll(() => t.drop());

  it('answers 429 with a Chinese message once a client tries too often', async () => {
    const client = t.client();
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await client.login('nobody', 'whatever-123')).statusCode);
    expect(codes).toEqual([401, 401, 401, 429, 429]);
    const limited = await client.login('nobody', 'whatever-123');
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED', message: '操作过于频繁，请稍后再试' });
  });
});
