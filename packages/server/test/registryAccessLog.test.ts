/** The personal-data access log as auditors read it: filters by day, user, person and ID number; bad input. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regions, TEST_PASSWORD } from './factories.ts';
import { householdBody, seedRegistryPeople } from './registryFactories.ts';
import { createTestApp, type TestApp, type TestClient } from './testApp.ts';

interface Entry {
  actorId: string;
  actorName: string | null;
  personId: string | null;
  personName: string | null;
  idNumberMasked: string | null;
  field: string;
  purpose: string;
  at: string;
}
interface LogPage {
  items: Entry[];
  total: number;
  page: number;
  pageSize: number;
}

/** Today in Beijing time, and n days from it. */
const beijingDay = (offsetDays = 0) =>
  new Date(Date.now() + 8 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe('registry: personal-data access log', () => {
  let t: TestApp;
  let people: Awaited<ReturnType<typeof seedRegistryPeople>>;
  let huayuan: TestClient;
  let fengshan: TestClient;
  let auditor: TestClient;
  let county: TestClient;
  const huayuanHead = householdBody({ members: [] });
  let huayuanPerson = '';
  let fengshanPerson = '';

  async function login(name: string) {
    const client = t.client();
    expect((await client.login(name, TEST_PASSWORD)).statusCode).toBe(200);
    return client;
  }
  const log = async (client: TestClient, query = '') => {
    const response = await client.request('GET', `/api/personal-data-access${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as LogPage;
  };

  beforeAll(async () => {
    t = await createTestApp();
    people = await seedRegistryPeople(t.db);
    huayuan = await login('huayuan');
    fengshan = await login('fengshan');
    auditor = await login('auditor');
    county = await login('county');
    huayuanPerson = (await huayuan.request('POST', '/api/households', huayuanHead)).json().headPersonId;
    fengshanPerson = (
      await fengshan.request(
        'POST',
        '/api/households',
        householdBody({ regionCode: regions.fengshanVillage, members: [] }),
      )
    ).json().headPersonId;
    for (const [client, personId, purpose] of [
      [huayuan, huayuanPerson, '核对低保申请材料'],
      [huayuan, huayuanPerson, '电话回访前核实身份'],
      [fengshan, fengshanPerson, '入户调查核实身份'],
    ] as const) {
      const revealed = await client.request('POST', `/api/persons/${personId}/reveal`, {
        field: 'idNumber',
        purpose,
      });
      expect(revealed.statusCode).toBe(200);
    }
    // Two older entries either side of midnight in Beijing (16:00 UTC): the day filter must
    // put each on its Beijing day, not its UTC one.
    for (const at of ['2025-03-01T15:30:00Z', '2025-03-01T16:10:00Z'])
      await t.db.query(
        `INSERT INTO personal_data_access (at, actor_id, actor_role, person_id, field, purpose, region_code)
         VALUES ($1, $2, 'caseworker', $3, 'phone', '历史记录', $4)`,
        [at, people.huayuan.id, huayuanPerson, regions.huayuanVillage],
      );
  });
  afterAll(() => t.drop());

  it('lists newest first with who, whom (masked) and why; pages', async () => {
    const all = await log(auditor);
    expect(all.total).toBe(5);
    expect(all.items[0]).toMatchObject({ actorName: 'fengshan', purpose: '入户调查核实身份' });
    expect(all.items.map((i) => i.at)).toEqual([...all.items.map((i) => i.at)].sort().reverse());
    const mine = all.items.find((i) => i.purpose === '核对低保申请材料');
    expect(mine).toMatchObject({ actorId: people.huayuan.id, personName: '张建国', field: 'idNumber' });
    expect(mine?.idNumberMasked).toContain('*');
    expect(JSON.stringify(all)).not.toContain(huayuanHead.head.idNumber);

    const second = await log(auditor, '?page=2&pageSize=2');
    expect(second.items.map((i) => i.purpose)).toEqual(all.items.slice(2, 4).map((i) => i.purpose));
    expect(second).toMatchObject({ total: 5, page: 2, pageSize: 2 });
  });

  it('filters by Beijing day, both ends included', async () => {
    const today = beijingDay();
    expect((await log(auditor, `?from=${today}&to=${today}`)).total).toBe(3);
    expect((await log(auditor, `?to=${beijingDay(-1)}`)).total).toBe(2);
    expect((await log(auditor, `?from=${beijingDay(1)}`)).total).toBe(0);
    // 15:30 UTC is 23:30 on 1 March in Beijing; 16:10 UTC is 00:10 on 2 March.
    expect((await log(auditor, '?from=2025-03-01&to=2025-03-01')).items.map((i) => i.at)).toEqual([
      '2025-03-01T15:30:00.000Z',
    ]);
    expect((await log(auditor, '?from=2025-03-02&to=2025-03-02')).items.map((i) => i.at)).toEqual([
      '2025-03-01T16:10:00.000Z',
    ]);
  });

  it('filters by user, by person, and by ID number (any spelling of the final X or spaces)', async () => {
    const byUser = await log(auditor, `?actorId=${people.fengshan.id}`);
    expect(byUser.items.map((i) => i.purpose)).toEqual(['入户调查核实身份']);
    expect((await log(auditor, `?personId=${huayuanPerson}`)).total).toBe(4);
    const id = huayuanHead.head.idNumber;
    expect((await log(auditor, `?idNumber=${encodeURIComponent(` ${id.toLowerCase()} `)}`)).total).toBe(4);
    const both = await log(auditor, `?idNumber=${id}&actorId=${people.huayuan.id}&from=${beijingDay()}`);
    expect(both.items.map((i) => i.purpose).sort()).toEqual(['核对低保申请材料', '电话回访前核实身份']);
    expect((await log(auditor, '?idNumber=420921199001011234')).total).toBe(0);
    expect((await log(auditor, `?regionCode=${regions.fengshan}`)).total).toBe(1);
  });

  it('is for auditors and the county office only, within their region', async () => {
    expect((await log(county)).total).toBe(5);
    for (const client of [huayuan, fengshan, await login('grid'), await login('resident')])
      expect((await client.request('GET', '/api/personal-data-access')).statusCode).toBe(403);
    expect((await t.client().request('GET', '/api/personal-data-access')).statusCode).toBe(401);
    const outside = await auditor.request('GET', '/api/personal-data-access?regionCode=420922000000');
    expect(outside.json()).toMatchObject({ code: 'OUT_OF_SCOPE' });
  });

  it('refuses malformed, oversized and hostile filters with the field named', async () => {
    const cases: [string, string][] = [
      ['?from=2025-13-01', 'from'],
      ['?from=2025-02-30', 'from'],
      ['?to=yesterday', 'to'],
      [`?from=${beijingDay()}&to=2025-01-01`, 'to'],
      ['?personId=1%27%20OR%201%3D1--', 'personId'],
      [`?idNumber=${'9'.repeat(31)}`, 'idNumber'],
      [`?actorId=${'x'.repeat(65)}`, 'actorId'],
      ['?regionCode=4209', 'regionCode'],
      ['?page=0', 'page'],
      ['?pageSize=201', 'pageSize'],
    ];
    for (const [query, field] of cases) {
      const response = await auditor.request('GET', `/api/personal-data-access${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json(), query).toMatchObject({ code: 'VALIDATION_FAILED', field });
      expect(response.json().message, query).toMatch(/[\u4e00-\u9fff]/);
    }
    // Text that looks like SQL is only ever a value: it matches nobody.
    const hostile = await log(auditor, `?actorId=${encodeURIComponent("' OR 1=1 --")}`);
    expect(hostile.total).toBe(0);
    const emoji = await log(auditor, `?idNumber=${encodeURIComponent('😀身份证')}`);
    expect(emoji.total).toBe(0);
  });
});
