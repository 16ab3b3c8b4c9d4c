/**
 * The catalogue in force: what every screening, self-check, what-if and decision evaluates with.
 *
 * Contract (used by screening, self-check, what-if and, later, case decisions):
 * `activeCatalog(db, onDate)` returns the compiled catalogue and a `version` string that a stored
 * result records, so an auditor can tell which rules produced it.
 *
 * The catalogue is the files under catalog/ (the release baseline) overlaid, per file, with the
 * newest published version (table policy_version, policy administration) whose effective date is
 * on or before `onDate`. Version strings:
 * - `disk-<12 hex>`: no published version applies; SHA-256 over every baseline text;
 * - `pv-<12 hex>`: SHA-256 over the baseline digest and, per overlaid file, file name, version number
 *   and text SHA-256. `GET /api/policies/catalog?date=` lists those files, so an auditor can
 *   recompute the string of a stored result from its date.
 * Compiled catalogues are cached by version string (a few hundred ms to compile, microseconds to hit).
 * Scenario files are versioned too but are tests, not rules: they never enter the version string.
 */
import { createHash } from 'node:crypto';
import { type CatalogSources, loadCatalog } from '@doudi/rules';
import type { Queryable } from '../../db/database.ts';
import { bodiesByIds, versionsInForce } from '../policies/policies.repo.ts';
import { catalogDir, type LoadedCatalog, loadCatalogFromDir } from './catalogFiles.ts';

export interface CatalogOverlay {
  file: string;
  versionNo: number;
  sha256: string;
  effectiveFrom: string;
}

export interface ActiveCatalog extends LoadedCatalog {
  /** Identifies the exact rule texts; stored with every result computed from them. */
  version: string;
  /** Published versions that replace baseline files (empty for the baseline itself). */
  overlays: CatalogOverlay[];
  /**
   * Published monitoring trigger files in force (triggers/triggers.yaml → text); empty when the
   * release's file applies. Not compiled here: domains/monitoring/triggers.ts `triggersOf()`.
   */
  triggers: Record<string, string>;
}

// Indicator models are rules too: they enter the version string and can be overlaid.
const KINDS = ['facts', 'parameters', 'variables', 'policies', 'indicators'] as const;

/** SHA-256 over the sources in a stable order (kind, file name, text). */
export function sourcesDigest(sources: CatalogSources): string {
  const hash = createHash('sha256');
  for (const kind of KINDS) {
    const texts = sources[kind] ?? {};
    for (const name of Object.keys(texts).sort()) {
      hash.update(`${kind}\0${name}\0${texts[name]}\0`);
    }
  }
  return hash.digest('hex');
}

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The baseline with some files replaced (file names relative to catalog/, e.g. policies/dibao.yaml). */
export function overlaySources(base: CatalogSources, files: ReadonlyMap<string, string>): CatalogSources {
  const out: CatalogSources = {
    facts: { ...base.facts },
    parameters: { ...base.parameters },
    variables: { ...base.variables },
    policies: { ...base.policies },
    indicators: { ...base.indicators },
  };
  for (const [file, text] of files) {
    const kind = KINDS.find((k) => file.startsWith(`${k}/`));
    if (!kind || file.endsWith('.scenarios.yaml')) continue;
    (out[kind] as Record<string, string>)[file] = text;
  }
  return out;
}

let diskCache: ActiveCatalog | undefined;

/** The baseline catalogue from disk, compiled once per process. */
export function diskCatalog(): ActiveCatalog {
  const dir = catalogDir();
  if (diskCache?.dir !== dir) {
    const loaded = loadCatalogFromDir(dir);
    diskCache = {
      ...loaded,
      version: `disk-${sourcesDigest(loaded.sources).slice(0, 12)}`,
      overlays: [],
      triggers: {},
    };
  }
  return diskCache;
}

/** The version string of the baseline overlaid with these file versions. */
export function overlayVersion(baseline: ActiveCatalog, overlays: CatalogOverlay[]): string {
  if (overlays.length === 0) return baseline.version;
  const hash = createHash('sha256').update(`${baseline.version}\0`);
  for (const o of [...overlays].sort((a, b) => (a.file < b.file ? -1 : 1)))
    hash.update(`${o.file}\0${o.versionNo}\0${o.sha256}\0`);
  return `pv-${hash.digest('hex').slice(0, 12)}`;
}

const CACHE_SIZE = 8;
const compiled = new Map<string, ActiveCatalog>();

/**
 * The catalogue in force on `onDate` (YYYY-MM-DD). `db` may be a scoped transaction: every
 * version is readable in every scope (rules are public documents).
 */
export async function activeCatalog(db: Queryable, onDate: string): Promise<ActiveCatalog> {
  const baseline = diskCatalog();
  const rows = (await versionsInForce(db, onDate)).filter((r) => !r.file.endsWith('.scenarios.yaml'));
  if (rows.length === 0) return baseline;
  const overlays = rows.map((r) => ({
    file: r.file,
    versionNo: r.version_no,
    sha256: r.sha256,
    effectiveFrom: r.effective_from,
  }));
  const version = overlayVersion(baseline, overlays);
  const hit = compiled.get(version);
  if (hit) {
    compiled.delete(version); // most recently used last
    compiled.set(version, hit);
    return hit;
  }
  const bodies = await bodiesByIds(
    db,
    rows.map((r) => r.id),
  );
  const sources = overlaySources(baseline.sources, bodies);
  const entry: ActiveCatalog = {
    dir: baseline.dir,
    sources,
    catalog: loadCatalog(sources),
    version,
    overlays,
    triggers: Object.fromEntries([...bodies].filter(([file]) => file.startsWith('triggers/'))),
  };
  compiled.set(version, entry);
  if (compiled.size > CACHE_SIZE) compiled.delete(compiled.keys().next().value as string);
  return entry;
}
