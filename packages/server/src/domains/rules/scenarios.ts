/**
 * Scenario tests for the catalogue: YAML files beside each policy (`policies/<id>.scenarios.yaml`)
 * give households, a date and a region, and the expected status, amount, condition outcomes and
 * intermediate variables. Households may build on named fixtures (`scenarios/fixtures.yaml`):
 * `{ base: name, household: {…overrides}, members: [ … ] | { index: {…patch} }, addMembers: [ … ] }`.
 * Indicator models have theirs beside them (`indicators/<id>.scenarios.yaml`, `model: <id>`): the
 * expected score, alert colour (alertColor), group scores, items that fired and missing facts (`IndicatorExpectation`).
 */
import {
  type CompiledCatalog,
  evaluate,
  evaluateIndicators,
  type HouseholdFacts,
  type IndicatorResult,
  type PolicyResult,
  type TraceValue,
} from '@doudi/rules';
import { parse } from 'yaml';

export const DEMO_REGION = '420921100224'; // 孝昌县 小河镇 高联一村
export const DEMO_DATE = '2025-06-01';

type Json = Record<string, unknown>;

export interface Expectation {
  status?: string;
  amountFen?: number | null;
  missingFacts?: string[];
  conditions?: Record<string, unknown>;
  variables?: Record<string, unknown>;
  /** The policy that replaced this one for the household (`supersedes`), or null for none. */
  supersededBy?: string | null;
}

/** What an indicator scenario checks; every field optional. `fired` is the exact set of item ids. */
export interface IndicatorExpectation {
  status?: string;
  score?: number;
  scoreRange?: { min: number; max: number };
  alertColor?: string | null;
  groups?: Record<string, number>;
  fired?: string[];
  missingFacts?: string[];
}

export interface Scenario {
  file: string;
  /** Policy id; for an indicator scenario, `indicator:<model id>` (so reports group by it). */
  policy: string;
  /** Set for indicator scenarios: the model and what to expect of it. */
  model?: string;
  expectIndicator?: IndicatorExpectation;
  name: string;
  date: string;
  region: string;
  household: HouseholdFacts;
  expect: Expectation;
  also: Record<string, Expectation>;
}

