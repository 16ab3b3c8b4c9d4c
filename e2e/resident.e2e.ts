/**
 * A resident on a phone (390 × 844): signs in with a one-time code (the development sender writes it
 * to DOUDI_DEV_SMS_FILE), links to the register with the ID number on the first sign-in, applies for
 * dibao for their own household and follows the progress; the caseworker posts the village notice,
 * which the resident then sees as theirs. Screenshots in Chinese and English.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
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

const SMS_FILE = path.join(mkdtempSync(path.join(tmpdir(), 'doudi-e2e-sms-')), 'sms.log');
writeFileSync(SMS_FILE, '');
// The server child process inherits this (harness passes process.env on).
process.env.DOUDI_DEV_SMS_FILE = SMS_FILE;

const RESIDENT_PHONE = '13972001234';
let server: TestServer;
let browser: Browser;
let householdId = '';
let idNumberOfHead = '';

/** GB 11643 check character (as in intake.e2e.ts): a valid ID number of the county. */
function idNumber(birth: string, sequence: string): string {
  const first17 = `420921${birth}${sequence}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * (weights[i] ?? 0), 0);
  return first17 + ('10X98765432'[sum % 11] ?? '');
}

async function codeFor(phone: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const line = readFileSync(SMS_FILE, 'utf8')
      .trim()
      .split('\n')
      .filter((l) => l.startsWith(`${phone} `))
      .at(-1);
    if (line) return line.split(' ')[1] as string;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no code was sent');
}

async function noSideways(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  const wide = await page.evaluate(
    (limit) =>
      Array.from(document.querySelectorAll('body *'))
        .filter((e) => e.getBoundingClientRect().right > limit)
        .slice(0, 5)
        .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`),
    PHONE.width,
  );
  expect(width, wide.join('\n')).toBeLessThanOrEqual(PHONE.width);
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const huayuan = await apiSession(server.baseUrl, 'huayuan');
  idNumberOfHead = idNumber('19650615', '031');
  const household = await huayuan.post<{ id: string }>('/api/households', {
    householdNumber: 'E2E-RES-0001',
    regionCode: '420921100001',
    address: '花园镇花园社区幸福路3号',
    registeredOn: '2020-01-01',
    head: { name: '黄德胜', idNumber: idNumberOfHead, phone: RESIDENT_PHONE },
    members: [{ name: '黄小丽', idNumber: idNumber('20100302', '042'), relationshipToHead: 'daughter' }],
  });
  householdId = household.id;
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('居民网上办理（手机）', () => {
  it('用手机号和验证码登录，首次核对身份证号，为本户申请低保，看到办理进度和本户的公示', async () => {
    const { page, context } = await openSession(browser, server.baseUrl, PHONE);
    await page.goto('/resident/login');
    await page.getByTestId('resident-phone').fill(RESIDENT_PHONE);
    await screenshot(page, 'F-resident-login-zh');
    await page.getByTestId('resident-send-code').click();
    await seeText(page, '验证码已发送');
    await page.getByTestId('resident-code').fill(await codeFor(RESIDENT_PHONE));
    await page.getByTestId('resident-sign-in').click();
    // First sign-in: the ID number, checked against the register.
    await page.getByTestId('resident-id-number').fill(idNumberOfHead);
    await screenshot(page, 'F-resident-login-id-zh');
    await page.getByTestId('resident-sign-in').click();
    await page.getByTestId('portal-apply').waitFor();
    await seeText(page, '黄德胜，您好');
    await seeText(page, '还没有申请');
    await noSideways(page);

    await page.getByTestId('portal-apply').click();
    await page.getByTestId('apply-item-dibao').click();
    await screenshot(page, 'F-resident-apply-zh');
    await page.getByTestId('apply-submit').click();
    await page.getByTestId('portal-case').first().waitFor();
    await seeText(page, '最低生活保障');
    await seeText(page, /当前：受理/);
    await seeText(page, '还需要您补交的材料');
    await noSideways(page);
    await screenshot(page, 'F-resident-progress-zh', true);

    // The township takes the case to its notice step and posts the notice on the notices page.
    const huayuan = await apiSession(server.baseUrl, 'huayuan');
    const verify = await apiSession(server.baseUrl, 'verify');
    const portal = await huayuan.get<{ items: { id: string; householdId: string; version: number }[] }>(
      '/api/intake/cases?status=open&pageSize=100',
    );
    const caseId = portal.items.find((c) => c.householdId === householdId)?.id as string;
    const step = async (who: typeof huayuan, body: Record<string, unknown>) => {
      const c = await who.get<{ version: number; currentStep: { id: string } }>(
        `/api/intake/cases/${caseId}`,
      );
      await who.post(`/api/intake/cases/${caseId}/transitions`, {
        version: c.version,
        step: c.currentStep.id,
        ...body,
      });
    };
    await step(huayuan, { action: 'complete', documents: ['idCard', 'authorisation', 'declaration'] });
    await step(verify, { action: 'complete', documents: ['verificationReport'] });
    await step(huayuan, {
      action: 'complete',
      documents: ['homeVisitRecord'],
      investigators: ['李敏', '王伟'],
    });
    await step(huayuan, { action: 'complete', documents: ['townshipOpinion'] });

    const staff = await openSession(browser, server.baseUrl);
    await login(staff.page, 'huayuan');
    await staff.page.goto('/notices');
    await staff.page.getByTestId('notices-pending').getByRole('button').first().click();
    await staff.page.getByRole('dialog').locator('input').fill('580');
    await screenshot(staff.page, 'F-notices-publish-zh');
    await staff.page.getByRole('dialog').locator('.ant-btn-primary').click();
    await seeText(staff.page, '黄德胜');
    // Posted: the case leaves the waiting list.
    await seeText(staff.page, '没有待发布公示的案件');
    await screenshot(staff.page, 'F-notices-zh');
    await staff.page.goto('/enrolment');
    await staff.page.getByTestId('enrolment-table').waitFor();
    await screenshot(staff.page, 'F-enrolment-zh');
    await staff.context.close();

    await page.reload();
    await seeText(page, /当前：公示/);
    await seeText(page, '拟每月 580.00 元');
    await seeText(page, '我家');
    await screenshot(page, 'F-resident-notice-zh', true);

    await page.getByTestId('language-switch').click();
    await seeText(page, 'My applications');
    await seeText(page, /Now: Public notice/);
    await noSideways(page);
    await screenshot(page, 'F-resident-progress-en', true);
    await context.close();
  });

  it('另一户的居民看得到本村公示并可提出异议，但不能为别人家申请', async () => {
    const huayuan = await apiSession(server.baseUrl, 'huayuan');
    const neighbourId = idNumber('19700101', '053');
    await huayuan.post('/api/households', {
      householdNumber: 'E2E-RES-0002',
      regionCode: '420921100001',
      address: '花园镇花园社区幸福路5号',
      registeredOn: '2020-01-01',
      head: { name: '郑秀英', idNumber: neighbourId, phone: '13972005678' },
    });
    const { page, context } = await openSession(browser, server.baseUrl, PHONE);
    await page.goto('/resident/login');
    await page.getByTestId('language-switch').click();
    await page.getByTestId('resident-phone').fill('13972005678');
    await page.getByTestId('resident-send-code').click();
    await page.getByTestId('resident-code').fill(await codeFor('13972005678'));
    await page.getByTestId('resident-sign-in').click();
    await page.getByTestId('resident-id-number').fill(neighbourId);
    await screenshot(page, 'F-resident-login-en');
    await page.getByTestId('resident-sign-in').click();
    await page.getByTestId('portal-apply').waitFor();
    await seeText(page, 'Public notices in my village');
    await page.getByRole('button', { name: 'Object' }).first().click();
    await page.getByRole('dialog').locator('textarea').fill('He runs a shop in the county town');
    await page.getByRole('dialog').locator('.ant-checkbox-input').check();
    await screenshot(page, 'F-resident-objection-en');
    await page.getByTestId('objection-submit').click();
    await seeText(page, 'Objection submitted');
    // The API refuses an application for the other household, whatever the page sends.
    const refused = await page.evaluate(async (id) => {
      const token = (await (await fetch('/api/auth/csrf')).json()).token as string;
      const r = await fetch('/api/intake/applications', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-csrf-token': token,
          'idempotency-key': 'e2e-other-household-1',
        },
        body: JSON.stringify({ householdId: id, channel: 'online', items: [{ policyId: 'dibao' }] }),
      });
      return { status: r.status, code: (await r.json()).code as string };
    }, householdId);
    expect(refused).toEqual({ status: 403, code: 'NOT_OWN_HOUSEHOLD' });
    await context.close();
  });
});
