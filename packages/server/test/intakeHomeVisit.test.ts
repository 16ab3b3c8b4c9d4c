/**
 * Home visit on a phone: two investigators (the second confirms on their own login; one alone is
 * refused), location and time, photos checked by magic bytes and stripped of EXIF location, a
 * retried save is one visit, confirming records the visit document so the step can complete, and
 * the figures reach take-highest reconciliation (verification_home_visit).
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, regions } from './factories.ts';
import { act, createIntakeApp, type IntakeTestApp, submit } from './intakeFactories.ts';
import type { TestClient } from './testApp.ts';

/** A JPEG whose EXIF carries a GPS position, as a phone camera writes it. */
async function phoneJpeg(seed = 0) {
  return sharp({
    create: { width: 640, height: 480, channels: 3, background: { r: 120 + seed, g: 90, b: 60 } },
  })
    .jpeg()
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'X1' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '30/1 52/1 0/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '113/1 55/1 0/1',
      },
    })
    .toBuffer();
}

describe('intake: home visit on a phone', () => {
  let t: IntakeTestApp;
  let huayuan: TestClient;
  let huayuan2: TestClient;
  let fengshan: TestClient;
  let verifier: TestClient;
  let caseId: string;

  const visitBody = (over: Record<string, unknown> = {}) => ({
    visitedAt: '2026-03-04T02:30:00.000Z',
    location: { source: 'device', latitude: 30.8667, longitude: 113.9167, accuracyM: 12 },
    secondInvestigator: 'huayuan2',
    figures: { wageIncome: 120_000, agriculturalIncome: 30_000, financialAssets: 500_000, vehicleCount: 0 },
    living: {
      housingStructure: 'brickWood',
      floorAreaM2: 60,
      dilapidatedHouse: false,
      condition: '屋内陈设简单',
    },
    note: '户主在家，配合调查',
    ...over,
  });

  async function upload(client: TestClient, visitId: string, bytes: Buffer, type = 'image/jpeg') {
    return t.app.inject({
      method: 'POST',
      url: `/api/intake/home-visits/${visitId}/photos?caption=${encodeURIComponent('房屋外观')}`,
      headers: {
        cookie: client.cookieHeader(),
        'x-csrf-token': client.csrfToken ?? '',
        'content-type': type,
      },
      payload: bytes,
    });
  }

  /** A dibao case moved to its home-visit step. */
  async function caseAtHomeVisit() {
    const submitted = await submit(huayuan, {
      householdId: await t.newHousehold(),
      channel: 'window',
      items: [{ policyId: 'dibao', documents: ['idCard', 'authorisation', 'declaration'] }],
    });
    expect(submitted.statusCode).toBe(200);
    const id = submitted.json().cases[0].id as string;
    expect((await act(huayuan, id, { action: 'complete' })).statusCode).toBe(200);
    const verified = await act(verifier, id, { action: 'complete', documents: ['verificationReport'] });
    expect(verified.json().case.currentStep.id).toBe('homeVisit');
    return id;
  }

  beforeAll(async () => {
    t = await createIntakeApp('2026-03-02');
    await buildUser(t.db, 'fengshan2', 'caseworker', regions.fengshan);
    huayuan = await t.login('huayuan');
    huayuan2 = await t.login('huayuan2');
    fengshan = await t.login('fengshan');
    verifier = await t.login('verifier');
    t.setToday('2026-03-04');
    caseId = await caseAtHomeVisit();
  }, 180_000);
  afterAll(() => t?.drop());

  it('refuses a visit with one investigator only: no second, oneself, or someone outside the region', async () => {
    for (const [second, field] of [
      ['huayuan', '不能是您本人'],
      ['fengshan', '不是该户所在地区'],
      ['nobody_here', '不存在'],
      ['resident', '不存在'],
    ] as const) {
      const r = await huayuan.request(
        'PUT',
        `/api/intake/cases/${caseId}/home-visit`,
        visitBody({ secondInvestigator: second }),
      );
      expect(r.statusCode, second).toBe(400);
      expect(r.json()).toMatchObject({
        field: 'secondInvestigator',
        message: expect.stringContaining(field),
      });
    }
    const missing = { ...visitBody() } as Record<string, unknown>;
    delete missing.secondInvestigator;
    expect((await huayuan.request('PUT', `/api/intake/cases/${caseId}/home-visit`, missing)).statusCode).toBe(
      400,
    );
  });

  it('refuses malformed, oversized and hostile visit bodies with a Chinese message', async () => {
    const bad: Record<string, unknown>[] = [
      visitBody({ visitedAt: 'yesterday' }),
      visitBody({ visitedAt: '2026-03-09T02:00:00Z' }), // in the future
      visitBody({ location: { source: 'device' } }),
      visitBody({ location: { source: 'manual', address: '   ' } }),
      visitBody({ location: { source: 'device', latitude: 91, longitude: 0 } }),
      visitBody({ figures: { wageIncome: -1 } }),
      visitBody({ figures: { wageIncome: 1.5 } }),
      visitBody({ figures: { wageIncome: 'a thousand' } }),
      visitBody({ figures: { wageIncome: 1e15 } }),
      visitBody({ figures: { financialAssets: 'Infinity' } }),
      visitBody({ figures: { __proto__: 1, isAdmin: true } }),
      visitBody({ figures: { constructor: { prototype: { polluted: 1 } } } }),
      visitBody({ living: { condition: 'x'.repeat(501) } }),
      visitBody({ living: { housingStructure: "brick'; DROP TABLE intake_home_visit; --" } }),
      visitBody({ note: '长'.repeat(1001) }),
      visitBody({ secondInvestigator: "huayuan2' OR '1'='1" }),
      visitBody({ extra: 1 }),
    ];
    for (const body of bad) {
      const r = await huayuan.request('PUT', `/api/intake/cases/${caseId}/home-visit`, body);
      expect(r.statusCode, JSON.stringify(body).slice(0, 120)).toBe(400);
      expect(r.json().message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const notJson = await huayuan.request('PUT', `/api/intake/cases/${caseId}/home-visit`, '{"visitedAt":');
    expect(notJson.statusCode).toBe(400);
    const count = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM intake_home_visit');
    expect(count.rows[0]?.n).toBe(0);
  });

  it('only the office at a home-visit step records one; another township cannot see the case', async () => {
    expect(
      (await fengshan.request('PUT', `/api/intake/cases/${caseId}/home-visit`, visitBody())).statusCode,
    ).toBe(404);
    expect(
      (await verifier.request('PUT', `/api/intake/cases/${caseId}/home-visit`, visitBody())).statusCode,
    ).toBe(403);
    const fresh = await submit(huayuan, {
      householdId: await t.newHousehold(),
      channel: 'window',
      items: [{ policyId: 'dibao' }],
    });
    const atIntake = await huayuan.request(
      'PUT',
      `/api/intake/cases/${fresh.json().cases[0].id}/home-visit`,
      visitBody(),
    );
    expect(atIntake.statusCode).toBe(409);
    expect(atIntake.json().message).toContain('不是入户调查环节');
  });

  it('a retried save is one visit; a change by the recorder amends it', async () => {
    const saves = await Promise.all(
      [1, 2, 3].map(() => huayuan.request('PUT', `/api/intake/cases/${caseId}/home-visit`, visitBody())),
    );
    expect(saves.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(new Set(saves.map((r) => r.json().id)).size).toBe(1);
    const again = await huayuan.request('PUT', `/api/intake/cases/${caseId}/home-visit`, visitBody());
    expect(again.json()).toMatchObject({ replayed: true, status: 'awaitingConfirmation' });
    const amended = await huayuan.request(
      'PUT',
      `/api/intake/cases/${caseId}/home-visit`,
      visitBody({ location: { source: 'manual', address: '花园镇花园村3组12号' } }),
    );
    expect(amended.statusCode).toBe(200);
    expect(amended.json()).toMatchObject({
      id: again.json().id,
      replayed: false,
      location: { source: 'manual', address: '花园镇花园村3组12号', latitude: null },
      firstInvestigator: { name: expect.any(String) },
      secondInvestigator: { name: '花园镇二号' },
    });
    // The second investigator may not rewrite what the first recorded.
    const bySecond = await huayuan2.request(
      'PUT',
      `/api/intake/cases/${caseId}/home-visit`,
      visitBody({ secondInvestigator: 'huayuan' }),
    );
    expect(bySecond.statusCode).toBe(403);
    const rows = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM intake_home_visit WHERE case_id = $1',
      [caseId],
    );
    expect(rows.rows[0]?.n).toBe(1);
  });

  it('photos: magic bytes checked, oversized refused, EXIF location stripped, a retry kept once', async () => {
    const visit = (await huayuan.request('GET', `/api/intake/cases/${caseId}/home-visit`)).json().visit;
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF');
    const notImage = await upload(huayuan, visit.id, pdf);
    expect(notImage.statusCode).toBe(415);
    expect(notImage.json()).toMatchObject({
      code: 'PHOTO_NOT_IMAGE',
      message: expect.stringContaining('JPEG'),
    });
    const html = await upload(
      huayuan,
      visit.id,
      Buffer.from('<html><script>alert(1)</script></html>'),
      'image/png',
    );
    expect(html.statusCode).toBe(415);
    // JPEG magic bytes on garbage: the decoder refuses it, nothing is stored.
    const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]);
    expect((await upload(huayuan, visit.id, fake)).statusCode).toBe(422);
    const huge = Buffer.concat([await phoneJpeg(), Buffer.alloc(11 * 1024 * 1024)]);
    const tooLarge = await upload(huayuan, visit.id, huge);
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().message).toMatch(/过大|不能超过/);
    expect((await upload(huayuan, visit.id, Buffer.alloc(0))).statusCode).toBe(400);
    // A decompression bomb: a small PNG that unpacks to 100 megapixels.
    const bomb = await sharp({
      create: { width: 10_000, height: 10_000, channels: 3, background: { r: 0, g: 0, b: 0 } },
    })
      .png()
      .toBuffer();
    expect((await upload(huayuan, visit.id, bomb)).statusCode).toBe(422);

    const jpeg = await phoneJpeg();
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();
    const first = await upload(huayuan, visit.id, jpeg);
    expect(first.statusCode).toBe(200);
    const retry = await upload(huayuan, visit.id, jpeg);
    expect(retry.json()).toMatchObject({ replayed: true });
    expect(retry.json().photos).toHaveLength(1);
    const photo = first.json().photos[0];
    const got = await huayuan.request('GET', `/api/intake/home-visits/${visit.id}/photos/${photo.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(got.rawPayload).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
    // Another township cannot read the photo; someone not on the visit cannot add one.
    expect(
      (await fengshan.request('GET', `/api/intake/home-visits/${visit.id}/photos/${photo.id}`)).statusCode,
    ).toBe(404);
    const county = await t.login('county');
    expect((await upload(county, visit.id, await phoneJpeg(1))).statusCode).toBe(403);
  });

  it('the recorder cannot confirm alone; the named second investigator confirms, the step completes', async () => {
    const visit = (await huayuan.request('GET', `/api/intake/cases/${caseId}/home-visit`)).json().visit;
    const alone = await huayuan.request('POST', `/api/intake/home-visits/${visit.id}/confirm`, {
      version: visit.version,
    });
    expect(alone.statusCode).toBe(403);
    expect(alone.json().message).toContain('第二名调查人员');
    const stale = await huayuan2.request('POST', `/api/intake/home-visits/${visit.id}/confirm`, {
      version: visit.version - 1 || 99,
    });
    expect(stale.statusCode).toBe(409);
    const queue = (await huayuan2.request('GET', '/api/intake/home-visits/awaiting-me')).json();
    expect(queue.map((v: { id: string }) => v.id)).toContain(visit.id);
    const confirmed = await huayuan2.request('POST', `/api/intake/home-visits/${visit.id}/confirm`, {
      version: visit.version,
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'confirmed', takeHighest: 'verification' });
    const twice = await huayuan2.request('POST', `/api/intake/home-visits/${visit.id}/confirm`, {
      version: visit.version,
    });
    expect(twice.json()).toMatchObject({ status: 'confirmed', replayed: true });
    // Locked once confirmed.
    expect(
      (await huayuan.request('PUT', `/api/intake/cases/${caseId}/home-visit`, visitBody())).statusCode,
    ).toBe(409);
    expect((await upload(huayuan, visit.id, await phoneJpeg(2))).statusCode).toBe(409);
    // The case has its visit document; the figures reached take-highest reconciliation.
    const detail = (await huayuan.request('GET', `/api/intake/cases/${caseId}`)).json();
    expect(detail.currentStep.documents).toEqual([
      expect.objectContaining({ id: 'homeVisitRecord', recordedOn: '2026-03-04' }),
    ]);
    const fed = await t.db.query<{ figures: Record<string, number>; investigators: string[] }>(
      'SELECT figures, investigators FROM verification_home_visit WHERE household_id = $1',
      [detail.householdId],
    );
    expect(fed.rows[0]?.figures).toMatchObject({ wageIncome: 120_000, financialAssets: 500_000 });
    expect(fed.rows[0]?.investigators).toHaveLength(2);
    const done = await act(huayuan, caseId, {
      action: 'complete',
      investigators: [confirmed.json().firstInvestigator.name, confirmed.json().secondInvestigator.name],
    });
    expect(done.statusCode).toBe(200);
    expect(done.json().case.currentStep.id).toBe('townshipOpinion');
    const audit = await t.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_type = 'intake_home_visit' ORDER BY seq`,
    );
    expect(audit.rows.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        'intake.homeVisit.record',
        'intake.homeVisit.amend',
        'intake.homeVisit.photo',
        'intake.homeVisit.confirm',
      ]),
    );
  });

  it('a visit without photos cannot be confirmed', async () => {
    const id = await caseAtHomeVisit();
    const saved = await huayuan.request('PUT', `/api/intake/cases/${id}/home-visit`, visitBody());
    const r = await huayuan2.request('POST', `/api/intake/home-visits/${saved.json().id}/confirm`, {
      version: saved.json().version,
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ field: 'photos', message: expect.stringContaining('照片') });
  });
});
