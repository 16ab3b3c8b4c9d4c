/**
 * JSON rows, streamed: a top-level array through stream-json (one element in memory at a time),
 * or JSON Lines read line by line (a line that is not an object is a rejected row, the rest go on).
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import iconv from 'iconv-lite';
import streamArray from 'stream-json/streamers/stream-array.js';
import type { Cell } from '../validate.ts';
import { type FileReader, FileRefused, inRuns, type ReadItem, type ReadLimits } from './types.ts';

function cellsOf(value: unknown): { cells: Record<string, Cell> } | { problem: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { problem: 'JSON 元素不是对象' };
  const cells: Record<string, Cell> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
      cells[key] = v;
    else return { problem: `字段“${key.slice(0, 50)}”不是字符串、数字或布尔值` };
  }
  return { cells };
}

export function readJson(path: string, encoding: string, limits: ReadLimits, firstChar: string): FileReader {
  let bytes = 0;
  async function* items(): AsyncGenerator<ReadItem> {
    yield { kind: 'headers', headers: [] };
    // The file is opened only when the rows are asked for: the byte counter's 'data' listener sets
    // the stream flowing, and chunks that flowed before the parser was piped in were lost (an
    // import that awaited the database between opening the reader and reading read no rows).
    const file = createReadStream(path);
    file.on('data', (chunk) => {
      bytes += chunk.length;
    });
    const text =
      encoding === 'utf-8' ? file : file.pipe(iconv.decodeStream(encoding)).pipe(iconv.encodeStream('utf-8'));
    let n = 0;
    const limit = () => {
      n += 1;
      if (n > limits.maxRows) throw new FileRefused(`文件超过 ${limits.maxRows} 条的上限`, 'too many rows');
    };
    try {
      if (firstChar === '[') {
        const pipeline = text.pipe(streamArray.withParserAsStream());
        try {
          for await (const { key, value } of pipeline as AsyncIterable<{ key: number; value: unknown }>) {
            limit();
            const read = cellsOf(value);
            yield {
              kind: 'row',
              rowNo: key + 1,
              ...('cells' in read ? read : { cells: {}, problem: read.problem }),
            };
          }
        } catch (error) {
          if (error instanceof FileRefused) throw error;
          throw new FileRefused(
            `JSON 格式错误（第 ${n + 1} 个元素处），之前的 ${n} 条已处理`,
            `invalid JSON after element ${n}`,
          );
        }
        return;
      }
      const lines = createInterface({ input: text, crlfDelay: Number.POSITIVE_INFINITY });
      let lineNo = 0;
      for await (const line of lines) {
        lineNo += 1;
        const trimmed = line.replace(/^\uFEFF/, '').trim();
        if (trimmed === '') continue;
        limit();
        if (trimmed.length > limits.maxCellChars * 4) {
          yield { kind: 'row', rowNo: lineNo, cells: {}, problem: 'JSON 行过长' };
          continue;
        }
        let value: unknown;
        try {
          value = JSON.parse(trimmed);
        } catch {
          yield { kind: 'row', rowNo: lineNo, cells: {}, problem: '不是有效的 JSON' };
          continue;
        }
        const read = cellsOf(value);
        yield {
          kind: 'row',
          rowNo: lineNo,
          ...('cells' in read ? read : { cells: {}, problem: read.problem }),
        };
      }
    } finally {
      file.destroy();
    }
  }
  return { format: 'json', encoding, items: inRuns(items()), bytesRead: () => bytes };
}
