/** API shapes of this domain (TypeBox: validation, response shaping and the OpenAPI document). */
import { type Static, Type } from 'typebox';
import { Anomalies } from './anomalies.ts';
import { governanceSchemas } from './governance.views.ts';
import type { ImportRow } from './import.repo.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const SourceImport = Type.Object(
  {
    id: Type.String(),
    source: Type.String(),
    department: Type.String(),
    regionCode: Type.String(),
    via: Type.String(),
    fileName: Type.String(),
    format: Type.String(),
    encoding: Nullable(Type.String()),
    checksum: Type.String(),
    bytes: Type.Integer(),
    bytesRead: Type.Integer(),
    asOf: Type.String(),
    status: Type.Union([
      Type.Literal('running'),
      Type.Literal('done'),
      Type.Literal('refused'),
      Type.Literal('failed'),
    ]),
    allOrNothing: Type.Boolean(),
    rowsRead: Type.Integer(),
    inserted: Type.Integer(),
    updated: Type.Integer(),
    unchanged: Type.Integer(),
    rejected: Type.Integer(),
    unmatched: Type.Integer(),
    nameMismatches: Type.Integer(),
    closed: Type.Integer(),
    message: Nullable(Type.String()),
    notes: Type.Unknown(),
    /** Anomaly checks of a finished import (null while running, for failed and older imports). */
    anomalies: Nullable(Anomalies),
    startedBy: Type.String(),
    startedAt: Type.String(),
    finishedAt: Nullable(Type.String()),
    durationMs: Nullable(Type.Integer()),
    repeated: Type.Optional(Type.Boolean()),
  },
  { $id: 'SourceImport' },
);
export type ImportView = Static<typeof SourceImport>;

export function importView(row: ImportRow): ImportView {
  return {
    id: row.id,
    source: row.source,
    department: row.department,
    regionCode: row.region_code,
    via: row.via,
    fileName: row.file_name,
    format: row.format,
    encoding: row.encoding,
    checksum: row.checksum,
    bytes: row.bytes,
    bytesRead: row.bytes_read,
    asOf: row.as_of,
    status: row.status,
    allOrNothing: row.all_or_nothing,
    rowsRead: row.rows_read,
    inserted: row.inserted,
    updated: row.updated,
    unchanged: row.unchanged,
    rejected: row.rejected,
    unmatched: row.unmatched,
    nameMismatches: row.name_mismatches,
    closed: row.closed,
    message: row.message,
    notes: row.notes ?? null,
    anomalies: row.anomalies ?? null,
    startedBy: row.started_by,
    startedAt: new Date(row.started_at).toISOString(),
    finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
    durationMs: row.duration_ms,
  };
}

export const SourceField = Type.Object({
  name: Type.String(),
  header: Type.String(),
  defaultHeader: Type.String(),
  type: Type.String(),
  required: Type.Boolean(),
  values: Type.Optional(Type.Record(Type.String(), Type.String())),
});

export const SourceType = Type.Object(
  {
    id: Type.String(),
    label: Type.String(),
    labelEn: Type.String(),
    department: Type.String(),
    asOf: Type.Union([Type.Literal('snapshot'), Type.Literal('event')]),
    asOfNote: Type.String(),
    allOrNothing: Type.Boolean(),
    /** A snapshot under this share (percent) of the last one's rows is flagged as an anomaly. */
    shrinkAlertPercent: Type.Integer(),
    fields: Type.Array(SourceField),
    openRecords: Type.Integer(),
    unmatched: Type.Integer(),
    lastImport: Nullable(Type.Ref('SourceImport')),
  },
  { $id: 'SourceType' },
);

export const SourceRecordView = Type.Object(
  {
    id: Type.Integer(),
    source: Type.String(),
    recordKey: Type.String(),
    idNumberMasked: Type.String(),
    name: Type.String(),
    personId: Nullable(Type.String()),
    nameMismatch: Type.Boolean(),
    regionCode: Type.String(),
    data: Type.Record(Type.String(), Type.Unknown()),
    validFrom: Type.String(),
    validTo: Nullable(Type.String()),
    importId: Type.String(),
  },
  { $id: 'SourceRecord' },
);

export const sourceSchemas = [SourceImport, SourceType, SourceRecordView, ...governanceSchemas];
