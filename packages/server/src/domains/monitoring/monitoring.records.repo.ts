/**
 * SQL of the reads a monitoring run needs about source records (migration 011): the records of a
 * batch's persons, unmatched records, and what an import touched. Split from monitoring.repo.ts
 * (runs, the alert upsert, snapshot pages), which re-exports them.
 */
import type { Queryable } from '../../db/database.ts';
import type { RecordWindow } from './triggers.ts';

export interface MemberRow {
  id: string;
  household_id: string;
  name: string;
  birth_date: string;
  sex: string;
  relationship_to_head: string;
}

export interface RecordRow {
  id: string;
  source: string;
  record_key: string;
  person_id: string | null;
  index_hex: string;
  id_number_masked: string;
  name: string;
  region_code: string;
  data: Record<string, unknown>;
  valid_from: string;
  previous: Record<string, unknown> | null;
}

/** The columns of a RecordRow, of a source_record aliased `r`. */
const RECORD_COLUMNS = `SELECT r.id::text AS id, r.source, r.record_key, r.person_id, encode(r.id_number_index, 'hex') AS index_hex,
       r.id_number_masked, r.name, r.region_code, r.data, to_char(r.valid_from, 'YYYY-MM-DD') AS valid_from,
       (SELECT p.data FROM source_record p WHERE p.closed_by = r.import_id AND p.source = r.source
           AND p.record_key = r.record_key ORDER BY p.id DESC LIMIT 1) AS previous`;
const RECORD_SELECT = `${RECORD_COLUMNS}
  FROM source_record r`;

/**
 * SQL that keeps the records of source_record `alias` some trigger can count on the date (its
 * `RecordWindow`s), each window's values appended to `params`. Dates compared as text in the C
 * collation, as applyTriggers compares them (ISO dates order as their characters do; a database
 * collation may skip the hyphens); applyTriggers checks the rest (a date that is not ISO is no date).
 */
function inWindows(alias: string, windows: readonly RecordWindow[], asOf: string, params: unknown[]): string {
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const day = param(asOf);
  const parts = windows.map((w) => {
    const source = param(w.source);
    const after = param(w.after);
    // The record's own column, or the field of its data the trigger names.
    const [date, low, high] =
      w.field === 'validFrom'
        ? [`${alias}.valid_from`, `${after}::date`, `${day}::date`]
        : [`(${alias}.data->>${param(w.field)}) COLLATE "C"`, after, day];
    return `(${alias}.source = ${source} AND ${date} > ${low} AND ${date} <= ${high})`;
  });
  return parts.length > 0 ? `(${parts.join(' OR ')})` : 'false';
}

const sourcesOf = (windows: readonly RecordWindow[]) => [...new Set(windows.map((w) => w.source))];

/**
 * Records of these persons that are current on the date and dated in a window. One person-index
 * lookup per person, in id order (LATERAL ... OFFSET 0 keeps it a nested loop): `person_id = ANY(...)` over
 * a batch's ≈6,000 persons, most of whom have no record, was planned as a scan of the whole table
 * (or a bitmap of every probe) and cost twice the PostgreSQL CPU (bench/monitoring, session 7).
 */
export async function recordsOfPersons(
  tx: Queryable,
  personIds: readonly string[],
  windows: readonly RecordWindow[],
  asOf: string,
): Promise<RecordRow[]> {
  if (personIds.length === 0 || windows.length === 0) return [];
  const params: unknown[] = [personIds, sourcesOf(windows), asOf];
  const r = await tx.query<RecordRow>(
    `${RECORD_COLUMNS}
       FROM (SELECT DISTINCT u.id FROM unnest($1::uuid[]) AS u(id) ORDER BY u.id) AS ids
      CROSS JOIN LATERAL (
        SELECT * FROM source_record x
         WHERE x.person_id = ids.id AND x.source = ANY($2::text[]) AND x.valid_from <= $3::date
           AND (x.valid_to IS NULL OR x.valid_to > $3::date) AND ${inWindows('x', windows, asOf, params)}
        OFFSET 0) r
      ORDER BY r.id`,
    params,
  );
  return r.rows;
}

/**
 * The persons of the scope with a record in these sources from before the date (current or not: a
 * superset of those recordsOfPersons can find). A full run probes only them: of a batch's ≈6,000
 * persons most have no record, and each empty probe of the person index cost as much as a hit
 * (bench/monitoring, session 10). One pass over the table, ≈40 MB of ids for 1,000,000 households.
 * A record imported while the run goes on is its import's incremental run's to see.
 */
