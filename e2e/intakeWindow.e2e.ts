/**
 * The window intake wizard on a desktop and the home visit on a phone:
 * - 花园镇 caseworker finds a household, asks the rules engine for suggestions (trace shown), picks
 *   dibao, ticks the documents, submits once and lands on the intake page with its cases;
 * - at the home-visit step the caseworker fills the visit form on a phone (position with consent,
 *   figures, a photo), names the grid worker as second investigator, who confirms on their own
 *   phone; then the caseworker completes the step. Pictures in Chinese and English.
 */
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
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

let server: TestServer;
let browser: Browser;
let visitCaseId = '';

function idNumber(birth: string, sequence: string): string {
  const first17 = `420921${birth}${sequence}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * (weights[i] ?? 0), 0);
  return first17 + ('10X98765432'[sum % 11] ?? '');
}

const RESIDENT_ID = idNumber('19750621', '071');

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const huayuan = await apiSession(server.baseUrl, 'huayuan');
  const verify = await apiSession(server.baseUrl, 'verify');
  const household = (n: number, name: string, birth: string) =>
    huayuan.post<{ id: string }>('/api/households', {
      householdNumber: `E2E-WIN-00${n}`,
      regionCode: '420921100001',
      address: `花园镇花园社区建设路${n}号`,
      registeredOn: '2020-01-01',
      head: { name, idNumber: idNumber(birth, `05${n}`) },
    });
  await household(1, '孙秀英', '19520317');
  // Registered in 丰山镇, living in 花园镇: applies where it lives (居住地申办).
  const fengshan = await apiSession(server.baseUrl, 'fengshan');
  const fengshanVillages = await fengshan.get<{ code: string }[]>('/api/regions/420921101000/children');
  await fengshan.post('/api/households', {
    householdNumber: 'E2E-WIN-RES',
    regionCode: fengshanVillages[0]?.code,
    address: '丰山镇丰山村3组',
    registeredOn: '2019-05-01',
    head: { name: '冯志刚', idNumber: RESIDENT_ID },
  });
  // A dibao case moved to its home-visit step, for the phone journey.
  const second = await household(2, '郑建华', '19630918');
  const submitted = await huayuan.post<{ cases: { id: string; version: number }[] }>(
    '/api/intake/applications',
    {
      householdId: second.id,
      channel: 'window',
      items: [{ policyId: 'dibao', documents: ['idCard', 'authorisation', 'declaration'] }],
    },
    { 'idempotency-key': `e2e-window-visit-${second.id}` },
  );
  visitCaseId = submitted.cases[0]?.id ?? '';
  const step = async (client: typeof huayuan, body: object) => {
    const c = await client.get<{ version: number; currentStep: { id: string } }>(
      `/api/intake/cases/${visitCaseId}`,
    );
    await client.post(`/api/intake/cases/${visitCaseId}/transitions`, {
      version: c.version,
      step: c.currentStep.id,
      action: 'complete',
      ...body,
    });
  };
  await step(huayuan, {});
  await step(verify, { documents: ['verificationReport'] });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('窗口受理向导（花园镇全科社工，桌面）', () => {
  it('查找家庭，按规则提示选事项并看测算过程，核对材料，一次提交后看到案件', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'huayuan');
    await page.goto('/intake');
    await page.getByTestId('open-wizard').click();
    await page.getByTestId('intake-wizard').waitFor();
    await page.getByTestId('household-search').locator('input').fill('孙秀英');
    await page.getByTestId('household-search').locator('input').press('Enter');
    await page.getByTestId('choose-household').first().click();
    await page.getByTestId('evaluate').click();
    await page.getByTestId('suggestion-dibao').waitFor();
    const pick = page.getByTestId('pick-dibao');
    if (!(await pick.isChecked())) await pick.check();
    await page.getByTestId('suggestion-dibao').getByText('测算过程').click();
    await page.getByTestId('suggestion-dibao').getByTestId('trace').waitFor();
    await screenshot(page, 'G-wizard-suggestions-desktop-zh');
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('checklist').waitFor();
    for (const name of ['居民身份证、户口簿', '家庭经济状况核对授权书'])
      await page.getByLabel(name).first().check();
    await screenshot(page, 'G-wizard-documents-desktop-zh');
    await page.getByTestId('wizard-next').click();
    // A double click submits once: the same Idempotency-Key is sent again.
    await page.getByTestId('submit-application').dblclick();
    await page.getByTestId('application-cases').waitFor({ timeout: 30_000 });
    await seeText(page, '最低生活保障');
    expect(page.url()).toContain('/intake?application=');
    await screenshot(page, 'G-wizard-landed-desktop-zh');
    const api = await apiSession(server.baseUrl, 'huayuan');
    const apps = await api.get<{ items: { householdId: string; cases: unknown[] }[] }>(
      '/api/intake/applications?pageSize=100',
    );
    const mine = apps.items.filter((a) => a.cases.length > 0);
    expect(new Set(mine.map((a) => a.householdId)).size).toBe(mine.length);
    await context.close();
  });

  it('居住地申办：户籍在丰山镇、住在花园镇的家庭在花园镇窗口受理，提交前不调取户籍地信息', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'huayuan');
    await page.goto('/intake/new');
    await page.getByText('居住地申办').first().click();
    const form = page.getByTestId('residence-lookup');
    await form.getByLabel('申请人身份证号码').fill(RESIDENT_ID);
    await form.locator('#regionCode').click();
    await form.locator('#regionCode').fill('花园社区');
    await page.locator('.ant-select-tree-title', { hasText: '花园社区居委会' }).first().click();
    await form.getByLabel('居住证号码').fill('420921-2025-0088');
    await form.getByRole('button', { name: '查找户籍地登记' }).click();
    await seeText(page, '户籍地：丰山镇');
    await screenshot(page, 'G-wizard-residence-desktop-zh');
    await page.getByTestId('residence-use').click();
    await page.getByTestId('evaluate').click();
    await page.getByTestId('pick-dibao').check();
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('checklist').getByLabel('居民身份证、户口簿').first().check();
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('submit-application').click();
    await page.getByTestId('application-cases').waitFor({ timeout: 30_000 });
    await seeText(page, '最低生活保障');
    const api = await apiSession(server.baseUrl, 'huayuan');
    const apps = await api.get<{
      items: { residence: { permitNumber: string } | null; regionCode: string }[];
    }>('/api/intake/applications?pageSize=100');
    const taken = apps.items.filter((a) => a.residence?.permitNumber === '420921-2025-0088');
    expect(taken).toHaveLength(1);
    expect(taken[0]?.regionCode.startsWith('420921100')).toBe(true);
    await context.close();
  });

  it('英文界面的测算提示', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await page.addInitScript(() => localStorage.setItem('doudi.language', 'en'));
    await login(page, 'huayuan');
    await page.goto('/intake/new');
    await page.getByTestId('household-search').locator('input').fill('郑建华');
    await page.getByTestId('household-search').locator('input').press('Enter');
    await page.getByTestId('choose-household').first().click();
    await page.getByTestId('evaluate').click();
    await page.getByTestId('suggestion-dibao').waitFor();
    await seeText(page, 'Open case exists');
    await screenshot(page, 'G-wizard-suggestions-desktop-en');
    await context.close();
  });
});

describe('入户调查（手机）', () => {
  it('第一名调查人员在户里登记，上传照片，指定第二名调查人员', async () => {
    const { page, context } = await openSession(browser, server.baseUrl, PHONE);
    await context.grantPermissions(['geolocation']);
    await context.setGeolocation({ latitude: 30.866712, longitude: 113.916701, accuracy: 15 });
    await login(page, 'huayuan');
    await page.goto(`/intake/cases/${visitCaseId}/visit`);
    await page.getByTestId('home-visit').waitFor();
    await page.getByTestId('locate').click();
    await seeText(page, /纬度 30\.866712/);
    await page.getByTestId('address').fill('花园镇花园社区建设路2号');
    await page.getByTestId('second-investigator').fill('grid');
    await page.getByLabel('工资性收入', { exact: true }).fill('800');
    await page.getByLabel('存款、理财等金融资产', { exact: true }).fill('3000');
    await page.getByTestId('condition').fill('老两口同住，屋内陈设简单，无大件家电');
    // The form survives a reload (signal lost, page closed): the draft is kept on the phone.
    await page.waitForTimeout(300);
    await page.reload();
    await page.getByTestId('home-visit').waitFor();
    await expect
      .poll(() => page.getByTestId('condition').inputValue(), { timeout: 15_000 })
      .toContain('老两口同住');
    await expect.poll(() => page.getByTestId('second-investigator').inputValue()).toBe('grid');
    await screenshot(page, 'G-visit-form-phone-zh', true);
    await page.getByTestId('save-visit').click();
    await page.getByTestId('visit-status').waitFor({ timeout: 30_000 });
    await seeText(page, '待第二名调查人员确认');
    const photo = await sharp({
      create: { width: 800, height: 600, channels: 3, background: { r: 150, g: 120, b: 90 } },
    })
      .jpeg()
      .toBuffer();
    await page
      .getByTestId('photo-input')
      .setInputFiles({ name: 'house.jpg', mimeType: 'image/jpeg', buffer: photo });
    await seeText(page, '入户照片（1 张）', 30_000);
    await screenshot(page, 'G-visit-saved-phone-zh', true);
    await context.close();
  });

  it('第二名调查人员用自己的账号确认（英文界面），社工随后完成环节', async () => {
    const second = await openSession(browser, server.baseUrl, PHONE);
    await second.page.addInitScript(() => localStorage.setItem('doudi.language', 'en'));
    await login(second.page, 'grid');
    await second.page.goto('/intake');
    await second.page.getByTestId('visits-awaiting-me').waitFor();
    await second.page.goto(`/intake/cases/${visitCaseId}/visit`);
    await seeText(second.page, 'You are the second investigator');
    await screenshot(second.page, 'G-visit-confirm-phone-en', true);
    await second.page.getByTestId('confirm-visit').click();
    await seeText(second.page, 'Confirmed by both investigators');
    await second.context.close();

    const first = await openSession(browser, server.baseUrl, PHONE);
    await login(first.page, 'huayuan');
    await first.page.goto(`/intake/cases/${visitCaseId}/visit`);
    await first.page.getByTestId('complete-step').click();
    await seeText(first.page, '入户调查环节已完成');
    await screenshot(first.page, 'G-visit-done-phone-zh');
    const api = await apiSession(server.baseUrl, 'huayuan');
    const c = await api.get<{ currentStep: { id: string } }>(`/api/intake/cases/${visitCaseId}`);
    expect(c.currentStep.id).toBe('townshipOpinion');
    await first.context.close();
  });
});

describe('部门收件箱与县级审核确认队列', () => {
  it('县民政局看到审核确认队列，教育局看到本部门收件箱', async () => {
    for (const [user, tab, name] of [
      ['county', '县级审核确认', 'G-county-queue-desktop-zh'],
      ['education', '部门收件箱', 'G-department-inbox-desktop-zh'],
    ] as const) {
      const { page, context } = await openSession(browser, server.baseUrl);
      await login(page, user);
      await page.goto('/intake');
      await page.getByRole('tab', { name: tab }).waitFor();
      expect(await page.getByRole('tab', { name: tab }).getAttribute('aria-selected')).toBe('true');
      await screenshot(page, name);
      await context.close();
    }
  });
});
