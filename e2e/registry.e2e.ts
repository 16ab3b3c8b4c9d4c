/**
 * The registry as the 花园镇 caseworker: create a household whose head has a rare character, find
 * it, open it, reveal the masked ID with a purpose; the server's ID-number reason under the field;
 * a 丰山镇 household opened by URL is not found. Also refreshes the list and detail screenshots.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiSession,
  DESKTOP,
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

beforeAll(async () => {
  server = await startServer({ seedHouseholds: 300 });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** GB 11643: ISO 7064 MOD 11-2 check character of the first 17 digits. */
function withCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * (weights[i] ?? 0), 0);
  return first17 + ('10X98765432'[sum % 11] ?? '');
}

const HEAD = '王𠮷';
const ID_NUMBER = withCheck('42092119800101987');
// The same number with a wrong check character.
const WRONG_ID = ID_NUMBER.slice(0, 17) + (ID_NUMBER.endsWith('1') ? '2' : '1');
const HUAYUAN_VILLAGE = '花园社区居委会';

let householdId = '';

async function fillDate(page: Page, id: string, date: string): Promise<void> {
  await page.locator(`#${id}`).click();
  await page.locator(`#${id}`).fill(date);
  await page.keyboard.press('Enter');
}

async function errorUnder(page: Page, field: string): Promise<string> {
  const item = page.locator('.ant-form-item').filter({ has: page.locator(`#${field}`) });
  const error = item.locator('.ant-form-item-explain-error');
  // antd may show the message's box a moment before its text (its motion): wait for the text.
  await expect
    .poll(async () => (await error.allTextContents()).join(' ').trim(), { timeout: 15_000 })
    .not.toBe('');
  return (await error.allTextContents()).join(' ');
}

describe('户籍（花园镇全科社工）', () => {
  it('新建家庭户：身份证校验位错误时在字段下显示服务器原因；户主名含生僻字完整保存', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'huayuan');
    await page.getByTestId('side-menu').getByRole('menuitem', { name: '家庭户籍' }).click();
    await page.getByTestId('households-table').waitFor();
    await page.getByTestId('household-create').click();

    await page.getByTestId('field-householdNumber').fill('E2E-0001');
    await page.locator('#regionCode').click();
    await page.locator('#regionCode').fill('花园社区');
    await page.locator('.ant-select-tree-title', { hasText: HUAYUAN_VILLAGE }).first().click();
    await page.getByTestId('field-address').fill('花园镇府前街1号');
    await page.getByTestId('field-name').fill(HEAD);
    await page.getByTestId('field-idNumber').fill(WRONG_ID);
    await page.locator('#sex').click();
    await pickOption(page, '男');
    await fillDate(page, 'birthDate', '1980-01-01');
    await page.getByTestId('field-phone').fill('13812345678');
    await page.getByTestId('household-submit').click();

    expect(await errorUnder(page, 'idNumber')).toContain('身份证号码校验位错误');

    await page.getByTestId('field-idNumber').fill(ID_NUMBER);
    await page.getByTestId('household-submit').click();
    await page.getByTestId('household-header').waitFor();
    householdId = new URL(page.url()).pathname.split('/').pop() ?? '';
    expect(householdId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await page.getByTestId('household-header').textContent()).toContain(HEAD);
    expect(await page.getByTestId('household-header').textContent()).toContain(HUAYUAN_VILLAGE);
    const member = page.getByTestId('members-table').getByTestId('member-link').first();
    expect(await member.textContent()).toBe(HEAD);
    await context.close();
  });

  it('按姓名找到该户，打开详情，看到脱敏身份证号，填写用途后查看完整号码', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'huayuan');
    await page.goto('/households');
    await page.getByTestId('households-table').waitFor();
    await page.getByTestId('filter-name').locator('input').fill(HEAD);
    await page.getByTestId('filter-name').locator('input').press('Enter');
    const link = page.getByTestId('households-table').getByTestId('household-link');
    // The unfiltered first page may hold it too: wait for the filtered answer.
    await expect.poll(() => link.count(), { timeout: 15_000 }).toBe(1);
    expect(await link.first().textContent()).toBe(HEAD);
    await link.first().click();
    await page.getByTestId('members-table').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/households/${householdId}`);

    const masked = page.getByTestId('members-table').getByTestId('masked-idNumber').first();
    const maskedText = (await masked.textContent()) ?? '';
    expect(maskedText).not.toBe(ID_NUMBER);
    expect(maskedText.startsWith(ID_NUMBER.slice(0, 6))).toBe(true);
    expect(maskedText.endsWith(ID_NUMBER.slice(-4))).toBe(true);
    expect(maskedText).toContain('*');

    await page.getByTestId('members-table').getByTestId('reveal-idNumber').first().click();
    await seeText(page, '查看完整信息会记入审计日志');
    // The purpose is required.
    await page.getByTestId('reveal-ok').click();
    await seeText(page, '请填写查看用途');
    await page.getByTestId('reveal-purpose').fill('核对低保申请材料');
    await page.getByTestId('reveal-ok').click();
    await page.getByTestId('revealed-value').waitFor();
    expect(await page.getByTestId('revealed-value').textContent()).toBe(ID_NUMBER);
    await context.close();
  });

  it('按地址打开丰山镇的家庭：显示“页面不存在”', async () => {
    const fengshan = await apiSession(server.baseUrl, 'fengshan');
    const villages = await fengshan.get<{ code: string; name: string }[]>(
      '/api/regions/420921101000/children',
    );
    const village = villages[0];
    expect(village).toBeDefined();
    const created = await fengshan.post<{ id: string }>('/api/households', {
      householdNumber: 'E2E-FS-0001',
      regionCode: village?.code,
      address: '丰山镇某村1号',
      head: { name: '李丰山', idNumber: withCheck('42092119700505123') },
    });

    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'huayuan');
    await page.goto(`/households/${created.id}`);
    await seeText(page, '页面不存在');
    await context.close();
  });

  it('审计人员在家庭详情中看到该户的操作审计；社工看不到', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'auditor');
    await page.goto(`/households/${householdId}`);
    const audit = page.getByTestId('household-audit');
    await audit.getByText('新建家庭户').first().waitFor();
    await context.close();

    const caseworker = await openSession(browser, server.baseUrl);
    await login(caseworker.page, 'huayuan');
    await caseworker.page.goto(`/households/${householdId}`);
    await caseworker.page.getByTestId('members-table').waitFor();
    expect(await caseworker.page.getByTestId('household-audit').count()).toBe(0);
    await caseworker.context.close();
  });

  for (const [device, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    for (const language of ['zh', 'en'] as const) {
      it(`截图：${device} ${language}`, async () => {
        const { page, context } = await openSession(browser, server.baseUrl, viewport);
        await page.goto('/login');
        await page.evaluate(
          (lang) => localStorage.setItem('doudi.language', lang),
          language === 'en' ? 'en' : 'zh-CN',
        );
        await login(page, 'huayuan');
        const suffix = `${device}-${language}`;
        await page.goto('/households');
        await page.getByTestId('household-link').first().waitFor();
        await screenshot(page, `households-${suffix}`);
        // A seeded dibao household shows more of the page than the one created above.
        await page.goto('/households?category=dibao');
        await page.getByTestId('household-link').first().click();
        await page.getByTestId('members-table').waitFor();
        await page.getByTestId('history-timeline').waitFor();
        await screenshot(page, `household-${suffix}`, true);
        await context.close();
      });
    }
  }
});
