/**
 * 部门数据 in the browser: the verification centre uploads the bank-deposit file of the demo
 * county with two bad rows, watches the upload and import progress, sees the counts, downloads
 * the error report (Chinese headers, masked ID numbers) and finds the import in the history.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadVillagesFromChinaDivision, writeCountyCsv } from '@doudi/synth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, login, openSession, screenshot, startServer, type TestServer } from './harness.ts';
import { pickOption } from './selects.ts';

let server: TestServer;
let browser: Browser;
let file: string;
let rows: number;
let anomalous: string;
let education: string;

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
  // The next month's file with one row dated in the future, one negative balance and one row twice.
  const future = (lines[1] as string).split(',');
  future[7] = '2031-01-01';
  const negative = (lines[2] as string).split(',');
  negative[6] = '-88.00';
  anomalous = path.join(dir, '孝昌县农商行存款-异常.csv');
  await writeFile(
    anomalous,
    [lines[0], future.join(','), negative.join(','), ...lines.slice(3), lines[3]].join('\n'),
  );
  education = path.join(dir, 'education-spending.csv');
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
    await pickOption(page, '银行存款与理财');
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

  it('导入异常检查、对记录提出异议、教育局答复、数据质量图', async () => {
    const pick = async (page: Page, label: string) => {
      await page.getByTestId('source-select').click();
      await page.keyboard.type(label);
      await pickOption(page, label);
    };
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'verify');
    await page.getByTestId('side-menu').getByRole('menuitem', { name: '部门数据' }).click();
    await pick(page, '银行存款与理财');
    await page.locator('input[type=file]').setInputFiles(anomalous);
    const anomalies = page.getByTestId('import-anomalies');
    await anomalies.waitFor({ timeout: 60_000 });
    const found = (await anomalies.textContent()) ?? '';
    expect(found).toContain('日期晚于截至日期');
    expect(found).toContain('金额为负数');
    expect(found).toContain('记录编号重复');
    await page.getByTestId('anomaly-tag').first().waitFor();
    await screenshot(page, 'sources-anomalies-desktop-zh', true);

    await pick(page, '教育支出');
    await page.locator('input[type=file]').setInputFiles(education);
    await page.getByTestId('import-result').getByText('已完成').waitFor({ timeout: 60_000 });

    await page.getByRole('tab', { name: '记录与异议' }).click();
    await page.getByTestId('records-source').click();
    await page.keyboard.type('教育支出');
    await pickOption(page, '教育支出');
    // Dispute a row of that source, whichever list is on screen while it reloads (clicking the first
    // button of the previous, all-sources list picked another source's record once in CI).
    await page
      .getByRole('row', { name: /教育支出/ })
      .getByTestId('dispute-button')
      .first()
      .click();
    await page.getByTestId('dispute-reason').fill('该生2025年已转学外省，本学期学费不应计入');
    await page.getByTestId('dispute-submit').click();
    // Either the notice, or the modal's error, whose text then fails the test with a reason.
    const refused = page.locator('.ant-modal .ant-alert-error');
    await page.getByTestId('dispute-notice').or(refused).first().waitFor();
    expect(await refused.count(), (await refused.allTextContents()).join(' ')).toBe(0);
    await page.getByRole('tab', { name: '数据异议（1）' }).click();
    await page.getByTestId('dispute-table').getByText('该生2025年已转学外省').waitFor();

    await page.getByRole('tab', { name: '数据质量' }).click();
    await page.getByTestId('quality-chart').waitFor();
    await page.getByTestId('quality-table').getByText('教育支出').waitFor();
    await page.getByRole('tab', { name: '数据质量' }).scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, 260));
    await screenshot(page, 'sources-quality-desktop-zh');
    await page.getByTestId('language-switch').click();
    await page
      .getByText('Match rate and rejected share by source')
      .first()
      .waitFor()
      .catch(() => undefined);
    await page.getByRole('tab', { name: 'Data quality' }).waitFor();
    await screenshot(page, 'sources-quality-desktop-en');
    await page.getByTestId('language-switch').click();
    await context.close();

    // The education bureau's officer sees the dispute on their source and answers it.
    const officer = await openSession(browser, server.baseUrl);
    await login(officer.page, 'education');
    await officer.page.getByTestId('side-menu').getByRole('menuitem', { name: '部门数据' }).click();
    await officer.page.getByRole('tab', { name: '数据异议（1）' }).click();
    await officer.page.getByTestId('answer-button').first().click();
    await officer.page.getByTestId('answer-text').fill('已核实，该生已转学，下月报送时删除该记录');
    await screenshot(officer.page, 'sources-dispute-answer-desktop-zh');
    await officer.page.getByTestId('answer-submit').click();
    await officer.page.getByRole('tab', { name: '数据异议（0）' }).waitFor();
    await officer.page.getByTestId('dispute-filter').getByText('已更正').click();
    await officer.page.getByTestId('dispute-table').getByText('已核实，该生已转学').waitFor();
    await officer.page.getByTestId('dispute-filter').scrollIntoViewIfNeeded();
    await officer.page.evaluate(() => window.scrollBy(0, 300));
    await screenshot(officer.page, 'sources-disputes-desktop-zh');
    await officer.context.close();
  }, 240_000);
});
