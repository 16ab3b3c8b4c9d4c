/**
 * The set-based half of a batch: the prepared rows are copied (COPY FROM STDIN, text format) into
 * a temporary table and written by one INSERT … ON CONFLICT as the importer (row-level security
 * applies): a record number with no open version is inserted; one whose open version has the same
 * content hash is marked seen in this snapshot (unchanged). Everything else (a changed record, a
 * duplicate, a person registered outside the import's region, an older snapshot) comes back as
 * "left over" and goes through the row-by-row rules in import.batch.ts.
 *
 * Why: matching, comparing and inserting row by row from JavaScript cost ~45 µs of PostgreSQL
 * and ~30 µs of this process per row (fetching open versions and persons, building a JSON
 * document); COPY + one statement leaves the comparison to PostgreSQL's unique index.
 */
import type { Queryable } from '../../db/database.ts';

/** One COPY text field: backslash, tab, line feed and carriage return escaped. */
export function copyText(value: string): string {
  if (!/[\\\t\n\r]/.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

/** bytea in COPY text: \x + hex, its backslash escaped. */
export const copyBytea = (hex: string): string => `\\\\x${hex}`;

/** JSON text as a COPY field: JSON.stringify leaves no raw tab or line break, only backslashes. */
export const copyJson = (json: string): string => (json.includes('\\') ? json.replace(/\\/g, '\\\\') : json);

export interface StageOutcome {
  inserted: number;
  unchanged: number;
  unmatched: number;
  nameMismatches: number;
  /** Row numbers of the staged rows not settled here. */
  leftover: number[];
}

export interface StageMeta {
  source: string;
  department: string;
  asOf: string;
  importId: string;
  /** Region of records whose person is not in the registry. */
  regionCode: string;
  /** Region-code prefix a matched person must be registered under. */
  regionPrefix: string;
}

/**
 * `copy` holds one line per row: row_no, record_key, id index, id cipher, id mask, name, data,
 * content hash; no record_key twice (a repeat would make the conflict update fail the batch). The temporary table is created by the importer's role and dropped at commit.
 */
export async function writeStaged(
  tx: Queryable,
  meta: StageMeta,
  copy: string,
  fresh = false,
): Promise<StageOutcome & { conflicted: boolean }> {
  if (!tx.copyFrom) throw new Error('COPY is not available on this connection');
  // The batch's commit does not wait for its WAL to reach the disk (one flush per 5,000 rows was
  // wall time with the database idle). A server crash may lose the last batches committed: the
  // import's counts move in the same transactions, so a rerun resumes before them, never after.
  await tx.exec(
    `SET LOCAL synchronous_commit = off;
     CREATE TEMP TABLE source_stage (row_no int, record_key text, idx bytea, cipher bytea, masked text,
       name text, data jsonb, hash bytea) ON COMMIT DROP`,
  );
  await tx.copyFrom('COPY source_stage FROM STDIN', copy);
  // A record number appears at most once in `copy` (prepareBatch leaves the batch's later
  // repeats out and hands them to the row-by-row rules), so no DISTINCT ON: its sort, and the
  // merge join's sort it invited, were a tenth of the statement. The conflict update touches only
  // an unchanged record not yet seen in this snapshot; xmax = 0 tells an inserted row from an
  // updated one.
  const params = [meta.source, meta.department, meta.asOf, meta.importId, meta.regionCode, meta.regionPrefix];
  // `fresh`: the import expects none of the batch's record numbers to be open (see FreshSource in
  // import.batch.ts), so the insert goes without ON CONFLICT, whose probe of the open-record index
  // before every row was a sixth of PostgreSQL's time on a first import. The unique index still
  // checks each row as it is inserted; should one be open after all, the batch goes back to its
  // savepoint and is written again with the conflict clause (the caller stops expecting fresh).
  if (fresh) {
    await tx.exec('SAVEPOINT stage_fresh');
    try {
      const outcome = await stagedStatement(tx, false, params);
      await tx.exec('RELEASE SAVEPOINT stage_fresh');
      return { ...outcome, conflicted: false };
    } catch (error) {
      if ((error as { code?: string }).code !== '23505') throw error;
      await tx.exec('ROLLBACK TO SAVEPOINT stage_fresh');
      return { ...(await stagedStatement(tx, true, params)), conflicted: true };
    }
  }
  return { ...(await stagedStatement(tx, true, params)), conflicted: false };
}

/** The staged insert-or-touch; `conflicts` false leaves out ON CONFLICT (every row must be new). */
async function stagedStatement(tx: Queryable, conflicts: boolean, params: unknown[]): Promise<StageOutcome> {
  const onConflict = conflicts
    ? `ON CONFLICT (source, record_key) WHERE valid_to IS NULL
       DO UPDATE SET seen_as_of = excluded.seen_as_of
        WHERE r.content_hash = excluded.content_hash AND r.seen_as_of < excluded.seen_as_of`
    : '';
  const result = await tx.query<{
    inserted: number;
    unchanged: number;
    unmatched: number;
    mismatched: number;
    leftover: number[];
  }>(
    `WITH s AS (
       SELECT st.*, m.person_id, m.name AS person_name, m.region_code AS person_region
         FROM source_stage st
         LEFT JOIN source_match_persons(ARRAY(SELECT idx FROM source_stage)) m ON m.id_number_index = st.idx
     ), w AS (
       INSERT INTO source_record AS r (source, record_key, department, region_code, person_id, id_number_cipher,
              id_number_index, id_number_masked, name, name_mismatch, data, content_hash, valid_from, seen_as_of,
              import_id)
       SELECT $1, s.record_key, $2, coalesce(s.person_region, $5), s.person_id, s.cipher, s.idx, s.masked, s.name,
              coalesce(s.person_name <> s.name, false), s.data, s.hash, $3::date, $3::date, $4::uuid
         FROM s
        WHERE s.person_region IS NULL OR starts_with(s.person_region, $6)
       ${onConflict}
       RETURNING r.record_key, r.xmax = 0 AS fresh, r.person_id IS NULL AS unmatched, r.name_mismatch
     )
     SELECT count(*) FILTER (WHERE fresh)::int AS inserted,
            count(*) FILTER (WHERE NOT fresh)::int AS unchanged,
            count(*) FILTER (WHERE fresh AND unmatched)::int AS unmatched,
            count(*) FILTER (WHERE fresh AND name_mismatch)::int AS mismatched,
            -- Every staged row written (the common case): nothing left over, and the set difference
            -- (a join and a hash of the whole batch) is never run.
            CASE WHEN count(*) = (SELECT count(*) FROM source_stage) THEN '{}'::int[]
                 ELSE ARRAY(SELECT row_no FROM source_stage
                            EXCEPT SELECT s.row_no FROM s JOIN w ON w.record_key = s.record_key) END AS leftover
       FROM w`,
    params,
  );
  const row = result.rows[0];
  if (!row) throw new Error('staged write returned nothing');
  return {
    inserted: row.inserted,
    unchanged: row.unchanged,
    unmatched: row.unmatched,
    nameMismatches: row.mismatched,
    leftover: row.leftover,
  };
}

export interface ChangedOutcome {
  updated: number;
  unmatched: number;
  nameMismatches: number;
  /** Row numbers settled here (their open version closed, the new one inserted). */
  settled: number[];
}

/**
 * The common leftover, set-based: a staged row (of `rows`, the leftovers of writeStaged) whose
 * record number has an open version with another content hash, from an earlier snapshot and
 * another import, and whose person (if any) is registered within the import's region. The open
 * version is closed on the snapshot's date and the row inserted as the new one, as the row rules
 * do; every other leftover (older snapshot, same date, repeated in this file, out of region) stays
 * with them. Two statements, not one: closing and inserting in sibling CTEs could meet the
 * open-record index in either order. The person is matched once, in the first, and carried to
 * the second. Why: on the row-by-row path a changed row cost this process 12–20 µs (open versions
 * and persons fetched, a JSON document built); here it costs next to nothing. PostgreSQL's share
 * is about the same either way, ~50 µs a changed row (the conflict's row lock in writeStaged, the
 * close, which cannot be HOT, and the insert): what to attack next.
 */
export async function writeChanged(tx: Queryable, meta: StageMeta, rows: number[]): Promise<ChangedOutcome> {
  const none = { updated: 0, unmatched: 0, nameMismatches: 0, settled: [] };
  if (rows.length === 0) return none;
  // The leftovers joined through unnest, not `row_no = ANY($6)`: a parameter array is searched
  // linearly for every staged row. LATERAL … LIMIT 1: one open-record index probe per key,
  // whatever the statistics (import.repo.ts).
  const closed = await tx.query<{
    row_no: number;
    person_id: string | null;
    region_code: string;
    name_mismatch: boolean;
  }>(
    `WITH l AS MATERIALIZED (
       SELECT st.* FROM unnest($6::int[]) AS k(row_no) JOIN source_stage st ON st.row_no = k.row_no
     ), c AS (
       SELECT l.row_no, r.id AS old_id, m.person_id, coalesce(m.region_code, $4) AS region_code,
              coalesce(m.name <> l.name, false) AS name_mismatch
         FROM l
        CROSS JOIN LATERAL (
          SELECT id, content_hash, valid_from, import_id FROM source_record
           WHERE source = $1 AND record_key = l.record_key AND valid_to IS NULL LIMIT 1) r
         LEFT JOIN source_match_persons(ARRAY(SELECT idx FROM l)) m ON m.id_number_index = l.idx
        WHERE r.content_hash <> l.hash AND r.valid_from < $2::date AND r.import_id <> $3::uuid
          AND (m.region_code IS NULL OR starts_with(m.region_code, $5))
     )
     UPDATE source_record o SET valid_to = $2::date, closed_by = $3::uuid
       FROM c WHERE o.id = c.old_id AND o.valid_to IS NULL
     RETURNING c.row_no, c.person_id, c.region_code, c.name_mismatch`,
    [meta.source, meta.asOf, meta.importId, meta.regionCode, meta.regionPrefix, rows],
  );
  if (closed.rows.length === 0) return none;
  const c = closed.rows;
  await tx.query(
    `INSERT INTO source_record (source, record_key, department, region_code, person_id, id_number_cipher,
            id_number_index, id_number_masked, name, name_mismatch, data, content_hash, valid_from, seen_as_of,
            import_id)
     SELECT $1, st.record_key, $4, u.region_code, u.person_id, st.cipher, st.idx, st.masked, st.name,
            u.name_mismatch, st.data, st.hash, $2::date, $2::date, $3::uuid
       FROM unnest($5::int[], $6::uuid[], $7::text[], $8::boolean[]) AS u(row_no, person_id, region_code, name_mismatch)
       JOIN source_stage st ON st.row_no = u.row_no`,
    [
      meta.source,
      meta.asOf,
      meta.importId,
      meta.department,
      c.map((r) => r.row_no),
      c.map((r) => r.person_id),
      c.map((r) => r.region_code),
      c.map((r) => r.name_mismatch),
    ],
  );
  return {
    updated: c.length,
    unmatched: c.filter((r) => r.person_id === null).length,
    nameMismatches: c.filter((r) => r.name_mismatch).length,
    settled: c.map((r) => r.row_no),
  };
}
