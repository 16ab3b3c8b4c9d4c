/**
 * 政策测算 in the browser: the county officer raises the rural dibao standard 5% over the demo
 * county, watches the progress bar, and sees the summary cards, the township chart and the tables;
 * a township caseworker has no such page.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, login, openSession, screenshot, startServer, type TestServer } from './harness.ts';
import { pickOption } from './selects.ts';

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

describe('政策测算', () => {
  it('县民政干部把农村低保标准提高 5%，看到按乡镇的图表和表格', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'county');
    await page.getByTestId('side-menu').getByRole('menuitem', { name: '政策测算' }).click();
    await page.getByTestId('what-if-parameter-0').click();
    await page.keyboard.type('农村最低生活保障标准');
    const option = page.locator('.ant-select-item-option').filter({ hasText: '农村最低生活保障标准' });
    // The option shows the value in force (the demo county's standard, in yuan per month).
    expect(await option.first().textContent()).toMatch(/现值 ¥[\d,]+\.\d{2}\/月/);
    await pickOption(page, '农村最低生活保障标准');
    expect(await page.getByTestId('what-if-amount-0').inputValue()).toBe('+5');
    await screenshot(page, 'what-if-form-desktop-zh');
    await page.getByTestId('what-if-run').click();
    await page.getByTestId('what-if-result').waitFor({ timeout: 90_000 });
    // The 300 seeded households and the demo resident's own (XC-DEMO-0001).
    expect(await page.getByTestId('what-if-status').textContent()).toMatch(/测算完成：301 户/);
    expect(await page.getByTestId('what-if-monthly-change').textContent()).toMatch(/¥[\d,]+\.\d{2}/);
    // The chart is drawn (a canvas) and the township table lists the demo county's townships.
    expect(await page.getByTestId('what-if-chart').locator('canvas').count()).toBeGreaterThan(0);
    const townships = page.getByTestId('what-if-townships').locator('tbody tr.ant-table-row');
    expect(await townships.count()).toBeGreaterThan(1);
    expect(await page.getByTestId('what-if-townships').textContent()).toMatch(/镇/);
    const policies = (await page.getByTestId('what-if-policies').textContent()) ?? '';
    expect(policies).toContain('最低生活保障');
    await screenshot(page, 'what-if-result-desktop-zh', true);
    // Households the seed leaves undecided (veto questions unanswered) are named, not hidden.
    expect(await page.getByTestId('what-if-needs-information').count()).toBeLessThanOrEqual(1);
    // English, on the same result.
    await page.getByTestId('language-switch').click();
    await page.getByText('By township').first().waitFor();
    expect(await page.getByTestId('what-if-policies').textContent()).toContain('Eligible now');
    await screenshot(page, 'what-if-result-desktop-en', true);
    await context.close();
  }, 180_000);

  it('花园镇全科社工没有政策测算的菜单，直接打开地址被拒绝', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'huayuan');
    expect(await page.getByTestId('side-menu').getByRole('menuitem', { name: '政策测算' }).count()).toBe(0);
    await page.goto('/what-if');
    await page.getByText('无权访问').first().waitFor();
    await context.close();
  }, 60_000);
});
