/**
 * Checking a draft: the whole catalogue as it would be after publishing (the release baseline,
 * every published version, the draft on top) is compiled and linted (@doudi/rules, errors located
 * file:line:column), and every scenario test runs against it. Publishing is refused unless this
 * passes. Also the line diff shown to the officer (library `diff`).
 */

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { type CatalogSources, RuleLoadError } from '@doudi/rules';
import { structuredPatch } from 'diff';
import { parseTriggers } from '../monitoring/triggers.ts';
import { diskCatalog, overlaySources, sha256Hex } from '../rules/activeCatalog.ts';
import { catalogDir, readScenarioSources } from '../rules/catalogFiles.ts';
import { lintCatalog } from '../rules/lint.ts';
import { parseScenarios, runScenarios } from '../rules/scenarios.ts';
import type { VersionRow } from './policies.repo.ts';
import { parseYaml, textProblems } from './policyText.ts';

export interface Located {
  file: string;
  line: number;
  column: number;
  code: string;
  message: string;
}

export interface ScenarioFailure {
  file: string;
  policy: string;
  name: string;
  differences: string[];
}

export interface CheckResult {
  passed: boolean;
  problems: Located[];
  scenarios: { total: number; passed: number; failures: ScenarioFailure[] };
  /** Milliseconds spent compiling, linting and running scenarios. */
  tookMs: number;
}

let scenarioCache:
  | { dir: string; scenarios: Record<string, string>; fixtures: Record<string, string> }
  | undefined;

function diskScenarios() {
  const dir = catalogDir();
  if (scenarioCache?.dir !== dir) scenarioCache = { dir, ...readScenarioSources(dir) };
  return scenarioCache;
}

/** A file's text as shipped with the release (undefined when the release has no such file). */
export function baselineText(file: string): string | undefined {
  const base = diskCatalog().sources;
  if (file.endsWith('.scenarios.yaml')) return diskScenarios().scenarios[file];
  if (file.startsWith('triggers/')) {
    const full = path.join(catalogDir(), file);
    return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
  }
  for (const kind of ['parameters', 'variables', 'policies', 'indicators'] as const)
    if (file.startsWith(`${kind}/`)) return base[kind]?.[file];
  return undefined;
}

/** The newest text of every file: baseline overlaid with the latest published versions. */
export interface Head {
  sources: CatalogSources;
  scenarios: Record<string, string>;
  fixtures: Record<string, string>;
  latest: Map<string, VersionRow>;
}

export function buildHead(latest: VersionRow[]): Head {
  const bodies = new Map(latest.map((v) => [v.file, v.body]));
  const disk = diskScenarios();
  const scenarios = { ...disk.scenarios };
  for (const v of latest) if (v.file.endsWith('.scenarios.yaml')) scenarios[v.file] = v.body;
  return {
    sources: overlaySources(diskCatalog().sources, bodies),
    scenarios,
    fixtures: disk.fixtures,
    latest: new Map(latest.map((v) => [v.file, v])),
  };
}

/** The newest text of one file and its SHA-256, or undefined when it exists nowhere. */
export function headText(
  head: Head,
  file: string,
): { text: string; sha256: string; versionNo: number } | undefined {
  const version = head.latest.get(file);
  if (version) return { text: version.body, sha256: version.sha256, versionNo: version.version_no };
  const text = baselineText(file);
  return text === undefined ? undefined : { text, sha256: sha256Hex(text), versionNo: 0 };
}

/** What a check needs, as plain data (it crosses into a worker thread). */
export interface CheckInput {
  sources: CatalogSources;
  scenarios: Record<string, string>;
  fixtures: Record<string, string>;
  changes: [string, string][];
  region: string;
  date: string;
  extraProblems: Located[];
}

