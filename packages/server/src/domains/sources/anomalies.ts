/**
 * Anomaly checks of one import (issue 5, item 8): dates after the file's as-of date, negative
 * amounts, duplicate record numbers, and a snapshot far smaller than the source's last one.
 * Computed in SQL from what the import committed (records and error rows), not from counters
 * kept in memory, so an import resumed after a crash reports exactly what an unbroken one would.
 * Rows with negative amounts and duplicate numbers are quarantined already; rows with future
 * dates are loaded (a registration date may be keyed wrongly, the rest of the row is still the
 * department's word) and flagged here for someone to ask the department.
 */
import { Type } from 'typebox';
import type { Queryable } from '../../db/database.ts';
import type { SourceSpec } from './catalogue/index.ts';
import type { ImportRow } from './import.repo.ts';
import { NEGATIVE_AMOUNT, type ValidRecord } from './validate.ts';

/** Default: a snapshot under half the rows of the last one is flagged. */
export const DEFAULT_SHRINK_PERCENT = 50;
const EXAMPLES = 5;

export const Anomalies = Type.Object({
  futureDates: Type.Object({ count: Type.Integer(), examples: Type.Array(Type.String()) }),
  negativeAmounts: Type.Object({ count: Type.Integer() }),
  duplicateRecordIds: Type.Object({ count: Type.Integer() }),
  snapshotShrink: Type.Union([
    Type.Object({
      previousRows: Type.Integer(),
      rows: Type.Integer(),
      percent: Type.Integer(),
      thresholdPercent: Type.Integer(),
      previousAsOf: Type.String(),
    }),
    Type.Null(),
  ]),
  /** How many checks found something (0: nothing to look at). */
  flagged: Type.Integer(),
});
export interface AnomalyReport {
  futureDates: { count: number; examples: string[] };
  negativeAmounts: { count: number };
  duplicateRecordIds: { count: number };
  snapshotShrink: {
    previousRows: number;
    rows: number;
    percent: number;
    thresholdPercent: number;
    previousAsOf: string;
  } | null;
  flagged: number;
}

/** Date fields of a source (names from the catalogue, never from the file). */
const dateFieldsOf = (spec: SourceSpec) => spec.fields.filter((f) => f.type === 'date').map((f) => f.name);

/**
 * Whether a validated row has a date after `asOf`: the import notes whether any row of the file
 * did, and without one the future-date check has nothing to find (computeAnomalies skips its scan
 * of every record the import wrote, 0.9 s at 1,000,000 rows). The same comparison as the SQL:
 * ISO dates as text.
 */
export function datedAfter(spec: SourceSpec, asOf: string): (record: ValidRecord) => boolean {
  const fields = dateFieldsOf(spec);
  return (record) => {
    for (const field of fields) {
      const value = record.data[field];
      if (typeof value === 'string' && value > asOf) return true;
    }
    return false;
  };
}

/** `futureDatesPossible` false: no row the import read had a future date (see datedAfter). */
export async function computeAnomalies(
  tx: Queryable,
  row: Pick<ImportRow, 'id' | 'source' | 'as_of' | 'region_code'>,
  spec: SourceSpec,
  rowsRead: number,
  shrinkPercent: number | null,
  futureDatesPossible = true,
): Promise<AnomalyReport> {
  // Field names come from the catalogue (code), never from the file; ISO dates compare as text.
  const dateFields = dateFieldsOf(spec);
  let futureDates = { count: 0, examples: [] as string[] };
  if (dateFields.length > 0 && futureDatesPossible) {
    const condition = dateFields.map((_, i) => `data->>$${i + 3} > $2`).join(' OR ');
    // Examples by record number, not by row id: two batches are written at once, so ids follow
    // which writer got there first, and a resumed import would show other examples (CI, 2026-11-24).
    const found = await tx.query<{ n: number; examples: string[] | null }>(
      `SELECT count(*)::int AS n,
              (array_agg(record_key ORDER BY record_key COLLATE "C"))[1:${EXAMPLES}] AS examples
         FROM source_record WHERE import_id = $1 AND (${condition})`,
      [row.id, row.as_of, ...dateFields],
    );
    futureDates = { count: found.rows[0]?.n ?? 0, examples: found.rows[0]?.examples ?? [] };
  }
  const errors = await tx.query<{ negative: number; duplicate: number }>(
    `SELECT count(DISTINCT row_no) FILTER (WHERE reason = $2)::int AS negative,
            count(DISTINCT row_no) FILTER (WHERE column_name = '记录编号' AND reason LIKE '记录编号与%重复')::int AS duplicate
       FROM source_import_error WHERE import_id = $1`,
    [row.id, NEGATIVE_AMOUNT],
  );
  let snapshotShrink: AnomalyReport['snapshotShrink'] = null;
  if (spec.asOf === 'snapshot') {
    const threshold = shrinkPercent ?? DEFAULT_SHRINK_PERCENT;
    const previous = await tx.query<{ rows_read: number; as_of: string }>(
      `SELECT rows_read, as_of FROM source_import
        WHERE source = $1 AND region_code = $2 AND status = 'done' AND as_of < $3 AND id <> $4
        ORDER BY as_of DESC, started_at DESC LIMIT 1`,
      [row.source, row.region_code, row.as_of, row.id],
    );
    const last = previous.rows[0];
    if (last && last.rows_read > 0 && rowsRead * 100 < last.rows_read * threshold)
      snapshotShrink = {
        previousRows: last.rows_read,
        rows: rowsRead,
        percent: Math.floor((rowsRead * 100) / last.rows_read),
        thresholdPercent: threshold,
        previousAsOf: last.as_of,
      };
  }
  const negative = errors.rows[0]?.negative ?? 0;
  const duplicate = errors.rows[0]?.duplicate ?? 0;
  return {
    futureDates,
    negativeAmounts: { count: negative },
    duplicateRecordIds: { count: duplicate },
    snapshotShrink,
    flagged:
      (futureDates.count > 0 ? 1 : 0) +
      (negative > 0 ? 1 : 0) +
      (duplicate > 0 ? 1 : 0) +
      (snapshotShrink ? 1 : 0),
  };
}