export interface ScenarioOutcome {
  scenario: Scenario;
  passed: boolean;
  /** One line per difference: `policy.field: expected X, got Y`. */
  differences: string[];
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function buildHousehold(spec: unknown, fixtures: Record<string, Json>, where: string): HouseholdFacts {
  if (!isObject(spec)) throw new Error(`${where}: household must be a mapping`);
  if (spec.base === undefined) return spec as HouseholdFacts;
  const base = fixtures[String(spec.base)];
  if (!base) throw new Error(`${where}: unknown fixture "${String(spec.base)}"`);
  const copy = structuredClone(base) as { household?: Json; members?: Json[] };
  const household = { ...(copy.household ?? {}), ...((spec.household as Json | undefined) ?? {}) };
  let members = copy.members ?? [];
  if (Array.isArray(spec.members)) members = spec.members as Json[];
  else if (isObject(spec.members)) {
    for (const [index, patch] of Object.entries(spec.members)) {
      const i = Number(index);
      members[i] = { ...(members[i] ?? {}), ...(patch as Json) };
    }
  }
  if (Array.isArray(spec.addMembers)) members = [...members, ...(spec.addMembers as Json[])];
  if (Array.isArray(spec.removeMembers)) {
    const drop = new Set(spec.removeMembers as number[]);
    members = members.filter((_, i) => !drop.has(i));
  }
  return { household, members };
}

/** Parses scenario and fixture texts into scenarios. Throws with the file name on a bad file. */
export function parseScenarios(
  scenarioFiles: Record<string, string>,
  fixtureFiles: Record<string, string>,
): Scenario[] {
  const fixtures: Record<string, Json> = {};
  for (const [file, text] of Object.entries(fixtureFiles)) {
    const parsed = parse(text, { merge: true }) as unknown;
    if (!isObject(parsed)) throw new Error(`${file}: fixtures must be a mapping of names to households`);
    Object.assign(fixtures, parsed);
  }
  const out: Scenario[] = [];
  for (const [file, text] of Object.entries(scenarioFiles)) {
    const doc = parse(text) as unknown;
    if (!isObject(doc) || !Array.isArray(doc.scenarios)) throw new Error(`${file}: needs a scenarios list`);
    const baseName = file.replace(/^.*\//, '').replace(/\.scenarios\.ya?ml$/, '');
    const model =
      doc.model !== undefined || file.startsWith('indicators/') ? String(doc.model ?? baseName) : undefined;
    const policy = String(doc.policy ?? baseName);
    doc.scenarios.forEach((s: unknown, i: number) => {
      const where = `${file} scenario ${i + 1}`;
      if (!isObject(s) || !isObject(s.expect)) throw new Error(`${where}: needs name, household and expect`);
      out.push({
        file,
        ...(model === undefined
          ? { policy: String(s.policy ?? policy) }
          : { policy: `indicator:${model}`, model, expectIndicator: s.expect as IndicatorExpectation }),
        name: String(s.name ?? `#${i + 1}`),
        date: String(s.date ?? doc.date ?? DEMO_DATE),
        region: String(s.region ?? doc.region ?? DEMO_REGION),
        household: buildHousehold(s.household, fixtures, where),
        expect: (model === undefined ? s.expect : {}) as Expectation,
        also: (isObject(s.also) ? s.also : {}) as Record<string, Expectation>,
      });
    });
  }
  return out;
}

const show = (v: unknown) => JSON.stringify(v);

function near(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'number' && typeof actual === 'number') return Math.abs(expected - actual) < 1e-9;
  if (Array.isArray(expected) && Array.isArray(actual))
    return expected.length === actual.length && expected.every((e, i) => near(e, actual[i]));
  return show(expected) === show(actual);
}

function variableValue(result: PolicyResult, name: string): TraceValue | undefined {
  const v = result.trace.variables.find((x) => x.name === name);
  if (!v) return undefined;
  if (v.problem) return `⟨${v.problem.error ?? `missing ${(v.problem.missingFacts ?? []).join(', ')}`}⟩`;
  return v.entity === 'member' ? (v.memberValues ?? null) : (v.value ?? null);
}

function compare(policy: string, expect: Expectation, result: PolicyResult | undefined): string[] {
  if (!result) return [`${policy}: no such policy in the catalogue`];
  const diffs: string[] = [];
  const check = (field: string, expected: unknown, actual: unknown) => {
    if (expected !== undefined && !near(expected, actual))
      diffs.push(`${policy}.${field}: expected ${show(expected)}, got ${show(actual)}`);
  };
  check('status', expect.status, result.status);
  check('amountFen', expect.amountFen, result.amountFen);
  check('supersededBy', expect.supersededBy, result.trace.supersededBy?.policyId ?? null);
  if (expect.missingFacts)
    check('missingFacts', [...expect.missingFacts].sort(), [...result.missingFacts].sort());
  for (const [id, expected] of Object.entries(expect.conditions ?? {})) {
    const c = result.trace.conditions.find((x) => x.id === id);
    const actual = c
      ? c.outcome === 'missing'
        ? 'missing'
        : c.outcome === 'error'
          ? 'error'
          : c.outcome
      : 'absent';
    check(`conditions.${id}`, expected, actual);
  }
  for (const [name, expected] of Object.entries(expect.variables ?? {})) {
    check(`variables.${name}`, expected, variableValue(result, name) ?? '⟨not used by this policy⟩');
  }
  if (result.status === 'error' && expect.status !== 'error') diffs.push(`${policy}.error: ${result.error}`);
  return diffs;
}

/** Runs scenarios in-process (optionally only those of one policy). */
export function runScenarios(
  catalog: CompiledCatalog,
  scenarios: Scenario[],
  onlyPolicy?: string,
): ScenarioOutcome[] {
  return scenarios
    .filter((s) => !onlyPolicy || s.policy === onlyPolicy)
    .map((scenario) => {
      if (scenario.model !== undefined) return runIndicatorScenario(catalog, scenario);
      const tested = [scenario.policy, ...Object.keys(scenario.also)];
      // Policies that may supersede a tested one are evaluated too, as in every real evaluation.
      const superseding = catalog.policies.filter((p) => p.supersedes.some((id) => tested.includes(id)));
      const ids = [...new Set([...tested, ...superseding.map((p) => p.id)])];
      const known = new Set(catalog.policies.map((p) => p.id));
      const differences: string[] = [];
      let results: PolicyResult[] = [];
      try {
        results = evaluate(catalog, scenario.household, scenario.date, scenario.region, {
          policies: ids.filter((id) => known.has(id)),
        });
      } catch (error) {
        differences.push(`evaluation failed: ${(error as Error).message}`);
      }
      const byId = new Map(results.map((r) => [r.policyId, r]));
      if (differences.length === 0) {
        differences.push(...compare(scenario.policy, scenario.expect, byId.get(scenario.policy)));
        for (const [id, expect] of Object.entries(scenario.also))
          differences.push(...compare(id, expect, byId.get(id)));
      }
      return { scenario, passed: differences.length === 0, differences };
    });
}

function compareIndicator(model: string, expect: IndicatorExpectation, result: IndicatorResult): string[] {
  const diffs: string[] = [];
  const check = (field: string, expected: unknown, actual: unknown) => {
    if (expected !== undefined && !near(expected, actual))
      diffs.push(`${model}.${field}: expected ${show(expected)}, got ${show(actual)}`);
  };
  check('status', expect.status, result.status);
  check('score', expect.score, result.score);
  check('alertColor', expect.alertColor, result.alertColor);
  if (expect.scoreRange) check('scoreRange', expect.scoreRange, result.scoreRange);
  for (const [id, expected] of Object.entries(expect.groups ?? {}))
    check(`groups.${id}`, expected, result.groups.find((g) => g.id === id)?.score ?? '⟨no such group⟩');
  if (expect.fired) check('fired', [...expect.fired].sort(), result.fired.map((f) => f.item).sort());
  if (expect.missingFacts) check('missingFacts', [...expect.missingFacts].sort(), result.missingFacts);
  if (result.status === 'error' && expect.status !== 'error') diffs.push(`${model}.error: ${result.error}`);
  return diffs;
}

/** An indicator scenario: the model's result, and any policies under `also`. */
function runIndicatorScenario(catalog: CompiledCatalog, scenario: Scenario): ScenarioOutcome {
  const model = scenario.model as string;
  const differences: string[] = [];
  if (!catalog.indicators.some((m) => m.id === model))
    return { scenario, passed: false, differences: [`${model}: no such indicator model in the catalogue`] };
  try {
    const [result] = evaluateIndicators(catalog, scenario.household, scenario.date, scenario.region, {
      models: [model],
    });
    differences.push(...compareIndicator(model, scenario.expectIndicator ?? {}, result as IndicatorResult));
    const known = new Set(catalog.policies.map((p) => p.id));
    const ids = Object.keys(scenario.also);
    const results = evaluate(catalog, scenario.household, scenario.date, scenario.region, {
      policies: ids.filter((id) => known.has(id)),
    });
    const byId = new Map(results.map((r) => [r.policyId, r]));
    for (const [id, expect] of Object.entries(scenario.also))
      differences.push(...compare(id, expect, byId.get(id)));
  } catch (error) {
    differences.push(`evaluation failed: ${(error as Error).message}`);
  }
  return { scenario, passed: differences.length === 0, differences };
}
