/** Personal data in the registry: reveal with a purpose, and export; both permissioned and logged. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regions, TEST_PASSWORD } from './factories.ts';
import { householdBody, seedRegistryPeople } from './registryFactories.ts';
import { createTestApp, type TestApp, type TestClient } from './testApp.ts';

describe('registry: revealing and exporting personal data', () => {
  let t: TestApp;
  let huayuan: TestClient;
  let county: TestClient;
  let grid: TestClient;
  let resident: TestClient;

  async function login(name: string) {
    const client = t.client();
    const response = await client.login(name, TEST_PASSWORD);
    expect(response.statusCode).toBe(200);
    return client;
  }

  beforeAll(async () => {
    t = await createTestApp();
    await seedRegistryPeople(t.db);
    huayuan = await login('huayuan');
    county = await login('county');
    grid = await login('grid');
    resident = await login('resident');
    // The export test needs a handful of households in 花园镇.
    for (let i = 0; i < 6; i++) {
      const created = await huayuan.request('POST', '/api/households', householdBody({ members: [] }));
      expect(created.statusCode).toBe(200);
    }
  });
  afterAll(() => t.drop());

  it('reveal needs the permission and a purpose, returns the full value and writes the access log and audit', async () => {
    const body = householdBody({ members: [] });
    const created = (await huayuan.request('POST', '/api/households', body)).json();
    const url = `/api/persons/${created.headPersonId}/reveal`;
    expect((await grid.request('POST', url, { field: 'idNumber', purpose: '入户核实身份' })).statusCode).toBe(
      403,
    );
    expect(
      (await resident.request('POST', url, { field: 'idNumber', purpose: '入户核实身份' })).statusCode,
    ).toBe(403);
    const noPurpose = await huayuan.request('POST', url, { field: 'idNumber', purpose: '看' });
    expect(noPurpose.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'purpose' });
    const revealed = await huayuan.request('POST', url, {
      field: 'idNumber',
      purpose: '办理低保申请核对身份',
    });
    expect(revealed.statusCode).toBe(200);
    expect(revealed.json().value).toBe(body.head.idNumber);
    expect(revealed.headers['cache-control']).toBe('no-store');
    const phone = await huayuan.request('POST', url, { field: 'phone', purpose: '电话联系户主' });
    expect(phone.json().value).toBe('13812345678');

    const auditor = await login('auditor');
    const log = (
      await auditor.request('GET', `/api/personal-data-access?personId=${created.headPersonId}`)
    ).json();
    expect(log.total).toBe(2);
    expect(log.items.map((i: { field: string }) => i.field).sort()).toEqual(['idNumber', 'phone']);
    expect(log.items.find((i: { field: string }) => i.field === 'idNumber')).toMatchObject({
      actorName: 'huayuan',
      actorRole: 'caseworker',
      purpose: '办理低保申请核对身份',
      personName: '张建国',
    });
    expect((await huayuan.request('GET', '/api/personal-data-access')).statusCode).toBe(403);
    const audit = await t.db.query<{ after: { field: string; purpose: string } }>(
      `SELECT after FROM audit_log WHERE action = 'personalData.reveal' AND entity_id = $1 ORDER BY seq`,
      [created.headPersonId],
    );
    expect(audit.rows.map((r) => r.after.field)).toEqual(['idNumber', 'phone']);
    expect(JSON.stringify(audit.rows)).not.toContain(body.head.idNumber);
  });

  it('exports CSV masked by default, unmasked only with a purpose, always logged', async () => {
    expect((await huayuan.request('GET', '/api/households/export.csv')).statusCode).toBe(403);
    const masked = await county.request('GET', `/api/households/export.csv?regionCode=${regions.huayuan}`);
    expect(masked.statusCode).toBe(200);
    expect(masked.headers['content-type']).toMatch(/text\/csv/);
    expect(masked.body.startsWith('\uFEFF户号,')).toBe(true);
    expect(masked.body).toContain('********');
    expect(masked.body).not.toMatch(/4209211\d{10}[\dX]/);
    const noPurpose = await county.request('GET', '/api/households/export.csv?reveal=true');
    expect(noPurpose.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'purpose' });
    const full = await county.request(
      'GET',
      `/api/households/export.csv?reveal=true&purpose=${encodeURIComponent('年度复核名单')}`,
    );
    expect(full.statusCode).toBe(200);
    expect(full.body).toMatch(/420921\d{11}[\dX]/);
    const logged = await t.db.query<{ purpose: string; detail: { reveal: boolean; rows: number } }>(
      `SELECT purpose, detail FROM personal_data_access WHERE field = 'export' ORDER BY at`,
    );
    expect(logged.rows.map((r) => r.detail.reveal)).toEqual([false, true]);
    expect(logged.rows[1]?.purpose).toBe('年度复核名单');
    expect(logged.rows[1]?.detail.rows).toBeGreaterThan(5);
  });
});
