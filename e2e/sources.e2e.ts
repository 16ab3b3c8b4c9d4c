/**
 * 部门数据 in the browser: the verification centre uploads the bank-deposit file of the demo
 * county with two bad rows, watches the upload and import progress, sees the counts, downloads
 * the error report (Chinese headers, masked ID numbers) and finds the import in the history.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadVillagesFromChinaDivision, writeCountyCsv } from '@doudi/synth';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, login, openSession, screenshot, startServer, type TestServer } from './harness.ts';

let server: TestServer;
let browser: Browser;
let file: string;
let rows: number;

beforeAll(async () => {
  server = await startServer({ seedHouseholds: 50 });
  browser = await launchBrowser();
  // The same synthetic county `doudi seed` loaded (seed 1, 孝昌县), as its bank would send it.
  const dir = await mkdtemp(path.join(tmpdir(), 'doudi-e2e-sources-'));
  const villages = await loadVillagesFromChinaDivision('420921');
  await writeCountyCsv({ households: 50, seed: 1, villages, asOf: '2025-06-30', outDir: dir });
  const lines = (await readFile(path.join(dir, 'bank-deposits.csv'), 'utf8')).trim().split('\n');
  const badId = (lines[1] as string).split(',');
  badId[1] = `${(badId[1] as string).slice(0, 17)}${(badId[1] as string)[17] === '0' ? '1' : '0'}`;
  const badAmount = (lines[2] as string).split(',');
  badAmount[6] = '一千元';
  rows = lines.length - 1;
  file = path.join(dir, '孝昌县农商行存款.csv');
  await writeFile(file, [lines[0], badId.join(','), badAmount.join(','), ...lines.slice(3)].join('\n'));
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('部门数据', () => {
  it('核对中心上传带错误行的文件，看到进度和计数，下载错误报告', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'verify');
    await page.getByTestId('side-menu').getByRole('menuitem', { name: '部门数据' }).click();
    // 18 sources make a virtual list: type to filter rather than scroll.
    await page.getByTestId('source-select').click();
    await page.keyboard.type('银行存款');
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '银行存款与理财' })
      .click();
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByTestId('import-progress').waitFor();
    const result = page.getByTestId('import-result');
    await result.waitFor({ timeout: 60_000 });
    const text = (await result.textContent()) ?? '';
    expect(text).toContain(`读取 ${rows} 行`);
    expect(text).toContain(`新增 ${rows - 2}`);
    expect(text).toContain('拒绝 2');
    await screenshot(page, 'sources-upload-desktop-zh');

    const report = page.getByTestId('error-report').first();
    await report.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), report.click()]);
    const body = await readFile((await download.path()) as string, 'utf8');
    expect(body.replace(/^\uFEFF/, '').split('\n')[0]).toBe('行号,列名,值,原因');
    expect(body).toContain('校验位错误');
    expect(body).toContain('金额格式不正确');
    expect(body).not.toMatch(/\d{17}[\dX]/);

    await page.getByTestId('language-switch').click();
    await page.getByText('Departmental data').first().waitFor();
    await screenshot(page, 'sources-upload-desktop-en');
    await page.getByTestId('language-switch').click();
    await context.close();
  }, 180_000);
});
