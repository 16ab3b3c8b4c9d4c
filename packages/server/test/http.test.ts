import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATED_DIR, generateOpenApi } from '../src/openapi.ts';
import { seedPeople, TEST_PASSWORD } from './factories.ts';
import { createTestApp, type TestApp } from './testApp.ts';

/** The newest migration's number, so that these checks follow the schema as migrations are added. */
const LATEST_MIGRATION = Math.max(
  ...readdirSync(path.resolve(import.meta.dirname, '../src/db/migrations'))
    .map((file) => Number.parseInt(file, 10))
    .filter(Number.isFinite),
);

describe('HTTP behaviour shared by every route', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ bodyLimit: 64 * 1024 });
    await seedPeople(t.db);
  });
  afterAll(() => t.drop());

  it('answers /healthz and /readyz with the engine and schema version', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = (await t.app.inject('/readyz')).json();
    expect(ready).toMatchObject({ status: 'ready', schemaVersion: LATEST_MIGRATION });
    expect(['pglite', 'postgres']).toContain(ready.database);
  });

  it('tells the sign-in page whether demo accounts exist', async () => {
    expect((await t.app.inject('/api/meta')).json()).toEqual({ version: '0.1.0', demo: true });
  });

  it('returns the caller’s request id, or makes one, on every response and error', async () => {
    const given = await t.app.inject({ url: '/api/account', headers: { 'x-request-id': 'trace-12345678' } });
    expect(given.headers['x-request-id']).toBe('trace-12345678');
    expect(given.json()).toMatchObject({ code: 'UNAUTHENTICATED', requestId: 'trace-12345678' });
    const hostile = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': '<script>' } });
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses an oversized body with 413 and a Chinese message', async () => {
    const client = t.client();
    const response = await client.request('POST', '/api/auth/login', {
      username: 'a',
      password: 'x'.repeat(70 * 1024),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: '提交的内容过大' });
  });

  it('refuses malformed JSON and a wrong content type', async () => {
    const client = t.client();
    const malformed = await client.request('POST', '/api/auth/login', '{"username": "a", ');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'MALFORMED_BODY' });
    const wrongType = await client.request('POST', '/api/auth/login', 'username=a', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(wrongType.statusCode).toBe(415);
  });

  it('names the missing field in a validation error', async () => {
    const response = await t.client().request('POST', '/api/auth/login', { username: 'huayuan' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'password',
      message: '缺少必填项：password',
    });
  });

  it('treats hostile strings in paths and queries as data', async () => {
    const client = t.client();
    await client.login('admin', TEST_PASSWORD);
    for (const value of ["1' OR '1'='1", '../../etc/passwd', '%00', '<svg onload=alert(1)>']) {
      const response = await client.request('GET', `/api/users/${encodeURIComponent(value)}`);
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('VALIDATION_FAILED');
    }
    const search = await client.request('GET', `/api/users?search=${encodeURIComponent("' OR 1=1; --")}`);
    expect(search.json().total).toBe(0);
  });

  it('refuses numbers that are not finite, from the query string and from a JSON body', async () => {
    const client = t.client();
    await client.login('admin', TEST_PASSWORD);
    for (const value of ['Infinity', '-Infinity', '1e400']) {
      const response = await client.request('GET', `/api/users?page=${value}`);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'page' });
    }
    // JSON.parse reads 1e400 as Infinity: the body is refused by name, and nothing is changed.
    const body = await t.app.inject({
      method: 'PATCH',
      url: '/api/households/00000000-0000-4000-8000-000000000000',
      headers: {
        'content-type': 'application/json',
        cookie: client.cookieHeader(),
        'x-csrf-token': (await client.request('GET', '/api/auth/csrf')).json().token,
      },
      payload: '{"version": 1e400}',
    });
    expect(body.statusCode).toBe(400);
    expect(body.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await client.request('GET', '/api/users?page=2')).statusCode).toBe(200);
  });

  it('unknown API routes get the JSON error shape', async () => {
    const response = await t.app.inject('/api/nothing-here');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'NOT_FOUND', message: '您访问的接口不存在' });
  });

  it('sends security headers', async () => {
    const response = await t.app.inject('/healthz');
    expect(response.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves the OpenAPI document at /docs, and the web client types are up to date with it', async () => {
    const document = (await t.app.inject('/docs/json')).json();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/auth/login', '/api/users/{id}', '/api/regions/{code}']),
    );
    expect((await t.app.inject('/docs/')).statusCode).toBe(200);
    const { types } = await generateOpenApi();
    const committed = await readFile(path.join(GENERATED_DIR, 'schema.ts'), 'utf8');
    expect(committed, 'run `npm run gen:api` and commit the result').toBe(types);
  });
});

describe('graceful shutdown', () => {
  it('lets an in-flight request finish, then refuses new ones', async () => {
    const t = await createTestApp();
    const { buildApp } = await import('../src/app.ts');
    const app = await buildApp(t.db, t.config);
    app.get('/slow', async () => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      return { finished: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const inFlight = fetch(`http://127.0.0.1:${port}/slow`).then((r) => r.json());
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = app.close();
    expect(await inFlight).toEqual({ finished: true });
    await closing;
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    await t.drop();
  });
});
