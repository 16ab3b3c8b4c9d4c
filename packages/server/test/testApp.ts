/** The real application on a test database, with a small cookie-keeping client over inject(). */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app.ts';
import { type Config, loadConfig } from '../src/config.ts';
import { createTestDatabase, type TestDatabase } from './testDb.ts';

export interface TestApp extends TestDatabase {
  app: FastifyInstance;
  config: Config;
  client(): TestClient;
}

export async function createTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config: Config = {
    ...loadConfig({ NODE_ENV: 'test' }),
    jobs: false,
    webDist: '/nonexistent',
    ...overrides,
  };
  const app = await buildApp(database.db, config);
  await app.ready();
  return {
    ...database,
    app,
    config,
    client: () => new TestClient(app),
    async drop() {
      await app.close();
      await database.drop();
    },
  };
}

export class TestClient {
  readonly cookies = new Map<string, string>();
  csrfToken: string | undefined;

  constructor(private readonly app: FastifyInstance) {}

  private remember(response: LightMyRequestResponse) {
    for (const cookie of response.cookies) {
      if (cookie.value === '' || (cookie.expires && cookie.expires.getTime() < Date.now()))
        this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async request(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    options: { csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<LightMyRequestResponse> {
    const unsafe = method !== 'GET';
    if (unsafe && options.csrf !== false && !this.csrfToken) {
      const response = await this.request('GET', '/api/auth/csrf');
      this.csrfToken = response.json().token;
    }
    const response = await this.app.inject({
      method,
      url,
      headers: {
        cookie: this.cookieHeader(),
        ...(unsafe && options.csrf !== false && this.csrfToken ? { 'x-csrf-token': this.csrfToken } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    this.remember(response);
    return response;
  }

  async login(username: string, password: string): Promise<LightMyRequestResponse> {
    return this.request('POST', '/api/auth/login', { username, password });
  }
}
