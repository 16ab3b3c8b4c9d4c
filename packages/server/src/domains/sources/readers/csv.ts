/**
 * CSV rows, streamed: file → iconv-lite decoder (GB18030 and friends) → csv-parse. A record
 * csv-parse cannot read (broken quoting, an oversized record) is skipped by the parser and
 * yielded as a row with a problem, so it is counted and reported, never lost.
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import type { FileReader, ReadItem, ReadLimits } from './types.ts';
import { FileRefused } from './types.ts';

function reasonOf(error: { code?: string; message: string }): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'CSV 格式错误：引号未闭合';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'CSV 格式错误：引号后有多余字符';
    case 'CSV_MAX_RECORD_SIZE':
      return 'CSV 格式错误：一行过长';
    default:
      return `CSV 格式错误：${error.message.slice(0, 100)}`;
  }
}

export function readCsv(path: string, encoding: string, limits: ReadLimits, startByte = 0): FileReader {
  let bytes = startByte;
  const file = createReadStream(path);
  file.on('data', (chunk) => {
    bytes += chunk.length;
  });
  const text: NodeJS.ReadableStream =
    encoding === 'utf-8' ? file.setEncoding('utf8') : file.pipe(iconv.decodeStream(encoding));
  const parser = parse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: limits.maxCellChars * 4,
    info: true,
  });
  const skipped: { line: number; reason: string }[] = [];
  parser.on('skip', (error: { code?: string; message: string; lines?: number }) => {
    skipped.push({ line: error.lines ?? 0, reason: reasonOf(error) });
  });
  text.on('error', (error: Error) => parser.destroy(error));
  text.pipe(parser);

  async function* items(): AsyncGenerator<ReadItem> {
    let headers: string[] | undefined;
    let rows = 0;
    try {
      for await (const entry of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        while (skipped.length > 0) {
          const s = skipped.shift() as { line: number; reason: string };
          rows += 1;
          yield { kind: 'row', rowNo: s.line, cells: {}, problem: s.reason };
        }
        const { record, info } = entry;
        if (!headers) {
          headers = record.map((h) => h.trim());
          const seen = new Set<string>();
          for (const h of headers) {
            if (h !== '' && seen.has(h)) throw new FileRefused(`表头“${h}”重复`, `duplicate header ${h}`);
            seen.add(h);
          }
          yield { kind: 'headers', headers };
          continue;
        }
        rows += 1;
        if (rows > limits.maxRows)
          throw new FileRefused(`文件超过 ${limits.maxRows} 行的上限`, `more than ${limits.maxRows} rows`);
        if (record.length !== headers.length) {
          yield {
            kind: 'row',
            rowNo: info.lines,
            cells: {},
            problem: `列数不对：表头 ${headers.length} 列，本行 ${record.length} 列（可能是引号或分隔符错误）`,
          };
          continue;
        }
        const cells: Record<string, string> = {};
        for (let i = 0; i < headers.length; i++) cells[headers[i] as string] = record[i] as string;
        yield { kind: 'row', rowNo: info.lines, cells };
      }
      for (const s of skipped) yield { kind: 'row', rowNo: s.line, cells: {}, problem: s.reason };
      if (!headers) throw new FileRefused('文件为空或没有表头', 'empty file or no header row');
    } finally {
      file.destroy();
    }
  }
  return { format: 'csv', encoding, items: items(), bytesRead: () => bytes };
}
