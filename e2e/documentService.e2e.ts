/**
 * 送达 in the browser: the caseworker prints the receipt of a refusal at intake, records that it was
 * left at the address (留置送达, with the witness and the reason given for refusing), and sees the
 * service and the time for an appeal on the case's 文书 card; then corrects that record (the witness
 * was wrong: it was served in person) and sees the superseded record kept, in Chinese and English.
 */
import type { Browser } from 'playwright-core';
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
} from './harness.ts';
import { openCase, pdfFrom } from './journeyHelpers.ts';
import { pickOption } from './selects.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('文书送达', () => {
  it('打印送达回执，登记留置送达，文书卡片显示送达日期和复议期限', async () => {
    const api = await apiSession(server.baseUrl, 'huayuan');
    const list = await api.get<{ items: { id: string }[] }>('/api/households?search=XC-DEMO-0001');
    const householdId = list.items[0]?.id as string;
    const application = await api.post<{ id: string; cases: { id: string }[] }>(
      '/api/intake/applications',
      { householdId, channel: 'window', items: [{ policyId: 'temporaryAid' }] },
      { 'idempotency-key': 'e2e-document-service-0001' },
    );
    const caseId = application.cases[0]?.id as string;
    const current = await api.get<{ version: number; currentStep: { id: string } }>(
      `/api/intake/cases/${caseId}`,
    );
    await api.post(`/api/intake/cases/${caseId}/transitions`, {
      version: current.version,
      step: current.currentStep.id,
      action: 'reject',
      reason: '申请人已于本月领取同一事由的临时救助',
    });

    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'huayuan');
    await openCase(page, application.id, '临时救助（支出型）');
    const card = page.getByTestId('documents-card');
    await card.getByTestId('document-not-served').waitFor();

    const receipt = await pdfFrom(page, () =>
      card.getByRole('button', { name: /送达回执.*临时救助申请不予受理通知书/ }).click(),
    );
    expect(receipt.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    await card.getByRole('button', { name: /登记送达.*临时救助申请不予受理通知书/ }).click();
    const dialog = page.locator('.ant-modal');
    await dialog.locator('.ant-select').first().click();
    await pickOption(page, '留置送达');
    // Without the witness the form says what is missing and records nothing.
    await page.getByTestId('service-submit').click();
    await seeText(page, /请填写见证人/);
    await dialog.getByLabel(/见证人/).fill('花园社区居委会李主任');
    await dialog.getByLabel('拒收事由').fill('受送达人拒绝签收');
    await page.getByTestId('service-submit').click();
    await seeText(page, '已登记送达');
    await card.getByTestId('document-service').waitFor();
    await seeText(page, /留置送达，签收人 黄德福/);
    await seeText(page, /如不服，申请行政复议至 \d{4}-\d{2}-\d{2}/);
    expect(await card.getByRole('button', { name: /登记送达/ }).count()).toBe(0);
    await screenshot(page, 'D-document-served-zh');
    // The officer who recorded it may correct it: the dialog says the old record is kept.
    await card.getByRole('button', { name: /更正送达记录.*临时救助申请不予受理通知书/ }).click();
    await seeText(page, /原记录保留为“已更正”/);
    await page.getByTestId('service-correction-reason').waitFor();
    await screenshot(page, 'D-document-service-correction-zh');
    // The witness signed for it after all: correct to direct service, which needs a reason.
    await dialog.locator('.ant-select').first().click();
    await pickOption(page, '直接送达');
    await page.getByTestId('service-submit').click();
    await seeText(page, /请填写更正理由/);
    await page.getByTestId('service-correction-reason').fill('当日复访时黄德福本人已签收，原登记有误');
    await page.getByTestId('service-submit').click();
    await seeText(page, '送达记录已更正');
    await seeText(page, /直接送达，签收人 黄德福/);
    await seeText(page, /更正理由：当日复访时黄德福本人已签收/);
    const superseded = card.getByTestId('document-service-superseded');
    await superseded.locator('summary').click();
    await expect(superseded.textContent()).resolves.toMatch(
      /更正前的记录（1条）.*留置送达，签收人 黄德福；登记人/,
    );
    await screenshot(page, 'D-document-service-corrected-zh');

    // The same dialog in English, on the corrected record.
    await page.evaluate(() => localStorage.setItem('doudi.language', 'en'));
    await openCase(page, application.id, 'Temporary aid');
    await card.getByTestId('document-service').waitFor();
    await seeText(page, /Corrected: 当日复访时黄德福本人已签收/);
    await card.getByRole('button', { name: /Correct the service record of/ }).click();
    await seeText(page, /The current record is kept as superseded/);
    await screenshot(page, 'D-document-service-correction-en');
    await context.close();
  });
});
