/**
 * 县民政干部调整低保标准：起草 → 检查（编译+测试）→ 看差异 → 从将来的日期起发布。
 * A retroactive change first fails the scenario tests and cannot be published.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchBrowser,
  login,
  openSession,
  screenshot,
  seeText,
  startServer,
  type TestServer,
} from './harness.ts';

const FILE = 'parameters/dibaoStandardRural.yaml';

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

function chinaDate(offsetDays: number): string {
  const now = new Date(Date.now() + offsetDays * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now);
}

async function editorText(page: Page): Promise<string> {
  return page.getByTestId('editor-body').inputValue();
}

describe('县民政干部：政策管理', () => {
  it('提高农村低保标准：追溯修改被场景测试拦下，改为将来日期起施行后检查通过、看差异、发布', async () => {
    const future = chinaDate(40);
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'county');
    await page.getByTestId('side-menu').getByText('政策管理').click();
    await page.getByTestId('policy-ledger').waitFor();
    await seeText(page, '最低生活保障');
    await screenshot(page, 'policies-ledger-county-desktop-zh');

    await page.getByText('参数与变量').click();
    await page.getByTestId('policy-files').getByText(FILE).click();
    await page.getByTestId('policy-edit').click();
    await page.getByTestId('editor-body').waitFor();
    const original = await editorText(page);
    expect(original).toContain('2025-01-01: 59000');

    // 1. 直接改 2025 年的取值：已施行的标准被改，场景测试不通过，不能发布。
    await page.getByTestId('editor-body').fill(original.replace('2025-01-01: 59000', '2025-01-01: 61000'));
    await page.getByTestId('draft-check').click();
    await page.getByTestId('check-failed').waitFor({ timeout: 30_000 });
    await seeText(page, 'dibao.amountFen');
    expect(await page.getByTestId('draft-publish').isDisabled()).toBe(true);
    await screenshot(page, 'policies-check-failed-county-desktop-zh', true);

    // 2. 改为新增一个将来日期的取值：检查通过，差异只有一行。
    const raised = original.replace(
      '      2025-01-01: 59000\n',
      `      2025-01-01: 59000\n      ${future}: 62000\n`,
    );
    await page.getByTestId('editor-body').fill(raised);
    await page.getByTestId('draft-check').click();
    await page.getByTestId('check-passed').waitFor({ timeout: 30_000 });
    await page.getByTestId('draft-diff').click();
    await page.getByTestId('diff-view').waitFor();
    expect(await page.getByTestId('diff-view').textContent()).toContain(`+      ${future}: 62000`);
    await screenshot(page, 'policies-editor-diff-county-desktop-zh', true);

    // 3. 发布：生效日期为将来，写明原因。
    await page.getByTestId('draft-publish').click();
    const picker = page.locator('.ant-modal .ant-picker input');
    await picker.click();
    await picker.fill(future);
    await picker.press('Enter');
    await page.getByTestId('publish-reason').fill('县政府常务会议决定提高农村低保标准');
    await screenshot(page, 'policies-publish-county-desktop-zh');
    await page.getByTestId('publish-confirm').click();

    // 4. 版本记录：第 1 版，将来生效；今日施行的仍是基线。
    await page.getByTestId(`versions-${FILE}`).waitFor();
    await seeText(page, '今日施行：基线');
    await seeText(page, `第 1 版 ${future} 起施行`);
    expect(await page.getByTestId(`versions-${FILE}`).textContent()).toContain(
      '县政府常务会议决定提高农村低保标准',
    );
    await screenshot(page, 'policies-versions-county-desktop-zh');

    // The ledger for the future date reports another catalogue version than today's.
    const today = await page.evaluate(() => fetch('/api/policies').then((r) => r.json()));
    const then = await page.evaluate(
      (d) => fetch(`/api/policies/catalog?date=${d}`).then((r) => r.json()),
      future,
    );
    expect(today.version).toMatch(/^disk-/);
    expect(then.version).toMatch(/^pv-/);
    expect(then.overlays).toEqual([
      expect.objectContaining({ file: FILE, versionNo: 1, effectiveFrom: future }),
    ]);
    await context.close();
    // Two checks, each compiling the whole catalogue in a worker: allow for a loaded machine.
  }, 180_000);

  it('政策详情以表格展示条件、待遇和台账信息；全科社工只能查看', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'huayuan');
    await page.goto('/policies');
    await page.getByTestId('policy-ledger').getByText('最低生活保障', { exact: true }).click();
    await page.getByTestId('policy-conditions').waitFor();
    await seeText(page, '一票否决');
    await seeText(page, '孝昌县民政局社会救助股');
    expect(await page.getByTestId('policy-edit').count()).toBe(0);
    await screenshot(page, 'policies-detail-caseworker-desktop-zh', true);
    await page.getByTestId('language-switch').click();
    await seeText(page, 'Conditions');
    await seeText(page, 'fen per month');
    await screenshot(page, 'policies-detail-caseworker-desktop-en');
    await page.getByTestId('language-switch').click();
    await page.goto(`/policies/edit?file=${encodeURIComponent('policies/dibao.yaml')}`);
    await seeText(page, '无权');
    await context.close();
  });
});
