/**
 * 批量核对 in the browser. The demo county has no enrolled households, so the journey uses a chosen
 * list: two households of 花园社区 registered through the API with June's bank file; the county
 * officer starts a run over their household numbers and sees it reach the end (the baseline);
 * departments then send a car and a large deposit; a second run finds both differences, listed with
 * their reasons in Chinese and in English.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiSession,
  launchBrowser,
  login,
  openSession,
  screenshot,
  seeText,
  startServer,
  type TestServer,
  uploadSourceCsv,
} from './harness.ts';
import { registerJourneyHousehold } from './journeyHelpers.ts';

let server: TestServer;
let browser: Browser;
const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10); // China's date
const head = { name: '秦立山', birth: '19680715' };
const lone = { name: '蔡桂英', birth: '19520309' };
let heads: { id: string; idNumber: string }[] = [];

const NUMBERS = ['E2E-JRN-0001', 'E2E-JRN-0002'];

/** Starts a run over the two households from the page and waits until it is completed. */
async function runOverList(page: Page, runsBefore: number) {
  await page.getByTestId('batch-start').click();
  const dialog = page.getByTestId('batch-start-dialog');
  await dialog.getByText('指定名单').click();
  await dialog.getByTestId('batch-numbers').fill(NUMBERS.join('\n'));
  await seeText(page, '共2户');
  await page.getByTestId('batch-start-dialog-ok').click();
  await seeText(page, '已发起，正在后台核对');
  // Progress: the newest run's status tag turns 已完成 and its bar reads 2 of 2.
  await expect
    .poll(async () => page.getByTestId('batch-run-status').count(), { timeout: 60_000 })
    .toBe(runsBefore + 1);
  await page
    .getByTestId('batch-run-status')
    .first()
    .filter({ hasText: '已完成' })
    .waitFor({ timeout: 120_000 });
  await seeText(page, '已核对 2 / 2 户');
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const caseworker = await apiSession(server.baseUrl, 'huayuan');
  heads = [
    await registerJourneyHousehold(caseworker, 1, head),
    await registerJourneyHousehold(caseworker, 2, lone),
  ];
  const [a, b] = heads;
  await uploadSourceCsv(
    server.baseUrl,
    'verify',
    'bankDeposit',
    `记录编号,身份证号码,姓名,账户编号,金融机构,资产类型,余额(元),余额日期\nD-51,${a?.idNumber},${head.name},A51,孝昌农商银行,储蓄存款,3000,2025-06-30\nD-52,${b?.idNumber},${lone.name},A52,中国邮政储蓄银行,储蓄存款,1200,2025-06-30\n`,
    '2025-06-30',
  );
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('批量核对（县民政干部，指定名单）', () => {
  it('runs a list to the end, then finds a new car and a large deposit with their reasons', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'county');
    await page.goto('/verification/batch');
    await page.getByTestId('batch-page').waitFor();
    const runsBefore = await page.getByTestId('batch-run-status').count();
    await runOverList(page, runsBefore);
    // The first run is the baseline: nothing to report yet.
    await seeText(page, '没有需要处理的变化');

    const [a] = heads;
    await uploadSourceCsv(
      server.baseUrl,
      'verify',
      'bankDeposit',
      `记录编号,身份证号码,姓名,账户编号,金融机构,资产类型,余额(元),余额日期\nD-51,${a?.idNumber},${head.name},A51,孝昌农商银行,储蓄存款,263000,${today}\nD-52,${heads[1]?.idNumber},${lone.name},A52,中国邮政储蓄银行,储蓄存款,1200,${today}\n`,
      today,
    );
    await uploadSourceCsv(
      server.baseUrl,
      'verify',
      'vehicle',
      `记录编号,身份证号码,姓名,号牌号码,车辆类型,品牌,购置价格(元),登记日期,残疾人专用车\nV-51,${a?.idNumber},${head.name},鄂K5E2E1,小型汽车,比亚迪,158000,${today},否\n`,
      today,
    );
    await runOverList(page, runsBefore + 1);
    const reasons = page.getByTestId('batch-change-reason');
    await reasons.first().waitFor({ timeout: 30_000 });
    const texts = await reasons.allTextContents();
    expect(texts.some((r) => r.includes('鄂K5E2E1'))).toBe(true);
    expect(texts.some((r) => r.includes(head.name) && /存款|金融资产/.test(r))).toBe(true);
    // The lone household changed nothing: no reason names her.
    expect(texts.some((r) => r.includes(lone.name))).toBe(false);
    await seeText(page, '新增车辆');
    await screenshot(page, 'verification-batch-desktop-zh', true);

    await page.evaluate(() => localStorage.setItem('doudi.language', 'en'));
    await page.reload();
    await page.getByTestId('batch-change-reason').first().waitFor();
    const english = await page.getByTestId('batch-change-reason').allTextContents();
    expect(english.some((r) => r.includes('鄂K5E2E1'))).toBe(true);
    await screenshot(page, 'verification-batch-desktop-en', true);
    await context.close();
  }, 600_000);
});
