/**
 * Reads the policy catalogue (政策一本账) from disk and hands the texts to @doudi/rules, which does
 * no I/O itself. Layout (see catalog/README.md): facts/, parameters/ (sub-folders allowed),
 * variables/, policies/<id>.yaml with policies/<id>.scenarios.yaml beside each policy, indicators/<id>.yaml
 * (indicator models) with indicators/<id>.scenarios.yaml beside each, and
 * scenarios/fixtures.yaml with named base households the scenarios build on.
 *
 * File names handed to the engine are relative to the catalogue folder (`policies/dibao.yaml`), so
 * load errors read `policies/dibao.yaml:12:5: …`; `locate()` turns them into real paths.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { type CatalogSources, type CompiledCatalog, loadCatalog } from '@doudi/rules';

/** The repository's catalog/ folder, two levels above packages/server. */
export const DEFAULT_CATALOG_DIR = path.resolve(import.meta.dirname, '../../../../../catalog');

/** Catalogue folder: explicit option, then DOUDI_CATALOG_DIR, then the repository's catalog/. */
export function catalogDir(option?: string): string {
  return path.resolve(option ?? process.env.DOUDI_CATALOG_DIR ?? DEFAULT_CATALOG_DIR);
}

const isScenarioFile = (name: string) => /\.scenarios\.ya?ml$/.test(name);
const isYaml = (name: string) => /\.ya?ml$/.test(name);

function walk(root: string, sub: string, accept: (name: string) => boolean): string[] {
  const dir = path.join(root, sub);
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const rel = `${sub}/${entry}`;
    if (statSync(path.join(root, rel)).isDirectory()) out.push(...walk(root, rel, accept));
    else if (accept(entry)) out.push(rel);
  }
  return out;
}

function readAll(root: string, files: string[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f, readFileSync(path.join(root, f), 'utf8')]));
}

/** Every catalogue text keyed by its path relative to the folder. */
export function readCatalogSources(dir: string): CatalogSources {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(`catalogue folder not found: ${dir}`);
  }
  return {
    facts: readAll(dir, walk(dir, 'facts', isYaml)),
    parameters: readAll(dir, walk(dir, 'parameters', isYaml)),
    variables: readAll(dir, walk(dir, 'variables', isYaml)),
    policies: readAll(
      dir,
      walk(dir, 'policies', (n) => isYaml(n) && !isScenarioFile(n)),
    ),
    indicators: readAll(
      dir,
      walk(dir, 'indicators', (n) => isYaml(n) && !isScenarioFile(n)),
    ),
  };
}

/**
 * Scenario files (policies/*.scenarios.yaml, indicators/*.scenarios.yaml) and fixture files
 * (scenarios/*.yaml), as texts.
 */
export function readScenarioSources(dir: string): {
  scenarios: Record<string, string>;
  fixtures: Record<string, string>;
} {
  return {
    scenarios: readAll(dir, [
      ...walk(dir, 'policies', isScenarioFile),
      ...walk(dir, 'indicators', isScenarioFile),
    ]),
    fixtures: readAll(dir, walk(dir, 'scenarios', isYaml)),
  };
}

export interface LoadedCatalog {
  dir: string;
  sources: CatalogSources;
  catalog: CompiledCatalog;
}

/** Reads and compiles the catalogue; throws RuleLoadError (file:line:column) on the first problem. */
export function loadCatalogFromDir(dir: string = catalogDir()): LoadedCatalog {
  const sources = readCatalogSources(dir);
  return { dir, sources, catalog: loadCatalog(sources) };
}