export async function personsWithRecords(
  tx: Queryable,
  windows: readonly RecordWindow[],
  asOf: string,
): Promise<Set<number>> {
  if (windows.length === 0) return new Set();
  const params: unknown[] = [sourcesOf(windows), asOf];
  const r = await tx.query<{ p: string }>(
    `SELECT DISTINCT person_id AS p FROM source_record r
      WHERE person_id IS NOT NULL AND source = ANY($1::text[]) AND valid_from <= $2::date
        AND ${inWindows('r', windows, asOf, params)}`,
    params,
  );
  return new Set(r.rows.map((x) => personKey(x.p)));
}

/**
 * A person id's key in the `personsWithRecords` set: 52 bits of its hex digits, the first 8 and the
 * last 5 (of a UUID, random in both places), read where the id stands in `text`. A full run tests
 * every member of every household against the set: a number is hashed and compared at once, where
 * a 36-character string was cut from the tag, hashed and compared (2.7 s of the main thread's
 * profile at 1,000,000 households). Two ids may share a key: the set then holds a superset, which
 * costs an empty probe, never a record.
 */
export function personKey(text: string, start = 0, end = text.length): number {
  let high = 0;
  for (let i = start; i < Math.min(start + 8, end); i++) high = high * 16 + hexDigit(text.charCodeAt(i));
  let low = 0;
  for (let i = Math.max(start, end - 5); i < end; i++) low = low * 16 + hexDigit(text.charCodeAt(i));
  return high * 0x100000 + low;
}

/** A hex digit's value; any other character still gives some digit (a key, not a parse). */
const hexDigit = (c: number) => (c <= 57 ? c - 48 : c <= 70 ? c - 55 : c - 87) & 15;

/**
 * Unmatched records (a person not in the registry) of the windows' sources, current on the date and
 * dated in a window, by blind index; keyset by index (hex) so a candidate pass is resumable.
 * `indexes` limits it to some persons.
 */
export async function unmatchedRecords(
  tx: Queryable,
  options: {
    windows: readonly RecordWindow[];
    asOf: string;
    after: string | null;
    limit: number;
    indexes?: string[];
  },
): Promise<RecordRow[]> {
  if (options.windows.length === 0) return [];
  const params: unknown[] = [
    sourcesOf(options.windows),
    options.asOf,
    options.after,
    options.limit,
    options.indexes ?? null,
  ];
  const r = await tx.query<RecordRow>(
    `WITH keys AS (
       SELECT DISTINCT s.id_number_index FROM source_record s
        WHERE s.person_id IS NULL AND s.source = ANY($1::text[]) AND s.valid_from <= $2::date
          AND (s.valid_to IS NULL OR s.valid_to > $2::date)
          AND ($3::text IS NULL OR s.id_number_index > decode($3::text, 'hex'))
          AND ($5::text[] IS NULL OR s.id_number_index = ANY(SELECT decode(x, 'hex') FROM unnest($5::text[]) x))
          AND ${inWindows('s', options.windows, options.asOf, params)}
        ORDER BY s.id_number_index LIMIT $4)
     ${RECORD_SELECT} JOIN keys k ON k.id_number_index = r.id_number_index
      WHERE r.person_id IS NULL AND r.source = ANY($1::text[]) AND r.valid_from <= $2::date
        AND (r.valid_to IS NULL OR r.valid_to > $2::date) AND ${inWindows('r', options.windows, options.asOf, params)}
      ORDER BY r.id_number_index, r.id`,
    params,
  );
  return r.rows;
}

/** What an import touched: households of matched persons, and blind indexes of unmatched ones. */
export async function touchedByImport(
  tx: Queryable,
  importId: string,
): Promise<{ householdIds: string[]; candidates: string[] }> {
  const households = await tx.query<{ household_id: string }>(
    `SELECT DISTINCT p.household_id FROM source_record r JOIN person p ON p.id = r.person_id
      WHERE r.import_id = $1 AND p.household_id IS NOT NULL ORDER BY p.household_id`,
    [importId],
  );
  const candidates = await tx.query<{ k: string }>(
    `SELECT DISTINCT encode(id_number_index, 'hex') AS k FROM source_record
      WHERE import_id = $1 AND person_id IS NULL ORDER BY 1`,
    [importId],
  );
  return {
    householdIds: households.rows.map((r) => r.household_id),
    candidates: candidates.rows.map((r) => r.k),
  };
}
