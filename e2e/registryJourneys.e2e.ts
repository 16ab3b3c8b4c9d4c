/**
 * Registry journeys as a caseworker, the county office and an auditor would make them: move a
 * person to another household (found by 户号), end a dibao period on a date, look at the
 * household as it stood before both, edit a household (field messages, the server's under its
 * field), merge a likely duplicate, and find a reveal just made in the personal-data access log.
 * Data the journeys start from is made through the API; every step after is the browser's.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiSession,
  launchBrowser,
  login,
  openSession,
  screenshot,
  seeText,
  startServer,
  type TestServer,
} from './harness.ts';
import { pickOption } from './selects.ts';

let server: TestServer;
let browser: Browser;

/** GB 11643: ISO 7064 MOD 11-2 check character of the first 17 digits. */
function withCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * (weights[i] ?? 0), 0);
  return first17 + ('10X98765432'[sum % 11] ?? '');
}
/** An ID number of the county born on `birth` (YYYYMMDD); `sequence` ends odd for men, even for women. */
const idNumber = (birth: string, sequence: string) => withCheck(`420921${birth}${sequence}`);

interface Created {
  id: string;
  headPersonId: string;
  members: { id: string; name: string }[];
}

const HEAD_A_ID = idNumber('19600312', '011');
const REVEAL_PURPOSE = '低保年度复核核对身份';
let householdA: Created;
let householdB: Created;
let householdC: Created;
let daughterId = '';

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const huayuan = await apiSession(server.baseUrl, 'huayuan');
  const villages = await huayuan.get<{ code: string }[]>('/api/regions/420921100000/children');
  const village = villages[0]?.code;
  const household = (number: string, head: object, members: object[] = []) =>
    huayuan.post<Created>('/api/households', {
      householdNumber: number,
      regionCode: village,
      address: '花园镇花园社区建设路1号',
      registeredOn: '2020-01-01',
      head,
      members,
    });
  householdA = await household('E2E-A-0001', { name: '陈大山', idNumber: HEAD_A_ID }, [
    { name: '陈小红', idNumber: idNumber('19900615', '022'), relationshipToHead: 'daughter' },
  ]);
  daughterId = householdA.members.find((m) => m.name === '陈小红')?.id ?? '';
  await huayuan.post(`/api/households/${householdA.id}/categories`, {
    category: 'dibao',
    validFrom: '2024-01-01',
    monthlyAmountFen: 52_000,
  });
  householdB = await household('E2E-B-0002', { name: '刘建华', idNumber: idNumber('19650808', '031') });
  householdC = await household('E2E-C-0003', { name: '周正', idNumber: idNumber('19700101', '051') }, [
    { name: '吴芳', idNumber: idNumber('19720202', '062'), relationshipToHead: 'spouse' },
    { name: '周小宝', idNumber: idNumber('20150909', '071'), relationshipToHead: 'son' },
  ]);
  // Other views of personal data, so each filter of the access log has something to leave out.
  await huayuan.post(`/api/persons/${householdB.headPersonId}/reveal`, {
    field: 'idNumber',
    purpose: '核对刘建华的申请材料',
  });
  const fengshan = await apiSession(server.baseUrl, 'fengshan');
  const [fengshanVillage] = await fengshan.get<{ code: string }[]>('/api/regions/420921101000/children');
  const other = await fengshan.post<Created>('/api/households', {
    householdNumber: 'E2E-F-0006',
    regionCode: fengshanVillage?.code,
    address: '丰山镇某村2号',
    head: { name: '孙丰年', idNumber: idNumber('19550303', '131'), phone: '13912345678' },
  });
  await fengshan.post(`/api/persons/${other.headPersonId}/reveal`, {
    field: 'idNumber',
    purpose: '丰山镇入户核实身份',
  });
  // Two records of one old man: same name, birth date and village, two ID numbers.
  await household('E2E-D-0004', { name: '赵守田', idNumber: idNumber('19450505', '091') });
  await household('E2E-E-0005', { name: '赵守田', idNumber: idNumber('19450505', '113') });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Types a date into an antd DatePicker (by its input id) and commits it. */
async function fillDate(page: Page, id: string, date: string): Promise<void> {
  await page.locator(`#${id}`).click();
  await page.locator(`#${id}`).fill(date);
  await page.keyboard.press('Enter');
}

async function errorUnder(page: Page, field: string): Promise<string> {
  const item = page.locator('.ant-form-item').filter({ has: page.locator(`#${field}`) });
  const error = item.locator('.ant-form-item-explain-error');
  // antd may show the message's box a moment before its text (its motion): wait for the text.
  await eventually(async () => (await error.allTextContents()).join(' ').trim()).not.toBe('');
  return (await error.allTextContents()).join(' ');
}

// antd writes a two-character Chinese button as 终 止, so buttons are found by these.
const END = /^终\s*止$/;
const MERGE = /^合\s*并$/;

/** expect.poll with room for a busy machine (its default gives up after one second). */
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });

