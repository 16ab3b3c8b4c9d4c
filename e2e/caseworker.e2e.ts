/** A township caseworker (花园镇): workbench, language switch, and the walls of the region scope. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiSession,
  launchBrowser,
  login,
  openSession,
  seeText,
  startServer,
  type TestServer,
} from './harness.ts';

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

describe('全科社工（花园镇）', () => {
  it('密码错误时提示“用户名或密码错误”', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await page.goto('/login');
    await page.getByTestId('login-username').fill('huayuan');
    await page.getByTestId('login-password').fill('not-the-password1');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').waitFor();
    expect(await page.getByTestId('login-error').textContent()).toContain('用户名或密码错误');
    expect(new URL(page.url()).pathname).toBe('/login');
    await context.close();
  });

  it('空表单提交时逐项提示', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await page.goto('/login');
    await page.getByTestId('login-submit').click();
    await seeText(page, '请输入用户名');
    await seeText(page, '请输入密码');
    await context.close();
  });

  it('登录后看到工作台、菜单和本镇，切换英文再切回中文', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'huayuan');
    const menu = page.getByTestId('side-menu');
    const items = await menu.getByRole('menuitem').allTextContents();
    expect(items).toEqual([
      '工作台',
      '一门受理',
      '公示',
      '在册管理',
      '家庭户籍',
      '批量核对',
      '政策找人',
      '动态监测',
      '监测预警',
      '政策管理',
      '行政区划',
      '用户管理',
      '我的账户',
    ]);
    expect(await page.getByTestId('header-region').textContent()).toContain('花园镇');
    expect(await page.getByTestId('user-role').textContent()).toBe('全科社工');
    expect(await page.getByTestId('user-name').textContent()).toBe('花园镇社工 李敏');
    await seeText(page, '孝感市 / 孝昌县 / 花园镇');

    await page.getByTestId('language-switch').click();
    await menu.getByRole('menuitem', { name: 'Workbench' }).waitFor();
    expect(await page.getByTestId('user-role').textContent()).toBe('Caseworker');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');

    await page.getByTestId('language-switch').click();
    await menu.getByRole('menuitem', { name: '工作台' }).waitFor();
    expect(await page.getByTestId('user-role').textContent()).toBe('全科社工');
    await context.close();
  });

  it('按地址打开丰山镇：显示 403 无权访问', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'huayuan');
    await page.goto('/regions/420921101000');
    await seeText(page, '无权访问');
    expect(await page.getByTestId('error-detail').textContent()).toContain('不在您的管辖范围内');
    // The own township still opens, with its villages.
    await page.goto('/regions/420921100000');
    await page.getByTestId('region-name').waitFor();
    expect(await page.getByTestId('region-name').textContent()).toContain('花园镇');
    await page.getByTestId('children-table').getByText('花园社区居委会').waitFor();
    await context.close();
  });

  it('按地址打开丰山镇社工的用户页：显示“页面不存在”', async () => {
    const admin = await apiSession(server.baseUrl, 'admin');
    const found = await admin.get<{ items: { id: string; username: string }[] }>(
      '/api/users?search=fengshan&page=1&pageSize=10',
    );
    const fengshan = found.items.find((u) => u.username === 'fengshan');
    expect(fengshan).toBeDefined();

    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'huayuan');
    await page.goto(`/users/${fengshan?.id}`);
    await seeText(page, '页面不存在');
    await context.close();
  });

  it('未登录打开页面先去登录，登录后回到原页面；退出后回到登录页', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await page.goto('/users');
    await page.getByTestId('login-username').waitFor();
    expect(new URL(page.url()).searchParams.get('from')).toBe('/users');
    await page.getByTestId('login-username').fill('huayuan');
    await page.getByTestId('login-password').fill('Doudi2026demo');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('users-table').waitFor();
    expect(new URL(page.url()).pathname).toBe('/users');

    await page.getByTestId('logout').click();
    await page.getByTestId('login-username').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    // The session is really gone: the workbench sends us back to login.
    await page.goto('/');
    await page.getByTestId('login-username').waitFor();
    await context.close();
  });
});
