/** The auditor reads the audit trail and checks that its hash chain is intact. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, login, openSession, seeText, startServer, type TestServer } from './harness.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('审计人员', () => {
  it('打开审计记录并校验审计链', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'auditor');
    await page.getByTestId('side-menu').getByRole('menuitem', { name: '审计记录' }).click();
    await page.getByTestId('audit-table').waitFor();
    // The auditor's own sign-in is the newest entry.
    await page.getByTestId('audit-table').getByText('登录').first().waitFor();

    await page.getByTestId('audit-verify').click();
    await page.getByTestId('audit-verify-result').waitFor();
    const result = await page.getByTestId('audit-verify-result').textContent();
    expect(result).toContain('审计链完整');
    expect(result).toMatch(/共校验 \d+ 条记录/);
    await seeText(page, '审计链完整');
    await context.close();
  });

  it('全科社工看不到审计菜单，按地址打开时显示 403', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'huayuan');
    expect(await page.getByTestId('side-menu').getByText('审计记录').count()).toBe(0);
    await page.goto('/audit');
    await seeText(page, '无权访问');
    await context.close();
  });
});
