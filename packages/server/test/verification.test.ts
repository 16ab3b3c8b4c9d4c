/**
 * The verification report end to end: department files imported for a household and an adult son
 * living apart, the report with provenance, summaries and flags citing the dated parameters, the
 * printable PDF, audit of every view, masking, region scope and hostile input.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from './sourcesFactories.ts';
import { createTestApp, type TestApp } from './testApp.ts';
import { REPORT_DATE, seedVerification, type VerificationWorld } from './verificationFactories.ts';

describe('verification report (核对报告)', () => {
  let t: TestApp;
  let w: VerificationWorld;
  const reportUrl = (id: string, asOf = REPORT_DATE) =>
    `/api/verification/households/${id}/report?asOf=${asOf}`;

  // Seeding and six department imports: minutes on a busy shared PostgreSQL.
  beforeAll(async () => {
    t = await createTestApp();
    w = await seedVerification(t);
    const linked = await w.county.request(
      'POST',
      `/api/verification/households/${w.householdId}/supporters`,
      {
        idNumber: w.supporter.idNumber,
        relationship: 'son',
        validFrom: '2024-01-01',
      },
    );
    expect(linked.statusCode, linked.body).toBe(200);
  }, 300_000);
  afterAll(() => t.drop());

  it('covers the members and the son living apart, each record with its provenance, IDs masked', async () => {
    const response = await w.county.request('GET', reportUrl(w.householdId));
    expect(response.statusCode, response.body).toBe(200);
    const report = response.json();
    expect(report.documentNumber).toMatch(/^核〔2025〕.+-20250630号$/);
    expect(report.persons.map((p: { name: string; role: string }) => [p.name, p.role])).toEqual([
      ['张建国', 'member'],
      ['李桂英', 'member'],
      ['张小明', 'member'],
      ['张大伟', 'supporter'],
    ]);
    const head = report.persons[0];
    const sources = head.records.map((r: { source: string }) => r.source).sort();
    expect(sources).toEqual([
      'bankDeposit',
      'business',
      'realEstate',
      'realEstate',
      'socialInsurance',
      'vehicle',
    ]);
    const deposit = head.records.find((r: { source: string }) => r.source === 'bankDeposit');
    expect(deposit).toMatchObject({
      sourceLabel: '银行存款与理财',
      department: 'finance',
      provenance: { fileName: 'bankDeposit.csv', via: 'upload', validFrom: REPORT_DATE },
    });
    expect(deposit.text).toContain('孝昌农商银行');
    // No full ID number anywhere in the answer.
    for (const who of [w.head, w.spouse, w.son, w.supporter])
      expect(response.body).not.toContain(who.idNumber);
    expect(head.idNumberMasked).toMatch(/\*/);
  });

  it('sums income by type, assets per person, homes, vehicles without the disability vehicle, business roles', async () => {
    const report = (await w.county.request('GET', reportUrl(w.householdId))).json();
    expect(report.totals).toEqual({
      wageIncome: 500_000, // 60,000 yuan in 2024 ÷ 12
      pensionIncome: 150_000, // employee scheme counts
      exemptIncome: 20_000, // resident scheme: basic pension, not counted
      transferIncome: 0,
      financialAssets: 10_000_000,
      housingUnits: 2, // the shop is not a home
      vehicleCount: 1,
      disabilityVehicles: 1,
      businessCount: 1,
    });
    expect(report.properties).toHaveLength(3);
    expect(report.vehicles.map((v: { plate: string }) => v.plate).sort()).toEqual(['鄂K66666', '鄂K88888']);
    expect(report.businessRoles[0]).toMatchObject({
      roleLabel: '法定代表人',
      registeredCapitalFen: 50_000_000,
    });
    const supporter = report.persons[3];
    expect(supporter.assets.total).toBe(2_000_000);
  });

  it('flags with reasons, each citing the parameter in force and its legal reference', async () => {
    const report = (await w.county.request('GET', reportUrl(w.householdId))).json();
    const byCode = (code: string) => report.flags.filter((f: { code: string }) => f.code === code);
    expect(byCode('housing')[0].text).toBe('家庭成员名下有住房2套，超过上限1套');
    expect(byCode('housing')[0].parameter).toMatchObject({ name: 'maxHousingUnits', value: 1 });
    expect(byCode('housing')[0].parameter.reference).toContain('民发〔2021〕57号');
    const cars = byCode('vehicle').map((f: { text: string }) => f.text);
    expect(cars).toContain('李桂英名下车辆鄂K88888购置价38万元，超过提示线5万元');
    expect(cars.some((c: string) => c.startsWith('张大伟（赡养义务人）'))).toBe(true);
    expect(byCode('business')[0].text).toBe(
      '张建国担任注册资本50万元企业“孝昌县建国商贸有限公司”的法定代表人',
    );
    expect(byCode('business')[0].parameter.name).toBe('businessCapitalLimit');
    const assets = byCode('financialAssets')[0];
    expect(assets.parameter.name).toBe('financialAssetMonths');
    expect(assets.also[0].name).toBe('dibaoStandardUrban');
  });

  it('a date before the data shows nothing found; a date before the parameters is refused', async () => {
    const early = (await w.county.request('GET', reportUrl(w.householdId, '2024-12-31'))).json();
    expect(early.persons[0].records).toEqual([]);
    expect(early.sourcesLoaded).toEqual([]);
    expect(early.flags).toEqual([]);
    const old = await w.county.request('GET', reportUrl(w.householdId, '2019-01-01'));
    expect(old.statusCode).toBe(400);
    expect(old.json()).toMatchObject({ field: 'asOf' });
    expect(old.json().message).toContain('没有生效的参数');
  });

  it('every view and print is in the audit trail', async () => {
    const before = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'verification.report.view' AND entity_id = $1",
      [w.householdId],
    );
    await w.county.request('GET', reportUrl(w.householdId));
    const after = await t.db.query<{ n: number; after: { asOf: string; flags: string[] } }>(
      `SELECT count(*) OVER ()::int AS n, after FROM audit_log
        WHERE action = 'verification.report.view' AND entity_id = $1 ORDER BY seq DESC LIMIT 1`,
      [w.householdId],
    );
    expect(after.rows[0]?.n).toBe((before.rows[0]?.n ?? 0) + 1);
    expect(after.rows[0]?.after.asOf).toBe(REPORT_DATE);
    expect(after.rows[0]?.after.flags).toContain('housing');
  });

  it('prints a valid PDF with the Chinese font embedded, audited as a print', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/verification/households/${w.householdId}/report.pdf?asOf=${REPORT_DATE}`,
      headers: { cookie: w.county.cookieHeader() },
    });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const pdf = response.rawPayload;
    // Kept beside the browser screenshots, to look at (pdftoppm) when changing the layout.
    await mkdir(join(tmpdir(), 'doudi-screenshots'), { recursive: true });
    await writeFile(join(tmpdir(), 'doudi-screenshots', 'verification-report.pdf'), pdf);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
    const text = pdf.toString('latin1');
    // A subset of the CJK font is embedded (FontFile2: TrueType; FontFile3: CFF/OpenType).
    expect(text).toMatch(/\/FontFile[23]/);
    expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+(WenQuanYi|NotoSansCJK|DroidSans)/);
    expect(text).toMatch(/\/Type \/Page\b/);
    const printed = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'verification.report.print' AND entity_id = $1",
      [w.householdId],
    );
    expect(printed.rows[0]?.n).toBe(1);
  });

  it('a township caseworker sees the household but not the son registered in another township', async () => {
    const response = await w.huayuan.request('GET', reportUrl(w.householdId));
    expect(response.statusCode).toBe(200);
    const report = response.json();
    expect(report.persons.map((p: { role: string }) => p.role)).toEqual(['member', 'member', 'member']);
    expect(report.notes[0].zh).toContain('1名赡养义务人登记在本辖区以外');
    // The son's own household is in Fengshan: not found, as if it did not exist.
    const other = await w.huayuan.request('GET', reportUrl(w.otherHouseholdId));
    expect(other.statusCode).toBe(404);
    expect(other.json().message).toContain('不存在或不在您的管辖范围内');
  });

  it('refuses bad dates, bad ids, unknown households and roles without the permission', async () => {
    for (const asOf of ['2025-02-30', 'yesterday', '2025-6-1', '20250630', `${'9'.repeat(19)}`]) {
      const response = await w.county.request('GET', reportUrl(w.householdId, encodeURIComponent(asOf)));
      expect(response.statusCode, asOf).toBe(400);
      expect(response.json().field, asOf).toBe('asOf');
    }
    const long = await w.county.request('GET', reportUrl(w.householdId, 'x'.repeat(5000)));
    expect(long.statusCode).toBe(400);
    expect((await w.county.request('GET', '/api/verification/households/not-a-uuid/report')).statusCode).toBe(
      400,
    );
    const unknown = await w.county.request('GET', reportUrl('00000000-0000-4000-8000-000000000000'));
    expect(unknown.statusCode).toBe(404);
    const injection = await w.county.request(
      'GET',
      `/api/verification/households/${w.householdId}/report?asOf=${encodeURIComponent("2025-06-30' OR 1=1 --")}`,
    );
    expect(injection.statusCode).toBe(400);
    const grid = await login(t, 'grid');
    expect((await grid.request('GET', reportUrl(w.householdId))).statusCode).toBe(403);
    const anonymous = t.client();
    expect((await anonymous.request('GET', reportUrl(w.householdId))).statusCode).toBe(401);
  });
});
