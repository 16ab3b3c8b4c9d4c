/**
 * Pieces shared by delegated verification and the estate inquiry: the idempotency key, ID-number
 * and date checks, the authorisation record, source labels, and the department setting that
 * row-level security reads.
 */
import { createHash } from 'node:crypto';
import { checkIdNumber } from '@doudi/rules';
import type { Database, Queryable } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import type { Actor } from '../access/permissions.ts';
import { normaliseIdNumber } from '../registry/personalData.crypto.ts';
import { checkDate, today } from '../registry/registry.model.ts';
import { findSource } from '../sources/catalogue/index.ts';
import type { VerificationDeps } from './report.service.ts';

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
export const todayOf = (deps: VerificationDeps) => (deps.today ?? today)();

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function checkIdempotencyKey(key: string | undefined): string {
  if (!key || !/^[A-Za-z0-9._:-]{8,100}$/.test(key))
    throw errors.validation(
      'Idempotency-Key',
      '提交须带 Idempotency-Key 请求头（8到100位字母、数字或 ._:-），重试时使用同一个值',
      'an Idempotency-Key header of 8–100 characters is required',
    );
  return key;
}

/** A valid GB 11643 number, normalised; a Chinese message naming the field otherwise. */
export function checkedIdNumber(value: string, field: string): string {
  const idNumber = normaliseIdNumber(value);
  const check = checkIdNumber(idNumber);
  if (!check.valid) throw errors.validation(field, check.message, check.messageEn);
  return check.idNumber;
}

/** Trimmed text of 1..max characters (counted as characters, not UTF-16 units). */
export function checkedText(value: string, field: string, label: string, max: number): string {
  const text = value.trim();
  const length = [...text].length;
  if (length === 0) throw errors.validation(field, `请填写${label}`, `${field} is required`);
  if (length > max)
    throw errors.validation(field, `${label}不能超过${max}个字`, `${field} is longer than ${max} characters`);
  // Control characters have no place in a reference number or a name printed on a document.
  if (/\p{Cc}/u.test(text))
    throw errors.validation(field, `${label}含有非法字符`, `${field} has control characters`);
  return text;
}

export interface AuthorisationInput {
  reference: string;
  signedOn: string;
  /** The signed authorisation scanned: PDF, JPEG or PNG, base64. Optional beside the reference. */
  fileBase64?: string | undefined;
}

export const AUTH_FILE_MAX = 512 * 1024;

/**
 * The applicant's signed authorisation (授权书) is required: its reference number and signing date
 * (not in the future, not older than a year), and optionally the scanned file, checked by its
 * first bytes (the declared type is not trusted).
 */
export function checkAuthorisation(input: AuthorisationInput, today: string) {
  const reference = checkedText(input.reference, 'authorisation.reference', '授权书编号', 100);
  const signedOn = checkDate(input.signedOn, 'authorisation.signedOn');
  if (signedOn > today)
    throw errors.validation('authorisation.signedOn', '授权日期不能晚于今天', 'signed in the future');
  if (signedOn < addDays(today, -366))
    throw errors.validation(
      'authorisation.signedOn',
      '授权书签署已超过一年，请申请人重新签署',
      'the authorisation is more than a year old',
    );
  let file: Buffer | null = null;
  let fileType: string | null = null;
  if (input.fileBase64) {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(input.fileBase64))
      throw errors.validation('authorisation.fileBase64', '授权书文件编码有误', 'not base64');
    file = Buffer.from(input.fileBase64, 'base64');
    if (file.length > AUTH_FILE_MAX)
      throw errors.validation(
        'authorisation.fileBase64',
        '授权书文件不能超过512KB',
        'file larger than 512 KB',
      );
    if (file.subarray(0, 5).toString('latin1') === '%PDF-') fileType = 'application/pdf';
    else if (file[0] === 0xff && file[1] === 0xd8 && file[2] === 0xff) fileType = 'image/jpeg';
    else if (file.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
      fileType = 'image/png';
    else
      throw errors.validation(
        'authorisation.fileBase64',
        '授权书文件须为PDF、JPEG或PNG',
        'the file must be a PDF, JPEG or PNG',
      );
  }
  return { reference, signedOn, file, fileType };
}

/** asActor with the department setting row-level security reads for a department officer. */
export function asDelegatedActor<T>(
  db: Database,
  actor: Actor,
  requestId: string | undefined,
  fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  return asActor(db, actor, requestId, async (tx) => {
    if (actor.role === 'departmentOfficer')
      await tx.query("SELECT set_config('doudi.department', $1, true)", [actor.department ?? '-']);
    return fn(tx);
  });
}

export function sourceLabel(source: string) {
  const spec = findSource(source);
  return { label: spec?.label ?? source, labelEn: spec?.labelEn ?? source };
}
