/**
 * Which column each field is read from: the catalogue's Chinese header unless the source's
 * setting overrides it. Headers are compared after folding full-width brackets and spaces, so
 * 余额（元） and 余额(元) are the same column.
 */
import type { FieldSpec, SourceSpec } from './catalogue/index.ts';
import { FileRefused } from './readers/types.ts';
import type { Cell, RowInput } from './validate.ts';

export function normaliseHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .replace(/\s+/g, '');
}

export type Mapping = Record<string, string>;

export function effectiveHeaders(spec: SourceSpec, overrides: Mapping | null): Map<string, string> {
  return new Map(spec.fields.map((f) => [f.name, overrides?.[f.name] ?? f.header]));
}

/** Binds a file's header row to the fields; refuses a file that lacks a required column. */
export function bindHeaders(
  spec: SourceSpec,
  headers: Map<string, string>,
  fileHeaders: string[],
): { columns: Map<string, string>; unknown: string[] } {
  const byNormal = new Map(fileHeaders.map((h) => [normaliseHeader(h), h]));
  const columns = new Map<string, string>();
  const missing: string[] = [];
  for (const field of spec.fields) {
    const wanted = headers.get(field.name) as string;
    const found = byNormal.get(normaliseHeader(wanted)) ?? byNormal.get(field.name);
    if (found !== undefined) columns.set(field.name, found);
    else if (field.required) missing.push(wanted);
  }
  if (missing.length > 0) {
    throw new FileRefused(
      `文件缺少必填列：${missing.join('、')}。请核对表头（第一行）是否与“${spec.label}”的列名一致`,
      `missing required columns: ${missing.join(', ')}`,
    );
  }
  const used = new Set(columns.values());
  return { columns, unknown: fileHeaders.filter((h) => h !== '' && !used.has(h)).slice(0, 50) };
}

/** A row of a file with a header row. */
export function tableRow(columns: Map<string, string>, cells: Record<string, Cell>): RowInput {
  return {
    get: (field: FieldSpec) => {
      const column = columns.get(field.name);
      return column === undefined ? null : cells[column];
    },
    column: (field: FieldSpec) => columns.get(field.name) ?? field.header,
  };
}

/** A JSON object: keys are the Chinese headers or the field names. */
export function objectRow(headers: Map<string, string>, cells: Record<string, Cell>): RowInput {
  return {
    get: (field: FieldSpec) => {
      const header = headers.get(field.name) as string;
      return cells[header] !== undefined ? cells[header] : cells[field.name];
    },
    column: (field: FieldSpec) => headers.get(field.name) ?? field.header,
  };
}
