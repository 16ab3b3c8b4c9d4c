import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { catalogDir, readCatalogSources, readScenarioSources } from '../src/domains/rules/catalogFiles.ts';
import { lintCatalog } from '../src/domains/rules/lint.ts';
import { DEMO_DATE, DEMO_REGION, parseScenarios, runScenarios } from '../src/domains/rules/scenarios.ts';

const BIN = path.resolve(import.meta.dirname, '../bin/doudi.mjs');
const EXAMPLE = path.join(catalogDir(), 'examples/household.json');

function doudi(args: string[], stdin?: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin ?? '');
  });
}

describe('policy catalogue', () => {
  const dir = catalogDir();
  const sources = readCatalogSources(dir);
  const { problems, catalog } = lintCatalog(sources, DEMO_REGION, DEMO_DATE);

  it('loads clean: no load errors, no missing parameters, full ledger fields', () => {
    expect(problems).toEqual([]);
    expect(catalog?.policies.length).toBeGreaterThanOrEqual(30);
  });

  it('spans at least 8 departments', () => {
    const departments = new Set(
      Object.values(sources.policies).map((t) => /^department: (.+)$/m.exec(t)?.[1]),
    );
    expect(departments.size).toBeGreaterThanOrEqual(8);
  });

  it('passes every scenario, with at least 3 per policy (10 for dibao, 6 for tekun)', () => {
    if (!catalog) throw new Error('catalogue did not load');
    const files = readScenarioSources(dir);
    const outcomes = runScenarios(catalog, parseScenarios(files.scenarios, files.fixtures));
    const failures = outcomes
      .filter((o) => !o.passed)
      .map((o) => `${o.scenario.name}: ${o.differences.join('; ')}`);
    expect(failures).toEqual([]);
    const count = (id: string) => outcomes.filter((o) => o.scenario.policy === id).length;
    for (const policy of catalog.policies) expect(count(policy.id), policy.id).toBeGreaterThanOrEqual(3);
    expect(count('dibao')).toBeGreaterThanOrEqual(10);
    expect(count('tekun')).toBeGreaterThanOrEqual(6);
  });
});

describe('doudi rules (child process)', () => {
  const temps: string[] = [];
  afterAll(() => {
    for (const t of temps) rmSync(t, { recursive: true, force: true });
  });

  it('rules test reports every policy and exits 0', async () => {
    const r = await doudi(['rules', 'test']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ dibao 最低生活保障');
    expect(r.stdout).toMatch(/失败 0/);
  });

  it('rules test --policy runs one policy', async () => {
    const r = await doudi(['rules', 'test', '--policy', 'tekun']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('tekun');
    expect(r.stdout).not.toContain('dibao 最低生活保障');
  });

  it('rules lint passes on the catalogue', async () => {
    const r = await doudi(['rules', 'lint']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('检查通过');
  });

  it('rules eval prints every policy as JSON, with the Chinese trace on --trace', async () => {
    const r = await doudi(
      ['rules', 'eval', '--region', DEMO_REGION, '--date', DEMO_DATE, '--trace'],
      readFileSync(EXAMPLE, 'utf8'),
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      results: { policyId: string; status: string; amountFen: number; traceZh: string }[];
    };
    expect(out.results.length).toBe(36);
    const dibao = out.results.find((x) => x.policyId === 'dibao');
    // (30000 + 20000 support − 20000 medical) ÷ 2 = 15000; (59000 − 15000) × 2 + 11800 = 99800
    expect(dibao).toMatchObject({ status: 'eligible', amountFen: 99800 });
    expect(dibao?.traceZh).toContain('最低生活保障：符合条件');
  });

  it('malformed JSON on stdin → exit 2 with a message, no stack trace', async () => {
    const r = await doudi(['rules', 'eval', '--region', DEMO_REGION, '--date', DEMO_DATE], '{"household": ');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('不是合法的 JSON');
  });

  it('missing facts → needsInformation listing them, never a crash', async () => {
    const r = await doudi(
      ['rules', 'eval', '--region', DEMO_REGION, '--date', DEMO_DATE, '--policy', 'dibao', 'tekun'],
      JSON.stringify({ household: { urban: false }, members: [{ age: 80 }] }),
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      results: { policyId: string; status: string; missingFacts: string[] }[];
    };
    const dibao = out.results.find((x) => x.policyId === 'dibao');
    expect(dibao?.status).toBe('needsInformation');
    expect(dibao?.missingFacts).toContain('household.financialAssets');
  });

  it('bad region code → exit 2', async () => {
    const r = await doudi(['rules', 'eval', '--region', '4209', '--date', DEMO_DATE], '{}');
    expect(r.code).toBe(2);
  });

  it('a broken policy in a copy of the catalogue → located error from lint, test and eval', async () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'doudi-catalog-'));
    temps.push(copy);
    cpSync(catalogDir(), copy, { recursive: true });
    const file = path.join(copy, 'policies/nearDibao.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        'expression: household.perCapitaIncome >= household.dibaoStandard',
        'expression: household.perCapitaIncome >= household.noSuchThing',
      ),
    );
    const env = { DOUDI_CATALOG_DIR: copy };
    const lint = await doudi(['rules', 'lint'], undefined, env);
    expect(lint.code).toBe(1);
    expect(lint.stdout).toMatch(/policies\/nearDibao\.yaml:\d+:\d+: .*noSuchThing/);
    const test = await doudi(['rules', 'test'], undefined, env);
    expect(test.code).toBe(1);
    expect(test.stderr).toMatch(/nearDibao\.yaml:\d+:\d+/);
  }, 240_000); // two child processes (each up to 120 s on a loaded machine), each compiling per policy

  it('a failing scenario → exit 1 with expected vs actual', async () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'doudi-catalog-'));
    temps.push(copy);
    cpSync(catalogDir(), copy, { recursive: true });
    const file = path.join(copy, 'policies/dibao.scenarios.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('amountFen: 99800\n', 'amountFen: 99900\n'));
    const r = await doudi(['rules', 'test', '--policy', 'dibao'], undefined, { DOUDI_CATALOG_DIR: copy });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('dibao.amountFen: expected 99900, got 99800');
  });
});
