/**
 * XLSX rows, streamed with exceljs's WorkbookReader (first worksheet). Before exceljs sees the
 * file, yauzl walks the zip: the declared sizes must stay under the limit and every entry is
 * inflated once into a counter (yauzl fails an entry that inflates past its declared size), so a
 * zip bomb is refused after reading at most the limit, never expanded into memory.
 */
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import type { Cell } from '../validate.ts';
import { type FileReader, FileRefused, inRuns, type ReadItem, type ReadLimits } from './types.ts';

const MAX_ENTRIES = 10_000;
const MAX_RATIO = 200;

const bomb = () =>
  new FileRefused(
    'Excel 文件解压后过大或压缩比异常（疑似压缩炸弹），已拒绝',
    'xlsx expands too much (zip bomb?)',
  );

/** Inflates every entry, counting bytes, and refuses what would expand past the limits. */
export function checkZip(path: string, maxUncompressed: number): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, validateEntrySizes: true }, (error, zip) => {
      if (error || !zip)
        return reject(new FileRefused('Excel 文件已损坏或不是 xlsx 格式', 'not a valid xlsx file'));
      let total = 0;
      let entries = 0;
      const fail = (e: Error) => {
        zip.close();
        reject(e);
      };
      zip.on('error', () => fail(new FileRefused('Excel 文件已损坏', 'corrupt xlsx')));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        entries += 1;
        total += entry.uncompressedSize;
        const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
        if (
          entries > MAX_ENTRIES ||
          total > maxUncompressed ||
          (entry.uncompressedSize > 1_000_000 && ratio > MAX_RATIO)
        )
          return fail(bomb());
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return fail(new FileRefused('Excel 文件已损坏', 'corrupt xlsx'));
          stream.on('error', () => fail(bomb()));
          stream.on('data', () => undefined);
          stream.on('end', () => zip.readEntry());
        });
      });
      zip.readEntry();
    });
  });
}

/** exceljs cell values → the cells validation understands. */
function toCell(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    return { formula: true, result: result === undefined ? null : result };
  }
  if ('hyperlink' in value) return String((value as { text?: unknown }).text ?? '');
  if ('error' in value) return { formula: true, result: { error: (value as { error: unknown }).error } };
  return String(value);
}

export async function readXlsx(path: string, limits: ReadLimits): Promise<FileReader> {
  await checkZip(path, limits.maxUncompressedBytes);
  let rowsSeen = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  async function* items(): AsyncGenerator<ReadItem> {
    for await (const sheet of reader) {
      let headers: string[] | undefined;
      for await (const row of sheet) {
        const values = (row.values as ExcelJS.CellValue[]) ?? [];
        if (!headers) {
          headers = values.slice(1).map((v) => String(toCell(v) ?? '').trim());
          yield { kind: 'headers', headers };
          continue;
        }
        rowsSeen += 1;
        if (rowsSeen > limits.maxRows)
          throw new FileRefused(`文件超过 ${limits.maxRows} 行的上限`, `more than ${limits.maxRows} rows`);
        const cells: Record<string, Cell> = {};
        let empty = true;
        for (let i = 0; i < headers.length; i++) {
          const cell = toCell(values[i + 1]);
          if (typeof cell === 'string' && cell.length > limits.maxCellChars)
            throw new FileRefused(
              `第 ${row.number} 行有单元格超过 ${limits.maxCellChars} 个字符`,
              'cell too long',
            );
          if (cell !== null && cell !== '') empty = false;
          cells[headers[i] as string] = cell;
        }
        if (
          values.length - 1 > headers.length &&
          values.slice(headers.length + 1).some((v) => v != null && v !== '')
        ) {
          yield {
            kind: 'row',
            rowNo: row.number,
            cells: {},
            problem: `本行有表头以外的单元格（表头 ${headers.length} 列）`,
          };
          continue;
        }
        if (!empty) yield { kind: 'row', rowNo: row.number, cells };
      }
      if (!headers) throw new FileRefused('工作表为空或没有表头', 'empty sheet');
      return; // only the first worksheet
    }
    throw new FileRefused('Excel 文件中没有工作表', 'no worksheet');
  }
  return { format: 'xlsx', encoding: null, items: inRuns(items()), bytesRead: () => 0 };
}
