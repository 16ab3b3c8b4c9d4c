/**
 * The household list at scale: 户号 filter, keyset (cursor) paging, the capped total and the
 * total read from the region summary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regions, TEST_PASSWORD } from './factories.ts';
import { householdBody, idFor, seedRegistryPeople } from './registryFactories.ts';
import { createTestApp, type TestApp, type TestClient } from './testApp.ts';

type Item = { id: string; householdNumber: string; regionCode: string };

describe('registry: household list filters and paging', () => {
  let t: TestApp;
  let huayuan: TestClient;
  let fengshan: TestClient;
  let county: TestClient;

  async function login(name: string) {
    const client = t.client();
    expect((await client.login(name, TEST_PASSWORD)).statusCode).toBe(200);
    return client;
  }

  async function create(client: TestClient, householdNumber: string, regionCode: string) {
    const response = await client.request(
      'POST',
      '/api/households',
      householdBody({
        householdNumber,
        regionCode,
        head: { name: '刘德厚', idNumber: idFor('1965-02-03') },
        members: [],
      }),
    );
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as Item;
  }

  beforeAll(async () => {
    t = await createTestApp();
    await seedRegistryPeople(t.db);
    huayuan = await login('huayuan');
    fengshan = await login('fengshan');
    county = await login('county');
    for (const n of ['XC-HY-0101', 'XC-HY-0102', 'XC-HY-0110', 'XC-HY-0200'])
      await create(huayuan, n, regions.huayuanVillage);
    await create(fengshan, 'XC-FS-0101', regions.fengshanVillage);
  });
  afterAll(() => t.drop());

  const numbers = (body: { items: Item[] }) => body.items.map((h) => h.householdNumber);

  it('filters by 户号: prefix by default, exact on request', async () => {
    const prefix = (await huayuan.request('GET', '/api/households?householdNumber=XC-HY-01')).json();
    expect(numbers(prefix)).toEqual(['XC-HY-0101', 'XC-HY-0102', 'XC-HY-0110']);
    expect(prefix.total).toBe(3);
    const narrower = (await huayuan.request('GET', '/api/households?householdNumber=XC-HY-010')).json();
    expect(numbers(narrower)).toEqual(['XC-HY-0101', 'XC-HY-0102']);
    const exact = (
      await huayuan.request('GET', '/api/households?householdNumber=XC-HY-010&householdNumberMode=exact')
    ).json();
    expect(exact.total).toBe(0);
    const one = (
      await huayuan.request('GET', '/api/households?householdNumber=XC-HY-0110&householdNumberMode=exact')
    ).json();
    expect(numbers(one)).toEqual(['XC-HY-0110']);
    // Combined with another filter: both must hold.
    const both = (
      await huayuan.request('GET', `/api/households?householdNumber=XC-HY&name=${encodeURIComponent('刘德')}`)
    ).json();
    expect(both.total).toBe(4);
  });

  it('a 户号 outside the caller’s scope is not found, even exactly; the county sees both', async () => {
    const hidden = (
      await huayuan.request('GET', '/api/households?householdNumber=XC-FS-0101&householdNumberMode=exact')
    ).json();
    expect(hidden.total).toBe(0);
    expect(hidden.items).toEqual([]);
    const all = (await county.request('GET', '/api/households?householdNumber=XC-')).json();
    // Ordered by village code, then 户号: 花园 (420921100…) before 丰山.
    expect(numbers(all)).toEqual(['XC-HY-0101', 'XC-HY-0102', 'XC-HY-0110', 'XC-HY-0200', 'XC-FS-0101']);
  });

  it('refuses wildcards, injection, empty, over-long and unknown-mode 户号 with 400', async () => {
    const bad = [
      'householdNumber=%25',
      'householdNumber=XC_HY',
      `householdNumber=${encodeURIComponent("1' OR '1'='1")}`,
      'householdNumber=',
      `householdNumber=${'1'.repeat(41)}`,
      `householdNumber=${encodeURIComponent('户号')}`,
      'householdNumber=XC&householdNumberMode=regex',
    ];
    for (const query of bad) {
      const response = await huayuan.request('GET', `/api/households?${query}`);
      expect(response.statusCode, query).toBe(400);
    }
    const count = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM household');
    expect(count.rows[0]?.n).toBe(5);
  });

  it('pages by cursor: every household once, in order, and no next cursor on the last page', async () => {
    const everything = (await county.request('GET', '/api/households?pageSize=200')).json();
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/households?pageSize=2${after ? `&after=${after}` : ''}`;
      const body = (await county.request('GET', url)).json();
      seen.push(...numbers(body));
      after = body.nextCursor;
      pages += 1;
      expect(pages).toBeLessThan(10);
    } while (after);
    expect(seen).toEqual(numbers(everything));
    expect(everything.nextCursor).toBeNull();
    expect(everything.total).toBe(5);
    expect(everything.totalCapped).toBe(false);
    // The cursor works with filters too, and offset page 2 agrees with the cursor after page 1.
    const first = (await county.request('GET', '/api/households?householdNumber=XC-HY&pageSize=2')).json();
    const byCursor = (
      await county.request(
        'GET',
        `/api/households?householdNumber=XC-HY&pageSize=2&after=${first.nextCursor}`,
      )
    ).json();
    const byOffset = (
      await county.request('GET', '/api/households?householdNumber=XC-HY&pageSize=2&page=2')
    ).json();
    expect(numbers(byCursor)).toEqual(numbers(byOffset));
    expect(numbers(byCursor)).toEqual(['XC-HY-0110', 'XC-HY-0200']);
  });

  it('refuses malformed or hostile cursors, cursor with a page number, and offsets past 10,000', async () => {
    const bad = [
      'after=abc',
      `after=${encodeURIComponent("420921100001:1' OR '1'='1")}`,
      'after=42092110000:XC-HY-0101',
      `after=420921100001:${'9'.repeat(41)}`,
      'after=420921100001:XC-HY-0101&page=2',
      'page=0',
      'page=501&pageSize=20',
      'page=51&pageSize=200',
      'page=10001',
      'pageSize=201',
    ];
    for (const query of bad) {
      const response = await county.request('GET', `/api/households?${query}`);
      expect(response.statusCode, query).toBe(400);
    }
    expect((await county.request('GET', '/api/households?page=500&pageSize=20')).statusCode).toBe(200);
    // A cursor past the end is simply an empty page.
    const end = (await county.request('GET', '/api/households?after=999999999999:Z')).json();
    expect(end.items).toEqual([]);
    expect(end.nextCursor).toBeNull();
  });

  it('the category filter gives the same pages whichever way it is planned', async () => {
    const ours = (await huayuan.request('GET', '/api/households?householdNumber=XC-HY')).json().items;
    for (const h of ours)
      expect(
        (
          await huayuan.request('POST', `/api/households/${h.id}/categories`, {
            category: 'relapseWatch',
            validFrom: '2024-03-01',
          })
        ).statusCode,
      ).toBe(200);
    const url = `/api/households?regionCode=${regions.huayuanVillage}&category=relapseWatch`;
    // One page of 200: gathered first ('set'). Pages of 1, four of four households: walked ('probe').
    const whole = numbers((await huayuan.request('GET', `${url}&pageSize=200`)).json());
    expect(whole).toEqual(['XC-HY-0101', 'XC-HY-0102', 'XC-HY-0110', 'XC-HY-0200']);
    const walked: string[] = [];
    let after: string | null = null;
    do {
      const response = await huayuan.request('GET', `${url}&pageSize=1${after ? `&after=${after}` : ''}`);
      const body: { items: Item[]; total: number; nextCursor: string | null } = response.json();
      walked.push(...numbers(body));
      expect(body.total).toBe(4);
      after = body.nextCursor;
    } while (after && walked.length < 10);
    expect(walked).toEqual(whole);
    // An earlier date: nothing was in force then, either way.
    expect((await huayuan.request('GET', `${url}&pageSize=1&asOf=2024-01-01`)).json().items).toEqual([]);
    expect((await huayuan.request('GET', `${url}&asOf=2024-01-01`)).json().total).toBe(0);
  });

  it('totals: region and category from the summary, exact; other filters counted up to 10,000 then capped', async () => {
    const [one] = (await huayuan.request('GET', '/api/households?householdNumber=XC-HY-0101')).json().items;
    expect(
      (
        await huayuan.request('POST', `/api/households/${one.id}/categories`, {
          category: 'tekun',
          validFrom: '2024-01-01',
        })
      ).statusCode,
    ).toBe(200);
    const tekun = (await county.request('GET', '/api/households?category=tekun')).json();
    expect(tekun.total).toBe(1);
    expect(numbers(tekun)).toEqual(['XC-HY-0101']);
    // Ten thousand and one more households, written straight to the table (as an import would).
    await t.db.query(
      `INSERT INTO household (household_number, region_code, address, urban)
       SELECT 'BULK-' || lpad(i::text, 6, '0'), $1, '花园社区', true FROM generate_series(1, 10001) AS i`,
      [regions.huayuanVillage],
    );
    const all = (await county.request('GET', '/api/households')).json();
    expect(all.total).toBe(10_006);
    expect(all.totalCapped).toBe(false);
    const township = (await county.request('GET', `/api/households?regionCode=${regions.fengshan}`)).json();
    expect(township.total).toBe(1);
    const capped = (await county.request('GET', '/api/households?householdNumber=BULK-')).json();
    expect(capped.total).toBe(10_000);
    expect(capped.totalCapped).toBe(true);
    const exact = (await county.request('GET', '/api/households?householdNumber=BULK-00999')).json();
    expect(exact.total).toBe(10);
    expect(exact.totalCapped).toBe(false);
    // The last offset page allowed still answers; the cursor then walks on.
    const last = (await county.request('GET', '/api/households?page=50&pageSize=200')).json();
    expect(last.items).toHaveLength(200);
    const beyond = (
      await county.request('GET', `/api/households?pageSize=200&after=${last.nextCursor}`)
    ).json();
    expect(beyond.items.length).toBeGreaterThan(0);
    expect(beyond.items[0].householdNumber > last.items.at(-1).householdNumber).toBe(true);
  });
});
