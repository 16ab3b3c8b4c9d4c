/**
 * Starts a real doudi server (demo county, fresh database) and Debian's Chromium for a test file.
 * Builds nothing: run `npm run build -w @doudi/web` first so the server has a web client to serve.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { runDoudi, templateDatabase } from './templateDatabase.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');
// Screenshots go to docs/screenshots only when asked (DOUDI_SCREENSHOTS=docs), so a test run
// does not rewrite committed pictures; otherwise to a scratch folder.
export const SCREENSHOT_DIR =
  process.env.DOUDI_SCREENSHOTS === 'docs'
    ? path.join(REPO_ROOT, 'docs/screenshots')
    : path.join(tmpdir(), 'doudi-screenshots');
mkdirSync(SCREENSHOT_DIR, { recursive: true });
export const DEMO_PASSWORD = 'Doudi2026demo';

export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * A fresh database on the PostgreSQL server, when the suite runs against one: a clone of the
 * template that already holds the migrations and the demo county (templateDatabase.ts).
 */
async function serverDatabase(
  env: NodeJS.ProcessEnv,
): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (process.env.DOUDI_TEST_ON_SERVER !== '1' || !adminUrl) return undefined;
  const template = await templateDatabase(adminUrl, env);
  const name = `doudi_e2e_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

export interface TestServer {
  baseUrl: string;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** Seed this many synthetic households of the demo county (`doudi seed`) before serving. */
  seedHouseholds?: number;
}

export async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  const webDist = process.env.DOUDI_WEB_DIST || path.join(REPO_ROOT, 'packages/web/dist');
  if (!existsSync(path.join(webDist, 'index.html'))) {
    throw new Error(`没有找到前端构建产物 ${webDist}，请先运行 npm run build -w @doudi/web`);
  }
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'doudi-e2e-'));
  const baseEnv = {
    ...process.env,
    DOUDI_DATA_DIR: dataDir,
    DOUDI_JOBS: 'false',
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DOUDI_WEB_DIST: webDist,
    // One browser journey loads pages and assets from one address far faster than a person: a whole
    // application's path took more than the production limit (1,200 requests a minute) and got 429.
    DOUDI_API_RATE_LIMIT: process.env.DOUDI_API_RATE_LIMIT ?? '20000',
  };
  const database = await serverDatabase(baseEnv);
  const env = { ...baseEnv, ...(database ? { DATABASE_URL: database.url } : {}) };
  if (options.seedHouseholds) {
    try {
      // The registry seed needs the demo county's regions first.
      await runDoudi(['demo', 'seed'], env);
      await runDoudi(['seed', '--households', String(options.seedHouseholds)], env);
    } catch (error) {
      await database?.drop();
      await rm(dataDir, { recursive: true, force: true });
      throw error;
    }
  }
  const child = spawn(
    process.execPath,
    ['packages/server/bin/doudi.mjs', 'serve', '--demo', '--port', String(port)],
    { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // Kept for the error message when the server does not come up.
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForReady(baseUrl, child, () => output);
  } catch (error) {
    await stopChild(child);
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    baseUrl,
    async stop() {
      await stopChild(child);
      await database?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function waitForReady(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`服务器启动失败（退出码 ${child.exitCode}）：\n${output()}`);
    try {
      const response = await fetch(`${baseUrl}/readyz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`服务器 120 秒内未就绪：\n${output()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Session {
  context: BrowserContext;
  page: Page;
}

/** A fresh browser context (own cookies and localStorage), in Chinese unless told otherwise. */
export async function openSession(
  browser: Browser,
  baseUrl: string,
  viewport: { width: number; height: number } = DESKTOP,
): Promise<Session> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('页面脚本错误：', error.message));
  return { context, page };
}

/** Signs in through the login form and waits for the workbench. */
export async function login(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('side-menu').or(page.getByTestId('menu-button')).first().waitFor();
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  // Let antd's transitions settle, so a picture does not catch a half-open menu.
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage });
}

/** A tiny API client with its own cookie, for setting up data outside the browser. */
export async function apiSession(baseUrl: string, username: string, password = DEMO_PASSWORD) {
  const jar = new Map<string, string>();
  const remember = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const csrfResponse = await fetch(`${baseUrl}/api/auth/csrf`);
  remember(csrfResponse);
  const { token } = (await csrfResponse.json()) as { token: string };
  const request = async <T>(
    method: string,
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> => {
    const response = await fetch(`${baseUrl}${url}`, {
      method,
      headers: {
        cookie: cookie(),
        'x-csrf-token': token,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    remember(response);
    const json = (await response.json()) as T;
    if (!response.ok) throw new Error(`${method} ${url} → ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  await request('POST', '/api/auth/login', { username, password });
  return {
    get: <T>(url: string) => request<T>('GET', url),
    post: <T>(url: string, body?: unknown, headers?: Record<string, string>) =>
      request<T>('POST', url, body, headers),
  };
}

/**
 * Waits until the text is visible somewhere on the page. On timeout the failure says what the page
 * showed instead (error toasts, field errors, alerts) and leaves a FAILED-… screenshot: a CI run once
 * timed out here with nothing else to go on.
 */
export async function seeText(page: Page, text: string | RegExp, timeout = 15_000): Promise<void> {
  try {
    await page.getByText(text).first().waitFor({ state: 'visible', timeout });
  } catch (error) {
    const shown = await page
      .locator('.ant-message-notice, .ant-form-item-explain-error, .ant-alert-message, .ant-result-title')
      .allTextContents()
      .catch(() => []);
    const name = `FAILED-${String(text)
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .slice(0, 40)}`;
    await screenshot(page, name).catch(() => undefined);
    const detail = shown.length ? `; the page showed: ${shown.join(' | ')}` : '; no error on the page';
    throw new Error(
      `"${String(text)}" not visible after ${timeout} ms at ${page.url()}${detail} (screenshot ${name})`,
      {
        cause: error,
      },
    );
  }
}

/** Cookie and CSRF headers of a signed-in user, for raw requests whose status or body a test checks. */
export async function signedInHeaders(
  baseUrl: string,
  username: string,
  password = DEMO_PASSWORD,
): Promise<Record<string, string>> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const cookies = csrf.headers.getSetCookie().map((c) => c.split(';')[0]);
  const { token } = (await csrf.json()) as { token: string };
  const signedIn = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { cookie: cookies.join('; '), 'x-csrf-token': token, 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!signedIn.ok) throw new Error(`login ${username}: ${signedIn.status}`);
  cookies.push(...signedIn.headers.getSetCookie().map((c) => c.split(';')[0]));
  return { cookie: cookies.join('; '), 'x-csrf-token': token };
}

/** Uploads one CSV as a department file (the browser upload posts the same raw body); throws unless every row loaded. */
export async function uploadSourceCsv(
  baseUrl: string,
  username: string,
  source: string,
  csv: string,
  asOf: string,
): Promise<void> {
  const response = await fetch(
    `${baseUrl}/api/sources/${source}/imports?fileName=${source}.csv&asOf=${asOf}&wait=true`,
    {
      method: 'POST',
      headers: { ...(await signedInHeaders(baseUrl, username)), 'content-type': 'application/octet-stream' },
      body: csv,
    },
  );
  const result = (await response.json()) as { status: string; rejected: number };
  if (!response.ok || result.status !== 'done' || result.rejected !== 0)
    throw new Error(`${source}: ${JSON.stringify(result)}`);
}
