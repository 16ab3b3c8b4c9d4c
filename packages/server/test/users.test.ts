import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regions, seedPeople, TEST_PASSWORD } from './factories.ts';
import { createTestApp, type TestApp, type TestClient } from './testApp.ts';

describe('users and region scope through the API', () => {
  let t: TestApp;
  let people: Awaited<ReturnType<typeof seedPeople>>;
  let admin: TestClient;
  let huayuan: TestClient;

  beforeAll(async () => {
    t = await createTestApp();
    people = await seedPeople(t.db);
    admin = t.client();
    await admin.login('admin', TEST_PASSWORD);
    huayuan = t.client();
    await huayuan.login('huayuan', TEST_PASSWORD);
  });
  afterAll(() => t.drop());

  it('a township caseworker lists only their own township', async () => {
    const response = await huayuan.request('GET', '/api/users');
    expect(
      response
        .json()
        .items.map((u: { username: string }) => u.username)
        .sort(),
    ).toEqual(['huayuan', 'resident']);
    expect(response.json().total).toBe(2);
  });

  it('a user of another township opened by id is not found (the database hides it)', async () => {
    const response = await huayuan.request('GET', `/api/users/${people.fengshan.id}`);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'NOT_FOUND', message: '用户不存在或不在您的管辖范围内' });
  });

  it('filtering by another township returns nothing rather than leaking', async () => {
    const response = await huayuan.request('GET', `/api/users?regionCode=${regions.fengshan}`);
    expect(response.json()).toMatchObject({ items: [], total: 0 });
  });

  it('only administrators manage users', async () => {
    const response = await huayuan.request('POST', '/api/users', {
      username: 'newbie',
      displayName: '新同事',
      role: 'caseworker',
      regionCode: regions.huayuan,
      password: 'Good-password-1',
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'FORBIDDEN', message: '您没有执行此操作的权限' });
    const resident = t.client();
    await resident.login('resident', TEST_PASSWORD);
    expect((await resident.request('GET', '/api/users')).statusCode).toBe(403);
  });

  it('stores SQL and HTML injection strings, rare characters and emoji literally', async () => {
    const displayName = `<script>alert(1)</script>'; DROP TABLE app_user;-- 𠮷㛃䶮 👵`;
    const created = await admin.request('POST', '/api/users', {
      username: 'literal.test',
      displayName,
      role: 'gridWorker',
      regionCode: regions.huayuanVillage,
      password: 'Good-password-1',
    });
    expect(created.statusCode).toBe(200);
    expect(created.json().displayName).toBe(displayName);
    expect(created.headers['content-type']).toMatch(/application\/json/);
    const listed = await admin.request('GET', `/api/users?search=${encodeURIComponent("'; DROP")}`);
    expect(listed.json().items.map((u: { displayName: string }) => u.displayName)).toEqual([displayName]);
    expect((await t.db.query('SELECT 1 FROM app_user')).rows.length).toBeGreaterThan(5);
  });

  it('refuses a duplicate username, an unknown region, a region outside scope, a weak password, unknown fields', async () => {
    const base = {
      displayName: '测试',
      role: 'caseworker',
      regionCode: regions.huayuan,
      password: 'Good-password-1',
    };
    const duplicate = await admin.request('POST', '/api/users', { ...base, username: 'huayuan' });
    expect(duplicate.json()).toMatchObject({ code: 'USERNAME_TAKEN', field: 'username' });
    const unknownRegion = await admin.request('POST', '/api/users', {
      ...base,
      username: 'user1',
      regionCode: '420921999000',
    });
    expect(unknownRegion.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'regionCode',
      message: '地区代码不存在',
    });
    const outside = await admin.request('POST', '/api/users', {
      ...base,
      username: 'user2',
      regionCode: '110105000000',
    });
    expect(outside.json()).toMatchObject({ code: 'OUT_OF_SCOPE' });
    const weak = await admin.request('POST', '/api/users', {
      ...base,
      username: 'user3',
      password: 'abcdefghijk',
    });
    expect(weak.json()).toMatchObject({ field: 'password', message: '密码必须同时包含字母和数字' });
    const extra = await admin.request('POST', '/api/users', { ...base, username: 'user4', isAdmin: true });
    expect(extra.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'isAdmin',
      message: '不允许的字段：isAdmin',
    });
    const badName = await admin.request('POST', '/api/users', { ...base, username: "x' OR '1'='1" });
    expect(badName.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'username',
      message: '用户名格式不正确',
    });
    const department = await admin.request('POST', '/api/users', {
      ...base,
      username: 'user5',
      role: 'departmentOfficer',
    });
    expect(department.json()).toMatchObject({ field: 'department' });
  });

  it('every user change is in the audit trail with before and after', async () => {
    const changed = await admin.request('PATCH', `/api/users/${people.resident.id}`, {
      displayName: '居民 黄大爷',
    });
    expect(changed.json().displayName).toBe('居民 黄大爷');
    const row = (
      await t.db.query<{
        before: { displayName: string };
        after: { displayName: string };
        actor_id: string;
        request_id: string;
      }>(
        `SELECT before, after, actor_id, request_id FROM audit_log WHERE action = 'user.update' ORDER BY seq DESC LIMIT 1`,
      )
    ).rows[0];
    expect(row?.before.displayName).toBe('resident');
    expect(row?.after.displayName).toBe('居民 黄大爷');
    expect(row?.actor_id).toBe((await admin.request('GET', '/api/account')).json().id);
    expect(row?.request_id).toBe(changed.headers['x-request-id']);
  });

  it('a retried create does not make a second account', async () => {
    const body = {
      username: 'retry.me',
      displayName: '重试',
      role: 'caseworker',
      regionCode: regions.huayuan,
      password: 'Good-password-1',
    };
    const [first, second] = await Promise.all([
      admin.request('POST', '/api/users', body),
      admin.request('POST', '/api/users', body),
    ]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([200, 409]);
    expect((await t.db.query(`SELECT 1 FROM app_user WHERE username = 'retry.me'`)).rows).toHaveLength(1);
  });
});
