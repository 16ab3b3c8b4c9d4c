/**
 * Where the intake data lives: catalog/processes and catalog/calendar, beside the policy ledger.
 * Same rule as the rules domain (DOUDI_CATALOG_DIR, else the repository's catalog/), kept here so
 * that reading templates does not load the rules engine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export function intakeCatalogDir(): string {
  return path.resolve(
    process.env.DOUDI_CATALOG_DIR ?? path.resolve(import.meta.dirname, '../../../../../catalog'),
  );
}

/** `id`, `process` and `department` of each policy file (catalog/policies/<id>.yaml). */
export function readPolicyProcessRefs(dir = path.join(intakeCatalogDir(), 'policies')) {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f) && !/\.scenarios\.ya?ml$/.test(f))
    .sort()
    .map((f) => {
      const doc = parse(readFileSync(path.join(dir, f), 'utf8')) as Record<string, unknown> | null;
      return {
        id: String(doc?.id ?? f.replace(/\.ya?ml$/, '')),
        process: typeof doc?.process === 'string' ? doc.process : undefined,
        department: typeof doc?.department === 'string' ? doc.department : undefined,
        name: (doc?.name as { zh?: string; en?: string } | undefined) ?? undefined,
      };
    });
}
