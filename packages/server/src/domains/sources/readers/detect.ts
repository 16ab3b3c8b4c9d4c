/**
 * What a file is, from its first bytes: XLSX (a zip), JSON (array or JSON Lines) or CSV; and the
 * text encoding of CSV/JSON (UTF-8 with or without BOM, otherwise what chardet finds, GB18030
 * for any of the Chinese GB family since it is their superset).
 */
import { open } from 'node:fs/promises';
import chardet from 'chardet';

export type Format = 'csv' | 'xlsx' | 'json';

const SAMPLE = 256 * 1024;

async function head(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SAMPLE);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** True when the bytes are valid UTF-8, ignoring a multi-byte character cut at the sample's end. */
function isUtf8(sample: Buffer, whole: boolean): boolean {
  let end = sample.length;
  if (!whole) {
    // Step back over at most 3 continuation bytes to the start of the last character.
    let back = 0;
    while (back < 3 && end - back - 1 >= 0 && ((sample[end - back - 1] as number) & 0xc0) === 0x80) back++;
    const lead = sample[end - back - 1];
    if (lead !== undefined && lead >= 0xc0) end = end - back - 1;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/**
 * A UTF-8 file with a few GBK rows pasted in: read it as UTF-8 so the good rows load and the
 * pasted ones are rejected as garbled, rather than decoding every row wrongly as GB18030.
 */
function mostlyUtf8(sample: Buffer): boolean {
  const text = sample.toString('utf8');
  const bad = text.match(/\uFFFD/g)?.length ?? 0;
  const chinese = text.match(/[\u4e00-\u9fff]/g)?.length ?? 0;
  return bad * 10 < chinese;
}

export async function detectFile(
  path: string,
  size: number,
  nameHint?: string,
): Promise<{ format: Format; encoding: string | null }> {
  const sample = await head(path);
  if (sample.length >= 4 && sample.readUInt32LE(0) === 0x04034b50) return { format: 'xlsx', encoding: null };
  let encoding: string;
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) encoding = 'utf-8';
  else if (isUtf8(sample, sample.length === size) || mostlyUtf8(sample)) encoding = 'utf-8';
  else {
    const found = (chardet.detect(sample) ?? '').toUpperCase();
    encoding = found.startsWith('UTF-16') ? found.toLowerCase() : 'gb18030';
  }
  const text = sample
    .subarray(encoding === 'utf-8' && sample[0] === 0xef ? 3 : 0, 64)
    .toString('latin1')
    .trimStart();
  const json = text.startsWith('[') || text.startsWith('{') || /\.(json|jsonl|ndjson)$/i.test(nameHint ?? '');
  return { format: json ? 'json' : 'csv', encoding };
}
