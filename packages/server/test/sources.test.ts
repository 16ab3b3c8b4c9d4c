/**
 * Departmental data end to end: the catalogue, a synthetic department file imported and matched,
 * the same file twice, a newer snapshot with history, encodings, error reports, all-or-nothing,
 * department scope, unmatched records and name mismatches, and the CLI.
 */
import { SOURCE_FILES } from '@doudi/synth';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSource, SOURCES } from '../src/domains/sources/catalogue/index.ts';
import { normaliseHeader } from '../src/domains/sources/mapping.ts';
import { householdBody } from './registryFactories.ts';
import { AS_OF, csvOf, expectBalanced, login, openCount, seedSources, upload } from './sourcesFactories.ts';
import { createTestApp, type TestApp, type TestClient } from './testApp.ts';

describe('departmental data', () => {
  let t: TestApp;
  let dir: string;
  let verify: TestClient;
  let bankCsv: string;

  beforeAll(async () => {
    t = await createTestApp();
    dir = await seedSources(t);
    verify = await login(t, 'verify');
    bankCsv = await csvOf(dir, 'bank-deposits.csv');
  });
  afterAll(() => t.drop());

  it('the catalogue has every source the issue lists, and reads every synthetic department file by its headers', async () => {
    expect(SOURCES.length).toBe(19);
    for (const [name, file] of Object.entries(SOURCE_FILES)) {
      const spec = findSource(name);
      expect(spec, name).toBeDefined();
      const headers = new Set(spec?.fields.map((f) => normaliseHeader(f.header)));
      for (const column of file.columns)
        expect(headers.has(normaliseHeader(column.header)), `${name}: ${column.header}`).toBe(true);
    }
    const response = await verify.request('GET', '/api/sources');
    expect(response.statusCode).toBe(200);
    const bank = response.json().find((s: { id: string }) => s.id === 'bankDeposit');
    expect(bank).toMatchObject({ label: '银行存款与理财', department: 'finance', asOf: 'snapshot' });
    expect(bank.fields.find((f: { name: string }) => f.name === 'kind').values).toMatchObject({
      deposit: '储蓄存款',
    });
  });

  it('imports a department file: every row matched to a person, counted, audited', async () => {
    const response = await upload(t, verify, 'bankDeposit', bankCsv);
    expect(response.statusCode).toBe(200);
    const result = response.json();
    const rows = bankCsv.trim().split('\n').length - 1;
    expect(result).toMatchObject({
      status: 'done',
      rowsRead: rows,
      inserted: rows,
      rejected: 0,
      unmatched: 0,
      encoding: 'utf-8',
    });
    expectBalanced(result);
    expect(await openCount(t, 'bankDeposit')).toBe(rows);
    const stored = await t.db.query<{
      person_id: string | null;
      id_number_masked: string;
      data: Record<string, unknown>;
    }>("SELECT person_id, id_number_masked, data FROM source_record WHERE source = 'bankDeposit' LIMIT 1");
    expect(stored.rows[0]?.person_id).not.toBeNull();
    expect(stored.rows[0]?.id_number_masked).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    expect(JSON.stringify(stored.rows[0]?.data)).not.toMatch(/\d{17}[\dX]/);
    expect(typeof stored.rows[0]?.data.balanceFen).toBe('number');
    const audit = await t.db.query(
      "SELECT 1 FROM audit_log WHERE action = 'sources.import.done' AND entity_id = $1",
      [result.id],
    );
    expect(audit.rows.length).toBe(1);
  });

  it('money in yuan becomes exact fen', async () => {
    const first = bankCsv.trim().split('\n')[1] as string;
    const yuanText = first.split(',')[6] as string;
    const [whole, cents] = yuanText.split('.');
    const recordId = first.split(',')[0];
    const stored = await t.db.query<{ data: { balanceFen: number } }>(
      "SELECT data FROM source_record WHERE source = 'bankDeposit' AND record_key = $1",
      [recordId],
    );
    expect(stored.rows[0]?.data.balanceFen).toBe(Number(whole) * 100 + Number(cents));
  });

  it('the same file twice changes nothing', async () => {
    const before = await t.db.query('SELECT count(*)::int AS n FROM source_record');
    const imports = await t.db.query('SELECT count(*)::int AS n FROM source_import');
    const again = await upload(t, verify, 'bankDeposit', bankCsv);
    expect(again.json()).toMatchObject({ status: 'done', repeated: true });
    expect((await t.db.query('SELECT count(*)::int AS n FROM source_record')).rows).toEqual(before.rows);
    expect((await t.db.query('SELECT count(*)::int AS n FROM source_import')).rows).toEqual(imports.rows);
    // Same rows in another encoding (another checksum): every row unchanged by its content hash.
    const gbk = await upload(t, verify, 'bankDeposit', iconv.encode(bankCsv, 'gb18030'), {
      fileName: '银行.csv',
    });
    const rows = bankCsv.trim().split('\n').length - 1;
    expect(gbk.json()).toMatchObject({
      status: 'done',
      encoding: 'gb18030',
      unchanged: rows,
      inserted: 0,
      updated: 0,
    });
  });

  it('a newer snapshot supersedes by as-of date and keeps history; a record absent from it is closed', async () => {
    const lines = bankCsv.trim().split('\n');
    const header = lines[0] as string;
    const changed = (lines[1] as string).split(',');
    changed[6] = '99999.99';
    const dropped = (lines[2] as string).split(',')[0];
    const newer = [header, changed.join(','), ...lines.slice(3)].join('\n');
    const response = await upload(t, verify, 'bankDeposit', `\uFEFF${newer}`, { asOf: '2025-09-30' });
    const result = response.json();
    expect(result).toMatchObject({
      status: 'done',
      updated: 1,
      unchanged: lines.length - 3,
      closed: 1,
      encoding: 'utf-8',
    });
    expectBalanced(result);
    const history = await t.db.query<{ valid_from: string; valid_to: string | null; balance: number }>(
      `SELECT valid_from, valid_to, (data->>'balanceFen')::bigint AS balance FROM source_record
        WHERE source = 'bankDeposit' AND record_key = $1 ORDER BY valid_from`,
      [changed[0]],
    );
    expect(history.rows).toEqual([
      expect.objectContaining({ valid_from: AS_OF, valid_to: '2025-09-30' }),
      expect.objectContaining({ valid_from: '2025-09-30', valid_to: null, balance: 9_999_999 }),
    ]);
    const gone = await t.db.query<{ valid_to: string }>(
      "SELECT valid_to FROM source_record WHERE source = 'bankDeposit' AND record_key = $1",
      [dropped],
    );
    expect(gone.rows).toEqual([{ valid_to: '2025-09-30' }]);
    // An older file after a newer one: its changed rows are refused, not applied.
    const stale = await upload(
      t,
      verify,
      'bankDeposit',
      `${header}\n${(lines[1] as string).replace(/,\d+\.\d\d,/, ',1.00,')}`,
      {
        asOf: '2025-07-31',
      },
    );
    expect(stale.json()).toMatchObject({ rejected: 1, inserted: 0, updated: 0 });
  });

  it('bad rows are quarantined with a downloadable Chinese error report while good rows load', async () => {
    const csv = await csvOf(dir, 'tax.csv');
    const lines = csv.trim().split('\n');
    const cells = (i: number) => (lines[i] as string).split(',');
    const badId = cells(1);
    badId[1] = `${(badId[1] as string).slice(0, 17)}${(badId[1] as string)[17] === '0' ? '1' : '0'}`;
    const badAmount = cells(2);
    badAmount[5] = '12.345';
    const badYear = cells(3);
    badYear[3] = '二〇二四';
    const empty = cells(4);
    empty[2] = '';
    const duplicate = cells(5);
    const body = [lines[0], badId, badAmount, badYear, empty, duplicate, duplicate, ...lines.slice(6)]
      .map((l) => (Array.isArray(l) ? l.join(',') : l))
      .join('\n');
    const result = (await upload(t, verify, 'tax', body)).json();
    expect(result).toMatchObject({ status: 'done', rejected: 5, rowsRead: lines.length });
    expectBalanced(result);
    expect(result.inserted).toBe(lines.length - 5);
    const report = await verify.request('GET', `/api/sources/imports/${result.id}/errors.csv`);
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toContain('text/csv');
    const text = report.body.replace(/^\uFEFF/, '');
    expect(text.split('\n')[0]).toBe('行号,列名,值,原因');
    expect(text).toContain('校验位错误');
    expect(text).toContain('金额格式不正确');
    expect(text).toContain('必填项为空');
    expect(text).toContain('重复');
    expect(text).not.toMatch(/\d{17}[\dX]/);
    expect(text).toMatch(/\n2,身份证号码,\d{6}\*{8}/);
  });

  it('a file without a required column is refused whole with the missing headers named', async () => {
    const csv = (await csvOf(dir, 'vehicles.csv')).replace('身份证号码', '证件号');
    const result = (await upload(t, verify, 'vehicle', csv)).json();
    expect(result.status).toBe('refused');
    expect(result.message).toContain('缺少必填列：身份证号码');
    expect(await openCount(t, 'vehicle')).toBe(0);
  });

  it('an all-or-nothing source refuses the whole file for one bad row', async () => {
    const csv = await csvOf(dir, 'hukou.csv');
    const lines = csv.trim().split('\n');
    const bad = (lines[1] as string).replace(/\d{4}-\d{2}-\d{2}/, '2025-02-30');
    const result = (await upload(t, verify, 'hukou', [lines[0], bad, ...lines.slice(2)].join('\n'))).json();
    expect(result).toMatchObject({ status: 'refused', rejected: 1, inserted: 0 });
    expect(result.message).toContain('整份文件未导入');
    expect(await openCount(t, 'hukou')).toBe(0);
    const good = (await upload(t, verify, 'hukou', csv)).json();
    expect(good).toMatchObject({ status: 'done', rejected: 0, inserted: lines.length - 1 });
  });

  it('unmatched records are kept and searchable; a different name is flagged', async () => {
    const header = '记录编号,身份证号码,姓名,单位名称,月缴存额(元),账户余额(元)';
    const lines = (await csvOf(dir, 'provident-fund.csv')).trim().split('\n');
    const known = (lines[1] as string).split(',');
    known[2] = '王冒名';
    const body = [header, known.join(','), 'PF-X-1,11010519491231002X,路人甲,某单位,100.00,2000.00'].join(
      '\n',
    );
    const result = (await upload(t, verify, 'providentFund', body)).json();
    expect(result).toMatchObject({ status: 'done', inserted: 2, unmatched: 1, nameMismatches: 1 });
    const unmatched = (
      await verify.request('GET', '/api/sources/records?unmatched=true&source=providentFund')
    ).json();
    expect(unmatched.total).toBe(1);
    expect(unmatched.items[0]).toMatchObject({
      name: '路人甲',
      personId: null,
      idNumberMasked: '110105********002X',
    });
    const byId = (await verify.request('GET', '/api/sources/records?idNumber=11010519491231002X')).json();
    expect(byId.total).toBe(1);
    const mismatch = (await verify.request('GET', '/api/sources/records?nameMismatch=true')).json();
    expect(mismatch.items.map((r: { name: string }) => r.name)).toContain('王冒名');
    // The person registers later: a re-match links the kept record and moves it to their village.
    const county = await login(t, 'county');
    const created = await county.request(
      'POST',
      '/api/households',
      householdBody({ head: { name: '路人甲', idNumber: '11010519491231002X' }, members: [] }),
    );
    expect(created.statusCode).toBe(200);
    const rematched = await verify.request('POST', '/api/sources/rematch');
    expect(rematched.json().matched).toBeGreaterThanOrEqual(1);
    const linked = (await verify.request('GET', '/api/sources/records?idNumber=11010519491231002X')).json();
    expect(linked.items[0]).toMatchObject({
      personId: expect.any(String),
      regionCode: '420921100001',
      nameMismatch: false,
    });
  });

  it('a source setting overrides column headers and all-or-nothing; only the verification centre may change it', async () => {
    const finance = await login(t, 'finance');
    expect(
      (await finance.request('PUT', '/api/sources/securities/setting', { allOrNothing: true })).statusCode,
    ).toBe(403);
    const bad = await verify.request('PUT', '/api/sources/securities/setting', { mapping: { nosuch: '列' } });
    expect(bad.statusCode).toBe(400);
    const ok = await verify.request('PUT', '/api/sources/securities/setting', {
      allOrNothing: true,
      mapping: { marketValueFen: '持仓市值（元）', institution: '机构' },
    });
    expect(ok.statusCode).toBe(200);
    const header = '记录编号,身份证号码,姓名,证券账户,机构,品种,持仓市值(元)';
    const good = (
      await upload(t, verify, 'securities', `${header}\nS-1,11010519491231002X,张三,A001,某证券,股票,1234.50`)
    ).json();
    expect(good).toMatchObject({ status: 'done', inserted: 1, allOrNothing: true });
    const refused = (
      await upload(
        t,
        verify,
        'securities',
        `${header}\nS-2,11010519491231002X,张三,A002,某证券,期货,1.00\nS-3,11010519491231002X,张三,A003,某证券,基金,1.00`,
      )
    ).json();
    expect(refused).toMatchObject({ status: 'refused', rejected: 1, inserted: 0 });
    const audit = await t.db.query(
      "SELECT 1 FROM audit_log WHERE action = 'sources.setting.update' AND entity_id = 'securities'",
    );
    expect(audit.rows.length).toBe(1);
  });

  it('department officers import and see only their own sources; caseworkers cannot', async () => {
    const finance = await login(t, 'finance');
    expect((await upload(t, finance, 'realEstate', await csvOf(dir, 'real-estate.csv'))).statusCode).toBe(
      403,
    );
    const list = (await finance.request('GET', '/api/sources/imports?pageSize=100')).json();
    expect(list.total).toBeGreaterThan(0);
    expect(list.items.every((i: { department: string }) => i.department === 'finance')).toBe(true);
    const sources = (await finance.request('GET', '/api/sources')).json();
    expect(sources.every((s: { department: string }) => s.department === 'finance')).toBe(true);
    const records = (await finance.request('GET', '/api/sources/records?pageSize=100')).json();
    expect(
      records.items.every((r: { source: string }) =>
        ['bankDeposit', 'securities', 'commercialInsurance'].includes(r.source),
      ),
    ).toBe(true);
    const county = await login(t, 'county');
    expect((await county.request('GET', '/api/sources/imports')).statusCode).toBe(200);
    const huayuan = await login(t, 'huayuan');
    expect((await huayuan.request('GET', '/api/sources/imports')).statusCode).toBe(403);
  });

  it('a township importer cannot load records of people registered in another township', async () => {
    const township = await login(t, 'verifyHuayuan');
    const lines = (await csvOf(dir, 'social-insurance.csv')).trim().split('\n');
    const result = (await upload(t, township, 'socialInsurance', lines.join('\n'))).json();
    expect(result.status).toBe('done');
    expectBalanced(result);
    expect(result.rejected).toBeGreaterThan(0);
    expect(result.inserted).toBeGreaterThan(0);
    const report = await township.request('GET', `/api/sources/imports/${result.id}/errors.csv`);
    expect(report.body).toContain('本辖区以外');
    const visible = (
      await township.request('GET', '/api/sources/records?source=socialInsurance&pageSize=100')
    ).json();
    expect(visible.items.every((r: { regionCode: string }) => r.regionCode.startsWith('420921100'))).toBe(
      true,
    );
  });
});
