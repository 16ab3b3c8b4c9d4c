/**
 * 监测预警 in the browser: a grid worker on a phone reports a family in difficulty (点单); the 花园镇
 * caseworker finds it on the alert list, accepts it, visits, reports back and closes it in the
 * drawer; the portrait shows seven dimensions on a radar; the county sees the dashboard (with two
 * alerts left unhandled past their time limit and escalated: 超期上报 by township and level) and
 * downloads it as Excel. Pictures in Chinese and English, desktop and phone.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiSession,
  launchBrowser,
  login,
  openSession,
  PHONE,
  screenshot,
  seeText,
  startServer,
  type TestServer,
} from './harness.ts';
import { pickOption } from './selects.ts';

let server: TestServer;
let browser: Browser;

// The server's test clock (cli/fileClock.ts): empty = real time, until the dashboard test moves it on
// so that accepted alerts run past their handling limit. The server child inherits process.env.
const CLOCK_FILE = path.join(mkdtempSync(path.join(tmpdir(), 'doudi-e2e-alerts-')), 'clock');
writeFileSync(CLOCK_FILE, '');
process.env.DOUDI_CLOCK_FILE = CLOCK_FILE;

/** GB 11643 check character (as in intake.e2e.ts): a valid ID number of the county. */
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
  await huayuan.post('/api/households', {
    householdNumber: 'E2E-AL-0001',
    regionCode: '420921100001',
    address: '花园镇花园社区解放街12号',
    registeredOn: '2019-05-01',
    head: { name: '郑秀英', idNumber: idNumber('19520312', '021') },
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('监测预警：点单 → 派单 → 接单 → 办结', () => {
  it('网格员用手机上报困难，按规则派给属地民政', async () => {
    const { page, context } = await openSession(browser, server.baseUrl, PHONE);
    await login(page, 'grid');
    await page.goto('/alerts/raise');
    await page.getByTestId('raise-form').waitFor();
    await screenshot(page, 'E-alert-raise-phone-zh', true);
    await page.getByTestId('raise-household').click();
    await page.keyboard.type('郑秀英');
    await pickOption(page, 'E2E-AL-0001');
    await page.getByText('收入骤减、生活困难').click();
    await page
      .getByTestId('raise-description')
      .fill('老伴去年去世，本人患糖尿病，今年养老金外没有其他收入，药费负担重');
    await page.getByTestId('raise-submit').click();
    await page.getByTestId('raise-done').waitFor();
    await seeText(page, '属地民政');
    await screenshot(page, 'E-alert-raised-phone-zh');
    await page.evaluate(() => localStorage.setItem('doudi.language', 'en'));
    await page.goto('/alerts/raise');
    await seeText(page, 'Kind of hardship');
    // The grid worker follows what they reported.
    await page.getByTestId('my-requests').getByText('Dispatched').waitFor();
    await screenshot(page, 'E-alert-raise-phone-en', true);
    await context.close();
  });

  it('乡镇社工在预警列表接单、走访、反馈、办结，每一步留痕', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'huayuan');
    await page.goto('/alerts');
    await seeText(page, '郑秀英');
    await screenshot(page, 'E-alert-list-desktop-zh');
    await page.getByText('郑秀英').first().click();
    await page.getByTestId('alert-drawer').waitFor();
    await seeText(page, '待接单');
    await page.getByTestId('action-accept').click();
    await seeText(page, '已接单');
    await page.getByTestId('handling-select').click();
    await pickOption(page, '入户走访');
    await page.getByTestId('action-note').fill('入户走访：情况属实，建议申请临时救助');
    await page.getByTestId('action-handle').click();
    await seeText(page, '办理中');
    await page.getByTestId('action-note').fill('已发放临时救助 2000 元');
    await page.getByTestId('action-feedback').click();
    await seeText(page, '已反馈');
    await page.getByTestId('outcome-select').click();
    await pickOption(page, '已救助帮扶');
    await page.getByTestId('action-close').click();
    await page.getByTestId('alert-status').getByText('已办结').waitFor();
    const events = (await page.getByTestId('alert-events').textContent()) ?? '';
    for (const step of ['点单', '派单', '接单', '办理', '反馈', '办结']) expect(events).toContain(step);
    await screenshot(page, 'E-alert-drawer-desktop-zh');
    // The portrait: seven dimensions on a radar, evidence and suggested policies.
    await page.getByTestId('open-portrait').click();
    await page.getByTestId('portrait-radar').waitFor();
    await seeText(page, '社会支持');
    // When it was reported, as a date in China.
    expect(await page.getByTestId('portrait-raised').textContent()).toMatch(/^\d{4}-\d{2}-\d{2} 上报$/);
    await screenshot(page, 'E-alert-portrait-desktop-zh', true);
    await context.close();
  });

  it('县民政看预警看板并导出 Excel；英文界面', async () => {
    // Two more families reported and accepted by 花园镇, then left: the clock moves on past the
    // handling limit and the sweep escalates (甲 twice, to the township then the county; 乙 once).
    const huayuan = await apiSession(server.baseUrl, 'huayuan');
    const grid = await apiSession(server.baseUrl, 'grid');
    const county = await apiSession(server.baseUrl, 'county');
    const accept = async (id: string) => {
      const { alert } = await huayuan.get<{ alert: { version: number } }>(`/api/alerts/${id}`);
      await huayuan.post(`/api/alerts/${id}/actions`, { action: 'accept', version: alert.version });
    };
    const late: string[] = [];
    for (const [n, name] of [
      ['2', '吴桂兰'],
      ['3', '钱志刚'],
    ] as const) {
      const household = await huayuan.post<{ id: string }>('/api/households', {
        householdNumber: `E2E-AL-000${n}`,
        regionCode: '420921100001',
        address: `花园镇花园社区新街${n}号`,
        registeredOn: '2019-05-01',
        head: { name, idNumber: idNumber('19600512', `03${n}`) },
      });
      const raised = await grid.post<{ alert: { id: string } }>(
        '/api/alerts',
        {
          householdId: household.id,
          category: 'income',
          description: '家中主要劳动力外出务工受伤，收入中断',
        },
        { 'idempotency-key': `e2e-alerts-late-${n}-${Date.now()}` },
      );
      late.push(raised.alert.id);
    }
    await accept(late[0] as string);
    const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
    writeFileSync(CLOCK_FILE, day(40));
    await county.post('/api/alerts/sweep');
    await accept(late[1] as string);
    writeFileSync(CLOCK_FILE, day(80));
    await county.post('/api/alerts/sweep');

    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'county');
    await page.goto('/alerts/dashboard');
    await page.getByTestId('monthly-trend').waitFor();
    await page.getByTestId('handling-escalations').waitFor();
    await seeText(page, '超时未接单');
    await seeText(page, '超期上报（按乡镇、上报级数）');
    await screenshot(page, 'E-alert-dashboard-desktop-zh', true);
    const xlsx = await page.request.get('/api/alerts/dashboard.xlsx');
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()['content-type']).toContain('spreadsheetml');
    expect((await xlsx.body()).subarray(0, 2).toString()).toBe('PK');

    await page.evaluate(() => localStorage.setItem('doudi.language', 'en'));
    await page.reload();
    await seeText(page, 'Alert dashboard');
    await seeText(page, 'Overdue handling escalated (by township and level)');
    await screenshot(page, 'E-alert-dashboard-desktop-en', true);
    writeFileSync(CLOCK_FILE, '');
    await page.goto('/alerts');
    await page.getByTestId('alert-view').getByText('All').click();
    await seeText(page, 'Closed');
    await screenshot(page, 'E-alert-list-desktop-en');
    await page.getByText('郑秀英').first().click();
    await page.getByTestId('open-portrait').click();
    await page.getByTestId('portrait-radar').waitFor();
    await seeText(page, 'Social support');
    await screenshot(page, 'E-alert-portrait-desktop-en', true);
    await context.close();
  });
});
