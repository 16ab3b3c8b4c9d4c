/**
 * One-door intake in the browser: a caseworker of 花园镇 finds an application on the workbench, opens
 * the case, completes the intake step with the form, and sees the history with its legal ground; a
 * step without its papers is sent back with the whole list. Pictures in Chinese and English.
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

let server: TestServer;
let browser: Browser;
let caseIds: string[] = [];

/** GB 11643 check character (as in registryJourneys.e2e.ts): a valid ID number of the county. */
function idNumber(birth: string, sequence: string): string {
  const first17 = `420921${birth}${sequence}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * (weights[i] ?? 0), 0);
  return first17 + ('10X98765432'[sum % 11] ?? '');
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const huayuan = await apiSession(server.baseUrl, 'huayuan');
  const villages = await huayuan.get<{ code: string }[]>('/api/regions/420921100000/children');
  const household = (n: number) =>
    huayuan.post<{ id: string }>('/api/households', {
      householdNumber: `E2E-IN-000${n}`,
      regionCode: villages[0]?.code,
      address: '花园镇花园社区建设路8号',
      registeredOn: '2020-01-01',
      head: {
        name: n === 1 ? '周桂兰' : '吴国庆',
        idNumber: idNumber(n === 1 ? '19580407' : '19671120', `01${n}`),
      },
    });
  const first = await household(1);
  const second = await household(2);
  const submit = (householdId: string, items: object[]) =>
    huayuan.post<{ cases: { id: string }[] }>(
      '/api/intake/applications',
      { householdId, channel: 'window', items },
      { 'idempotency-key': `e2e-intake-${householdId}` },
    );
  const a = await submit(first.id, [
    { policyId: 'dibao', documents: ['idCard', 'authorisation', 'declaration'] },
    { policyId: 'compulsoryEducationAid', documents: ['idCard', 'itemForm', 'transferSlip'] },
  ]);
  const b = await submit(second.id, [{ policyId: 'nearDibao', documents: ['idCard'] }]);
  caseIds = [...a.cases, ...b.cases].map((c) => c.id);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('一门受理（花园镇全科社工）', () => {
  it('在工作台打开案件，完成受理环节，办理记录写明依据', async () => {
    expect(caseIds.length).toBe(3);
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'huayuan');
    await page.goto('/intake');
    await seeText(page, '最低生活保障');
    await screenshot(page, 'intake-workbench-desktop-zh');
    await page.getByText('最低生活保障').first().click();
    await page.getByTestId('case-drawer').waitFor();
    await page.getByTestId('act').click();
    await seeText(page, '已办理');
    await seeText(page, '依据：');
    expect(await page.getByTestId('case-drawer').textContent()).toContain('家庭经济状况核对');
    await screenshot(page, 'intake-case-desktop-zh');
    await context.close();
  });

  it('材料不全时退回并一次性列出全部缺少的材料（英文界面）', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await page.addInitScript(() => localStorage.setItem('doudi.language', 'en'));
    await login(page, 'huayuan');
    await page.goto('/intake');
    await seeText(page, 'Near-dibao', 30_000);
    await page
      .getByText(/Near-dibao/)
      .first()
      .click();
    await page.getByTestId('case-drawer').waitFor();
    await page.getByTestId('act').click();
    await seeText(page, /whole list at once/);
    const text = (await page.getByTestId('case-drawer').textContent()) ?? '';
    expect(text).toContain('Authorisation to verify means');
    expect(text).toContain('Declaration of income and assets');
    await screenshot(page, 'intake-case-returned-desktop-en');
    await context.close();
  });
});