/** Compiles, lints and runs every scenario with `changes` (file → text) applied over `head`. */
export function checkCatalog(
  head: Head,
  changes: Map<string, string>,
  region: string,
  date: string,
  extraProblems: Located[] = [],
): CheckResult {
  const started = performance.now();
  const problems: Located[] = [...extraProblems];
  for (const [file, text] of changes) for (const p of textProblems(text)) problems.push({ file, ...p });
  const failures: ScenarioFailure[] = [];
  let total = 0;
  if (problems.length === 0) {
    const sources = overlaySources(head.sources, changes);
    const scenarioTexts = { ...head.scenarios };
    for (const [file, text] of changes) if (file.endsWith('.scenarios.yaml')) scenarioTexts[file] = text;
    const lint = lintCatalog(sources, region, date);
    problems.push(...lint.problems);
    for (const [file, text] of changes)
      if (file.startsWith('triggers/')) problems.push(...triggerProblems(file, text, lint.catalog));
    if (lint.catalog) {
      try {
        const outcomes = runScenarios(lint.catalog, parseScenarios(scenarioTexts, head.fixtures));
        total = outcomes.length;
        for (const o of outcomes)
          if (!o.passed)
            failures.push({
              file: o.scenario.file,
              policy: o.scenario.policy,
              name: o.scenario.name,
              differences: o.differences,
            });
      } catch (error) {
        const message = (error as Error).message;
        const file = /^(\S+\.ya?ml)/.exec(message)?.[1] ?? 'scenarios';
        problems.push({ file, line: 1, column: 1, code: 'scenario_file', message });
      }
    }
  }
  return {
    passed: problems.length === 0 && failures.length === 0 && total > 0,
    problems,
    scenarios: { total, passed: total - failures.length, failures },
    tookMs: Math.round(performance.now() - started),
  };
}

/**
 * A trigger file (monitoring, issue 7): parsed and type-checked against the source catalogue, each
 * mistake located file:line:column, and every indicator model it names must exist in the catalogue
 * that would be in force.
 */
export function triggerProblems(
  file: string,
  text: string,
  catalog: { indicators?: readonly { id: string }[] } | undefined,
): Located[] {
  try {
    const set = parseTriggers(text, file);
    const known = new Set((catalog?.indicators ?? []).map((m) => m.id));
    return catalog
      ? set.models
          .filter((m) => !known.has(m.model))
          .map((m) => ({
            file,
            line: 1,
            column: 1,
            code: 'unknown_model',
            message: `触发规则文件引用的指标模型 ${m.model} 不存在`,
          }))
      : [];
  } catch (error) {
    if (!(error instanceof RuleLoadError)) throw error;
    return [{ file, line: error.line, column: error.column, code: error.code, message: error.summary }];
  }
}

/**
 * A parameter file edited by an officer whose scope is below the nation may only change the
 * region overrides inside that scope: `regions` entries whose code starts with the scope prefix.
 * Everything else (description, unit, national values, other regions) must stay as it was.
 */
export function parameterScopeProblem(oldText: string, newText: string, prefix: string): string | undefined {
  if (prefix === '') return undefined;
  const before = (parseYaml(oldText) ?? {}) as Record<string, unknown>;
  const after = (parseYaml(newText) ?? {}) as Record<string, unknown>;
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    if (key === 'regions') continue;
    if (!isDeepStrictEqual(before[key], after[key]))
      return `只能修改本辖区（${prefix}）的地区取值，不能修改“${key}”`;
  }
  const oldRegions = (before.regions ?? {}) as Record<string, unknown>;
  const newRegions = (after.regions ?? {}) as Record<string, unknown>;
  for (const code of new Set([...Object.keys(oldRegions), ...Object.keys(newRegions)])) {
    if (code.startsWith(prefix)) continue;
    if (!isDeepStrictEqual(oldRegions[code], newRegions[code]))
      return `只能修改本辖区（${prefix}）的地区取值，不能修改地区 ${code}`;
  }
  return undefined;
}

export interface DiffHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Each line starts with ' ' (unchanged), '-' (removed) or '+' (added). */
  lines: string[];
}

export function lineDiff(file: string, oldText: string, newText: string): DiffHunk[] {
  return structuredPatch(file, file, oldText, newText, '', '', { context: 3 }).hunks.map((h) => ({
    oldStart: h.oldStart,
    oldLines: h.oldLines,
    newStart: h.newStart,
    newLines: h.newLines,
    lines: h.lines,
  }));
}
