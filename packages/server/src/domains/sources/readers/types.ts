import type { Cell } from '../validate.ts';

/** One data row as read: its row number in the file (header = 1 for CSV/XLSX, 1-based element for JSON). */
export interface RawRow {
  rowNo: number;
  /** Column header (or JSON key) → cell. */
  cells: Record<string, Cell>;
  /** The row could not be read at all (broken quoting, bad JSON line, wrong column count). */
  problem?: string;
}

export type ReadItem = { kind: 'headers'; headers: string[] } | ({ kind: 'row' } & RawRow);

export interface ReadLimits {
  maxRows: number;
  /** Longest cell in characters. */
  maxCellChars: number;
  /** XLSX: total uncompressed bytes of the archive. */
  maxUncompressedBytes: number;
}

export interface FileReader {
  format: 'csv' | 'xlsx' | 'json';
  encoding: string | null;
  items: AsyncGenerator<ReadItem>;
  /** Bytes of the file consumed so far (progress). */
  bytesRead(): number;
}

/** A file-level refusal: nothing of the file can be trusted (thrown by readers). */
export class FileRefused extends Error {
  constructor(
    message: string,
    readonly messageEn: string,
  ) {
    super(message);
  }
}
