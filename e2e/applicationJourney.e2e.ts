/**
 * Issue 6 browser journey, dibao from a phone to enrolment: the resident signs in by one-time code and applies online → the
 *    花园镇 caseworker accepts at intake → the verification centre reads the report and completes
 *    verification → home visit on a phone by two investigators (their figures reach take-highest,
 *    which the caseworker approves) → township opinion → 7-day public notice (closing early is
 *    refused; the server's test clock, DOUDI_CLOCK_FILE, then moves 8 days on) → county confirmation
 *    → decision notice → enrolment, seen on the enrolment page and the resident's portal → the
 *    confirmation decision PDF downloads from the case and from the portal;
 * (Referral to a department and emergency aid: referralJourney.e2e.ts.)
 * Set-up data a user would not type (the registered households) goes through the API.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiSession,
  launchBrowser,
  login,
  openSession,
  PHONE,
  type Session,
  screenshot,
  seeText,
  signedInHeaders,
  startServer,
  type TestServer,
} from './harness.ts';
import {
  act,
  actAndSeeDone,
  caseOf as caseOfHelper,
  currentStep as currentStepHelper,
  openCase,
  pdfFrom,
  registerJourneyHousehold,
} from './journeyHelpers.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'doudi-e2e-journey-'));
const SMS_FILE = path.join(scratch, 'sms.log');
const CLOCK_FILE = path.join(scratch, 'clock');
writeFileSync(SMS_FILE, '');
// Empty: the server runs on the real time until the test writes an instant (see cli/fileClock.ts).
writeFileSync(CLOCK_FILE, '');
// The server child process inherits both (the harness passes process.env on).
process.env.DOUDI_DEV_SMS_FILE = SMS_FILE;
process.env.DOUDI_CLOCK_FILE = CLOCK_FILE;

const RESIDENT_PHONE = '13972008866';
const DIBAO = '最低生活保障';
const _EDUCATION = '义务教育家庭经济困难学生生活补助';
const _TEMPORARY = '临时救助（支出型）';
const DECISION_TITLE = '最低生活保障审核确认决定书';
let server: TestServer;
let browser: Browser;
type Api = Awaited<ReturnType<typeof apiSession>>;
let huayuanApi: Api;
const households: Record<'resident', { id: string; idNumber: string }> = {
  resident: { id: '', idNumber: '' },
};

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

const _authHeaders = (username: string) => signedInHeaders(server.baseUrl, username);

const caseOf = (householdId: string, policyId: string) => caseOfHelper(huayuanApi, householdId, policyId);
const currentStep = (caseId: string) => currentStepHelper(huayuanApi, caseId);

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  huayuanApi = await apiSession(server.baseUrl, 'huayuan');
  households.resident = await registerJourneyHousehold(
    huayuanApi,
    1,
    { name: '罗长根', birth: '19590410', phone: RESIDENT_PHONE },
    [{ name: '罗秀梅', birth: '19610822', relationshipToHead: 'spouse' }],
  );
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('低保：居民手机申请到纳入保障、下载决定书', () => {
  let applicationId = '';
  let caseId = '';
  let resident: Session | undefined;

  it('居民用手机验证码登录并在线申请低保', async () => {
    // The resident stays signed in on the phone for the rest of the journey (a second code within a
    // minute would be refused by the resend limit).
    resident = await openSession(browser, server.baseUrl, PHONE);
    const { page } = resident;
    await page.goto('/resident/login');
    await page.getByTestId('resident-phone').fill(RESIDENT_PHONE);
    await page.getByTestId('resident-send-code').click();
    await seeText(page, '验证码已发送');
    await page.getByTestId('resident-code').fill(await codeFor(RESIDENT_PHONE));
    await page.getByTestId('resident-sign-in').click();
    await page.getByTestId('resident-id-number').fill(households.resident.idNumber);
    await page.getByTestId('resident-sign-in').click();
    await page.getByTestId('portal-apply').click();
    await page.getByTestId('apply-item-dibao').click();
    await page.getByTestId('apply-submit').click();
    await page.getByTestId('portal-case').first().waitFor();
    await seeText(page, /当前：受理/);
    await screenshot(page, 'J1-resident-applied-phone-zh', true);
    const c = await caseOf(households.resident.id, 'dibao');
    applicationId = c.applicationId;
    caseId = c.id;
  });

  it('乡镇窗口受理，核对中心看报告并完成核对', async () => {
    const staff = await openSession(browser, server.baseUrl);
    await login(staff.page, 'huayuan');
    await staff.page.goto('/intake');
    // The online application waits on the workbench; the caseworker ticks the papers brought in.
    await staff.page.getByRole('row').filter({ hasText: DIBAO }).filter({ hasText: '受理' }).first().click();
    await staff.page.getByTestId('case-drawer').waitFor();
    await actAndSeeDone(staff.page, {
      documents: ['居民身份证、户口簿', '家庭经济状况核对授权书', '家庭收入、财产申报表'],
    });
    expect(await currentStep(caseId)).toBe('verification');
    await staff.context.close();

    const centre = await openSession(browser, server.baseUrl);
    await login(centre.page, 'verify');
    await centre.page.goto(`/households/${households.resident.id}/verification`);
    await centre.page.getByTestId('verification-report').waitFor();
    await seeText(centre.page, '家庭经济状况核对报告');
    await screenshot(centre.page, 'J1-verification-report-zh');
    await openCase(centre.page, applicationId, DIBAO);
    await actAndSeeDone(centre.page, { documents: ['家庭经济状况核对报告'] });
    expect(await currentStep(caseId)).toBe('homeVisit');
    await centre.context.close();
  });

  it('两名调查人员用手机入户调查，调查数字进入就高核定', async () => {
    const first = await openSession(browser, server.baseUrl, PHONE);
    await first.context.grantPermissions(['geolocation']);
    await first.context.setGeolocation({ latitude: 30.8671, longitude: 113.9167, accuracy: 20 });
    await login(first.page, 'huayuan');
    await openCase(first.page, applicationId, DIBAO);
    await first.page.getByTestId('open-visit').click();
    await first.page.getByTestId('home-visit').waitFor();
    await first.page.getByTestId('locate').click();
    await seeText(first.page, /纬度 30\.8671/);
    await first.page.getByTestId('address').fill('花园镇花园社区友谊路1号');
    await first.page.getByTestId('second-investigator').fill('grid');
    await first.page.getByLabel('工资性收入', { exact: true }).fill('900');
    await first.page.getByTestId('condition').fill('老两口同住，男方腿脚不便，无固定收入');
    await first.page.getByTestId('save-visit').click();
    await seeText(first.page, '待第二名调查人员确认', 30_000);
    const photo = await sharp({
      create: { width: 640, height: 480, channels: 3, background: { r: 120, g: 130, b: 110 } },
    })
      .jpeg()
      .toBuffer();
    await first.page
      .getByTestId('photo-input')
      .setInputFiles({ name: 'room.jpg', mimeType: 'image/jpeg', buffer: photo });
    await seeText(first.page, '入户照片（1 张）', 30_000);

    const second = await openSession(browser, server.baseUrl, PHONE);
    await login(second.page, 'grid');
    await second.page.goto('/intake');
    await second.page.getByTestId('visits-awaiting-me').getByRole('link').first().click();
    await second.page.getByTestId('confirm-visit').click();
    await seeText(second.page, '两名调查人员已确认');
    await second.context.close();

    await first.page.reload();
    await first.page.getByTestId('complete-step').click();
    await seeText(first.page, '入户调查环节已完成');
    await screenshot(first.page, 'J1-visit-done-phone-zh');
    await first.context.close();
    expect(await currentStep(caseId)).toBe('townshipOpinion');

    // Take-highest: declared (none online), home visit (900 a month) and department records (none).
    const staff = await openSession(browser, server.baseUrl);
    await login(staff.page, 'huayuan');
    await staff.page.goto(`/households/${households.resident.id}/verification`);
    const card = staff.page.getByTestId('reconciliation');
    await card.scrollIntoViewIfNeeded();
    await seeText(staff.page, /入户调查：.+调查人员 .+、.+/);
    await staff.page.getByTestId('approve').click();
    await seeText(staff.page, '核定值已确认');
    expect((await card.textContent()) ?? '').toContain('900');
    await screenshot(staff.page, 'J1-take-highest-zh');
    await staff.context.close();
  });

  it('乡镇审核、公示7天（期满前不能办结）、县级确认、送达、纳入保障', async () => {
    const staff = await openSession(browser, server.baseUrl);
    await login(staff.page, 'huayuan');
    await openCase(staff.page, applicationId, DIBAO);
    await actAndSeeDone(staff.page, { documents: ['乡镇（街道）审核意见'] });

    await staff.page.goto('/notices');
    await staff.page.getByTestId('notices-pending').getByRole('button').first().click();
    await staff.page.getByRole('dialog').locator('input').fill('620');
    await staff.page.getByRole('dialog').locator('.ant-btn-primary').click();
    await seeText(staff.page, '没有待发布公示的案件');

    // The notice runs 7 days: closing it today is refused, and the case stays at the notice.
    await openCase(staff.page, applicationId, DIBAO);
    await act(staff.page, { outcome: 'noObjection', documents: ['公示记录（起止日期、张贴照片）'] });
    await seeText(staff.page, /“公示”须满7天|期满后才能办结公示环节/);
    expect(await currentStep(caseId)).toBe('publicNotice');
    // Eight days later (the server's test clock), with no objection lodged.
    const later = new Date(Date.now() + 8 * 24 * 3600 * 1000);
    writeFileSync(CLOCK_FILE, later.toISOString());
    await openCase(staff.page, applicationId, DIBAO);
    await actAndSeeDone(staff.page, {
      outcome: 'noObjection',
      documents: ['公示记录（起止日期、张贴照片）'],
    });
    expect(await currentStep(caseId)).toBe('confirmation');

    const county = await openSession(browser, server.baseUrl);
    await login(county.page, 'county');
    await county.page.goto('/intake');
    await county.page.getByRole('tab', { name: '县级审核确认' }).waitFor();
    await county.page
      .getByRole('row')
      .filter({ hasText: DIBAO })
      .filter({ hasText: '审核确认' })
      .first()
      .click();
    await county.page.getByTestId('case-drawer').waitFor();
    await actAndSeeDone(county.page, { documents: ['审核确认决定'] });
    await county.context.close();
    expect(await currentStep(caseId)).toBe('decisionNotice');

    await openCase(staff.page, applicationId, DIBAO);
    await actAndSeeDone(staff.page, { documents: ['决定通知书送达回执'] });
    await openCase(staff.page, applicationId, DIBAO);
    await actAndSeeDone(staff.page, { documents: ['纳入保障及发放账户登记'] });
    await seeText(staff.page, '已办结');
    await staff.page.goto('/enrolment');
    const row = staff.page.getByTestId('enrolment-table').getByRole('row').filter({ hasText: '罗长根' });
    await row.waitFor();
    expect(await row.textContent()).toContain('620');
    await screenshot(staff.page, 'J1-enrolment-zh');
    await staff.context.close();
  });

  it('居民在手机上看到已办结和在册情况（每月金额）', async () => {
    const page = resident?.page;
    if (!page) throw new Error('the resident is not signed in');
    await page.reload();
    await seeText(page, '在册情况');
    await seeText(page, /每月 620(\.00)? 元/);
    await seeText(page, '已办结');
    await screenshot(page, 'J1-resident-enrolled-phone-zh', true);
  });

  // The documents card is helper "docs"' contract: buttons named 下载 + the document title.
  it('决定书 PDF：案件页和居民手机上都能下载', async () => {
    const staff = await openSession(browser, server.baseUrl);
    await login(staff.page, 'huayuan');
    await openCase(staff.page, applicationId, DIBAO);
    const button = staff.page.getByRole('button', { name: new RegExp(`下载.*${DECISION_TITLE}`) });
    await button.first().waitFor({ timeout: 15_000 });
    await screenshot(staff.page, 'J1-case-documents-zh');
    const pdf = await pdfFrom(staff.page, () => button.first().click());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await staff.context.close();

    const page = resident?.page;
    if (!page) throw new Error('the resident is not signed in');
    await page.reload();
    const mine = page.getByRole('button', { name: new RegExp(`下载.*${DECISION_TITLE}`) });
    await mine.first().waitFor({ timeout: 15_000 });
    const own = await pdfFrom(page, () => mine.first().click());
    expect(own.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await screenshot(page, 'J1-resident-documents-phone-zh', true);
    await resident?.context.close();
  });
});
