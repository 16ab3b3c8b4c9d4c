/**
 * Browser helpers of the application journeys (applicationJourney.e2e.ts): acting on a case in the
 * intake drawer, the window wizard, and catching a downloaded PDF.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { pickOption } from './selects.ts';

/** GB 11643 check character (as in intake.e2e.ts): a valid ID number of the county. */
export function idNumber(birth: string, sequence: string): string {
  const first17 = `420921${birth}${sequence}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * (weights[i] ?? 0), 0);
  return first17 + ('10X98765432'[sum % 11] ?? '');
}

/** Opens a case the way staff do from the intake page of its application. */
export async function openCase(page: Page, applicationId: string, policyName: string) {
  await page.goto(`/intake?application=${applicationId}`);
  await page.getByTestId('application-cases').getByText(policyName, { exact: true }).first().click();
  await page.getByTestId('case-drawer').waitFor();
}

/** Completes the drawer's current step: outcome, the documents ticked, then 提交. */
export async function act(page: Page, options: { outcome?: string; documents?: string[] } = {}) {
  const drawer = page.getByTestId('case-drawer');
  if (options.outcome) {
    await drawer.locator('.ant-form-item').filter({ hasText: '办理结果' }).locator('.ant-select').click();
    await pickOption(page, options.outcome);
  }
  for (const name of options.documents ?? []) await drawer.getByLabel(name, { exact: true }).check();
  await drawer.getByTestId('act').click();
}

export async function actAndSeeDone(page: Page, options: { outcome?: string; documents?: string[] } = {}) {
  await act(page, options);
  await page.getByTestId('case-drawer').getByText('已办理', { exact: true }).waitFor();
}

/** Runs the window wizard for a household and the given items, ticking every document; returns the application id. */
export async function windowIntake(page: Page, headName: string, policyIds: string[]): Promise<string> {
  await page.goto('/intake');
  await page.getByTestId('open-wizard').click();
  await page.getByTestId('household-search').locator('input').fill(headName);
  await page.getByTestId('household-search').locator('input').press('Enter');
  await page.getByTestId('choose-household').first().click();
  await page.getByTestId('evaluate').click();
  await page.getByTestId('suggestions').waitFor();
  for (const box of await page.locator('[data-testid^="pick-"]').all()) {
    const id = ((await box.getAttribute('data-testid')) ?? '').slice('pick-'.length);
    if ((await box.isChecked()) !== policyIds.includes(id)) await box.click();
  }
  await page.getByTestId('wizard-next').click();
  const checklist = page.getByTestId('checklist');
  await checklist.waitFor();
  for (const box of await checklist.locator('input[type="checkbox"]').all()) await box.check();
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('submit-application').click();
  await page.getByTestId('application-cases').waitFor({ timeout: 30_000 });
  const id = new URL(page.url()).searchParams.get('application');
  if (!id) throw new Error('the wizard did not land on its application');
  return id;
}

/** Clicks and returns the PDF it downloads (a download in the page or in a popup the click opens). */
export async function pdfFrom(page: Page, click: () => Promise<void>): Promise<Buffer> {
  const context = page.context();
  const saved = (p: Page) =>
    p.waitForEvent('download', { timeout: 30_000 }).then(async (d) => readFile((await d.path()) as string));
  const result = Promise.any([
    saved(page),
    context.waitForEvent('page', { timeout: 30_000 }).then((popup) => saved(popup)),
  ]);
  await click();
  return result;
}

/** The API session shape of harness.ts apiSession. */
export interface JourneyApi {
  get<T>(url: string): Promise<T>;
  post<T>(url: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
}

/** Registers a household of 花园社区 for a journey (set-up data a user would not type); returns its id and head's ID number. */
export async function registerJourneyHousehold(
  api: JourneyApi,
  n: number,
  head: { name: string; birth: string; phone?: string },
  members: { name: string; birth: string; relationshipToHead: string }[] = [],
): Promise<{ id: string; idNumber: string }> {
  const headId = idNumber(head.birth, `07${n}`);
  const created = await api.post<{ id: string }>('/api/households', {
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
  return { id: created.id, idNumber: headId };
}

/** A household's case of a policy, open or finished (for navigating to it). */
export async function caseOf(api: JourneyApi, householdId: string, policyId: string) {
  const list = await api.get<{
    items: { id: string; applicationId: string; householdId: string; policyId: string }[];
  }>('/api/intake/cases?pageSize=100');
  const found = list.items.find((c) => c.householdId === householdId && c.policyId === policyId);
  if (!found) throw new Error(`no ${policyId} case for ${householdId}`);
  return found;
}

export async function currentStep(api: JourneyApi, caseId: string): Promise<string | undefined> {
  const c = await api.get<{ currentStep: { id: string } | null }>(`/api/intake/cases/${caseId}`);
  return c.currentStep?.id;
}
