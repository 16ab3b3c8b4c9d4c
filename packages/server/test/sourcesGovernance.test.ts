/**
 * Data governance of departmental data (issue 5, item 8): anomaly checks per import, the
 * shrunken-snapshot threshold per source, disputed records answered by the owning department,
 * and quality figures per source; with hostile input (oversized and empty reasons, records out
 * of scope, repeats, answers by the wrong department).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cipherFor } from '../src/domains/registry/personalData.crypto.ts';
import { hashFile } from '../src/domains/sources/files.ts';
import { startImport } from '../src/domains/sources/import.service.ts';
import { buildUser, regions } from './factories.ts';
import { AS_OF, csvOf, expectBalanced, login, seedSources, untilStill, upload } from './sourcesFactories.ts';
import { createTestApp, type TestApp, type TestClient } from './testApp.ts';

describe('departmental data governance', () => {
  let t: TestApp;
  let dir: string;
  let verify: TestClient;
  let finance: TestClient;
  let lines: string[];

  const recordOf = async (where: string, params: unknown[] = []) =>
    (
      await t.db.query<{ id: number; region_code: string }>(
        `SELECT id, region_code FROM source_record WHERE ${where} ORDER BY id LIMIT 1`,
        params,
      )
    ).rows[0] as { id: number; region_code: string };

  beforeAll(async () => {
    t = await createTestApp();
    dir = await seedSources(t);
    await buildUser(t.db, 'education', 'departmentOfficer', regions.county, { department: 'education' });
    verify = await login(t, 'verify');
    finance = await login(t, 'finance');
    lines = (await csvOf(dir, 'bank-deposits.csv')).trim().split('\n');
  });
  afterAll(() => t.drop());

  it('a clean import has anomaly checks with nothing flagged', async () => {
    const result = (await upload(t, verify, 'bankDeposit', lines.join('\n'))).json();
    expect(result.status).toBe('done');
    expect(result.anomalies).toEqual({
      futureDates: { count: 0, examples: [] },
      negativeAmounts: { count: 0 },
      duplicateRecordIds: { count: 0 },
      snapshotShrink: null,
      flagged: 0,
    });
  });

  it('future dates are loaded and flagged; negative amounts and duplicate record numbers quarantined and counted', async () => {
    const header = lines[0] as string;
    const future = (lines[1] as string).split(',');
    future[0] = 'FUTURE-1';
    future[7] = '2031-01-01';
    const negative = (lines[2] as string).split(',');
    negative[0] = 'NEG-1';
    negative[6] = '-120.50';
    const body = [header, future.join(','), negative.join(','), lines[3], lines[3], lines[4]].join('\n');
    const response = await upload(t, verify, 'bankDeposit', body, {
      asOf: '2025-07-31',
      fileName: '异常.csv',
    });
    const imported = response.json();
    expect(imported.status).toBe('done');
    expectBalanced(imported);
    expect(imported.rejected).toBe(2);
    expect(imported.anomalies).toMatchObject({
      futureDates: { count: 1, examples: ['FUTURE-1'] },
      negativeAmounts: { count: 1 },
      duplicateRecordIds: { count: 1 },
      flagged: 4, // the five-row snapshot is also far smaller than the full one before it
    });
    expect(imported.anomalies.snapshotShrink).toMatchObject({
      previousRows: lines.length - 1,
      rows: 5,
      thresholdPercent: 50,
      previousAsOf: AS_OF,
    });
    const stored = await t.db.query("SELECT 1 FROM source_record WHERE record_key = 'FUTURE-1'");
    expect(stored.rows.length).toBe(1);
  });

  it('the shrunken-snapshot threshold is set per source; bad thresholds are refused', async () => {
    for (const bad of [0, 100, 12.5, 'half'])
      expect(
        (await verify.request('PUT', '/api/sources/socialInsurance/setting', { shrinkAlertPercent: bad }))
          .statusCode,
      ).toBe(400);
    expect(
      (await verify.request('PUT', '/api/sources/socialInsurance/setting', { shrinkAlertPercent: 90 }))
        .statusCode,
    ).toBe(200);
    const sources = (await verify.request('GET', '/api/sources')).json();
    expect(sources.find((s: { id: string }) => s.id === 'socialInsurance').shrinkAlertPercent).toBe(90);
    expect(sources.find((s: { id: string }) => s.id === 'bankDeposit').shrinkAlertPercent).toBe(50);
    const insured = (await csvOf(dir, 'social-insurance.csv')).trim().split('\n');
    expect(insured.length).toBeGreaterThan(10);
    const first = (await upload(t, verify, 'socialInsurance', insured.join('\n'))).json();
    expect(first.anomalies.snapshotShrink).toBeNull();
    // 80% of the rows: fine under the default (50%), flagged under this source's 90%.
    const keep = Math.floor((insured.length - 1) * 0.8);
    const smaller = (
      await upload(t, verify, 'socialInsurance', insured.slice(0, keep + 1).join('\n'), {
        asOf: '2025-09-30',
      })
    ).json();
    expect(smaller.anomalies.snapshotShrink).toMatchObject({ rows: keep, thresholdPercent: 90 });
    // A department officer cannot change the setting.
    expect(
      (await finance.request('PUT', '/api/sources/socialInsurance/setting', { shrinkAlertPercent: 10 }))
        .statusCode,
    ).toBe(403);
  });

  it('a record is disputed once with a reason; a repeat returns the open dispute; audited', async () => {
    const record = await recordOf("source = 'bankDeposit' AND valid_to IS NULL");
    const reason = '该账户已于2025年5月销户，余额应为0';
    const first = await verify.request('POST', `/api/sources/records/${record.id}/disputes`, { reason });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      recordId: Number(record.id),
      source: 'bankDeposit',
      department: 'finance',
      status: 'open',
      reason,
      answer: null,
      repeated: false,
    });
    expect(first.json().idNumberMasked).toMatch(/\*{8}/);
    const again = await verify.request('POST', `/api/sources/records/${record.id}/disputes`, {
      reason: '重复点击',
    });
    expect(again.json()).toMatchObject({ id: first.json().id, repeated: true, reason });
    const rows = await t.db.query('SELECT count(*)::int AS n FROM source_dispute WHERE record_id = $1', [
      record.id,
    ]);
    expect(rows.rows[0]).toEqual({ n: 1 });
    const audit = await t.db.query(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'sources.dispute.raise' AND entity_id = $1",
      [first.json().id],
    );
    expect(audit.rows[0]).toEqual({ n: 1 });
  });

  it('hostile disputes: oversized, empty or missing reasons, bad ids, records out of region, wrong roles', async () => {
    const record = await recordOf(
      "source = 'bankDeposit' AND valid_to IS NULL AND id NOT IN (SELECT record_id FROM source_dispute)",
    );
    const url = `/api/sources/records/${record.id}/disputes`;
    const long = await verify.request('POST', url, { reason: '错'.repeat(501) });
    expect(long.statusCode).toBe(400);
    expect(long.json().message).toContain('不能超过500个字');
    const huge = await verify.request('POST', url, { reason: 'x'.repeat(30_000) });
    expect(huge.statusCode).toBe(400);
    expect((await verify.request('POST', url, { reason: '   ' })).json().message).toContain('请填写异议原因');
    expect((await verify.request('POST', url, {})).statusCode).toBe(400);
    expect((await verify.request('POST', url, { reason: '余额不对', extra: 1 })).statusCode).toBe(400);
    expect(
      (await verify.request('POST', '/api/sources/records/abc/disputes', { reason: '余额不对' })).statusCode,
    ).toBe(400);
    expect(
      (await verify.request('POST', '/api/sources/records/-1/disputes', { reason: '余额不对' })).statusCode,
    ).toBe(400);
    const missing = await verify.request('POST', '/api/sources/records/999999999/disputes', {
      reason: '余额不对',
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toContain('不存在或不在您的管辖范围内');
    // A township verifier cannot see, so cannot dispute, a record of another township.
    const outside = await recordOf(
      "valid_to IS NULL AND NOT (region_code >= '420921100000' AND region_code < '420921101000')",
    );
    const township = await login(t, 'verifyHuayuan');
    const denied = await township.request('POST', `/api/sources/records/${outside.id}/disputes`, {
      reason: '不是本辖区的人',
    });
    expect(denied.statusCode).toBe(404);
    // Auditors read, never dispute; residents cannot list.
    const auditor = await login(t, 'auditor');
    expect((await auditor.request('POST', url, { reason: '余额不对' })).statusCode).toBe(403);
    const resident = await login(t, 'resident');
    expect((await resident.request('GET', '/api/sources/disputes')).statusCode).toBe(403);
    // Script text is stored as text and returned as text (the page renders it as text).
    const script = await verify.request('POST', url, { reason: '<img src=x onerror=alert(1)>' });
    expect(script.json().reason).toBe('<img src=x onerror=alert(1)>');
  });

  it('the owning department sees its list and answers; other departments see nothing; answers are final', async () => {
    const list = (await finance.request('GET', '/api/sources/disputes?status=open')).json();
    expect(list.total).toBeGreaterThanOrEqual(2);
    expect(list.items.every((d: { department: string }) => d.department === 'finance')).toBe(true);
    const education = await login(t, 'education');
    expect((await education.request('GET', '/api/sources/disputes')).json().total).toBe(0);
    const target = list.items[0];
    expect(
      (
        await education.request('POST', `/api/sources/disputes/${target.id}/answer`, {
          status: 'corrected',
          answer: '已核实',
        })
      ).statusCode,
    ).toBe(404);
    const url = `/api/sources/disputes/${target.id}/answer`;
    expect((await finance.request('POST', url, { status: 'open', answer: '已核实' })).statusCode).toBe(400);
    expect((await finance.request('POST', url, { status: 'corrected', answer: '好' })).statusCode).toBe(400);
    const answer = '已核实，该账户5月销户，下月报送时更正';
    const done = await finance.request('POST', url, { status: 'corrected', answer });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'corrected', answer });
    expect(done.json().answeredAt).not.toBeNull();
    // The same answer again (a retried request) is returned as is; a different one conflicts.
    expect((await finance.request('POST', url, { status: 'corrected', answer })).statusCode).toBe(200);
    const other = await finance.request('POST', url, { status: 'rejected', answer: '记录无误' });
    expect(other.statusCode).toBe(409);
    expect(other.json().message).toContain('已经答复');
    const audit = await t.db.query(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'sources.dispute.corrected' AND entity_id = $1",
      [target.id],
    );
    expect(audit.rows[0]).toEqual({ n: 1 });
    // Once answered, the record may be disputed again (a new, open dispute).
    const renewed = await verify.request('POST', `/api/sources/records/${target.recordId}/disputes`, {
      reason: '更正后的记录仍然不对',
    });
    expect(renewed.json()).toMatchObject({ status: 'open', repeated: false });
    expect(renewed.json().id).not.toBe(target.id);
    // Caseworkers who raise disputes can follow them (only in their township).
    const huayuan = await login(t, 'huayuan');
    const theirs = await huayuan.request('GET', '/api/sources/disputes');
    expect(theirs.statusCode).toBe(200);
    expect(
      theirs.json().items.every((d: { regionCode: string }) => d.regionCode.startsWith('420921100')),
    ).toBe(true);
  });

  it('quality figures per source: match rate, rejected share, disputes, freshness; departments see their own', async () => {
    const quality = (await verify.request('GET', '/api/sources/quality')).json();
    expect(quality.length).toBe(19);
    const bank = quality.find((q: { source: string }) => q.source === 'bankDeposit');
    expect(bank.matchRate).toBeGreaterThan(0.9);
    expect(bank.matchRate).toBeLessThanOrEqual(1);
    expect(bank.rejectedShare).toBeGreaterThan(0);
    expect(bank.openDisputes).toBeGreaterThanOrEqual(2);
    expect(bank.answeredDisputes).toBe(1);
    expect(bank.importsWithAnomalies).toBeGreaterThanOrEqual(1);
    expect(bank.newestAsOf).toBe('2025-07-31');
    expect(bank.daysSinceAsOf).toBeGreaterThan(0);
    const death = quality.find((q: { source: string }) => q.source === 'death');
    expect(death).toMatchObject({ openRecords: 0, matchRate: null, rejectedShare: null, newestAsOf: null });
    const theirs = (await finance.request('GET', '/api/sources/quality')).json();
    expect(theirs.every((q: { department: string }) => q.department === 'finance')).toBe(true);
  });

  it('an import resumed after a crash reports the same anomalies as an unbroken one', async () => {
    const header = lines[0] as string;
    const body = [header];
    for (let i = 0; i < 30; i++) {
      const cells = (lines[1 + (i % (lines.length - 1))] as string).split(',');
      cells[0] = `RS-${i}`;
      if (i % 3 === 0) cells[7] = '2030-06-30';
      body.push(cells.join(','));
    }
    body.push(body[5] as string, body[25] as string); // two duplicates, in different batches
    const path = join(dir, 'resume.csv');
    await writeFile(path, body.join('\n'));
    const deps = { db: t.db, cipher: cipherFor(t.config.dataKey), maxBytes: 1 << 24, batchSize: 10 };
    const id = (await t.db.query<{ id: string }>("SELECT id FROM app_user WHERE username = 'verify'")).rows[0]
      ?.id as string;
    const actor = {
      userId: id,
      username: 'verify',
      displayName: 'verify',
      role: 'verificationCentre' as const,
      department: null,
      regionCode: regions.county,
    };
    const request = async () => ({
      source: 'bankDeposit',
      file: await hashFile(path, 1 << 24),
      fileName: 'resume.csv',
      asOf: '2025-10-31',
      via: 'cli' as const,
    });
    let batches = 0;
    // The "process" hangs forever after its second committed batch: as good as killed.
    const frozen = await startImport(deps, actor, await request(), undefined, async () => {
      batches += 1;
      if (batches === 2) await new Promise(() => undefined);
    });
    for (let i = 0; i < 200 && batches < 2; i++) await new Promise((r) => setTimeout(r, 50));
    await untilStill(t, frozen.claimed.id);
    await t.db.query(
      "UPDATE source_import SET worker = 'gone:999999', heartbeat_at = now() - interval '5 minutes' WHERE id = $1",
      [frozen.claimed.id],
    );
    const result = await (await startImport(deps, actor, await request())).finished;
    expect(result.id).toBe(frozen.claimed.id);
    expect(result).toMatchObject({ status: 'done', rowsRead: 32, rejected: 2 });
    expect(result.anomalies).toMatchObject({
      futureDates: { count: 10, examples: ['RS-0', 'RS-12', 'RS-15', 'RS-18', 'RS-21'] },
      negativeAmounts: { count: 0 },
      duplicateRecordIds: { count: 2 },
    });
  });
});
