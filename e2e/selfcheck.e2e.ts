/**
 * 救助助手 (public self-check) on a phone, 375 × 812: from the login page's link, without an
 * account, fill the three steps for an elderly rural couple and read the results.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openSession, screenshot, seeText, startServer, type TestServer } from './harness.ts';
import { pickOption } from './selects.ts';

const SMALL_PHONE = { width: 375, height: 812 };

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Opens an antd Select by its test id and picks the option with this text (or the first). */
async function choose(page: Page, testId: string, text?: string) {
  await page.getByTestId(testId).click();
  await pickOption(page, text ?? /./);
}

async function noSideways(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(SMALL_PHONE.width);
}

/** The same household through the API, for the figure the page must show. */
async function tekunFromApi(regionCode: string): Promise<number | null> {
  const csrf = await fetch(`${server.baseUrl}/api/auth/csrf`);
  const cookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { token } = (await csrf.json()) as { token: string };
  const member = {
    health: 'chronicIllness',
    disabilityGrade: 0,
    workCapacity: 'full',
    employment: 'notWorking',
    schoolingStage: 'none',
    careNeeds: [],
    boarding: false,
  };
  const response = await fetch(`${server.baseUrl}/api/public/self-check`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': token, 'content-type': 'application/json' },
    body: JSON.stringify({
      regionCode,
      urban: false,
      members: [
        { ...member, relationship: 'self', age: 75 },
        { ...member, relationship: 'spouse', age: 72, health: 'healthy' },
      ],
      incomeYuanPerMonth: { transfer: 300 },
      property: { housingUnits: 1, vehicles: 0, businesses: 0, depositsYuan: 5000 },
    }),
  });
  const body = (await response.json()) as { results: { policyId: string; amountFen: number | null }[] };
  return body.results.find((r) => r.policyId === 'tekun')?.amountFen ?? null;
}

describe('救助助手（手机）', () => {
  it('不登录，分三步填写一对农村老年夫妇，看到可能符合的救助、金额、材料和电话', async () => {
    const { page, context } = await openSession(browser, server.baseUrl, SMALL_PHONE);
    await page.goto('/login');
    await page.getByTestId('self-check-link').waitFor();
    await screenshot(page, 'self-check-login-link-phone');
    await page.getByTestId('self-check-link').click();
    await page.getByTestId('self-check-privacy').waitFor();
    expect(new URL(page.url()).pathname).toBe('/self-check');
    expect(await page.getByTestId('self-check-privacy').textContent()).toContain('不会被保存');

    // Step 1: address and household.
    await choose(page, 'self-check-township', '花园镇');
    await choose(page, 'self-check-village');
    await page.getByText('农村', { exact: true }).click();
    await page.getByTestId('self-check-age-0').fill('75');
    const first = page.getByTestId('self-check-member-0');
    await first.getByText('慢性病', { exact: true }).click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'self-check-step1-phone');
    await noSideways(page);
    await page.getByTestId('self-check-add-member').click();
    await page.getByTestId('self-check-age-1').fill('72');
    // Employment is asked for adults; choose it for both.
    for (const i of [0, 1]) {
      const card = page.getByTestId(`self-check-member-${i}`);
      await card.locator('.ant-form-item').filter({ hasText: '现在做什么' }).locator('.ant-select').click();
      await pickOption(page, '没有工作');
    }
    await page.getByTestId('self-check-next').click();

    // Step 2: income.
    await page.getByTestId('self-check-income-transfer').fill('300');
    await noSideways(page);
    await screenshot(page, 'self-check-step2-phone');
    await page.getByTestId('self-check-next').click();

    // Step 3: spending and property, then the results.
    await page.getByTestId('self-check-deposits').fill('5000');
    await screenshot(page, 'self-check-step3-phone', true);
    await page.getByTestId('self-check-next').click();
    await page.getByTestId('self-check-results').waitFor({ timeout: 20_000 });

    expect(await page.getByTestId('self-check-results').textContent()).toMatch(
      /按 \d{4}-\d{2}-\d{2} 的政策测算/,
    );
    expect(await page.getByTestId('self-check-notice').textContent()).toContain('以审核结果为准');
    // Elderly, no one liable to support them, income below the standard: tekun, which supersedes
    // dibao (catalog/README.md "Precedence between policies").
    const tekun = page.getByTestId('self-check-result-tekun');
    await tekun.waitFor();
    const text = (await tekun.textContent()) ?? '';
    expect(text).toContain('特困人员救助供养');
    expect(text).toContain('可能符合');
    expect(text).toContain('家庭经济状况核对授权书');
    expect(text).toContain('孝昌县民政局社会救助股');
    expect(await tekun.getByTestId('self-check-call').getAttribute('href')).toBe('tel:0712-4722361');
    // Policies that follow from tekun (medical aid…) are offered as "once approved as 特困人员".
    expect(await page.getByTestId('self-check-after').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('self-check-after').first().textContent()).toMatch(/^认定为.+后$/);
    await noSideways(page);
    await screenshot(page, 'self-check-results-phone');
    await screenshot(page, 'self-check-results-phone-full', true);

    // The page's figure is the API's figure for the same household.
    const apiAmount = await tekunFromApi('420921100001');
    expect(apiAmount).not.toBeNull();
    const yuan = (apiAmount as number) / 100;
    expect(await tekun.getByTestId('self-check-amount').textContent()).toContain(
      `约 ${Number.isInteger(yuan) ? yuan.toLocaleString('zh-CN') : yuan.toFixed(2)} 元/月`,
    );

    // The policies that do not apply sit folded away, each with its first reason.
    await page.getByText(/暂不符合的 \d+ 项/).click();
    await seeText(page, '高龄津贴');
    await seeText(page, '可按「特困人员救助供养」办理，不重复享受本项');
    await screenshot(page, 'self-check-unlikely-phone', true);

    // English switch on the results.
    await page.getByTestId('language-switch').click();
    await seeText(page, 'Support your household may qualify for');
    expect(await tekun.textContent()).toContain('Extreme-poverty support');
    await screenshot(page, 'self-check-results-phone-en');

    // Changing the answers keeps what was entered.
    await page.getByTestId('self-check-edit').click();
    expect(await page.getByTestId('self-check-age-0').inputValue()).toBe('75');
    expect(await page.getByTestId('self-check-age-1').inputValue()).toBe('72');
    await context.close();
  });
});
