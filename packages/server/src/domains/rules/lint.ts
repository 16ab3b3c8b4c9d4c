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
    // Facts, parameters and variables alone: a problem there hides everything else.
    const base = { ...sources, policies: {} };
    try {
      loadCatalog(base);
    } catch (baseError) {
      return { problems: [fromError(baseError, 'catalog')] };
    }
    for (const [file, text] of Object.entries(sources.policies)) {
      try {
        loadCatalog({ ...base, policies: { [file]: text } });
      } catch (policyError) {
        problems.push(fromError(policyError, file));
      }
    }
    if (problems.length === 0) problems.push(fromError(error, 'catalog')); // e.g. duplicate policy ids
  }
  if (catalog) {
    for (const policy of catalog.policies) {
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
