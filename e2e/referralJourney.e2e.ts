/**
 * Issue 6 browser journeys of one window intake, on one server:
 * - dibao + compulsory-education aid at the window: the education item is referred to the education
 *   bureau's inbox, handled there, and its feedback shows back on the intake page;
 * - emergency temporary aid: paid first (先行救助), and verification is still required afterwards.
 * (The resident's dibao from a phone to the decision PDF: applicationJourney.e2e.ts.)
 * Set-up data a user would not type (the registered households) goes through the API.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiSession,
  launchBrowser,
  login,
  openSession,
  screenshot,
  signedInHeaders,
  startServer,
  type TestServer,
} from './harness.ts';
import {
  actAndSeeDone,
  caseOf as caseOfHelper,
  currentStep as currentStepHelper,
  openCase,
  registerJourneyHousehold,
  windowIntake,
} from './journeyHelpers.ts';

const DIBAO = '最低生活保障';
const EDUCATION = '义务教育家庭经济困难学生生活补助';
const TEMPORARY = '临时救助（支出型）';
let server: TestServer;
let browser: Browser;
let huayuanApi: Awaited<ReturnType<typeof apiSession>>;
const households = { referral: { id: '', idNumber: '' }, emergency: { id: '', idNumber: '' } };
const authHeaders = (username: string) => signedInHeaders(server.baseUrl, username);
const caseOf = (householdId: string, policyId: string) => caseOfHelper(huayuanApi, householdId, policyId);
const currentStep = (caseId: string) => currentStepHelper(huayuanApi, caseId);

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  huayuanApi = await apiSession(server.baseUrl, 'huayuan');
  households.referral = await registerJourneyHousehold(huayuanApi, 2, { name: '冯志强', birth: '19800705' }, [
    { name: '冯小雨', birth: '20150912', relationshipToHead: 'daughter' },
  ]);
  households.emergency = await registerJourneyHousehold(huayuanApi, 3, { name: '邱桂芬', birth: '19661203' });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
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
