/**
 * The catalogue in force: what every screening, self-check, what-if and decision evaluates with.
 *
 * Contract (used by screening, self-check, what-if and, later, case decisions):
 * `activeCatalog(db, onDate)` returns the compiled catalogue and a `version` string that a stored
 * result records, so an auditor can tell which rules produced it.
 *
 * Today the catalogue is the files under catalog/ (the baseline shipped with the release); its
 * version is `disk-<first 12 hex of SHA-256 over every source text>`. Policy administration
 * (published versions kept in the database) replaces the body of this function and keeps the
 * signature.
 */
import { createHash } from 'node:crypto';
import type { CatalogSources } from '@doudi/rules';
import type { Queryable } from '../../db/database.ts';
import { catalogDir, type LoadedCatalog, loadCatalogFromDir } from './catalogFiles.ts';

export interface ActiveCatalog extends LoadedCatalog {
  /** Identifies the exact rule texts; stored with every result computed from them. */
  version: string;
}

/** SHA-256 over the sources in a stable order (kind, file name, text). */
export function sourcesDigest(sources: CatalogSources): string {
  const hash = createHash('sha256');
  for (const kind of ['facts', 'parameters', 'variables', 'policies'] as const) {
    for (const name of Object.keys(sources[kind]).sort()) {
      hash.update(`${kind}\0${name}\0${sources[kind][name]}\0`);
    }
  }
  return hash.digest('hex');
}

let diskCache: ActiveCatalog | undefined;

/** The baseline catalogue from disk, compiled once per process. */
export function diskCatalog(): ActiveCatalog {
  const dir = catalogDir();
  if (diskCache?.dir !== dir) {
    const loaded = loadCatalogFromDir(dir);
    diskCache = { ...loaded, version: `disk-${sourcesDigest(loaded.sources).slice(0, 12)}` };
  }
  return diskCache;
}

export async function activeCatalog(_db: Queryable, _onDate: string): Promise<ActiveCatalog> {
  return diskCatalog();
}