const memberNames = async (page: Page) =>
  (await page.getByTestId('members-table').getByTestId('member-link').allTextContents()).sort();

describe('户籍办理（花园镇全科社工）', () => {
  it('把陈小红迁到按户号找到的另一户，迁移日期 2025-03-01', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'huayuan');
    await page.goto(`/persons/${daughterId}`);
    await page.getByTestId('person-transfer').click();
    await page.getByTestId('transfer-form').waitFor();
    // 户号 prefix, searched on the server.
    await page.locator('#toHouseholdId').fill('E2E-B');
    await pickOption(page, 'E2E-B-0002 · 刘建华');
    await page.locator('#relationshipToHead').click();
    await pickOption(page, '儿媳');
    await fillDate(page, 'movedOn', '2025-03-01');
    await page.locator('#reason').fill('婚后迁入夫家');
    await screenshot(page, 'journey-transfer-dialog');
    await page.getByTestId('transfer-form-ok').click();
    await page.getByTestId('transfer-form').waitFor({ state: 'detached' });
    await eventually(() => page.getByTestId('person-detail').textContent()).toContain('E2E-B-0002 · 儿媳');

    await page.goto(`/households/${householdB.id}`);
    await page.getByTestId('members-table').waitFor();
    expect(await memberNames(page)).toEqual(['刘建华', '陈小红'].sort());
    await context.close();
  });

  it('终止陈大山户的低保，终止日期 2025-06-30，表中显示终止日期', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'huayuan');
    await page.goto(`/households/${householdA.id}`);
    const table = page.getByTestId('categories-table');
    await table.getByText('低保').waitFor();
    await table.getByRole('button', { name: END }).click();
    await page.getByRole('dialog').getByRole('button', { name: END }).click();
    await seeText(page, '请填写终止原因');
    await fillDate(page, 'validTo', '2025-06-30');
    await page.locator('#reason').fill('家庭收入超过低保标准');
    await page.getByRole('dialog').getByRole('button', { name: END }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await eventually(() => table.textContent()).toContain('2025-06-30');
    expect(await table.getByRole('button', { name: END }).count()).toBe(0);
    await context.close();
  });

  it('查看 2025-01-01 的状态：陈小红还在户里，低保在保；回到今天后不在', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'huayuan');
    await page.goto(`/households/${householdA.id}`);
    await page.getByTestId('members-table').waitFor();
    expect(await memberNames(page)).toEqual(['陈大山']);
    await page.getByTestId('as-of').click();
    await page.getByTestId('as-of').fill('2025-01-01');
    await page.keyboard.press('Enter');
    await seeText(page, '正在查看 2025-01-01 的状态');
    expect(new URL(page.url()).searchParams.get('asOf')).toBe('2025-01-01');
    await eventually(() => memberNames(page)).toEqual(['陈大山', '陈小红'].sort());
    const dibao = page.getByTestId('categories-table').locator('.ant-tag-green');
    expect(await dibao.textContent()).toBe('2025-06-30');
    // A past view cannot be edited.
    expect(await page.getByTestId('household-edit').count()).toBe(0);
    await screenshot(page, 'journey-household-as-of', true);
    await page.getByRole('button', { name: '回到今天' }).click();
    await eventually(() => memberNames(page)).toEqual(['陈大山']);
    await context.close();
  });

  it('修改户信息：住址必填；未成年人不能当户主（服务器原因显示在字段下）；改为配偶当户主', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'huayuan');
    await page.goto(`/households/${householdC.id}`);
    await page.getByTestId('household-edit').click();
    const form = page.getByTestId('household-edit-form');
    await form.waitFor();
    await form.getByTestId('field-address').fill('   ');
    await page.getByTestId('household-edit-form-ok').click();
    expect(await errorUnder(page, 'address')).toBe('请输入住址');
    await form.getByTestId('field-address').fill('花园镇府前街8号');
    // A 居委会 household is urban when registered; the edit makes it rural.
    expect(await page.getByTestId('household-header').textContent()).toContain('城镇');
    await form.getByText('农村').click();
    await page.locator('#headPersonId').click();
    await pickOption(page, '周小宝');
    await page.locator('#previousHeadRelationship').click();
    await pickOption(page, '父亲');
    await page.getByTestId('household-edit-form-ok').click();
    expect(await errorUnder(page, 'headPersonId')).toMatch(/户主须年满18周岁，周小宝现为\d+周岁/);
    await screenshot(page, 'journey-household-edit-error');

    await page.locator('#headPersonId').click();
    await pickOption(page, '吴芳');
    await page.locator('#previousHeadRelationship').click();
    await pickOption(page, '配偶');
    await page.getByTestId('household-edit-form-ok').click();
    await form.waitFor({ state: 'detached' });
    const header = page.getByTestId('household-header');
    await eventually(() => header.textContent()).toContain('花园镇府前街8号');
    const text = (await header.textContent()) ?? '';
    expect(text).toContain('吴芳');
    expect(text).toContain('农村');
    expect(text).not.toContain('城镇');
    await context.close();
  });

  it('查看陈大山的完整身份证号码（填写用途），记入个人信息查看记录', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'huayuan');
    // Caseworkers do not read the log.
    expect(await page.getByTestId('side-menu').getByText('个人信息查看记录').count()).toBe(0);
    await page.goto(`/households/${householdA.id}`);
    await page.getByTestId('members-table').getByTestId('reveal-idNumber').first().click();
    await page.getByTestId('reveal-purpose').fill(REVEAL_PURPOSE);
    expect(await page.getByTestId('reveal-purpose').inputValue()).toBe(REVEAL_PURPOSE);
    await page.getByTestId('reveal-ok').click();
    // The value, or whatever error came instead (one CI run waited 30 s here for neither, on a
    // loaded machine; this makes the next such failure say what the page showed).
    const outcome = page
      .getByTestId('revealed-value')
      .or(page.locator('.ant-message-error, .ant-form-item-explain-error'))
      .first();
    await outcome.waitFor().catch(async (error: unknown) => {
      await screenshot(page, 'FAILED-reveal-id-number');
      throw error;
    });
    expect(await outcome.textContent()).toBe(HEAD_A_ID);
    await context.close();
  });
});

