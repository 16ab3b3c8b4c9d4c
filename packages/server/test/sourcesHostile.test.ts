/**
 * Departmental data under hostile input: broken quoting, mixed encodings, oversized files, XLSX
 * formulas and dates as numbers, an XLSX zip bomb, JSON and JSON Lines, hostile parameters,
 * concurrent imports of one source, a crash mid-import then a re-run, and the department push.
 */

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cipherFor } from '../src/domains/registry/personalData.crypto.ts';
import { hashFile } from '../src/domains/sources/files.ts';
import { startImport } from '../src/domains/sources/import.service.ts';
import {
  AS_OF,
  csvOf,
  expectBalanced,
  login,
  openCount,
  seedSources,
  untilStill,
  upload,
} from './sourcesFactories.ts';
import { createTestApp, type TestApp, type TestClient } from './testApp.ts';

const PF_HEADER = '记录编号,身份证号码,姓名,单位名称,月缴存额(元),账户余额(元)';

describe('departmental data, hostile input', () => {
  let t: TestApp;
  let dir: string;
  let verify: TestClient;

  beforeAll(async () => {
    t = await createTestApp({ sourceMaxBytes: 2 * 1024 * 1024 });
    dir = await seedSources(t);
    verify = await login(t, 'verify');
  });
  afterAll(() => t.drop());

  it('broken quoting: the broken row is rejected with a reason, the others load', async () => {
    const body = [
      PF_HEADER,
      'Q-1,11010519491231002X,甲,"单位,100.00,1.00',
      'Q-2,11010519491231002X,乙,单位,100.00,1.00',
    ].join('\n');
    const result = (await upload(t, verify, 'providentFund', body)).json();
    expect(result.status).toBe('done');
    expectBalanced(result);
    expect(result.rejected).toBeGreaterThanOrEqual(1);
    const report = (await verify.request('GET', `/api/sources/imports/${result.id}/errors.csv`)).body;
    expect(report).toMatch(/CSV 格式错误|列数不对/);
  });

  it('mixed encodings: GBK rows inside a UTF-8 file are rejected as garbled, not stored garbled', async () => {
    const good = Buffer.from(
      `${PF_HEADER}\n${Array.from({ length: 20 }, (_, i) => `M-${i},11010519491231002X,张三,孝昌县单位甲,100.00,1.00\n`).join('')}`,
    );
    const gbk = iconv.encode('M-2,11010519491231002X,李四,单位乙,100.00,1.00\n', 'gbk');
    const big = Buffer.from(`M-30,11010519491231002X,王五,${'单位'.repeat(20)},100.00,1.00\n`.repeat(1));
    const result = (await upload(t, verify, 'providentFund', Buffer.concat([good, gbk, big]))).json();
    expectBalanced(result);
    const stored = await t.db.query<{ name: string }>(
      "SELECT name FROM source_record WHERE record_key LIKE 'M-%'",
    );
    expect(stored.rows.every((r) => !r.name.includes('\uFFFD'))).toBe(true);
    expect(result).toMatchObject({ encoding: 'utf-8', inserted: 21, rejected: 1 });
    const report = (await verify.request('GET', `/api/sources/imports/${result.id}/errors.csv`)).body;
    expect(report).toContain('GBK');
  });

  it('an oversized file is refused with a clear Chinese message before anything is imported', async () => {
    const row = 'O-1,11010519491231002X,张三,单位,100.00,1.00\n';
    const body = `${PF_HEADER}\n${row.repeat(Math.ceil((3 * 1024 * 1024) / row.length))}`;
    const response = await upload(t, verify, 'providentFund', body);
    expect(response.statusCode).toBe(413);
    expect(response.json().message).toContain('文件超过 2 MB 的上限');
  });

  it('hostile parameters: unknown source, bad date, wrong content type, no file', async () => {
    expect((await upload(t, verify, 'nosuch', 'a,b\n1,2')).statusCode).toBe(404);
    expect((await upload(t, verify, 'a%27%3B--', 'a')).statusCode).toBe(400);
    expect((await upload(t, verify, 'tax', 'a', { asOf: '2025-13-45' })).statusCode).toBe(400);
    expect((await upload(t, verify, 'tax', '')).statusCode).toBe(400);
    const json = await verify.request('POST', '/api/sources/tax/imports?fileName=x.csv', { a: 1 });
    expect(json.statusCode).toBe(400);
  });

  it('XLSX: dates, dates as numbers and formulas with results load; a formula without a result is rejected', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('车辆');
    sheet.addRow([
      '记录编号',
      '身份证号码',
      '姓名',
      '号牌号码',
      '车辆类型',
      '品牌',
      '购置价格(元)',
      '登记日期',
      '残疾人专用车',
    ]);
    sheet.addRow([
      'X-1',
      '11010519491231002X',
      '张三',
      '鄂K12345',
      '小型汽车',
      '大众',
      150000.5,
      new Date(Date.UTC(2020, 4, 6)),
      '否',
    ]);
    sheet.addRow([
      'X-2',
      '11010519491231002X',
      '张三',
      '鄂K12346',
      '货车',
      '解放',
      { formula: '1000*2', result: 2000 },
      45000,
      '是',
    ]);
    sheet.addRow([
      'X-3',
      '11010519491231002X',
      '张三',
      '鄂K12347',
      '摩托车',
      '嘉陵',
      { formula: 'A1*2' },
      45000,
      '否',
    ]);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const result = (await upload(t, verify, 'vehicle', buffer, { fileName: '车辆.xlsx' })).json();
    expect(result).toMatchObject({ status: 'done', format: 'xlsx', inserted: 2, rejected: 1 });
    const rows = await t.db.query<{ record_key: string; data: Record<string, unknown> }>(
      "SELECT record_key, data FROM source_record WHERE source = 'vehicle' ORDER BY record_key",
    );
    expect(rows.rows[0]?.data).toMatchObject({
      purchasePriceFen: 15_000_050,
      registeredOn: '2020-05-06',
      disabilityVehicle: false,
    });
    expect(rows.rows[1]?.data).toMatchObject({
      purchasePriceFen: 200_000,
      registeredOn: '2023-03-15',
      kind: 'truck',
    });
    const report = (await verify.request('GET', `/api/sources/imports/${result.id}/errors.csv`)).body;
    expect(report).toContain('公式');
  });

  it('an XLSX zip bomb is refused without being expanded', async () => {
    const zip = new JSZip();
    zip.file('[Content_Types].xml', '<Types/>');
    zip.file('xl/worksheets/sheet1.xml', Buffer.alloc(60 * 1024 * 1024, 0x20));
    const bomb = await zip.generateAsync({
      type: 'nodebuffer',
      compression: 'DEFLATE',
      compressionOptions: { level: 9 },
    });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const before = process.memoryUsage().rss;
    const result = (await upload(t, verify, 'vehicle', bomb, { fileName: 'bomb.xlsx' })).json();
    expect(result.status).toBe('refused');
    expect(result.message).toContain('压缩炸弹');
    expect(process.memoryUsage().rss - before).toBeLessThan(50 * 1024 * 1024);
  });

  it('JSON arrays and JSON Lines stream in, keyed by Chinese headers or field names', async () => {
    const array = JSON.stringify([
      {
        记录编号: 'J-1',
        身份证号码: '11010519491231002X',
        姓名: '张三',
        月缴存额: 1,
        '月缴存额(元)': '100.00',
        '账户余额(元)': 5,
      },
      {
        recordId: 'J-2',
        idNumber: '11010519491231002X',
        name: '张三',
        monthlyDepositFen: '1.5',
        balanceFen: '2',
      },
      [1, 2],
    ]);
    const a = (await upload(t, verify, 'providentFund', array, { fileName: 'pf.json' })).json();
    expect(a).toMatchObject({ format: 'json', inserted: 2, rejected: 1 });
    const lines =
      '{"recordId":"L-1","idNumber":"11010519491231002X","name":"张三","monthlyDepositFen":"1","balanceFen":"1"}\nnot json\n';
    const b = (await upload(t, verify, 'providentFund', lines, { fileName: 'pf.jsonl' })).json();
    expect(b).toMatchObject({ format: 'json', inserted: 1, rejected: 1 });
    expectBalanced(b);
  });

  it('concurrent imports of one source are serialised and both complete, each row once', async () => {
    const rows = (n: number, prefix: string) =>
      [
        PF_HEADER,
        ...Array.from({ length: n }, (_, i) => `${prefix}-${i},11010519491231002X,张三,单位,1.00,${i}.00`),
      ].join('\n');
    const [a, b] = await Promise.all([
      upload(t, verify, 'providentFund', rows(300, 'CA'), { fileName: 'a.csv' }),
      upload(t, verify, 'providentFund', rows(300, 'CB'), { fileName: 'b.csv' }),
    ]);
    expect(a.json()).toMatchObject({ status: 'done', inserted: 300 });
    expect(b.json()).toMatchObject({ status: 'done', inserted: 300 });
    const periods = await t.db.query<{ started_at: Date; finished_at: Date }>(
      'SELECT started_at, finished_at FROM source_import WHERE id = ANY($1::uuid[]) ORDER BY started_at',
      [[a.json().id, b.json().id]],
    );
    const [first, second] = periods.rows;
    expect(new Date(second?.started_at as Date).getTime()).toBeGreaterThanOrEqual(
      new Date(first?.finished_at as Date).getTime() - 5,
    );
  });

  it('a crash after the first batch, then a re-run: resumed, no duplicates, no loss', async () => {
    const body = [
      PF_HEADER,
      ...Array.from({ length: 95 }, (_, i) => `CR-${i},11010519491231002X,张三,单位,1.00,${i}.00`),
    ].join('\n');
    const path = join(dir, 'crash.csv');
    await writeFile(path, body);
    const deps = { db: t.db, cipher: cipherFor(t.config.dataKey), maxBytes: 1 << 24, batchSize: 10 };
    const actor = (await t.db.query<{ id: string }>("SELECT id FROM app_user WHERE username = 'verify'"))
      .rows[0]?.id as string;
    const verifier = {
      userId: actor,
      username: 'verify',
      displayName: 'verify',
      role: 'verificationCentre' as const,
      department: null,
      regionCode: '420921000000',
    };
    let batches = 0;
    // The "process" hangs forever after its second committed batch: as good as dead.
    const frozen = await startImport(
      deps,
      verifier,
      {
        source: 'providentFund',
        file: await hashFile(path, 1 << 24),
        fileName: 'crash.csv',
        asOf: AS_OF,
        via: 'cli',
      },
      undefined,
      async () => {
        batches += 1;
        if (batches === 2) await new Promise(() => undefined);
      },
    );
    for (let i = 0; i < 100 && batches < 2; i++) await new Promise((r) => setTimeout(r, 50));
    await untilStill(t, frozen.claimed.id);
    await t.db.query(
      "UPDATE source_import SET worker = 'gone:999999', heartbeat_at = now() - interval '5 minutes' WHERE id = $1",
      [frozen.claimed.id],
    );
    const rerun = await startImport(deps, verifier, {
      source: 'providentFund',
      file: await hashFile(path, 1 << 24),
      fileName: 'crash.csv',
      asOf: AS_OF,
      via: 'cli',
    });
    const result = await rerun.finished;
    expect(result.id).toBe(frozen.claimed.id);
    expect(result).toMatchObject({ status: 'done', rowsRead: 95, inserted: 95, rejected: 0 });
    const stored = await t.db.query<{ n: number; d: number }>(
      "SELECT count(*)::int AS n, count(DISTINCT record_key)::int AS d FROM source_record WHERE record_key LIKE 'CR-%'",
    );
    expect(stored.rows[0]).toEqual({ n: 95, d: 95 });
  });

  it('department push: API key instead of a session, same validation, a retried request imports once', async () => {
    const key = (
      await verify.request('POST', '/api/sources/api-keys', { department: 'finance', label: '县农商行' })
    ).json();
    expect(key.key).toMatch(/^dk_/);
    const stored = await t.db.query<{ key_hash: Uint8Array }>(
      'SELECT key_hash FROM source_api_key WHERE id = $1',
      [key.id],
    );
    expect(Buffer.from(stored.rows[0]?.key_hash as Uint8Array).toString('utf8')).not.toContain(key.key);
    const push = (idem: string, records: unknown[]) =>
      t.app.inject({
        method: 'POST',
        url: '/api/sources/push/bankDeposit',
        headers: {
          authorization: `Bearer ${key.key}`,
          'idempotency-key': idem,
          'content-type': 'application/json',
        },
        payload: { asOf: AS_OF, records },
      });
    const records = [
      {
        记录编号: 'P-1',
        身份证号码: '11010519491231002X',
        姓名: '张三',
        金融机构: '农商行',
        资产类型: '储蓄存款',
        '余额(元)': '10.00',
      },
      {
        记录编号: 'P-2',
        身份证号码: '110105194912310021',
        姓名: '张三',
        金融机构: '农商行',
        资产类型: '储蓄存款',
        '余额(元)': '10.00',
      },
    ];
    const first = await push('batch-1', records);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ status: 'done', via: 'push', inserted: 1, rejected: 1 });
    const again = await push('batch-1', records);
    expect(again.json()).toMatchObject({ id: first.json().id, repeated: true });
    expect((await push('batch-1', [records[0]])).statusCode).toBe(409);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/sources/push/bankDeposit',
      headers: { authorization: 'Bearer dk_notarealkeynotarealkey0000', 'content-type': 'application/json' },
      payload: { asOf: AS_OF, records },
    });
    expect(wrong.statusCode).toBe(401);
    const otherDept = await t.app.inject({
      method: 'POST',
      url: '/api/sources/push/realEstate',
      headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' },
      payload: { asOf: AS_OF, records },
    });
    expect(otherDept.statusCode).toBe(403);
  });

  it('a duplicate row spanning two batches and other sources untouched', async () => {
    expect(await openCount(t, 'realEstate')).toBe(0);
    const csv = await csvOf(dir, 'real-estate.csv');
    expect(csv.length).toBeGreaterThan(0);
  });
});
