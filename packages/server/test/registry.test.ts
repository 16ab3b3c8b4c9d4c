import { makeIdNumber } from '@doudi/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regions, TEST_PASSWORD } from './factories.ts';
import { householdBody, idFor, seedRegistryPeople } from './registryFactories.ts';
import { createTestApp, type TestApp, type TestClient } from './testApp.ts';

describe('registry: households and persons through the API', () => {
  let t: TestApp;
  let huayuan: TestClient;
  let fengshan: TestClient;
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
    fengshan = await login('fengshan');
    county = await login('county');
    grid = await login('grid');
    resident = await login('resident');
  });
  afterAll(() => t.drop());

  it('registers a household with head and members, masked everywhere, and writes a masked audit row', async () => {
    const body = householdBody();
    const response = await huayuan.request('POST', '/api/households', body);
    expect(response.statusCode, response.body).toBe(200);
    const detail = response.json();
    expect(detail.householdNumber).toBe(body.householdNumber);
    expect(detail.regionName).toBe('花园社区居委会');
    expect(detail.urban).toBe(true);
    expect(detail.members.map((m: { name: string }) => m.name)).toEqual(['张建国', '李桂英', '张小明']);
    const head = detail.members[0];
    expect(head.relationshipToHead).toBe('head');
    expect(head.idNumberMasked).toBe(
      `${body.head.idNumber.slice(0, 6)}********${body.head.idNumber.slice(-4)}`,
    );
    expect(head.phoneMasked).toBe('138****5678');
    expect(head.birthDate).toBe('1970-03-05');
    expect(head.sex).toBe('male');
    expect(detail.headPersonId).toBe(head.id);
    expect(response.body).not.toContain(body.head.idNumber);
    expect(response.body).not.toContain('13812345678');

    const audit = await t.db.query<{ after: unknown }>(
      `SELECT after FROM audit_log WHERE action = 'household.create' AND entity_id = $1`,
      [detail.id],
    );
    expect(audit.rows).toHaveLength(1);
    const text = JSON.stringify(audit.rows[0]?.after);
    expect(text).toContain('********');
    expect(text).not.toContain(body.head.idNumber);
    expect(text).not.toContain('13812345678');
  });

  it('stores no plaintext ID number or phone at rest', async () => {
    const body = householdBody();
    const created = (await huayuan.request('POST', '/api/households', body)).json();
    const rows = await t.db.query<Record<string, unknown>>('SELECT * FROM person WHERE id = $1', [
      created.headPersonId,
    ]);
    const raw = JSON.stringify(rows.rows[0], (_k, v) =>
      v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v,
    );
    expect(raw).not.toContain(body.head.idNumber);
    expect(raw).not.toContain(body.head.idNumber.slice(6, 14) + body.head.idNumber.slice(14));
    expect(raw).not.toContain('13812345678');
    const hit = await t.db.query(
      `SELECT 1 FROM person
        WHERE position(convert_to($1, 'UTF8') IN id_number_cipher) > 0
           OR position(convert_to($1, 'UTF8') IN id_number_index) > 0
           OR position(convert_to($2, 'UTF8') IN coalesce(phone_cipher, ''::bytea)) > 0
           OR concat_ws(' ', name, id_number_masked, phone_masked, hukou_region_code, residence_region_code) LIKE '%' || $1 || '%'
           OR concat_ws(' ', name, id_number_masked, phone_masked) LIKE '%' || $2 || '%'`,
      [body.head.idNumber, '13812345678'],
    );
    expect(hit.rows).toHaveLength(0);
  });

  it('refuses each kind of invalid ID number with a field-level Chinese message', async () => {
    const good = idFor('1980-01-01');
    const cases: [string, RegExp][] = [
      [good.slice(0, 17), /应为18位，实际为17位/],
      [`${good.slice(0, 10)}A${good.slice(11)}`, /前17位应为数字/],
      [`99${good.slice(2)}`, /地区码990921不是有效的行政区划代码/],
      [makeIdNumber('420921', '1980-01-01', 1).replace('19800101', '19800230'), /出生日期19800230无效/],
      [`${good.slice(0, 17)}${good[17] === '0' ? '1' : '0'}`, /校验位错误/],
      [makeIdNumber('420921', '2099-01-01', 1), /出生日期20990101无效/],
    ];
    for (const [idNumber, message] of cases) {
      const response = await huayuan.request(
        'POST',
        '/api/households',
        householdBody({ head: { name: '王五', idNumber } }),
      );
      expect(response.statusCode, idNumber).toBe(400);
      expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'head.idNumber' });
      expect(response.json().message).toMatch(message);
    }
  });

  it('refuses a birth date or sex that contradicts the ID number, and a future birth date', async () => {
    const idNumber = idFor('1975-04-04', 'male');
    const wrongDate = await huayuan.request(
      'POST',
      '/api/households',
      householdBody({ head: { name: '王五', idNumber, birthDate: '1975-04-05' } }),
    );
    expect(wrongDate.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'head.birthDate' });
    expect(wrongDate.json().message).toContain('与身份证号码中的1975-04-04不一致');
    const wrongSex = await huayuan.request(
      'POST',
      '/api/households',
      householdBody({ head: { name: '王五', idNumber, sex: 'female' } }),
    );
    expect(wrongSex.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'head.sex' });
    const future = await huayuan.request(
      'POST',
      '/api/households',
      householdBody({ head: { name: '王五', idNumber, birthDate: '2999-01-01' } }),
    );
    expect(future.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'head.birthDate' });
    expect(future.json().message).toBe('出生日期不能晚于今天');
  });

  it('refuses a child as head, a bad phone, and an over-long name', async () => {
    const child = await huayuan.request(
      'POST',
      '/api/households',
      householdBody({ head: { name: '小孩', idNumber: idFor('2015-06-01') } }),
    );
    expect(child.statusCode).toBe(400);
    expect(child.json()).toMatchObject({ field: 'head.idNumber' });
    expect(child.json().message).toMatch(/户主须年满18周岁/);
    const phone = await huayuan.request(
      'POST',
      '/api/households',
      householdBody({ head: { name: '王五', idNumber: idFor('1970-01-01'), phone: '1381234567' } }),
    );
    expect(phone.json()).toMatchObject({ field: 'head.phone' });
    expect(phone.json().message).toMatch(/11位/);
    const landline = await huayuan.request(
      'POST',
      '/api/households',
      householdBody({ head: { name: '王五', idNumber: idFor('1970-01-01'), phone: '0712-4567890' } }),
    );
    expect(landline.statusCode).toBe(200);
    expect(landline.json().members[0].phoneMasked).toBe('0712-****7890');
    const long = await huayuan.request(
      'POST',
      '/api/households',
      householdBody({ head: { name: '张'.repeat(51), idNumber: idFor('1970-01-01') } }),
    );
    expect(long.json()).toMatchObject({ field: 'head.name' });
  });

  it('keeps rare characters outside the BMP and emoji intact', async () => {
    const name = '𠮷㛃䶮👵';
    const created = await huayuan.request(
      'POST',
      '/api/households',
      householdBody({ head: { name, idNumber: idFor('1950-02-02') }, members: [] }),
    );
    expect(created.statusCode, created.body).toBe(200);
    const detail = (await huayuan.request('GET', `/api/households/${created.json().id}`)).json();
    expect(detail.members[0].name).toBe(name);
    const listed = await huayuan.request('GET', `/api/households?name=${encodeURIComponent('𠮷')}`);
    expect(listed.json().items.map((h: { head: { name: string } }) => h.head.name)).toEqual([name]);
    const stored = await t.db.query<{ name: string; n: number }>(
      'SELECT name, char_length(name) AS n FROM person WHERE id = $1',
      [detail.headPersonId],
    );
    expect(stored.rows[0]).toEqual({ name, n: 4 });
  });

  it('refuses an unknown region, a township instead of a village, and a region outside scope', async () => {
    const unknown = await huayuan.request(
      'POST',
      '/api/households',
      householdBody({ regionCode: '420921100999' }),
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'regionCode' });
    const township = await huayuan.request(
      'POST',
      '/api/households',
      householdBody({ regionCode: regions.huayuan }),
    );
    expect(township.json()).toMatchObject({ field: 'regionCode' });
    expect(township.json().message).toMatch(/应选到村/);
    const outside = await huayuan.request(
      'POST',
      '/api/households',
      householdBody({ regionCode: regions.fengshanVillage }),
    );
    expect(outside.statusCode).toBe(403);
    expect(outside.json().code).toBe('OUT_OF_SCOPE');
  });

  it('refuses the same person in a second household and names the other household, masked outside scope', async () => {
    const first = householdBody();
    expect((await huayuan.request('POST', '/api/households', first)).statusCode).toBe(200);
    // Same township: the full household number and the village are named.
    const again = await huayuan.request(
      'POST',
      '/api/households',
      householdBody({ head: first.head, members: [] }),
    );
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'PERSON_IN_OTHER_HOUSEHOLD', field: 'head.idNumber' });
    expect(again.json().message).toContain(first.householdNumber);
    expect(again.json().message).toContain('花园镇花园社区居委会');
    expect(again.json().message).not.toContain(first.head.idNumber);
    // Another township: the village is named, the household number masked.
    const other = await fengshan.request(
      'POST',
      '/api/households',
      householdBody({ regionCode: regions.fengshanVillage, head: first.head, members: [] }),
    );
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('PERSON_IN_OTHER_HOUSEHOLD');
    expect(other.json().message).toContain('花园镇花园社区居委会');
    expect(other.json().message).not.toContain(first.householdNumber);
    expect(other.json().message).toContain(first.householdNumber.slice(-4));
    // Nothing of the refused household was kept.
    const count = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM household WHERE household_number = $1',
      [other.json().householdNumber ?? 'none'],
    );
    expect(count.rows[0]?.n).toBe(0);
  });

  it('two concurrent requests adding the same person to two households: exactly one wins', async () => {
    const a = (await huayuan.request('POST', '/api/households', householdBody({ members: [] }))).json();
    const b = (await county.request('POST', '/api/households', householdBody({ members: [] }))).json();
    const person = { name: '赵六', idNumber: idFor('1990-09-09'), relationshipToHead: 'other' };
    const results = await Promise.all([
      huayuan.request('POST', `/api/households/${a.id}/members`, person),
      county.request('POST', `/api/households/${b.id}/members`, person),
    ]);
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 409]);
    const loser = results.find((r) => r.statusCode === 409);
    expect(loser?.json().code).toBe('PERSON_IN_OTHER_HOUSEHOLD');
    const rows = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM person WHERE name = '赵六'`);
    expect(rows.rows[0]?.n).toBe(1);
  });

  it('lists households masked, with search by exact ID number and phone through the blind index', async () => {
    const body = householdBody({
      head: { name: '欧阳明', idNumber: idFor('1966-06-06'), phone: '13900001111' },
    });
    const created = (await huayuan.request('POST', '/api/households', body)).json();
    const byId = (
      await huayuan.request('GET', `/api/households?idNumber=${body.head.idNumber.toLowerCase()}`)
    ).json();
    expect(byId.items.map((h: { id: string }) => h.id)).toEqual([created.id]);
    expect(byId.items[0].head.idNumberMasked).toContain('****');
    expect(JSON.stringify(byId)).not.toContain(body.head.idNumber);
    const byPhone = (await huayuan.request('GET', '/api/households?phone=139-0000-1111')).json();
    expect(byPhone.total).toBe(1);
    const byPrefix = (
      await huayuan.request('GET', `/api/households?name=${encodeURIComponent('欧阳')}`)
    ).json();
    expect(byPrefix.items.map((h: { id: string }) => h.id)).toEqual([created.id]);
    const byContains = (
      await huayuan.request('GET', `/api/households?name=${encodeURIComponent('阳明')}&nameMode=contains`)
    ).json();
    expect(byContains.items.map((h: { id: string }) => h.id)).toEqual([created.id]);
    const noPrefix = (
      await huayuan.request('GET', `/api/households?name=${encodeURIComponent('阳明')}`)
    ).json();
    expect(noPrefix.total).toBe(0);
    const partialId = (
      await huayuan.request('GET', `/api/households?idNumber=${body.head.idNumber.slice(0, 10)}`)
    ).json();
    expect(partialId.total).toBe(0);
    const paged = (await huayuan.request('GET', '/api/households?pageSize=2&page=1')).json();
    expect(paged.items).toHaveLength(2);
    expect(paged.total).toBeGreaterThan(2);
  });

  it('a township caseworker cannot see another township, even by id (404) or by filter', async () => {
    const theirs = (
      await fengshan.request(
        'POST',
        '/api/households',
        householdBody({ regionCode: regions.fengshanVillage, members: [] }),
      )
    ).json();
    expect(theirs.id).toBeTruthy();
    expect((await huayuan.request('GET', `/api/households/${theirs.id}`)).statusCode).toBe(404);
    expect((await huayuan.request('GET', `/api/persons/${theirs.headPersonId}`)).statusCode).toBe(404);
    expect(
      (await huayuan.request('GET', `/api/households?regionCode=${regions.fengshan}`)).json().total,
    ).toBe(0);
    const all = (await huayuan.request('GET', '/api/households?pageSize=200')).json();
    expect(all.items.every((h: { regionCode: string }) => h.regionCode.startsWith('420921100'))).toBe(true);
    expect((await county.request('GET', `/api/households/${theirs.id}`)).statusCode).toBe(200);
    const reveal = await huayuan.request('POST', `/api/persons/${theirs.headPersonId}/reveal`, {
      field: 'idNumber',
      purpose: '核对身份信息',
    });
    expect(reveal.statusCode).toBe(404);
  });

  it('only staff with registry permissions read; a resident is refused', async () => {
    expect((await resident.request('GET', '/api/households')).statusCode).toBe(403);
    expect((await grid.request('GET', '/api/households')).statusCode).toBe(200);
    expect((await grid.request('POST', '/api/households', householdBody())).statusCode).toBe(403);
  });

  it('counts households, persons and categories per child region', async () => {
    const created = (await county.request('POST', '/api/households', householdBody({ members: [] }))).json();
    await county.request('POST', `/api/households/${created.id}/categories`, {
      category: 'dibao',
      validFrom: '2024-01-01',
      monthlyAmountFen: 55_000,
    });
    const stats = (await county.request('GET', `/api/regions/${regions.county}/registry-stats`)).json();
    const hy = stats.children.find((c: { code: string }) => c.code === regions.huayuan);
    const fs = stats.children.find((c: { code: string }) => c.code === regions.fengshan);
    const households = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM household WHERE region_code LIKE '420921100%'`,
    );
    expect(hy.households).toBe(households.rows[0]?.n);
    expect(hy.categories.dibao).toBe(1);
    expect(fs.households).toBeGreaterThanOrEqual(1);
    expect(stats.total.households).toBe(hy.households + fs.households);
    const own = (await huayuan.request('GET', `/api/regions/${regions.county}/registry-stats`)).json();
    expect(own.children.find((c: { code: string }) => c.code === regions.fengshan).households).toBe(0);
    expect((await huayuan.request('GET', `/api/regions/${regions.fengshan}/registry-stats`)).statusCode).toBe(
      403,
    );
  });

  it('optimistic concurrency on household edits', async () => {
    const created = (await huayuan.request('POST', '/api/households', householdBody({ members: [] }))).json();
    const first = await huayuan.request('PATCH', `/api/households/${created.id}`, {
      version: created.version,
      address: '新地址1号',
    });
    expect(first.statusCode).toBe(200);
    expect(first.json().address).toBe('新地址1号');
    const stale = await huayuan.request('PATCH', `/api/households/${created.id}`, {
      version: created.version,
      address: '新地址2号',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('VERSION_CONFLICT');
  });
});
