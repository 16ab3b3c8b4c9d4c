/**
 * 政策找人 in the browser: the county officer starts a screening of the demo county, watches the
 * progress bar finish, opens a household, sees the Chinese trace and the prescription; the 花园镇
 * caseworker sees the same run but only 花园镇 households and no start button.
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

describe('政策找人', () => {
  it('县民政干部发起政策找人，进度走完，打开一户看到中文依据和救助处方', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'county');
    await page.getByTestId('side-menu').getByRole('menuitem', { name: '政策找人' }).click();
    await page.getByTestId('screening-start').click();
    await page.getByRole('dialog').getByRole('button', { name: '发起政策找人' }).click();
    await expect
      .poll(async () => page.getByTestId('run-status').textContent(), { timeout: 90_000, interval: 500 })
      .toBe('已完成');
    expect(await page.getByTestId('run-summary').textContent()).toMatch(/找到 \d+ 户/);
    const rows = page.getByTestId('screening-results').locator('tbody tr.ant-table-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(0);
    // Masked ID numbers only.
    expect(await page.getByTestId('screening-results').textContent()).toMatch(/\d{6}\*{4,}/);
    await screenshot(page, 'screening-county-desktop-zh');

    await rows.first().click();
    const drawer = page.getByTestId('screening-drawer');
    await drawer.getByTestId('prescription').waitFor({ timeout: 30_000 });
    const prescription = (await drawer.getByTestId('prescription').textContent()) ?? '';
    expect(prescription).toContain('救助处方');
    expect(prescription).toContain('需带材料');
    expect(prescription).toMatch(/电话/);
    expect(await drawer.getByTestId('prescription-item').count()).toBeGreaterThan(0);
    await screenshot(page, 'screening-prescription-desktop-zh');
    await drawer.getByRole('tab', { name: '测算依据' }).click();
    const trace = (await drawer.getByTestId('trace').textContent()) ?? '';
    expect(trace).toContain('符合');
    expect(trace).toMatch(/[\u4e00-\u9fa5]{4,}/);
    await screenshot(page, 'screening-trace-desktop-zh');
    await context.close();
  }, 180_000);

  it('花园镇全科社工看到同一次结果，但只有本镇的家庭，且不能发起', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'huayuan');
    await page.goto('/screening');
    await page.getByTestId('run-status').waitFor();
    expect(await page.getByTestId('screening-start').count()).toBe(0);
    const rows = page.getByTestId('screening-results').locator('tbody tr.ant-table-row');
    await rows.first().waitFor();
    const villages = await rows.locator('td:nth-child(4)').allTextContents();
    expect(villages.length).toBeGreaterThan(0);
    for (const v of villages) expect(v.startsWith('花园镇')).toBe(true);
    await context.close();
  }, 120_000);
});
