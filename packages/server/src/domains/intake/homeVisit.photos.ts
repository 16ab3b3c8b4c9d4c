/**
 * A home-visit photo as it is kept: checked by its magic bytes (file-type) before any decoder sees it,
 * decoded by libvips (sharp) with a pixel limit (a small file that unpacks to gigapixels is refused),
 * turned upright by its EXIF orientation and re-encoded as JPEG of at most 2048 px. Re-encoding
 * writes no metadata at all, so the EXIF location (and camera serial, owner name…) never reaches the
 * database: the visit's location is recorded separately, with the user's consent. It also means a
 * file that is an image and something else at once (a polyglot) is stored only as the image.
 */
import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import sharp, { type OutputInfo } from 'sharp';
import { AppError } from '../../http/errors.ts';

/** Largest upload accepted: a phone's full-size JPEG is 3–8 MB. */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
/** Photos per visit: the house, the kitchen, the rooms, the documents shown. */
export const MAX_PHOTOS = 8;
const ACCEPTED = new Set(['image/jpeg', 'image/png', 'image/webp']);
const MAX_INPUT_PIXELS = 50_000_000; // 50 MP: above any phone camera's default
const MAX_EDGE = 2048;

export interface ProcessedPhoto {
  sha256: string;
  jpeg: Buffer;
  width: number;
  height: number;
}

const refuse = (code: string, zh: string, en: string, status = 400) =>
  new AppError(status, code, zh, en, 'photo');

export async function processPhoto(input: Buffer): Promise<ProcessedPhoto> {
  if (input.length === 0) throw refuse('PHOTO_EMPTY', '照片是空的，请重新拍摄或选择', 'the photo is empty');
  if (input.length > MAX_PHOTO_BYTES)
    throw refuse(
      'PHOTO_TOO_LARGE',
      `照片不能超过${MAX_PHOTO_BYTES / 1024 / 1024}MB，请降低拍照分辨率后重试`,
      'the photo is too large',
      413,
    );
  const type = await fileTypeFromBuffer(input);
  if (!type || !ACCEPTED.has(type.mime))
    throw refuse(
      'PHOTO_NOT_IMAGE',
      '只能上传 JPEG、PNG 或 WebP 格式的照片',
      'only JPEG, PNG or WebP photos are accepted',
      415,
    );
  let output: { data: Buffer; info: OutputInfo };
  try {
    output = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .resize({ width: MAX_EDGE, height: MAX_EDGE, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 80, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
  } catch {
    throw refuse(
      'PHOTO_UNREADABLE',
      '照片已损坏或像素过大，无法读取，请重新拍摄',
      'the photo is damaged or too many pixels',
      422,
    );
  }
  return {
    sha256: createHash('sha256').update(input).digest('hex'),
    jpeg: output.data,
    width: output.info.width,
    height: output.info.height,
  };
}
