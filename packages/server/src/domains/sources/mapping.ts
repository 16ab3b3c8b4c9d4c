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

/**
 * A row of a file with a header row. A class, not an object of two closures: one row is made per
 * line of a million-line file, and tsx names every closure it creates (Object.defineProperty).
 */
class TableRow implements RowInput {
  constructor(
    private readonly columns: Map<string, string>,
    private readonly cells: Record<string, Cell>,
  ) {}
  get(field: FieldSpec): Cell {
    const column = this.columns.get(field.name);
    return column === undefined ? null : this.cells[column];
  }
  column(field: FieldSpec): string {
    return this.columns.get(field.name) ?? field.header;
  }
}

export function tableRow(columns: Map<string, string>, cells: Record<string, Cell>): RowInput {
  return new TableRow(columns, cells);
}

/** A JSON object: keys are the Chinese headers or the field names. */
class ObjectRow implements RowInput {
  constructor(
    private readonly headers: Map<string, string>,
    private readonly cells: Record<string, Cell>,
  ) {}
  get(field: FieldSpec): Cell {
    const header = this.headers.get(field.name) as string;
    return this.cells[header] !== undefined ? this.cells[header] : this.cells[field.name];
  }
  column(field: FieldSpec): string {
    return this.headers.get(field.name) ?? field.header;
  }
}

export function objectRow(headers: Map<string, string>, cells: Record<string, Cell>): RowInput {
  return new ObjectRow(headers, cells);
}
