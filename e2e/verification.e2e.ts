/**
 * 核对报告 in the browser: the verification centre has loaded four department files about a 花园镇
 * household; the township caseworker opens the household, goes to its verification report, sees the
 * flags with their legal basis, opens the PDF, and approves the figures by take-highest with one
 * written change. Pictures in Chinese and English, desktop and phone.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiSession,
  launchBrowser,
  login,
  openSession,
  PHONE,
  SCREENSHOT_DIR,
  screenshot,
  seeText,
  startServer,
  type TestServer,
  uploadSourceCsv,
} from './harness.ts';

let server: TestServer;
let browser: Browser;
let householdId = '';
const AS_OF = '2025-06-30';

/** GB 11643 check character (as in intake.e2e.ts): a valid ID number of the county. */
function idNumber(birth: string, sequence: string): string {
  const first17 = `420921${birth}${sequence}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * (weights[i] ?? 0), 0);
  return first17 + ('10X98765432'[sum % 11] ?? '');
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const huayuan = await apiSession(server.baseUrl, 'huayuan');
  const villages = await huayuan.get<{ code: string }[]>('/api/regions/420921100000/children');
  const head = { name: '陈德明', idNumber: idNumber('19610315', '031') };
  const spouse = { name: '黄秀兰', idNumber: idNumber('19630722', '042') };
  const household = await huayuan.post<{ id: string }>('/api/households', {
    householdNumber: 'E2E-VR-0001',
    regionCode: villages[0]?.code,
    address: '花园镇花园社区建设路20号',
    registeredOn: '2020-01-01',
    head,
    members: [{ ...spouse, relationshipToHead: 'spouse' }],
  });
  householdId = household.id;
  const h = `${head.idNumber},${head.name}`;
  const s = `${spouse.idNumber},${spouse.name}`;
  const files: [string, string][] = [
    [
      'realEstate',
      `记录编号,身份证号码,姓名,不动产权证号,坐落,建筑面积(平方米),用途,登记日期\nRE-1,${h},鄂(2019)孝昌县不动产权第0101号,花园镇建设路20号,98.5,成套住宅,2019-05-01\nRE-2,${h},鄂(2021)孝感市不动产权第0102号,孝感市城站路8号,120,成套住宅,2021-09-01\n`,
    ],
    [
      'vehicle',
      `记录编号,身份证号码,姓名,号牌号码,车辆类型,品牌,购置价格(元),登记日期,残疾人专用车\nV-1,${s},鄂K88888,小型汽车,奔驰,380000,2023-03-01,否\n`,
    ],
    [
      'business',
      `记录编号,身份证号码,姓名,市场主体名称,统一社会信用代码,主体类型,任职身份,注册资本(元),成立日期\nB-1,${h},孝昌县德明商贸有限公司,91420921MA000002X,有限责任公司,法定代表人,500000,2018-01-01\n`,
    ],
    [
      'tax',
      `记录编号,身份证号码,姓名,所得年度,扣缴义务人,工资薪金收入(元),已缴税额(元)\nT-1,${s},2024,孝感某厂,48000,0\n`,
    ],
  ];
  for (const [source, csv] of files) await uploadSourceCsv(server.baseUrl, 'verify', source, csv, AS_OF);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('核对报告（花园镇全科社工）', () => {
  it('从家庭详情打开核对报告：疑点写明依据，PDF 可打印，就高核定并写明改动理由', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'huayuan');
    await page.goto(`/households/${householdId}?asOf=${AS_OF}`);
    await page.getByTestId('verification-report-link').click();
    await page.getByTestId('verification-report').waitFor();
    await seeText(page, '家庭成员名下有住房2套，超过上限1套');
    await seeText(page, '黄秀兰名下车辆鄂K88888购置价38万元');
    await seeText(page, '担任注册资本50万元企业');
    const flags = (await page.getByTestId('report-flags').textContent()) ?? '';
    expect(flags).toContain('民发〔2021〕57号');
    await screenshot(page, 'verification-report-desktop-zh');
    await screenshot(page, 'verification-report-full-zh', true);

    const pdf = await page.request.get(
      `/api/verification/households/${householdId}/report.pdf?asOf=${AS_OF}`,
    );
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    await page.getByTestId('reconciliation').scrollIntoViewIfNeeded();
    await page.getByTestId('override-wageIncome').fill('3800');
    await page.getByTestId('approve').click();
    await seeText(page, /须写明理由/);
    await page.getByTestId('reason-wageIncome').fill('按银行流水核定，含年终奖摊销');
    await page.getByTestId('approve').click();
    await seeText(page, '核定值已确认');
    // The card reloads the reconciliation after the approval.
    await seeText(page, /已于 .+ 确认核定/);
    const status = (await page.getByTestId('approval-status').textContent()) ?? '';
    expect(status).toContain('已于');
    const table = (await page.getByTestId('reconciliation').textContent()) ?? '';
    expect(table).toContain('人工调整');
    expect(table).toContain('按银行流水核定');
    await page
      .getByTestId('reconciliation')
      .screenshot({ path: path.join(SCREENSHOT_DIR, 'verification-reconcile-zh.png') });
    await context.close();
  });

  it('English report, and the phone layout', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await page.addInitScript(() => localStorage.setItem('doudi.language', 'en'));
    await login(page, 'huayuan');
    await page.goto(`/households/${householdId}/verification?asOf=${AS_OF}`);
    await seeText(page, 'Household members own 2 homes; the limit is 1');
    await seeText(page, 'Take-highest reconciliation');
    await screenshot(page, 'verification-report-desktop-en');
    await context.close();

    const phone = await openSession(browser, server.baseUrl, PHONE);
    await login(phone.page, 'huayuan');
    await phone.page.goto(`/households/${householdId}/verification?asOf=${AS_OF}`);
    await seeText(phone.page, '家庭经济状况核对报告');
    await screenshot(phone.page, 'verification-report-phone-zh');
    await phone.context.close();
  });
});
