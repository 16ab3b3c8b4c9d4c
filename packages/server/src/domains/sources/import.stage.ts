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
 * content hash. The temporary table is created by the importer's role and dropped at commit.
 */
export async function writeStaged(tx: Queryable, meta: StageMeta, copy: string): Promise<StageOutcome> {
  if (!tx.copyFrom) throw new Error('COPY is not available on this connection');
  await tx.query(
    `CREATE TEMP TABLE source_stage (row_no int, record_key text, idx bytea, cipher bytea, masked text,
       name text, data jsonb, hash bytea) ON COMMIT DROP`,
  );
  await tx.copyFrom('COPY source_stage FROM STDIN', copy);
  // DISTINCT ON keeps the first row of a record number repeated within the batch (the others are
  // left over and reported as duplicates). The conflict update touches only an unchanged record
  // not yet seen in this snapshot; xmax = 0 tells an inserted row from an updated one.
  const result = await tx.query<{
    inserted: number;
    unchanged: number;
    unmatched: number;
    mismatched: number;
    leftover: number[];
  }>(
    `WITH s AS (
       SELECT DISTINCT ON (st.record_key) st.*, m.person_id, m.name AS person_name, m.region_code AS person_region
         FROM source_stage st
         LEFT JOIN source_match_persons(ARRAY(SELECT idx FROM source_stage)) m ON m.id_number_index = st.idx
        ORDER BY st.record_key, st.row_no
     ), w AS (
       INSERT INTO source_record AS r (source, record_key, department, region_code, person_id, id_number_cipher,
              id_number_index, id_number_masked, name, name_mismatch, data, content_hash, valid_from, seen_as_of,
              import_id)
       SELECT $1, s.record_key, $2, coalesce(s.person_region, $5), s.person_id, s.cipher, s.idx, s.masked, s.name,
              coalesce(s.person_name <> s.name, false), s.data, s.hash, $3::date, $3::date, $4::uuid
         FROM s
        WHERE s.person_region IS NULL OR starts_with(s.person_region, $6)
       ON CONFLICT (source, record_key) WHERE valid_to IS NULL
       DO UPDATE SET seen_as_of = excluded.seen_as_of
        WHERE r.content_hash = excluded.content_hash AND r.seen_as_of < excluded.seen_as_of
       RETURNING r.record_key, r.xmax = 0 AS fresh, r.person_id IS NULL AS unmatched, r.name_mismatch
     )
     SELECT count(*) FILTER (WHERE fresh)::int AS inserted,
            count(*) FILTER (WHERE NOT fresh)::int AS unchanged,
            count(*) FILTER (WHERE fresh AND unmatched)::int AS unmatched,
            count(*) FILTER (WHERE fresh AND name_mismatch)::int AS mismatched,
            ARRAY(SELECT row_no FROM source_stage
                  EXCEPT SELECT s.row_no FROM s JOIN w ON w.record_key = s.record_key) AS leftover
       FROM w`,
    [meta.source, meta.department, meta.asOf, meta.importId, meta.regionCode, meta.regionPrefix],
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