describe('个人信息查看记录（审计人员）', () => {
  it('看到刚才的查看：谁、对谁（打码）、用途；按身份证号、查看人、日期筛选', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'auditor');
    await page.getByTestId('side-menu').getByRole('menuitem', { name: '个人信息查看记录' }).click();
    const table = page.getByTestId('access-log-table');
    const firstRow = table.locator('tbody tr.ant-table-row').first();
    await firstRow.waitFor();
    const row = (await firstRow.textContent()) ?? '';
    expect(row).toContain(REVEAL_PURPOSE);
    expect(row).toContain('花园镇社工 李敏');
    expect(row).toContain('陈大山');
    expect(row).toContain('身份证号码');
    expect(row).not.toContain(HEAD_A_ID);
    expect(row).toContain(`${HEAD_A_ID.slice(0, 6)}********${HEAD_A_ID.slice(-4)}`);

    const rows = table.locator('tbody tr.ant-table-row');
    expect(await rows.count()).toBe(3);
    await page.locator('[data-testid="filter-user"]').click();
    await page.keyboard.type('李敏');
    await pickOption(page, '花园镇社工 李敏');
    await eventually(() => new URL(page.url()).searchParams.get('user')).toMatch(/^[0-9a-f-]{36}$/);
    // 李敏's two views; 丰山镇's is left out.
    await eventually(() => rows.count()).toBe(2);
    expect(await table.textContent()).not.toContain('丰山镇入户核实身份');

    await page.getByTestId('filter-idNumber').locator('input').fill(HEAD_A_ID);
    await page.getByTestId('filter-idNumber').locator('input').press('Enter');
    await eventually(() => new URL(page.url()).searchParams.get('idNumber')).toBe(HEAD_A_ID);
    await eventually(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('陈大山');

    // A day before any entry: nothing.
    await page.goto(`${page.url()}&from=2020-01-01&to=2020-01-02`);
    await eventually(
      async () =>
        (await table.locator('.ant-spin-spinning').count()) === 0 &&
        (await table.locator('.ant-empty').count()) === 1 &&
        (await rows.count()) === 0,
    ).toBe(true);
    await page.goto('/registry/access-log');
    await firstRow.waitFor();
    await screenshot(page, 'journey-access-log', true);

    // From the person's page to who has seen their data.
    await page.goto(`/persons/${householdA.headPersonId}`);
    await page.getByTestId('person-access-log').click();
    await seeText(page, '只显示对 陈大山 的查看记录');
    expect(new URL(page.url()).searchParams.get('person')).toBe(householdA.headPersonId);
    await eventually(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(REVEAL_PURPOSE);
    await context.close();
  });
});

describe('疑似重复人员（县民政干部）', () => {
  it('审阅同村同名同出生日期的赵守田，填写原因并确认合并；合并后不再列出', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'county');
    await page.getByTestId('side-menu').getByRole('menuitem', { name: '重复人员' }).click();
    const pair = page.getByTestId('duplicates').locator('.ant-card').filter({ hasText: '赵守田' }).first();
    await pair.waitFor();
    expect(await pair.textContent()).toContain('同村姓名和出生日期相同');
    await screenshot(page, 'journey-duplicates');
    await pair.getByTestId('merge').click();
    const dialog = page.getByRole('dialog', { name: '合并重复人员' });
    await dialog.getByRole('button', { name: MERGE }).click();
    await seeText(page, '请填写合并原因');
    await dialog.locator('textarea').fill('同一人重复登记，以先登记者为准');
    await dialog.getByRole('button', { name: MERGE }).click();
    // The second, explicit confirmation.
    await page.locator('.ant-modal-confirm').getByRole('button', { name: MERGE }).click();
    await seeText(page, '已合并');
    await eventually(() => page.getByTestId('duplicates').getByText('赵守田').count()).toBe(0);
    await context.close();
  });
});
