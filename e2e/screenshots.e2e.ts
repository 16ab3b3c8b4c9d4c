/**
 * Pictures of the main pages for docs/screenshots/: desktop (1366×768) and phone (390×844),
 * Chinese and English. Signed in as the 花园镇 caseworker, the most common user.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  DESKTOP,
  launchBrowser,
  login,
  openSession,
  PHONE,
  SCREENSHOT_DIR,
  screenshot,
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

async function useLanguage(page: Page, language: 'zh' | 'en'): Promise<void> {
  await page.evaluate(
    (lang) => localStorage.setItem('doudi.language', lang),
    language === 'en' ? 'en' : 'zh-CN',
  );
}

const devices = [
  ['desktop', DESKTOP],
  ['phone', PHONE],
] as const;

describe('截图', () => {
  for (const [device, viewport] of devices) {
    for (const language of ['zh', 'en'] as const) {
      it(`${device} ${language}`, async () => {
        const { page, context } = await openSession(browser, server.baseUrl, viewport);
        const suffix = `${device}-${language}`;
        await page.goto('/login');
        await useLanguage(page, language);
        await page.reload();
        await page.getByTestId('login-username').waitFor();
        await screenshot(page, `login-${suffix}`);

        await login(page, 'huayuan');
        await page.getByTestId('home-region').getByText('花园镇').waitFor();
        await screenshot(page, `workbench-${suffix}`);

        await page.goto('/regions/420921100000');
        await page.getByTestId('children-table').waitFor();
        await screenshot(page, `region-${suffix}`);

        await page.goto('/users');
        await page.getByTestId('users-table').getByTestId('user-link').first().waitFor();
        await screenshot(page, `users-${suffix}`);

        await page.goto('/regions/420921101000');
        await seeText(page, language === 'zh' ? '无权访问' : 'Access denied');
        await screenshot(page, `403-${suffix}`);

        if (device === 'phone') {
          await page.goto('/');
          await page.getByTestId('menu-button').click();
          await page.getByTestId('side-menu').waitFor();
          await screenshot(page, `menu-${suffix}`);
        }
        await context.close();
      });
    }
  }

  it('县级工作台（含各乡镇村数图表）', async () => {
    const { page, context } = await openSession(browser, server.baseUrl, DESKTOP);
    await login(page, 'county');
    await page.getByTestId('villages-chart').waitFor();
    await page.waitForTimeout(800);
    await page.screenshot({
      path: `${SCREENSHOT_DIR}/workbench-county-desktop-zh.png`,
      fullPage: true,
    });
    await context.close();
  });
});
