/**
 * Issue 6 browser journeys, on one server (start-up is the expensive part):
 * 1. dibao from a phone to enrolment: the resident signs in by one-time code and applies online → the
 *    花园镇 caseworker accepts at intake → the verification centre reads the report and completes
 *    verification → home visit on a phone by two investigators (their figures reach take-highest,
 *    which the caseworker approves) → township opinion → 7-day public notice (closing early is
 *    refused; the server's test clock, DOUDI_CLOCK_FILE, then moves 8 days on) → county confirmation
 *    → decision notice → enrolment, seen on the enrolment page and the resident's portal → the
 *    confirmation decision PDF downloads from the case and from the portal;
 * 2. one window intake with dibao + compulsory-education aid: the education item is referred to the
 *    education bureau's inbox, handled there, and its feedback shows back on the intake page;
 * 3. emergency temporary aid: paid first (先行救助), and verification is still required afterwards.
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
  DEMO_PASSWORD,
  launchBrowser,
  login,
  openSession,
  PHONE,
  type Session,
  screenshot,
  seeText,
  startServer,
  type TestServer,
} from './harness.ts';
import { act, actAndSeeDone, idNumber, openCase, pdfFrom, windowIntake } from './journeyHelpers.ts';

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
const EDUCATION = '义务教育家庭经济困难学生生活补助';
const TEMPORARY = '临时救助（支出型）';
const DECISION_TITLE = '最低生活保障审核确认决定书';
let server: TestServer;
let browser: Browser;
type Api = Awaited<ReturnType<typeof apiSession>>;
let huayuanApi: Api;
const households: Record<'resident' | 'referral' | 'emergency', { id: string; idNumber: string }> = {
  resident: { id: '', idNumber: '' },
  referral: { id: '', idNumber: '' },
  emergency: { id: '', idNumber: '' },
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

/** Cookie and CSRF headers of a signed-in user, for the raw requests whose status the test checks. */
async function authHeaders(username: string): Promise<Record<string, string>> {
  const csrf = await fetch(`${server.baseUrl}/api/auth/csrf`);
  const cookies = csrf.headers.getSetCookie().map((c) => c.split(';')[0]);
  const { token } = (await csrf.json()) as { token: string };
  const signedIn = await fetch(`${server.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { cookie: cookies.join('; '), 'x-csrf-token': token, 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (!signedIn.ok) throw new Error(`login ${username}: ${signedIn.status}`);
  cookies.push(...signedIn.headers.getSetCookie().map((c) => c.split(';')[0]));
  return { cookie: cookies.join('; '), 'x-csrf-token': token };
}

/** The application of a household's open or finished case of a policy (for navigating to it). */
async function caseOf(householdId: string, policyId: string) {
  const list = await huayuanApi.get<{
    items: { id: string; applicationId: string; householdId: string; policyId: string }[];
  }>('/api/intake/cases?pageSize=100');
  const found = list.items.find((c) => c.householdId === householdId && c.policyId === policyId);
  if (!found) throw new Error(`no ${policyId} case for ${householdId}`);
  return found;
}

async function currentStep(caseId: string): Promise<string | undefined> {
  const c = await huayuanApi.get<{ currentStep: { id: string } | null }>(`/api/intake/cases/${caseId}`);
  return c.currentStep?.id;
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  huayuanApi = await apiSession(server.baseUrl, 'huayuan');
  const register = async (
    key: keyof typeof households,
    n: number,
    head: { name: string; birth: string; phone?: string },
    members: { name: string; birth: string; relationshipToHead: string }[] = [],
  ) => {
    const headId = idNumber(head.birth, `07${n}`);
    const created = await huayuanApi.post<{ id: string }>('/api/households', {
      householdNumber: `E2E-JRN-000${n}`,
      regionCode: '420921100001',
      address: `花园镇花园社区友谊路${n}号`,
      registeredOn: '2020-01-01',
      head: { name: head.name, idNumber: headId, ...(head.phone ? { phone: head.phone } : {}) },
      members: members.map((m, i) => ({
        name: m.name,
        idNumber: idNumber(m.birth, `09${n + i}`),
        relationshipToHead: m.relationshipToHead,
      })),
    });
    households[key] = { id: created.id, idNumber: headId };
  };
  await register('resident', 1, { name: '罗长根', birth: '19590410', phone: RESIDENT_PHONE }, [
    { name: '罗秀梅', birth: '19610822', relationshipToHead: 'spouse' },
  ]);
  await register('referral', 2, { name: '冯志强', birth: '19800705' }, [
    { name: '冯小雨', birth: '20150912', relationshipToHead: 'daughter' },
  ]);
  await register('emergency', 3, { name: '邱桂芬', birth: '19661203' });
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

describe('一门受理转办：教育救助转教育局，反馈回到受理页', () => {
  it('窗口一次受理低保和义务教育补助，教育事项到教育局收件箱，办结后反馈可见', async () => {
    const staff = await openSession(browser, server.baseUrl);
    await login(staff.page, 'huayuan');
    const applicationId = await windowIntake(staff.page, '冯志强', ['dibao', 'compulsoryEducationAid']);
    const cases = staff.page.getByTestId('application-cases');
    await cases.getByText(DIBAO, { exact: true }).waitFor();
    await cases.getByText(EDUCATION, { exact: true }).waitFor();
    // Routed to the department that owns it, named in the reader's language.
    expect(await cases.locator('.ant-list-item').filter({ hasText: EDUCATION }).textContent()).toContain(
      '· 教育',
    );
    // The window hands the item over with its referral slip (recorded at the wizard).
    await openCase(staff.page, applicationId, EDUCATION);
    const drawer = staff.page.getByTestId('case-drawer');
    if (await drawer.getByLabel('转办单', { exact: true }).count())
      await actAndSeeDone(staff.page, { documents: ['转办单'] });
    else await actAndSeeDone(staff.page);
    const education = await caseOf(households.referral.id, 'compulsoryEducationAid');
    expect(await currentStep(education.id)).toBe('departmentHandling');
    await screenshot(staff.page, 'J2-referred-zh');

    const dept = await openSession(browser, server.baseUrl);
    await login(dept.page, 'education');
    await dept.page.goto('/intake');
    await dept.page.getByRole('tab', { name: '部门收件箱' }).waitFor();
    const inboxRow = dept.page.getByRole('row').filter({ hasText: EDUCATION }).first();
    await inboxRow.waitFor();
    await screenshot(dept.page, 'J2-department-inbox-zh');
    await inboxRow.click();
    await dept.page.getByTestId('case-drawer').waitFor();
    await actAndSeeDone(dept.page, { documents: ['部门办理结果'] });
    // Feedback to the window: the department reports the result back.
    await dept.page.goto('/intake');
    await dept.page.getByRole('tab', { name: '部门收件箱' }).waitFor();
    await dept.page.getByRole('row').filter({ hasText: '结果反馈' }).first().click();
    await dept.page.getByTestId('case-drawer').waitFor();
    await actAndSeeDone(dept.page, { documents: ['办理结果反馈记录'] });
    await dept.context.close();

    // Back at the window: the intake page shows the education item done, its history the feedback.
    await staff.page.goto(`/intake?application=${applicationId}`);
    const item = cases.locator('.ant-list-item').filter({ hasText: EDUCATION });
    await item.getByText('已办结').waitFor();
    expect(await cases.locator('.ant-list-item').filter({ hasText: DIBAO }).textContent()).toContain(
      '办理中',
    );
    await item.click();
    const timeline = staff.page.getByTestId('case-drawer');
    await timeline.getByText(/完成 结果反馈 .*县教育局 刘老师/).waitFor();
    expect(await timeline.textContent()).toContain('部门办理');
    await screenshot(staff.page, 'J2-feedback-zh');
    await staff.context.close();
  });
});

describe('临时救助急难型：先行救助，事后仍须核对', () => {
  it('受理时选急难，先发放，核对仍在后面且不能跳过', async () => {
    const staff = await openSession(browser, server.baseUrl);
    await login(staff.page, 'huayuan');
    const applicationId = await windowIntake(staff.page, '邱桂芬', ['temporaryAid']);
    await openCase(staff.page, applicationId, TEMPORARY);
    await actAndSeeDone(staff.page, { outcome: 'emergency' });
    const aid = await caseOf(households.emergency.id, 'temporaryAid');
    expect(await currentStep(aid.id)).toBe('emergencyPayment');
    await openCase(staff.page, applicationId, TEMPORARY);
    await actAndSeeDone(staff.page, { documents: ['先行救助发放记录'] });
    expect(await currentStep(aid.id)).toBe('verificationAfter');
    // Paid, and the checks are still ahead: the step list shows verification after aid as current.
    const drawer = staff.page.getByTestId('case-drawer');
    await drawer.locator('.ant-steps-item-process').getByText('事后核对').waitFor();
    expect(await drawer.locator('.ant-steps-item-finish').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('先行救助')]),
    );
    await screenshot(staff.page, 'J3-paid-first-zh');

    // Nothing skips the checks: the supplementary approval cannot be done now.
    const c = await huayuanApi.get<{ version: number }>(`/api/intake/cases/${aid.id}`);
    const skipped = await fetch(`${server.baseUrl}/api/intake/cases/${aid.id}/transitions`, {
      method: 'POST',
      headers: { ...(await authHeaders('huayuan')), 'content-type': 'application/json' },
      body: JSON.stringify({
        version: c.version,
        step: 'supplementaryApproval',
        action: 'complete',
        documents: ['authorisation', 'supplementaryApproval'],
      }),
    });
    expect(skipped.status).toBeGreaterThanOrEqual(400);
    expect(skipped.status).toBeLessThan(500);
    expect(await currentStep(aid.id)).toBe('verificationAfter');
    await staff.context.close();

    // The verification centre completes the check after the aid; the case then goes on to the visit.
    const centre = await openSession(browser, server.baseUrl);
    await login(centre.page, 'verify');
    await openCase(centre.page, applicationId, TEMPORARY);
    await actAndSeeDone(centre.page, { documents: ['家庭经济状况核对报告'] });
    expect(await currentStep(aid.id)).toBe('homeVisitAfter');
    const events =
      (await centre.page.getByTestId('case-drawer').locator('.ant-timeline').textContent()) ?? '';
    expect(events.indexOf('先行救助')).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('事后核对')).toBeGreaterThan(events.indexOf('先行救助'));
    await centre.context.close();
  });
});
