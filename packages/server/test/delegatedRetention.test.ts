/**
 * Delegated verification, what follows a result: its fields in both languages, the authorisation
 * scan downloaded only by those who may see the request (logged), and the daily purge of results
 * whose retention after expiry has passed (request, decision and access log kept; audited).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpiredResults } from '../src/domains/verification/delegated.jobs.ts';
import { addDays } from '../src/domains/verification/delegatedShared.ts';
import { jobs } from '../src/jobs/queue.ts';
import {
  complete,
  type DelegatedWorld,
  delegatedBody,
  fileRequest,
  seedDelegated,
  signedOn,
} from './delegatedFactories.ts';
import { createTestApp, type TestApp } from './testApp.ts';

// A minimal PDF and PNG: the server checks the first bytes, not the declared type.
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

describe('delegated verification: languages, authorisation scan, purge', () => {
  let t: TestApp;
  let w: DelegatedWorld;
  let withScan: string;

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedDelegated(t);
    withScan = (
      await fileRequest(
        w.housing,
        delegatedBody(w, 'publicRentalHousing', {
          authorisation: {
            reference: 'SQ/2025 07',
            signedOn: signedOn(),
            fileBase64: PDF.toString('base64'),
          },
        }),
      )
    ).id;
  }, 300_000);
  afterAll(() => t.drop());

  const actions = async (id: string) =>
    (await w.verify.request('GET', `/api/verification/delegated/${id}/access`))
      .json()
      .map((a: { action: string }) => a.action);
  const audits = async (action: string, id: string) =>
    (
      await t.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM audit_log WHERE action = $1 AND entity_id = $2',
        [action, id],
      )
    ).rows[0]?.n;

  it('gives every field of a result in Chinese and English, amounts and codes included', async () => {
    await complete(w.verify, withScan);
    const response = await w.housing.request('GET', `/api/verification/delegated/${withScan}/result`);
    expect(response.statusCode, response.body).toBe(200);
    // Both persons (the head has the homes, the spouse the wages).
    const sources = response.json().result.subjects.flatMap((s: { sources: unknown[] }) => s.sources) as {
      source: string;
      records: { fields: Record<string, string>[] }[];
    }[];
    const fields = sources.flatMap((s) => s.records.flatMap((r) => r.fields));
    expect(fields.length).toBeGreaterThan(4);
    for (const f of fields) {
      expect(f.labelEn, f.name).toMatch(/^[\x20-\x7e²]+$/);
      // Free text (an address, an employer) stays as the department wrote it; nothing else is Chinese.
      if (!['location', 'employerName', 'brand'].includes(f.name as string))
        expect(f.textEn, `${f.name} ${f.textEn}`).not.toMatch(/\p{Script=Han}/u);
    }
    expect(fields.find((f) => f.name === 'use')).toMatchObject({
      labelEn: 'Use',
      textEn: 'residential flat',
    });
    const wage = fields.find((f) => f.name === 'wageIncomeFen');
    expect(wage?.labelEn).toBe('Wage income');
    expect(wage).toMatchObject({ text: '6万元', textEn: '¥60,000' });
  });

  it('lets the requesting department and the centre download the scan, logged; others get 404', async () => {
    const path = `/api/verification/delegated/${withScan}/authorisation`;
    const mine = await w.housing.request('GET', path);
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.headers['content-type']).toBe('application/pdf');
    expect(mine.headers['content-disposition']).toMatch(/^attachment; filename\*=UTF-8''/);
    expect(mine.headers['x-content-type-options']).toBe('nosniff');
    expect(mine.rawPayload.equals(PDF)).toBe(true);
    expect((await w.verify.request('GET', path)).statusCode).toBe(200);
    expect((await actions(withScan)).filter((a: string) => a === 'download')).toHaveLength(2);
    expect(await audits('verification.delegated.authorisation', withScan)).toBe(2);
    // Another department: as absent as the request itself, and nothing logged.
    expect((await w.medical.request('GET', path)).statusCode).toBe(404);
    expect((await w.education.request('GET', path)).statusCode).toBe(404);
    expect((await actions(withScan)).filter((a: string) => a === 'download')).toHaveLength(2);
    // No permission at all.
    expect((await w.county.request('GET', path)).statusCode).toBe(403);
    // Hostile and unknown ids.
    for (const id of ['not-a-uuid', "1' OR '1'='1", '../../etc/passwd'])
      expect(
        (
          await w.housing.request(
            'GET',
            `/api/verification/delegated/${encodeURIComponent(id)}/authorisation`,
          )
        ).statusCode,
      ).toBe(400);
    expect(
      (
        await w.housing.request(
          'GET',
          '/api/verification/delegated/00000000-0000-4000-8000-000000000000/authorisation',
        )
      ).statusCode,
    ).toBe(404);
    // A request filed without a scan has nothing to download.
    const plain = (await fileRequest(w.housing, delegatedBody(w, 'publicRentalHousing'))).id;
    const none = await w.housing.request('GET', `/api/verification/delegated/${plain}/authorisation`);
    expect(none.statusCode).toBe(404);
    expect(none.json().message).toContain('授权书扫描件');
    // A PNG comes back as a PNG.
    const png = (
      await fileRequest(
        w.housing,
        delegatedBody(w, 'publicRentalHousing', {
          authorisation: { reference: 'SQ-PNG', signedOn: signedOn(), fileBase64: PNG.toString('base64') },
        }),
      )
    ).id;
    const image = await w.housing.request('GET', `/api/verification/delegated/${png}/authorisation`);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.rawPayload.equals(PNG)).toBe(true);
  });

  it('purges a result once the retention after expiry has passed, keeping the request and its log', async () => {
    const keep = (await fileRequest(w.housing, delegatedBody(w, 'publicRentalHousing'))).id;
    await complete(w.verify, keep);
    const row = await t.db.query<{ expires_on: string }>(
      'SELECT expires_on::text AS expires_on FROM delegated_request WHERE id = $1',
      [withScan],
    );
    const expiresOn = row.rows[0]?.expires_on as string;
    // 30 days kept after expiry (catalog/parameters/delegatedResultRetentionDays.yaml): not yet on day 30.
    expect(await purgeExpiredResults(t.db, addDays(expiresOn, 30))).toMatchObject({ purged: 0 });
    // `keep` expires later than withScan (completed later, same purpose), so only withScan goes.
    await t.db.query('UPDATE delegated_request SET expires_on = $2 WHERE id = $1', [
      keep,
      addDays(expiresOn, 1),
    ]);
    const job = jobs.find((j) => j.name === 'delegated-purge');
    expect(job?.cron).toBeTruthy();
    const log = { info: () => undefined, error: () => undefined };
    expect(await job?.run(t.db, log, { today: addDays(expiresOn, 31) })).toMatchObject({ purged: 1 });
    // A repeat purges nothing twice.
    expect(await job?.run(t.db, log, { today: addDays(expiresOn, 31) })).toMatchObject({ purged: 0 });

    const stored = await t.db.query<{
      status: string;
      result: unknown;
      result_purged_on: string;
      decided_by_name: string;
    }>(
      'SELECT status, result, result_purged_on::text AS result_purged_on, decided_by_name FROM delegated_request WHERE id = $1',
      [withScan],
    );
    expect(stored.rows[0]).toMatchObject({
      status: 'completed',
      result: null,
      result_purged_on: addDays(expiresOn, 31),
    });
    expect(stored.rows[0]?.decided_by_name).toBeTruthy();
    const gone = await w.housing.request('GET', `/api/verification/delegated/${withScan}/result`);
    expect(gone.statusCode).toBe(410);
    expect(gone.json().code).toBe('RESULT_PURGED');
    const view = (await w.housing.request('GET', `/api/verification/delegated/${withScan}`)).json();
    expect(view).toMatchObject({ status: 'completed', resultPurgedOn: addDays(expiresOn, 31) });
    // The access log keeps every earlier entry and shows the purge; the audit trail too.
    const trail = await actions(withScan);
    expect(trail[0]).toBe('purge');
    expect(trail).toEqual(expect.arrayContaining(['complete', 'view', 'download']));
    expect(await audits('verification.delegated.purge', withScan)).toBe(1);
    // The other result is still held and readable.
    expect((await w.housing.request('GET', `/api/verification/delegated/${keep}/result`)).statusCode).toBe(
      200,
    );
    expect(await audits('verification.delegated.purge', keep)).toBe(0);
  });
});
