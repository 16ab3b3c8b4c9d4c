/**
 * 动态监测 in the browser: the county officer starts a full re-screen of the demo county, watches it
 * finish, sees red and yellow alerts with a Chinese summary, and simulates two sets of warning
 * lines on a sample village. Pictures in Chinese and English, desktop.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, login, openSession, screenshot, startServer, type TestServer } from './harness.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ seedHouseholds: 300 });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('动态监测', () => {
  it('县民政干部发起全量复筛，看到红黄预警和说明，并在样本村比较两套预警线', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'county');
    await page.getByTestId('side-menu').getByRole('menuitem', { name: '动态监测' }).click();
    await page.getByTestId('monitoring-start').click();
    await page.getByRole('dialog').getByRole('button', { name: '发起全量复筛' }).click();
    await expect
      .poll(async () => page.getByTestId('monitoring-run-status').first().textContent(), {
        timeout: 120_000,
        interval: 1000,
      })
      .toBe('已完成');
    await page.reload();
    const summaries = page.getByTestId('monitoring-alert-summary');
    await summaries.first().waitFor({ timeout: 30_000 });
    expect(await summaries.first().textContent()).toMatch(/人均得分.+主要因素/);
    await screenshot(page, 'monitoring-county-desktop-zh', true);

    // A sample village: the region of the first alert.
    const meta = (await page.getByTestId('monitoring-alert-meta').first().textContent()) ?? '';
    const village = /\d{12}/.exec(meta)?.[0] as string;
    expect(village).toMatch(/^\d{12}$/);
    const input = page.getByTestId('calibration-villages').locator('input');
    await input.fill(village);
    await input.press('Enter');
    await page.getByTestId('calibration-run').click();
    const result = page.getByTestId('calibration-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.textContent()).toContain('样本户数');
    // The back-test beside Xiaochang's own 58.8% (687 alerts, 404 families helped).
    expect(await page.getByTestId('calibration-overall').textContent()).toMatch(/回测总体.+58\.8%/);
    await screenshot(page, 'monitoring-calibration-desktop-zh', true);
    await context.close();
  }, 240_000);

  it('English page for the same officer', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await page.addInitScript(() => localStorage.setItem('doudi.language', 'en'));
    await login(page, 'county');
    await page.goto('/monitoring');
    await page.getByTestId('monitoring-run-status').first().waitFor();
    expect(await page.getByTestId('monitoring-page').textContent()).toContain('Low-income monitoring');
    await screenshot(page, 'monitoring-county-desktop-en', true);
    await context.close();
  }, 120_000);
});
