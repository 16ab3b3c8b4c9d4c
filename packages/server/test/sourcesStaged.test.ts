/**
 * The staged import path (COPY into a temporary table, one INSERT … ON CONFLICT per batch) and the
 * CSV line reader: counts of new, unchanged and changed rows over several batches, hostile rows in
 * the middle of a COPY batch, COPY escapes stored verbatim, and quoting read as csv-parse reads it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cipherFor } from '../src/domains/registry/personalData.crypto.ts';
import { hashFile } from '../src/domains/sources/files.ts';
import { startImport } from '../src/domains/sources/import.service.ts';
import { AS_OF, csvOf, expectBalanced, login, seedSources } from './sourcesFactories.ts';
import { createTestApp, type TestApp, type TestClient } from './testApp.ts';

const PF_HEADER = '记录编号,身份证号码,姓名,单位名称,月缴存额(元),账户余额(元)';

describe('departmental import, staged path', () => {
  let t: TestApp;
  let dir: string;
  let verify: TestClient;
  let files = 0;

  beforeAll(async () => {
    t = await createTestApp();
    dir = await seedSources(t);
    verify = await login(t, 'verify');
  });
  afterAll(() => t.drop());

  /** Imports `body` as the verification centre in batches of `batchSize` rows. */
  async function importText(source: string, body: string, asOf: string, batchSize = 7) {
    const path = join(dir, `staged-${++files}.csv`);
    await writeFile(path, body);
    const user = (await t.db.query<{ id: string }>("SELECT id FROM app_user WHERE username = 'verify'"))
      .rows[0];
    const handle = await startImport(
      { db: t.db, cipher: cipherFor(t.config.dataKey), maxBytes: 1 << 24, batchSize },
      {
        userId: user?.id as string,
        username: 'verify',
        displayName: 'verify',
        role: 'verificationCentre',
        department: null,
        regionCode: '420921000000',
      },
      { source, file: await hashFile(path, 1 << 24), fileName: `staged-${files}.csv`, asOf, via: 'cli' },
    );
    return handle.finished;
  }

  async function errorsOf(id: string): Promise<string> {
    return (await verify.request('GET', `/api/sources/imports/${id}/errors.csv`)).body;
  }

  it('new rows are inserted, the same rows in a newer snapshot are all unchanged, a changed row keeps its history', async () => {
    const bank = (await csvOf(dir, 'bank-deposits.csv')).trim();
    const lines = bank.split('\n');
    const rows = lines.length - 1;
    const first = await importText('bankDeposit', bank, AS_OF);
    expect(first).toMatchObject({
      status: 'done',
      rowsRead: rows,
      inserted: rows,
      unchanged: 0,
      unmatched: 0,
    });

    const again = await importText('bankDeposit', `${bank}\n`, '2025-09-30');
    expect(again).toMatchObject({ status: 'done', rowsRead: rows, inserted: 0, updated: 0, unchanged: rows });
    const seen = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM source_record
        WHERE source = 'bankDeposit' AND valid_to IS NULL AND seen_as_of = '2025-09-30'`,
    );
    expect(seen.rows[0]?.n).toBe(rows);

    const cells = (lines[3] as string).split(',');
    cells[6] = '1234567.89';
    const changed = [...lines.slice(0, 3), cells.join(','), ...lines.slice(4)].join('\n');
    const third = await importText('bankDeposit', changed, '2025-12-31');
    expect(third).toMatchObject({
      status: 'done',
      inserted: 0,
      updated: 1,
      unchanged: rows - 1,
      rejected: 0,
    });
    expectBalanced(third);
    const versions = await t.db.query<{ valid_from: string; valid_to: string | null; balance: number }>(
      `SELECT valid_from, valid_to, (data->>'balanceFen')::bigint AS balance FROM source_record
        WHERE source = 'bankDeposit' AND record_key = $1 ORDER BY valid_from`,
      [cells[0]],
    );
    expect(versions.rows.map((v) => [v.valid_from, v.valid_to])).toEqual([
      [AS_OF, '2025-12-31'],
      ['2025-12-31', null],
    ]);
    expect(versions.rows[1]?.balance).toBe(123456789);
  });

  it('hostile rows in the middle of a COPY batch are quarantined, the rest loaded, COPY escapes stored verbatim', async () => {
    const hostile = '单位\\N\\.\\x01';
    const body = [
      PF_HEADER,
      'H-1,11010519491231002X,张三,单位甲,100.00,1.00',
      'H-2,110105194912310021,李四,单位乙,100.00,1.00',
      `H-3,11010519491231002X,张三,${hostile},100.00,1.00`,
      '"H-4","11010519491231002X","张三","单位\t丙\n第二行",100.00,1.00',
      'H-1,11010519491231002X,张三,单位丁,100.00,1.00',
      'H-5,11010519491231002X,张三,单位戊,-5.00,1.00',
      'H-6,11010519491231002X,张三,单位己,100.00,1.00',
    ].join('\n');
    const result = await importText('providentFund', body, AS_OF, 100);
    expect(result).toMatchObject({ status: 'done', rowsRead: 7, inserted: 4, rejected: 3 });
    expectBalanced(result);
    const stored = await t.db.query<{ record_key: string; employer: string }>(
      `SELECT record_key, data->>'employerName' AS employer FROM source_record
        WHERE source = 'providentFund' AND record_key LIKE 'H-%' ORDER BY record_key`,
    );
    expect(stored.rows).toEqual([
      { record_key: 'H-1', employer: '单位甲' },
      { record_key: 'H-3', employer: hostile },
      { record_key: 'H-4', employer: '单位\t丙\n第二行' },
      { record_key: 'H-6', employer: '单位己' },
    ]);
    const report = await errorsOf(result.id);
    expect(report).toMatch(/^3,身份证号码,/m);
    expect(report).toMatch(/^7,记录编号,H-1,记录编号与第 2 行重复/m);
    expect(report).toMatch(/^8,月缴存额\(元\),-5\.00,/m);
  });

  it('CSV quoting: CRLF, a fully quoted file, a cell over two lines and an unclosed quote between good rows', async () => {
    const quoted = [
      PF_HEADER,
      ...Array.from(
        { length: 30 },
        (_, i) => `"Q2-${i}","11010519491231002X","张三","单位,甲","1.00","${i}.00"`,
      ),
    ].join('\r\n');
    const all = await importText('providentFund', quoted, AS_OF);
    expect(all).toMatchObject({ status: 'done', rowsRead: 30, inserted: 30, rejected: 0 });

    // Mostly plain lines (the line reader), one cell over two lines, one quote never closed.
    const filler = Array.from({ length: 80 }, (_, i) => `U-F${i},11010519491231002X,张三,单位,1.00,1.00`);
    const mixed = [
      PF_HEADER,
      'U-1,11010519491231002X,张三,单位,1.00,1.00',
      'U-2,11010519491231002X,张三,"单位,第一行',
      '第二行",1.00,1.00',
      'U-3,11010519491231002X,张三,"单位,1.00,1.00',
      'U-4,11010519491231002X,张三,单位,1.00,1.00',
      ...filler,
    ].join('\r\n');
    const result = await importText('providentFund', mixed, AS_OF);
    expect(result).toMatchObject({ status: 'done', rowsRead: 84, inserted: 83, rejected: 1 });
    const two = await t.db.query<{ employer: string }>(
      "SELECT data->>'employerName' AS employer FROM source_record WHERE source = 'providentFund' AND record_key = 'U-2'",
    );
    expect(two.rows[0]?.employer).toBe('单位,第一行\n第二行');
    expect(await errorsOf(result.id)).toMatch(/^5,,,CSV 格式错误：引号未闭合/m);
  });
  it('changed records, set-based: closed and replaced with counts as the row rules give; repeats, older and same-date rows keep their rules', async () => {
    const pf = (rows: string[]) => [PF_HEADER, ...rows].join('\n');
    const row = (key: string, balance: string) => `${key},11010519491231002X,张三,单位,1.00,${balance}`;
    const first = await importText(
      'providentFund',
      pf([row('C-1', '1.00'), row('C-2', '1.00'), row('C-3', '1.00')]),
      '2026-01-31',
      100,
    );
    expect(first).toMatchObject({ status: 'done', inserted: 3, unmatched: 3 });

    // Two changed (one of them repeated further down), one unchanged, one new: one batch.
    const second = await importText(
      'providentFund',
      pf([
        row('C-1', '2.00'),
        row('C-2', '2.00'),
        row('C-3', '1.00'),
        row('C-4', '1.00'),
        row('C-2', '3.00'),
      ]),
      '2026-02-28',
      100,
    );
    expect(second).toMatchObject({
      status: 'done',
      rowsRead: 5,
      inserted: 1,
      updated: 2,
      unchanged: 1,
      rejected: 1,
      unmatched: 3,
    });
    expectBalanced(second);
    expect(await errorsOf(second.id)).toMatch(/^6,记录编号,C-2,记录编号与第 3 行重复/m);

    // An older snapshot is refused for a record that has a newer version.
    const older = await importText('providentFund', pf([row('C-1', '5.00')]), '2026-01-31', 100);
    expect(older).toMatchObject({ status: 'done', updated: 0, rejected: 1 });

    // A correction on the same date replaces the version in place.
    const same = await importText(
      'providentFund',
      pf([row('C-1', '7.00'), row('C-2', '2.00'), row('C-3', '1.00'), row('C-4', '1.00')]),
      '2026-02-28',
      100,
    );
    expect(same).toMatchObject({ status: 'done', updated: 1, unchanged: 3, rejected: 0 });
    const versions = await t.db.query<{
      key: string;
      valid_from: string;
      valid_to: string | null;
      closed: boolean;
      balance: number;
    }>(
      `SELECT record_key AS key, valid_from, valid_to, closed_by = $1 AS closed, (data->>'balanceFen')::bigint AS balance
         FROM source_record WHERE source = 'providentFund' AND record_key IN ('C-1', 'C-2') ORDER BY record_key, valid_from`,
      [second.id],
    );
    expect(versions.rows).toEqual([
      { key: 'C-1', valid_from: '2026-01-31', valid_to: '2026-02-28', closed: true, balance: 100 },
      { key: 'C-1', valid_from: '2026-02-28', valid_to: null, closed: null, balance: 700 },
      { key: 'C-2', valid_from: '2026-01-31', valid_to: '2026-02-28', closed: true, balance: 100 },
      { key: 'C-2', valid_from: '2026-02-28', valid_to: null, closed: null, balance: 200 },
    ]);

    // A matched person's changed record under another name: updated and flagged.
    const bank = (await csvOf(dir, 'bank-deposits.csv')).trim().split('\n');
    const cells = (bank[5] as string).split(',');
    cells[2] = '甲乙丙';
    cells[6] = '1.00';
    const renamed = [...bank.slice(0, 5), cells.join(','), ...bank.slice(6)].join('\n');
    const result = await importText('bankDeposit', renamed, '2026-03-31');
    // Row 3 differs too: the first test left its balance at 1234567.89.
    expect(result).toMatchObject({
      status: 'done',
      updated: 2,
      nameMismatches: 1,
      unmatched: 0,
      rejected: 0,
    });
    expectBalanced(result);
  });

  it('batches written two at a time give the rows, counts and rejections of one batch, repeats in neighbouring batches included', async () => {
    const row = (key: string, balance: number) => `${key},11010519491231002X,张三,单位,1.00,${balance}.00`;
    // 60 rows in batches of 4 (rows 4b … 4b+3): the last row of each batch repeats the record
    // number of the first row of the batch before (written at the same time) or of two before,
    // by turns; the first batch repeats its own.
    const rows: string[] = [];
    for (let i = 0; i < 60; i++) {
      const b = Math.floor(i / 4);
      const back = b === 0 ? 0 : b % 2 === 1 ? 1 : 2;
      rows.push(i % 4 === 3 ? row(`P-${4 * (b - back)}`, 900 + i) : row(`P-${i}`, i));
    }
    const file = [PF_HEADER, ...rows].join('\n');
    const stored = async (id: string) =>
      (
        await t.db.query<{ key: string; balance: number }>(
          `SELECT record_key AS key, (data->>'balanceFen')::bigint AS balance FROM source_record
            WHERE import_id = $1 ORDER BY record_key`,
          [id],
        )
      ).rows;
    // Row, column and value (the reason names the earlier row only within one batch).
    const rejectedRows = async (id: string) =>
      (await errorsOf(id))
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((line) => line.split(',').slice(0, 3).join(','));
    const twoAtATime = await importText('providentFund', file, '2026-04-30', 4);
    const single = await importText('providentFund', file.replaceAll('P-', 'Q-'), '2026-04-30', 1000);
    const counts = ({ rowsRead, inserted, updated, unchanged, rejected }: typeof single) => ({
      rowsRead,
      inserted,
      updated,
      unchanged,
      rejected,
    });
    expect(counts(twoAtATime)).toEqual(counts(single));
    expect(twoAtATime).toMatchObject({ status: 'done', rowsRead: 60, inserted: 45, rejected: 15 });
    expectBalanced(twoAtATime);
    expect(await stored(twoAtATime.id)).toEqual(
      (await stored(single.id)).map((r) => ({ ...r, key: r.key.replace('Q-', 'P-') })),
    );
    expect(await rejectedRows(twoAtATime.id)).toEqual(
      (await rejectedRows(single.id)).map((line) => line.replaceAll('Q-', 'P-')),
    );
  });

  it("a source's first import inserts without the conflict probe; a batch that meets an open record is written again with it", async () => {
    const header = '记录编号,身份证号码,姓名,证券账户,证券公司或基金公司,品种,市值(元)';
    const row = (key: string, value: number) =>
      `${key},11010519491231002X,张三,A-${key},某证券,股票,${value}.00`;
    // Batches of 5: rows 7 and 13 repeat record numbers a batch committed earlier (S-1, S-2), so
    // their batches' plain inserts hit the open-record index and go back to the conflict path.
    const rows = Array.from({ length: 15 }, (_, i) =>
      i === 7 ? row('S-1', 1) : i === 13 ? row('S-2', 99) : row(`S-${i}`, i),
    );
    const first = await importText('securities', [header, ...rows].join('\n'), AS_OF, 5);
    expect(first).toMatchObject({ status: 'done', rowsRead: 15, inserted: 13, rejected: 2, closed: 0 });
    expectBalanced(first);
    const report = await errorsOf(first.id);
    expect(report).toMatch(/^9,记录编号,S-1,记录编号与本文件前面的行重复/m);
    expect(report).toMatch(/^15,记录编号,S-2,记录编号与本文件前面的行重复/m);
    const stored = await t.db.query<{ key: string; value: number }>(
      `SELECT record_key AS key, (data->>'marketValueFen')::int AS value FROM source_record
        WHERE source = 'securities' AND valid_to IS NULL ORDER BY record_key`,
    );
    expect(stored.rows).toHaveLength(13);
    expect(stored.rows.find((r) => r.key === 'S-2')?.value).toBe(200);

    // The next snapshot finds open records: absent ones are closed as before.
    const next = await importText('securities', [header, ...rows.slice(0, 3)].join('\n'), '2025-09-30', 5);
    expect(next).toMatchObject({ status: 'done', unchanged: 3, closed: 10 });
  });
});
