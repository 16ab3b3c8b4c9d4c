/**
 * Hostile drafts: oversized, deeply nested, alias bombs, invalid UTF-8, lone surrogates, control
 * characters, duplicate keys, CEL syntax errors (located file:line:column), path tricks. None may
 * crash or hang the server, and none may be published.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHead } from '../src/domains/policies/policyCheck.ts';
import { runCheck } from '../src/domains/policies/policyCheckRunner.ts';
import { textProblems } from '../src/domains/policies/policyText.ts';
import { buildUser, regions, seedPeople, TEST_PASSWORD } from './factories.ts';
import { createTestApp, type TestApp, type TestClient } from './testApp.ts';

const POLICY = 'policies/dibao.yaml';

// Each check compiles the whole catalogue: seconds each on a loaded two-core machine.
const CHECK_TIMEOUT = 120_000;

describe('hostile policy drafts', () => {
  let t: TestApp;
  let county: TestClient;
  let dibao: string;

  beforeAll(async () => {
    t = await createTestApp();
    await seedPeople(t.db);
    await buildUser(t.db, 'county', 'countyOfficer', regions.county);
    county = t.client();
    await county.login('county', TEST_PASSWORD);
    dibao = (await county.request('GET', `/api/policies/file?file=${POLICY}`)).json().body;
  });
  afterAll(() => t.drop());

  const save = (body: string, file = POLICY) => county.request('PUT', '/api/policies/draft', { file, body });
  const check = async (file = POLICY) =>
    (await county.request('POST', '/api/policies/draft/check', { file })).json();
  const discard = (file = POLICY) => county.request('DELETE', `/api/policies/draft?file=${file}`);

  it(
    'refuses a file over 256 KiB',
    async () => {
      const response = await save(`${dibao}\n# ${'长'.repeat(300_000)}\n`);
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('VALIDATION_FAILED');
    },
    CHECK_TIMEOUT,
  );

  it(
    'refuses deep nesting before the YAML parser sees it (100,000 brackets ran it out of memory)',
    async () => {
      for (const body of [
        `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}`,
        `a: ${'{x: '.repeat(65)}1${'}'.repeat(65)}`,
        `${'- '.repeat(200)}x`,
        Array.from({ length: 200 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n'),
      ]) {
        const started = performance.now();
        const response = await save(body);
        expect(response.statusCode, body.slice(0, 40)).toBe(400);
        expect(response.json().messageEn).toBe('too_deep');
        expect(performance.now() - started).toBeLessThan(2000);
      }
      // Moderate nesting is fine.
      expect(textProblems(`a: ${'['.repeat(20)}1${']'.repeat(20)}`)).toEqual([]);
    },
    CHECK_TIMEOUT,
  );

  it(
    'keeps a YAML alias bomb as a draft but reports it and refuses to publish it',
    async () => {
      let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x]\n';
      for (let i = 1; i <= 9; i++)
        bomb += `a${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(', ')}]\n`;
      const saved = await save(bomb);
      expect(saved.statusCode).toBe(200);
      const started = performance.now();
      const result = await check();
      expect(performance.now() - started).toBeLessThan(5000);
      expect(result.passed).toBe(false);
      expect(result.problems).toEqual([expect.objectContaining({ file: POLICY, code: 'yaml_alias' })]);
      const publish = await county.request('POST', '/api/policies/draft/publish', {
        file: POLICY,
        effectiveDate: '2099-01-01',
        reason: '炸弹',
        revision: saved.json().revision,
      });
      expect(publish.json().code).toBe('CHECK_FAILED');
      await discard();
    },
    CHECK_TIMEOUT,
  );

  it(
    'refuses invalid UTF-8, lone surrogates and control characters',
    async () => {
      const raw = Buffer.concat([
        Buffer.from(`{"file":"${POLICY}","body":"id: dibao\\nname: `),
        Buffer.from([0xff, 0xfe, 0xc3]),
        Buffer.from('"}'),
      ]);
      await county.request('GET', '/api/auth/csrf').then((r) => {
        county.csrfToken = r.json().token;
      });
      const invalid = await t.app.inject({
        method: 'PUT',
        url: '/api/policies/draft',
        headers: {
          cookie: county.cookieHeader(),
          'x-csrf-token': county.csrfToken ?? '',
          'content-type': 'application/json',
        },
        payload: raw,
      });
      expect(invalid.statusCode).toBe(400);
      expect(invalid.json().messageEn).toBe('bad_encoding');
      const surrogate = await county.request(
        'PUT',
        '/api/policies/draft',
        `{"file":"${POLICY}","body":"id: dibao\\nname: \\ud800"}`,
      );
      expect(surrogate.json().messageEn).toBe('bad_encoding');
      for (const body of ['id: dibao\u0000', 'id: dibao\u001b[2J', 'id: di\u202Ebao']) {
        const response = await save(body);
        expect(response.statusCode).toBe(400);
        expect(response.json().messageEn).toBe('control_character');
      }
    },
    CHECK_TIMEOUT,
  );

  it(
    'reports a CEL syntax error with file, line and column and a duplicate key as YAML error',
    async () => {
      const broken = dibao.replace(
        'expression: household.perCapitaIncome < household.dibaoStandard',
        'expression: household.perCapitaIncome < (household.dibaoStandard',
      );
      expect(broken).not.toBe(dibao);
      const line = broken.split('\n').findIndex((l) => l.includes('(household.dibaoStandard')) + 1;
      await save(broken);
      const result = await check();
      expect(result.passed).toBe(false);
      expect(result.problems).toEqual([expect.objectContaining({ file: POLICY, line })]);
      expect(result.problems[0].column).toBeGreaterThan(1);
      await discard();

      await save(`${dibao}\nid: again\n`);
      const duplicate = await check();
      expect(duplicate.problems).toEqual([expect.objectContaining({ file: POLICY, code: 'yaml_syntax' })]);
      expect(duplicate.problems[0].line).toBe(dibao.split('\n').length + 1);
      await discard();
    },
    CHECK_TIMEOUT,
  );

  it(
    'reports a hostile CEL expression (deep nesting, huge list) without hanging',
    async () => {
      for (const expression of [
        `${'('.repeat(500)}1${')'.repeat(500)} > 0`,
        `size([${Array(20_000).fill('1').join(',')}]) > 0`,
        `"${'x'.repeat(100_000)}" == household.urban`,
      ]) {
        const body = dibao.replace('household.perCapitaIncome < household.dibaoStandard', expression);
        expect((await save(body)).statusCode).toBe(200);
        const started = performance.now();
        const result = await check();
        expect(performance.now() - started).toBeLessThan(30_000);
        expect(result.passed).toBe(false);
        expect(result.problems[0]).toMatchObject({ file: POLICY });
        await discard();
      }
    },
    CHECK_TIMEOUT,
  );

  it(
    'a check runs in a worker that is stopped at its time and memory limits',
    async () => {
      const head = buildHead([]);
      const changes = new Map([[POLICY, dibao]]);
      const slow = await runCheck(head, changes, regions.county, '2026-01-01', [], { timeMs: 1 });
      expect(slow).toMatchObject({
        passed: false,
        problems: [expect.objectContaining({ code: 'check_timeout' })],
      });
      const small = await runCheck(head, changes, regions.county, '2026-01-01', [], { memoryMb: 8 });
      expect(small.passed).toBe(false);
      expect(small.problems[0]?.code).toMatch(/^check_(out_of_memory|crashed)$/);
      // Nothing is left broken: a normal check passes.
      const normal = await runCheck(head, changes, regions.county, '2026-01-01');
      expect(normal).toMatchObject({ passed: true, problems: [] });
    },
    CHECK_TIMEOUT,
  );

  it(
    'refuses files outside the catalogue, scenario files on their own and unknown files',
    async () => {
      for (const file of [
        'policies/../../etc/passwd.yaml',
        'facts/household.yaml',
        'policies/dibao.scenarios.yaml',
      ]) {
        const response = await save('id: x', file);
        expect(response.statusCode, file).toBe(400);
      }
      expect((await save('id: x', 'policies/noSuchPolicy.yaml')).statusCode).toBe(404);
      const param = await county.request('PUT', '/api/policies/draft', {
        file: 'parameters/dibaoStandardRural.yaml',
        body: 'description: x',
        scenarioBody: 'scenarios: []',
      });
      expect(param.statusCode).toBe(400);
      expect(param.json().field).toBe('scenarioBody');
    },
    CHECK_TIMEOUT,
  );
});
