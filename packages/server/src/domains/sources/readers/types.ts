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
  /**
   * The header, then the rows, in runs (a CSV reader's run is what one chunk of the file held):
   * the import's loop crosses an async boundary once a run, not once a row (a microsecond a row).
   */
  items: AsyncGenerator<ReadItem[]>;
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

/** Items in runs of up to `size` (readers that produce one item at a time). */
export async function* inRuns<T>(items: AsyncIterable<T>, size = 500): AsyncGenerator<T[]> {
  let run: T[] = [];
  try {
    for await (const item of items) {
      run.push(item);
      if (run.length >= size) {
        yield run;
        run = [];
      }
    }
  } catch (error) {
    // The rows read before the file broke off still reach the import (they are written, not lost).
    if (run.length > 0) yield run;
    throw error;
  }
  if (run.length > 0) yield run;
}
