/**
 * 委托核对 and 身后一件事 in the browser. The education bureau's officer files a student-aid request
 * through the form; the verification centre completes it from its queue; the officer reads the
 * result, which holds only what student aid may see (no deposits), and its access log. At the
 * centre's window, an heir's estate inquiry is filed and its report opened, with the PDF.
 * Pictures in Chinese and English.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchBrowser,
  login,
  openSession,
  screenshot,
  seeText,
  startServer,
  type TestServer,
  uploadSourceCsv,
} from './harness.ts';

let server: TestServer;
let browser: Browser;
const AS_OF = '2025-06-30';

function idNumber(birth: string, sequence: string): string {
  const first17 = `420921${birth}${sequence}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * (weights[i] ?? 0), 0);
  return first17 + ('10X98765432'[sum % 11] ?? '');
}
const SCAN = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n');
const parent = { name: '周海涛', idNumber: idNumber('19780412', '051') };
const deceased = { name: '吴长庚', idNumber: idNumber('19450206', '071') };
const heir = { name: '吴建华', idNumber: idNumber('19700518', '083') };

/** Uploads one CSV as a department file, as the verification centre. */
const upload = (source: string, csv: string, asOf = AS_OF) =>
  uploadSourceCsv(server.baseUrl, 'verify', source, csv, asOf);

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const p = `${parent.idNumber},${parent.name}`;
  const d = `${deceased.idNumber},${deceased.name}`;
  await upload(
    'tax',
    `记录编号,身份证号码,姓名,所得年度,扣缴义务人,工资薪金收入(元),已缴税额(元)\nT-1,${p},2024,孝昌县某建材厂,42000,0\n`,
  );
  await upload(
    'bankDeposit',
    `记录编号,身份证号码,姓名,账户编号,金融机构,资产类型,余额(元),余额日期\nD-1,${p},A1,孝昌农商银行,储蓄存款,86000,2025-06-30\nD-2,${d},A2,中国邮政储蓄银行,储蓄存款,152300.5,2025-06-30\n`,
  );
  await upload(
    'realEstate',
    `记录编号,身份证号码,姓名,不动产权证号,坐落,建筑面积(平方米),用途,登记日期\nRE-1,${p},鄂(2019)孝昌县不动产权第0201号,花园镇建设路31号,88,成套住宅,2019-05-01\nRE-2,${d},鄂(2003)孝昌县不动产权第0009号,花园镇老街5号,110,宅基地住宅,2003-01-01\n`,
  );
  await upload(
    'death',
    `记录编号,身份证号码,姓名,死亡日期,死亡原因,是否火化\nDE-1,${d},2025-06-10,疾病,是\n`,
    '2025-06-30',
  );
  // A busy shared machine: the server and four imports can take minutes.
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('委托核对（教育局 → 核对中心）', () => {
  it('the officer files, the centre completes, the result holds only what student aid may see', async () => {
    const officer = await openSession(browser, server.baseUrl);
    await login(officer.page, 'education');
    await officer.page.goto('/delegated');
    await officer.page.getByTestId('delegated-purpose').click();
    await officer.page.getByText('家庭经济困难学生认定').last().click();
    await seeText(officer.page, '此用途可见');
    await officer.page.getByTestId('subject-name-0').fill(parent.name);
    await officer.page.getByTestId('subject-id-0').fill(parent.idNumber);
    await officer.page.getByTestId('delegated-auth-ref').fill('JY-SQ-2025-031');
    await officer.page.locator('[data-testid="delegated-form"] input[type=file]').setInputFiles({
      name: '授权书.pdf',
      mimeType: 'application/pdf',
      buffer: SCAN,
    });
    await screenshot(officer.page, 'delegated-new-desktop-zh', true);
    await officer.page.getByTestId('delegated-submit').click();
    await seeText(officer.page, '已提交，等待核对中心办理');
    await seeText(officer.page, '待办理');

    const centre = await openSession(browser, server.baseUrl);
    await login(centre.page, 'verify');
    await centre.page.goto('/delegated');
    await centre.page.getByTestId('delegated-complete').first().waitFor();
    await screenshot(centre.page, 'delegated-queue-desktop-zh');
    await centre.page.getByTestId('delegated-complete').first().click();
    await seeText(centre.page, '已办结，结果已冻结');

    await officer.page.reload();
    await officer.page.goto('/delegated?tab=mine');
    await officer.page.locator('a[href^="/delegated/"]').first().click();
    await officer.page.getByTestId('delegated-result').waitFor();
    // Student aid sees a property's use and area, not where it is; income, not the employer; no deposits.
    await seeText(officer.page, '成套住宅', 30_000);
    const text = (await officer.page.getByTestId('delegated-result').textContent()) ?? '';
    expect(text).not.toContain('花园镇建设路31号');
    expect(text).not.toContain('孝昌县某建材厂');
    expect(text).not.toContain('孝昌农商银行');
    // The access log names this very view (it reloads once the result has been read).
    await expect
      .poll(async () => (await officer.page.getByTestId('delegated-result').textContent()) ?? '')
      .toContain('查看');
    // The signed authorisation's scan: downloaded as filed, and the download is in the access log.
    const scanHref = await officer.page.getByTestId('authorisation-scan').getAttribute('href');
    const scan = await officer.page.request.get(scanHref ?? '');
    expect(scan.status()).toBe(200);
    expect(scan.headers()['content-type']).toBe('application/pdf');
    expect((await scan.body()).equals(SCAN)).toBe(true);
    await officer.page.reload();
    await seeText(officer.page, '下载授权书扫描件');
    await screenshot(officer.page, 'delegated-result-desktop-zh', true);
    await officer.context.close();

    const en = await openSession(browser, server.baseUrl);
    await en.page.addInitScript(() => localStorage.setItem('doudi.language', 'en'));
    await login(en.page, 'education');
    await en.page.goto('/delegated?tab=mine');
    await en.page.locator('a[href^="/delegated/"]').first().click();
    await seeText(en.page, 'Only the sources and fields');
    // The record lines are in English too (the server sends both languages): no Chinese label or code.
    await seeText(en.page, 'Use: residential flat');
    const english = (await en.page.getByTestId('delegated-result').textContent()) ?? '';
    expect(english).not.toContain('成套住宅');
    expect(english).not.toContain('用途');
    await screenshot(en.page, 'delegated-result-desktop-en', true);
    await en.context.close();
    await centre.context.close();
  }, 300_000);

  it('the centre files an estate inquiry with a notarised document and opens the combined report', async () => {
    const { page, context } = await openSession(browser, server.baseUrl);
    await login(page, 'verify');
    await page.goto('/delegated?tab=estate');
    await page.getByTestId('estate-deceased-name').fill(deceased.name);
    await page.getByTestId('estate-deceased-id').fill(deceased.idNumber);
    await page.getByTestId('estate-heir-name').fill(heir.name);
    await page.getByTestId('estate-heir-id').fill(heir.idNumber);
    await page.getByLabel(/公证书编号/).fill('(2025)鄂孝昌证字第102号');
    await page.getByTestId('estate-auth-ref').fill('SH-2025-07');
    await screenshot(page, 'delegated-estate-form-desktop-zh', true);
    await page.getByTestId('estate-submit').click();
    await page.getByTestId('estate-report').waitFor();
    await seeText(page, '中国邮政储蓄银行');
    await seeText(page, '花园镇老街5号');
    await screenshot(page, 'delegated-estate-report-desktop-zh', true);
    const href = await page.getByTestId('estate-pdf').getAttribute('href');
    const pdf = await page.request.get(href ?? '');
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.evaluate(() => localStorage.setItem('doudi.language', 'en'));
    await page.reload();
    await seeText(page, 'Estate inquiry report');
    await screenshot(page, 'delegated-estate-report-desktop-en', true);
    await context.close();
  }, 300_000);
});
