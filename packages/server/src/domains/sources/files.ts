/**
 * Files on their way in: an upload is streamed to a private temporary file while its SHA-256 is
 * computed and its size bounded; a CLI file is hashed in one streamed pass. Neither is ever held
 * in memory whole.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../http/errors.ts';

export interface StoredFile {
  path: string;
  bytes: number;
  checksum: string;
  /** Removes the temporary copy (uploads only). */
  dispose(): Promise<void>;
}

export const tooLarge = (maxBytes: number) =>
  new AppError(
    413,
    'FILE_TOO_LARGE',
    `文件超过 ${Math.floor(maxBytes / 1048576)} MB 的上限，请按乡镇或月份拆分后分别导入`,
    `file larger than ${maxBytes} bytes`,
  );

export async function spoolUpload(body: Readable, maxBytes: number): Promise<StoredFile> {
  const dir = await mkdtemp(join(tmpdir(), 'doudi-import-'));
  const path = join(dir, randomUUID());
  const hash = createHash('sha256');
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) return done(tooLarge(maxBytes));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    await pipeline(body, counter, createWriteStream(path, { mode: 0o600 }));
  } catch (error) {
    await dispose();
    if (error instanceof AppError) throw error;
    throw new AppError(400, 'UPLOAD_FAILED', '文件上传中断，请重新上传', 'upload interrupted');
  }
  if (bytes === 0) {
    await dispose();
    throw new AppError(400, 'EMPTY_FILE', '上传的文件是空的', 'empty file');
  }
  return { path, bytes, checksum: hash.digest('hex'), dispose };
}

export async function hashFile(path: string, maxBytes: number): Promise<StoredFile> {
  const info = await stat(path).catch(() => {
    throw new AppError(400, 'FILE_NOT_FOUND', `找不到文件 ${path}`, 'file not found');
  });
  if (!info.isFile()) throw new AppError(400, 'FILE_NOT_FOUND', `${path} 不是文件`, 'not a file');
  if (info.size > maxBytes) throw tooLarge(maxBytes);
  if (info.size === 0) throw new AppError(400, 'EMPTY_FILE', '文件是空的', 'empty file');
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return { path, bytes: info.size, checksum: hash.digest('hex'), dispose: async () => undefined };
}
