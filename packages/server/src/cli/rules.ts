/**
 * `doudi rules …`: the policy catalogue (政策一本账) from the command line.
 *   doudi rules test [--policy <id>] [--catalog <dir>]   run every scenario; exit 1 on any failure
 *   doudi rules lint [--region <code>] [--date <d>]      located load errors, missing parameters; exit 1 on any
 *   doudi rules eval --region <code> --date <d> [--trace] < household.json   every policy's result as JSON
 * The catalogue folder: --catalog, else DOUDI_CATALOG_DIR, else the repository's catalog/.
 * Exit codes: 0 ok, 1 failures found, 2 bad usage or input.
 */
import {
  evaluate,
  evaluateIndicators,
  type HouseholdFacts,
  RuleLoadError,
  renderTraceZh,
} from '@doudi/rules';
import { Command, CommanderError } from 'commander';
import { catalogDir, readCatalogSources, readScenarioSources } from '../domains/rules/catalogFiles.ts';
import { lintCatalog, policyLedger } from '../domains/rules/lint.ts';
import { DEMO_DATE, DEMO_REGION, parseScenarios, runScenarios } from '../domains/rules/scenarios.ts';

const REGION = /^\d{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function located(dir: string, error: unknown): string {
  if (error instanceof RuleLoadError)
    return `${dir}/${error.file}:${error.line}:${error.column}: ${error.summary}`;
  return (error as Error).message;
}

export function testCommand(options: { policy?: string; catalog?: string }): number {
  const dir = catalogDir(options.catalog);
  const { problems, catalog } = lintCatalog(readCatalogSources(dir), DEMO_REGION, DEMO_DATE);
  if (!catalog) {
    for (const p of problems) console.error(`${dir}/${p.file}:${p.line}:${p.column}: ${p.message}`);
    return 1;
  }
  const files = readScenarioSources(dir);
  const scenarios = parseScenarios(files.scenarios, files.fixtures);
  // --policy also takes an indicator model id (its scenarios are keyed indicator:<id>).
  const only = catalog.indicators.some((m) => m.id === options.policy)
    ? `indicator:${options.policy}`
    : options.policy;
  if (only && only === options.policy && !catalog.policies.some((p) => p.id === only)) {
    console.error(`没有这项政策或指标模型：${options.policy}`);
    return 2;
  }
  const outcomes = runScenarios(catalog, scenarios, only);
  const byPolicy = new Map<string, typeof outcomes>();
  for (const o of outcomes) byPolicy.set(o.scenario.policy, [...(byPolicy.get(o.scenario.policy) ?? []), o]);
  let failed = 0;
  const entries = [
    ...catalog.policies.map((p) => ({ id: p.id, name: p.name })),
    ...catalog.indicators.map((m) => ({ id: `indicator:${m.id}`, name: { zh: `指标模型 ${m.name.zh}` } })),
  ];
  for (const policy of entries) {
    if (only && policy.id !== only) continue;
    const list = byPolicy.get(policy.id) ?? [];
    const bad = list.filter((o) => !o.passed);
    failed += bad.length;
    const mark = list.length === 0 ? '—' : bad.length === 0 ? '✓' : '✗';
    console.log(`${mark} ${policy.id} ${policy.name.zh}: ${list.length - bad.length}/${list.length} 通过`);
    for (const o of bad) {
      console.log(`    ✗ ${o.scenario.name}（${o.scenario.file}）`);
      for (const d of o.differences) console.log(`        ${d}`);
    }
  }
  const orphans = outcomes.filter((o) => !entries.some((p) => p.id === o.scenario.policy));
  for (const o of orphans)
    console.log(`✗ ${o.scenario.file}: 场景指向不存在的政策或指标模型 ${o.scenario.policy}`);
  failed += orphans.length;
  console.log(`\n共 ${outcomes.length} 个场景，通过 ${outcomes.length - failed}，失败 ${failed}`);
  return failed === 0 ? 0 : 1;
}

export function lintCommand(options: { region?: string; date?: string; catalog?: string }): number {
  const dir = catalogDir(options.catalog);
  const region = options.region ?? DEMO_REGION;
  const date = options.date ?? DEMO_DATE;
  const { problems, catalog } = lintCatalog(readCatalogSources(dir), region, date);
  for (const p of problems) console.log(`${dir}/${p.file}:${p.line}:${p.column}: [${p.code}] ${p.message}`);
  if (problems.length > 0) {
    console.log(`发现 ${problems.length} 个问题`);
    return 1;
  }
  console.log(
    `政策一本账检查通过：${catalog?.policies.length} 项政策，${catalog?.indicators.length} 个指标模型，${catalog?.variables.size} 个变量，${catalog?.parameters.size} 个参数（地区 ${region}，日期 ${date}）`,
  );
  return 0;
}

export async function evalCommand(options: {
  region: string;
  date: string;
  trace?: boolean;
  policy?: string[];
  catalog?: string;
}): Promise<number> {
  if (!REGION.test(options.region)) {
    console.error(`地区代码应为 12 位数字：${options.region}`);
    return 2;
  }
  if (!DATE.test(options.date)) {
    console.error(`日期应为 YYYY-MM-DD：${options.date}`);
    return 2;
  }
  const dir = catalogDir(options.catalog);
  const sources = readCatalogSources(dir);
  const { problems, catalog } = lintCatalog(sources, options.region, options.date);
  if (!catalog) {
    for (const p of problems) console.error(`${dir}/${p.file}:${p.line}:${p.column}: ${p.message}`);
    return 1;
  }
  let facts: HouseholdFacts;
  try {
    facts = JSON.parse(await readStdin()) as HouseholdFacts;
  } catch (error) {
    console.error(`标准输入不是合法的 JSON：${(error as Error).message}`);
    return 2;
  }
  if (typeof facts !== 'object' || facts === null || Array.isArray(facts)) {
    console.error('标准输入应为一个户的 JSON 对象：{ "household": {…}, "members": [ … ] }');
    return 2;
  }
  const ledger = policyLedger(sources);
  let results: ReturnType<typeof evaluate>;
  try {
    results = evaluate(
      catalog,
      facts,
      options.date,
      options.region,
      options.policy ? { policies: options.policy } : {},
    );
  } catch (error) {
    console.error(`无法评估：${located(dir, error)}`);
    return 2;
  }
  const out = results.map((r) => ({
    policyId: r.policyId,
    name: r.trace.policyName.zh,
    department: ledger.get(r.policyId)?.department ?? null,
    status: r.status,
    amountFen: r.amountFen,
    amountUnit: r.trace.amount?.unit ?? null,
    missingFacts: r.missingFacts,
    ...(r.error ? { error: r.error } : {}),
    office: ledger.get(r.policyId)?.office ?? null,
    phone: ledger.get(r.policyId)?.phone ?? null,
    ...(options.trace ? { traceZh: renderTraceZh(r.trace), trace: r.trace } : {}),
  }));
  // Indicator models too (score, colour, groups; with --trace the Chinese lines and the items that fired).
  let indicators: ReturnType<typeof evaluateIndicators>;
  try {
    indicators = evaluateIndicators(catalog, facts, options.date, options.region);
  } catch (error) {
    console.error(`无法评估：${located(dir, error)}`);
    return 2;
  }
  const indicatorOut = indicators.map(({ fired, missingItems, traceZh, ...rest }) => ({
    ...rest,
    groups: rest.groups.map((g) => ({ id: g.id, label: g.label, score: g.score })),
    ...(options.trace ? { traceZh, fired, missingItems } : {}),
  }));
  console.log(
    JSON.stringify(
      { region: options.region, date: options.date, results: out, indicators: indicatorOut },
      null,
      2,
    ),
  );
  return 0;
}

function buildRulesCli(setExitCode: (code: number) => void): Command {
  const program = new Command('doudi rules').description('政策一本账：场景测试、检查、试算').exitOverride();
  program
    .command('test')
    .description('运行全部政策场景测试（有失败则退出码 1）')
    .option('--policy <id>', '只测一项政策')
    .option('--catalog <dir>', '政策目录（默认 DOUDI_CATALOG_DIR 或仓库 catalog/）')
    .action((o) => setExitCode(testCommand(o)));
  program
    .command('lint')
    .description('检查政策目录：CEL 语法和类型、循环依赖、演示地区缺少的参数、台账字段')
    .option('--region <code>', '12 位地区代码', DEMO_REGION)
    .option('--date <date>', '日期 YYYY-MM-DD', DEMO_DATE)
    .option('--catalog <dir>', '政策目录')
    .action((o) => setExitCode(lintCommand(o)));
  program
    .command('eval')
    .description('从标准输入读一户的 JSON，输出每项政策的结果')
    .requiredOption('--region <code>', '12 位地区代码')
    .requiredOption('--date <date>', '日期 YYYY-MM-DD')
    .option('--trace', '附中文计算过程')
    .option('--policy <id...>', '只评估这些政策')
    .option('--catalog <dir>', '政策目录')
    .action(async (o) => setExitCode(await evalCommand(o)));
  return program;
}

/** Entry point from main.ts: `args` are the words after `rules`. */
export async function runRules(args: string[]): Promise<number> {
  let code = 0;
  const program = buildRulesCli((c) => {
    code = c;
  });
  try {
    await program.parseAsync(args, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    console.error(error instanceof Error ? error.message : error);
    return 2;
  }
}
