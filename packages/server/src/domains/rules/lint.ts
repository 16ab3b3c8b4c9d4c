/**
 * `doudi rules lint`: loads the catalogue and reports every problem it can find, each located
 * (file:line:column). The engine stops at the first load error, so policies are also compiled one
 * by one against the shared facts, parameters and variables to report each broken policy; then every
 * parameter a policy reads must have a value for the demo region and date; then the ledger fields
 * every policy must carry (department, legal basis, office, phone, time limit, documents).
 */
import {
  type CatalogSources,
  type CompiledCatalog,
  loadCatalog,
  lookupParameter,
  ParameterValueMissingError,
  RuleLoadError,
} from '@doudi/rules';
import { parse } from 'yaml';

export interface LintProblem {
  file: string;
  line: number;
  column: number;
  code: string;
  message: string;
}

export const LEDGER_FIELDS = [
  'department',
  'category',
  'legalBasis',
  'process',
  'timeLimitWorkingDays',
  'office',
  'phone',
  'documents',
] as const;

function fromError(error: unknown, fallbackFile: string): LintProblem {
  if (error instanceof RuleLoadError)
    return {
      file: error.file,
      line: error.line,
      column: error.column,
      code: error.code,
      message: error.summary,
    };
  return { file: fallbackFile, line: 1, column: 1, code: 'load_failed', message: (error as Error).message };
}

/**
 * The indicator models a one-policy load needs: those whose score variable the policy, a variable
 * or another needed model names (text search, so never too few). Compiling all of them for each
 * of 36 policies made a failing lint several seconds slower.
 */
function modelsReadBy(sources: CatalogSources, policyText: string): Record<string, string> {
  const models = Object.entries(sources.indicators ?? {}).map(([file, text]) => ({
    file,
    text,
    variable: /^variable:\s*([A-Za-z0-9]+)/m.exec(text)?.[1],
  }));
  const kept = new Map<string, string>();
  let readers = [policyText, ...Object.values(sources.variables)];
  for (let grew = true; grew; ) {
    grew = false;
    for (const m of models) {
      if (kept.has(m.file)) continue;
      if (m.variable !== undefined && readers.some((t) => t.includes(m.variable as string))) {
        kept.set(m.file, m.text);
        readers = [...readers, m.text];
        grew = true;
      }
    }
  }
  return Object.fromEntries(kept);
}

export function lintCatalog(
  sources: CatalogSources,
  region: string,
  date: string,
): { problems: LintProblem[]; catalog?: CompiledCatalog } {
  const problems: LintProblem[] = [];
  let catalog: CompiledCatalog | undefined;
  try {
    catalog = loadCatalog(sources);
  } catch (error) {
    // Facts, parameters, variables and indicator models alone (variables may read a model's score):
    // a problem there hides everything else.
    const base = { ...sources, policies: {} };
    try {
      loadCatalog(base);
    } catch (baseError) {
      return { problems: [fromError(baseError, 'catalog')] };
    }
    for (const [file, text] of Object.entries(sources.policies)) {
      try {
        loadCatalog({ ...base, policies: { [file]: text }, indicators: modelsReadBy(sources, text) });
      } catch (policyError) {
        // Loaded alone, a policy that supersedes another names a policy absent from this load: an
        // artefact of loading one by one (a real unknown id is reported by the full load below).
        if (policyError instanceof RuleLoadError && policyError.code === 'unknown_policy') continue;
        problems.push(fromError(policyError, file));
      }
    }
    if (problems.length === 0) problems.push(fromError(error, 'catalog')); // e.g. duplicate policy ids
  }
  if (catalog) {
    const readers = [
      ...catalog.policies,
      ...catalog.indicators.map((m) => ({ id: `indicator ${m.id}`, parameters: m.parameters })),
    ];
    for (const policy of readers) {
      for (const name of policy.parameters) {
        const parameter = catalog.parameters.get(name);
        if (!parameter) continue;
        try {
          lookupParameter(parameter, date, region);
        } catch (error) {
          if (!(error instanceof ParameterValueMissingError)) throw error;
          problems.push({
            file: parameter.file,
            line: 1,
            column: 1,
            code: 'parameter_missing_for_region',
            message: `parameter ${name} (used by ${policy.id}) has no value on ${date} in region ${region}`,
          });
        }
      }
    }
  }
  for (const [file, text] of Object.entries(sources.policies)) {
    let doc: Record<string, unknown>;
    try {
      doc = (parse(text) ?? {}) as Record<string, unknown>;
    } catch {
      continue; // already reported as a YAML error
    }
    for (const field of LEDGER_FIELDS) {
      const value = doc[field];
      if (
        value === undefined ||
        value === null ||
        value === '' ||
        (Array.isArray(value) && value.length === 0)
      ) {
        problems.push({
          file,
          line: 1,
          column: 1,
          code: 'ledger_field_missing',
          message: `policy ledger field "${field}" is missing`,
        });
      }
    }
  }
  // Parameters reported once even when several policies read them.
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = `${p.file}:${p.line}:${p.column}:${p.message.replace(/ \(used by [^)]*\)/, '')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { problems: unique, ...(catalog ? { catalog } : {}) };
}

/** The ledger entry of each policy (for `rules eval` output and the README table). */
export function policyLedger(sources: CatalogSources): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const text of Object.values(sources.policies)) {
    const doc = (parse(text) ?? {}) as Record<string, unknown>;
    const entry: Record<string, unknown> = {};
    for (const field of LEDGER_FIELDS) entry[field] = doc[field];
    out.set(String(doc.id), entry);
  }
  return out;
}
