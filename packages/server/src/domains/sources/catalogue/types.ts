/**
 * The shape of a source in the catalogue: what a department sends, field by field, with the
 * Chinese column header each field is read from by default. Sources are data (catalogue/*.ts),
 * read by validation, import and the web page alike.
 */
import type { Department } from '../../access/permissions.ts';

export type FieldType =
  /** Free text, trimmed; maxLength characters at most. */
  | 'text'
  /** ISO date; also 2025/6/1, 2025年6月1日, 20250601, and Excel serial numbers in XLSX. */
  | 'date'
  /** Yuan with at most two decimals, stored as integer fen (exactly, no floating point). */
  | 'money'
  /** A quantity with at most two decimals (square metres), stored as integer hundredths. */
  | 'decimal2'
  | 'integer'
  | 'year'
  /** 是/否 (also Y/N, true/false, 1/0). */
  | 'boolean'
  /** One of `values`: the code or its Chinese label. */
  | 'enum'
  /** 12-digit region code (6 or 9 digits are padded). */
  | 'region'
  /** Year and month, 2025-06. */
  | 'month';

export interface FieldSpec {
  name: string;
  /** Default Chinese column header. */
  header: string;
  type: FieldType;
  required?: boolean;
  /** Enumerations: code → Chinese label. */
  values?: Record<string, string>;
  maxLength?: number;
  /** Money: the largest amount accepted, in yuan (default 10 billion). */
  maxYuan?: number;
}

/**
 * snapshot: the file is the whole state on its as-of date; a record absent from a newer snapshot
 * is closed (valid_to = the new as-of date).
 * event: each record is one event (a birth, a claim, a year's tax); records accumulate and a newer
 * file only replaces the records it carries again.
 */
export type AsOfSemantics = 'snapshot' | 'event';

export interface SourceSpec {
  id: string;
  label: string;
  labelEn: string;
  department: Department;
  asOf: AsOfSemantics;
  /** What the as-of date means for this source (shown on the upload page). */
  asOfNote: string;
  /** Refuse the whole file when one row is bad (identity-critical feeds). */
  allOrNothing: boolean;
  /** The record's own date (event sources), for display. */
  eventDateField?: string;
  fields: FieldSpec[];
}

/** Every source starts with the department's record number, the ID number and the name. */
export const COMMON_FIELDS: FieldSpec[] = [
  { name: 'recordId', header: '记录编号', type: 'text', required: true, maxLength: 100 },
  { name: 'idNumber', header: '身份证号码', type: 'text', required: true, maxLength: 30 },
  { name: 'name', header: '姓名', type: 'text', required: true, maxLength: 50 },
];

export const YES_NO = { true: '是', false: '否' } as const;
