/**
 * Self-check (救助助手) safety: a public route that reads a family's health and money must store
 * nothing (no row in any table changes, no log line carries the figures), must be rate-limited per
 * client address, and must turn hostile input into a clear Chinese error.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../src/db/database.ts';
import { regions, seedPeople } from './factories.ts';
import { createTestApp, type TestApp } from './testApp.ts';

const URL = '/api/public/self-check';

// biome-ignore lint/suspicious/noExplicitAny: each test reshapes the body, hostile shapes included
type Body = Record<string, any>;

/** A small valid household; every test changes one thing. */
function household(): Body {
  return {
    regionCode: regions.huayuanVillage,
    urban: false,
    members: [
      {
        relationship: 'self',
        age: 78,
        health: 'chronicIllness',
        disabilityGrade: 0,
        workCapacity: 'none',
        employment: 'notWorking',
        schoolingStage: 'none',
        careNeeds: ['bathing'],
      },
    ],
    incomeYuanPerMonth: { transfer: 200 },
    property: { housingUnits: 1, vehicles: 0, depositsYuan: 3000 },
  };
}

/** Every row of every table and every sequence, as one fingerprint per relation. */
async function fingerprint(db: Queryable): Promise<Record<string, string>> {
  const relations = await db.query<{ schema: string; name: string; kind: string }>(
    `SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS kind
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'S')
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
      ORDER BY 1, 2`,
  );
  const out: Record<string, string> = {};
  for (const { schema, name, kind } of relations.rows) {
    const rel = `"${schema}"."${name}"`;
    const sql =
      kind === 'S'
        ? `SELECT last_value::text || ':' || is_called::text AS f FROM ${rel}`
        : `SELECT count(*)::text || ':' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS f FROM ${rel} t`;
    out[rel] = (await db.query<{ f: string }>(sql)).rows[0]?.f ?? '';
  }
  return out;
}

describe('self-check stores nothing', () => {
  let t: TestApp;
  const written: string[] = [];
  beforeAll(async () => {
    t = await createTestApp({ logLevel: 'info' });
    await seedPeople(t.db);
    // Every request logger is a child of app.log and writes to its one destination stream.
    const stream = (t.app.log as unknown as Record<symbol, { write(chunk: string): unknown }>)[
      pino.symbols.streamSym
    ];
    if (!stream) throw new Error('no log stream');
    const write = stream.write.bind(stream);
    stream.write = (chunk: string) => {
      written.push(String(chunk));
      return write(chunk);
    };
  });
  afterAll(() => t.drop());

  it('changes no row in any table and no sequence, on success and on refusal', async () => {
    const client = t.client();
    await client.request('GET', '/api/auth/csrf');
    const before = await fingerprint(t.db);
    expect(Object.keys(before)).toContain('"public"."audit_log"');
    const ok = await client.request('POST', URL, household());
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().results.some((r: { status: string }) => r.status === 'likely')).toBe(true);
    const bad = await client.request('POST', URL, { ...household(), members: [] });
    expect(bad.statusCode).toBe(400);
    expect(await fingerprint(t.db)).toEqual(before);
  });

  it('writes no log line with the figures the resident entered', async () => {
    const client = t.client();
    written.length = 0;
    // A request on another route is logged: proves the capture works.
    expect((await client.request('GET', '/api/public/regions')).statusCode).toBe(200);
    expect(written.join('')).toContain('/api/public/regions');
    const body = household();
    body.incomeYuanPerMonth = { transfer: 7654.32, pension: 31415 };
    body.members[0].age = 97;
    written.length = 0;
    expect((await client.request('POST', URL, body)).statusCode).toBe(200);
    body.incomeYuanPerMonth.transfer = -7654.32;
    expect((await client.request('POST', URL, body)).statusCode).toBe(400);
    // Clock readings, request ids and ports are digits too: one contained "7654" by chance in CI.
    const log = written.join('').replace(/"(time|responseTime|reqId|remotePort|pid)":("[^"]*"|[\d.]+)/g, '');
    for (const figure of ['7654', '765432', '31415', '3141500', 'chronicIllness', 'self-check'])
      expect(log).not.toContain(figure);
  });

  it('logs one line per request, with the path but not the query string (filters hold ID numbers)', async () => {
    const client = t.client();
    written.length = 0;
    const answer = await client.request(
      'GET',
      '/api/public/regions?idNumber=420921198001011234&name=%E9%99%88',
    );
    expect(answer.statusCode).toBe(200);
    const lines = written
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: 'request completed',
      method: 'GET',
      path: '/api/public/regions',
      statusCode: 200,
    });
    expect(written.join('')).not.toContain('420921198001011234');
  });
});

