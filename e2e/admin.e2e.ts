/** The county administrator creates users; hostile text in a name must show as text, never run. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, login, openSession, seeText, startServer, type TestServer } from './harness.ts';

const HOSTILE_NAME = "<img src=x onerror=alert(1)>'; DROP TABLE app_user;--";

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

describe('系统管理员', () => {
  it('新建姓名含 HTML/SQL 的用户，列表中原样显示且不执行', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    const dialogs: string[] = [];
    page.on('dialog', async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    await login(page, 'admin');
    await page.goto('/users');
    await page.getByTestId('user-create').click();
    await page.getByTestId('field-displayName').fill(HOSTILE_NAME);
    await page.getByTestId('field-username').fill('xss.test');
    await page.getByTestId('field-password').fill('Xiaochang2026pw');
    await page.getByTestId('user-submit').click();
    await page.getByTestId('user-detail').waitFor();
    expect(await page.getByTestId('user-detail').textContent()).toContain(HOSTILE_NAME);

    await page.goto('/users?search=xss.test');
    const link = page.getByTestId('users-table').getByTestId('user-link');
    await link.first().waitFor();
    expect(await link.allTextContents()).toEqual([HOSTILE_NAME]);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);

    // The table app_user is still there: the list still answers.
    await page.goto('/users');
    await seeText(page, '花园镇社工 李敏');
    await context.close();
  });

  it('用户名重复时，服务器的提示显示在用户名下方', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'admin');
    await page.goto('/users/new');
    await page.getByTestId('field-displayName').fill('重复的用户');
    await page.getByTestId('field-username').fill('huayuan');
    await page.getByTestId('field-password').fill('Xiaochang2026pw');
    await page.getByTestId('user-submit').click();
    await seeText(page, '用户名 huayuan 已被使用');
    expect(new URL(page.url()).pathname).toBe('/users/new');
    await context.close();
  });

  it('前端校验用中文提示', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'admin');
    await page.goto('/users/new');
    await page.getByTestId('field-username').fill('a');
    await page.getByTestId('field-password').fill('short');
    await page.getByTestId('user-submit').click();
    await seeText(page, '请输入姓名');
    await seeText(page, '用户名为 3 到 64 位字母、数字或 _ . @ -');
    await seeText(page, '密码至少 10 个字符，须同时包含字母和数字');
    await context.close();
  });
});
