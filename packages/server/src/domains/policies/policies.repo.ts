/** SQL for policy drafts and published versions (migration 006). */
import type { Queryable } from '../../db/database.ts';

export interface VersionRow {
  id: string;
  file: string;
  version_no: number;
  body: string;
  sha256: string;
  base_sha256: string;
  effective_from: string;
  reason: string;
  region_code: string;
  published_by: string;
  published_by_name: string | null;
  published_at: Date;
}

export type VersionHead = Omit<VersionRow, 'body'>;

const VERSION_COLUMNS = `v.id::text, v.file, v.version_no, v.sha256, v.base_sha256,
  to_char(v.effective_from, 'YYYY-MM-DD') AS effective_from, v.reason, v.region_code, v.published_by::text,
  v.publisher_name AS published_by_name, v.published_at`;
const FROM_VERSION = 'FROM policy_version v';

/** Per file, the newest version in force on `onDate` (no body: callers cache by these). */
export async function versionsInForce(tx: Queryable, onDate: string): Promise<VersionHead[]> {
  const result = await tx.query<VersionHead>(
    `SELECT DISTINCT ON (v.file) ${VERSION_COLUMNS} ${FROM_VERSION}
      WHERE v.effective_from <= $1::date ORDER BY v.file, v.version_no DESC`,
    [onDate],
  );
  return result.rows;
}

/** Per file, the latest published version whatever its date (what a new draft replaces). */
export async function latestVersions(tx: Queryable): Promise<VersionRow[]> {
  const result = await tx.query<VersionRow>(
    `SELECT DISTINCT ON (v.file) ${VERSION_COLUMNS}, v.body ${FROM_VERSION} ORDER BY v.file, v.version_no DESC`,
  );
  return result.rows;
}

export async function bodiesByIds(tx: Queryable, ids: string[]): Promise<Map<string, string>> {
  const result = await tx.query<{ file: string; body: string }>(
    'SELECT file, body FROM policy_version WHERE id = ANY($1::bigint[])',
    [ids],
  );
  return new Map(result.rows.map((r) => [r.file, r.body]));
}

export async function listVersions(tx: Queryable, file: string): Promise<VersionHead[]> {
  const result = await tx.query<VersionHead>(
    `SELECT ${VERSION_COLUMNS} ${FROM_VERSION} WHERE v.file = $1 ORDER BY v.version_no DESC`,
    [file],
  );
  return result.rows;
}

export async function getVersion(
  tx: Queryable,
  file: string,
  versionNo: number,
): Promise<VersionRow | undefined> {
  const result = await tx.query<VersionRow>(
    `SELECT ${VERSION_COLUMNS}, v.body ${FROM_VERSION} WHERE v.file = $1 AND v.version_no = $2`,
    [file, versionNo],
  );
  return result.rows[0];
}

export interface NewVersion {
  file: string;
  body: string;
  sha256: string;
  baseSha256: string;
  effectiveFrom: string;
  reason: string;
  regionCode: string;
  publishedBy: string;
  publisherName: string;
}

/**
 * Appends the next version of a file. The per-file lock serialises two publications of the same
 * file, so version numbers have no gaps or duplicates (the UNIQUE constraint is the backstop).
 */
export async function insertVersion(tx: Queryable, v: NewVersion): Promise<VersionHead> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`policy_version:${v.file}`]);
  const result = await tx.query<VersionHead>(
    `WITH inserted AS (
       INSERT INTO policy_version (file, version_no, body, sha256, base_sha256, effective_from, reason,
                                   region_code, published_by, publisher_name)
       SELECT $1, coalesce(max(version_no), 0) + 1, $2, $3, $4, $5::date, $6, $7, $8, $9
         FROM policy_version WHERE file = $1
       RETURNING *)
     SELECT ${VERSION_COLUMNS} FROM inserted v`,
    [
      v.file,
      v.body,
      v.sha256,
      v.baseSha256,
      v.effectiveFrom,
      v.reason,
      v.regionCode,
      v.publishedBy,
      v.publisherName,
    ],
  );
  const row = result.rows[0];
  if (!row) throw new Error('policy version not inserted');
  return row;
}

export interface DraftRow {
  id: string;
  region_code: string;
  file: string;
  body: string;
  scenario_body: string | null;
  base_sha256: string;
  revision: number;
  created_by: string;
  updated_by: string;
  updated_by_name: string | null;
  created_at: Date;
  updated_at: Date;
}

const SELECT_DRAFT = `SELECT d.*, u.display_name AS updated_by_name
  FROM policy_draft d LEFT JOIN app_user u ON u.id = d.updated_by`;

export async function findDraft(
  tx: Queryable,
  regionCode: string,
  file: string,
): Promise<DraftRow | undefined> {
  const result = await tx.query<DraftRow>(`${SELECT_DRAFT} WHERE d.region_code = $1 AND d.file = $2`, [
    regionCode,
    file,
  ]);
  return result.rows[0];
}

export async function listDrafts(tx: Queryable, regionCode: string): Promise<DraftRow[]> {
  const result = await tx.query<DraftRow>(`${SELECT_DRAFT} WHERE d.region_code = $1 ORDER BY d.file`, [
    regionCode,
  ]);
  return result.rows;
}

/**
 * Creates or updates the region's draft of a file. With `revision` the update only happens when
 * nobody saved in between (returns undefined otherwise); without it only creation is allowed.
 */
export async function saveDraft(
  tx: Queryable,
  d: {
    regionCode: string;
    file: string;
    body: string;
    scenarioBody: string | null;
    baseSha256: string;
    userId: string;
    revision?: number | undefined;
  },
): Promise<DraftRow | undefined> {
  const result = await tx.query<{ id: string }>(
    `INSERT INTO policy_draft (region_code, file, body, scenario_body, base_sha256, created_by, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, $6)
     ON CONFLICT (region_code, file) DO UPDATE
        SET body = EXCLUDED.body, scenario_body = EXCLUDED.scenario_body, updated_by = EXCLUDED.updated_by,
            updated_at = now(), revision = policy_draft.revision + 1
      WHERE policy_draft.revision = $7
     RETURNING id`,
    [d.regionCode, d.file, d.body, d.scenarioBody, d.baseSha256, d.userId, d.revision ?? -1],
  );
  if (!result.rows[0]) return undefined;
  return findDraft(tx, d.regionCode, d.file);
}

export async function deleteDraft(tx: Queryable, regionCode: string, file: string): Promise<boolean> {
  const result = await tx.query(
    'DELETE FROM policy_draft WHERE region_code = $1 AND file = $2 RETURNING id',
    [regionCode, file],
  );
  return result.rows.length > 0;
}

/** Counties (level 3) outside the current scope: policies and variables apply to all of them. */
export async function countiesOutsideScope(tx: Queryable): Promise<number> {
  const result = await tx.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM region
      WHERE level = 3 AND NOT (code BETWEEN doudi_scope_low() AND doudi_scope_high())`,
  );
  return result.rows[0]?.count ?? 0;
}