describe('self-check rate limit and hostile input', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ selfCheckRateLimit: 4, bodyLimit: 256 * 1024 });
    await seedPeople(t.db);
  });
  afterAll(() => t.drop());

  it('allows a few self-checks per minute per address, then refuses in Chinese; others are unaffected', async () => {
    const client = t.client();
    for (let i = 0; i < 4; i++) expect((await client.request('POST', URL, household())).statusCode).toBe(200);
    const refused = await client.request('POST', URL, household());
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'RATE_LIMITED', message: '操作过于频繁，请稍后再试' });
    // The rest of the API keeps the general limit for this address.
    expect((await client.request('GET', '/api/public/regions')).statusCode).toBe(200);
    // Another address has its own bucket.
    const other = await t.app.inject({
      method: 'POST',
      url: URL,
      remoteAddress: '203.0.113.9',
      headers: {
        cookie: client.cookieHeader(),
        'x-csrf-token': client.csrfToken ?? '',
        'content-type': 'application/json',
      },
      payload: JSON.stringify(household()),
    });
    expect(other.statusCode, other.body).toBe(200);
  });

  it('refuses hostile input with a clear Chinese message', async () => {
    // Each case from a fresh address, so the rate limit above does not interfere.
    let n = 0;
    const post = async (body: unknown, raw = false) => {
      n += 1;
      const client = t.client();
      const csrf = await client.request('GET', '/api/auth/csrf');
      client.csrfToken = csrf.json().token;
      return t.app.inject({
        method: 'POST',
        url: URL,
        remoteAddress: `198.51.100.${n}`,
        headers: {
          cookie: client.cookieHeader(),
          'x-csrf-token': client.csrfToken ?? '',
          'content-type': 'application/json',
        },
        payload: raw ? (body as string) : JSON.stringify(body),
      });
    };
    const cases: [string, unknown, string][] = [
      ['negative income', { ...household(), incomeYuanPerMonth: { wage: -1 } }, '工资收入超出允许范围'],
      ['huge income', { ...household(), incomeYuanPerMonth: { wage: 1e12 } }, '工资收入超出允许范围'],
      [
        'three decimals',
        { ...household(), incomeYuanPerMonth: { wage: 100.123 } },
        '金额最多保留两位小数（到分）',
      ],
      ['text for money', { ...household(), property: { depositsYuan: 'a lot' } }, '存款等金融资产类型不正确'],
      ['unknown field', { ...household(), headName: '张三' }, '不允许的字段：headName'],
      [
        'ID number in a member',
        { ...household(), members: [{ ...household().members[0], idNumber: '11010519491231002X' }] },
        '不允许的字段：idNumber',
      ],
      [
        'huge member list',
        { ...household(), members: Array.from({ length: 200 }, () => household().members[0]) },
        '家庭成员条目过多',
      ],
      ['no members', { ...household(), members: [] }, '家庭成员至少需要填写1项'],
      [
        'emoji relationship',
        { ...household(), members: [{ ...household().members[0], relationship: '👨‍👩‍👧' }] },
        '第1位成员的与本人关系的取值不在允许范围内',
      ],
      [
        'rare character health',
        { ...household(), members: [{ ...household().members[0], health: '𠀀𪚥' }] },
        '第1位成员的健康状况的取值不在允许范围内',
      ],
      [
        'fractional age',
        { ...household(), members: [{ ...household().members[0], age: 3.5 }] },
        '第1位成员的年龄类型不正确',
      ],
      [
        'age 300',
        { ...household(), members: [{ ...household().members[0], age: 300 }] },
        '第1位成员的年龄超出允许范围',
      ],
      [
        'neither age nor birth year',
        { ...household(), members: [{ ...household().members[0], age: undefined }] },
        '请填写第1位成员的年龄或出生年份',
      ],
      [
        'birth year in the future',
        { ...household(), members: [{ ...household().members[0], age: undefined, birthYear: 2099 }] },
        '第1位成员的出生年份不正确',
      ],
      [
        'nested garbage in care needs',
        { ...household(), members: [{ ...household().members[0], careNeeds: [[[['bathing']]]] }] },
        '第1位成员的生活自理情况的取值不在允许范围内',
      ],
      [
        'only relatives living apart',
        { ...household(), members: [{ ...household().members[0], livesApart: true }] },
        '至少要有一位共同生活的家庭成员',
      ],
      ['unknown region', { ...household(), regionCode: '420921199999' }, '没有找到这个地区，请重新选择'],
      [
        'county, not a village',
        { ...household(), regionCode: regions.county },
        '请选择到乡镇（街道）或村（社区）',
      ],
      ['malformed region', { ...household(), regionCode: "1' OR '1'='1" }, '地区代码格式不正确'],
      ['property as a list', { ...household(), property: [] }, '财产情况类型不正确'],
    ];
    for (const [name, body, message] of cases) {
      const response = await post(body);
      expect(response.statusCode, `${name}: ${response.body}`).toBe(400);
      expect(response.json().message, name).toBe(message);
      expect(response.json().code, name).toMatch(/^VALIDATION_FAILED$/);
    }
    const infinity = await post(
      JSON.stringify(household()).replace('"transfer":200', '"transfer":1e400'),
      true,
    );
    expect(infinity.statusCode).toBe(400);
    expect(infinity.json().message).toBe('赡养费等其他收入类型不正确');
    const poisoned = await post('{"__proto__": {"admin": true}, "regionCode": "420921100001"}', true);
    expect(poisoned.statusCode).toBe(400);
    expect(poisoned.json().code).toMatch(/^(BAD_REQUEST|MALFORMED_BODY|VALIDATION_FAILED)$/);
    expect(poisoned.json().message).toMatch(/[\u4e00-\u9fff]/);
    const oversized = await post({ ...household(), padding: 'x'.repeat(300 * 1024) });
    expect(oversized.statusCode).toBe(413);
    expect(oversized.json().message).toBe('提交的内容过大');
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: URL,
      remoteAddress: '192.0.2.1',
      payload: household(),
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().message).toBe('页面已过期，请刷新后重试');
  });
});
