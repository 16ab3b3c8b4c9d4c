/**
 * Personal data at rest: AES-256-GCM for ID numbers and phones, HMAC-SHA256 blind indexes for
 * exact search and uniqueness, masks for display. Both keys come from `config.dataKey` through
 * HKDF-SHA256 with separate labels, so the index key cannot decrypt and the encryption key
 * cannot be used to guess indexes.
 *
 * Ciphertext layout: version byte (1) | IV (12) | tag (16) | ciphertext. The field name is the
 * additional authenticated data, so an ID-number ciphertext pasted into the phone column fails.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  type KeyObject,
  randomFillSync,
} from 'node:crypto';

export type PersonalField = 'idNumber' | 'phone';

const VERSION = 1;

export class PersonalDataCipher {
  private readonly encryptionKey: KeyObject;
  private readonly indexKey: KeyObject;
  /** Random IVs drawn from the CSPRNG 4,096 at a time (each used once): halves the cost per value. */
  private readonly ivPool = Buffer.alloc(12 * 4096);
  private ivAt = this.ivPool.length;

  constructor(dataKeyHex: string) {
    if (!/^[0-9a-fA-F]{64}$/.test(dataKeyHex)) {
      throw new Error('DOUDI_DATA_KEY 必须是 64 位十六进制（32 字节）');
    }
    const master = Buffer.from(dataKeyHex, 'hex');
    const derive = (label: string) =>
      createSecretKey(Buffer.from(hkdfSync('sha256', master, 'doudi-personal-data', label, 32)));
    this.encryptionKey = derive('doudi/personal-data/aes-256-gcm/v1');
    this.indexKey = derive('doudi/personal-data/blind-index/v1');
  }

  private nextIv(): Buffer {
    if (this.ivAt >= this.ivPool.length) {
      randomFillSync(this.ivPool);
      this.ivAt = 0;
    }
    const iv = this.ivPool.subarray(this.ivAt, this.ivAt + 12);
    this.ivAt += 12;
    return iv;
  }

  encrypt(field: PersonalField, plaintext: string): Buffer {
    const iv = this.nextIv();
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    cipher.setAAD(Buffer.from(field));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  decrypt(field: PersonalField, data: Uint8Array): string {
    const buffer = Buffer.from(data);
    if (buffer[0] !== VERSION) throw new Error('unknown personal-data ciphertext version');
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, buffer.subarray(1, 13));
    decipher.setAAD(Buffer.from(field));
    decipher.setAuthTag(buffer.subarray(13, 29));
    return Buffer.concat([decipher.update(buffer.subarray(29)), decipher.final()]).toString('utf8');
  }

  /** Deterministic: the same normalised value always gives the same 32 bytes. */
  blindIndex(field: PersonalField, normalised: string): Buffer {
    return createHmac('sha256', this.indexKey).update(`${field}\u001f${normalised}`).digest();
  }
}

const cache = new Map<string, PersonalDataCipher>();

/** One cipher per key for the life of the process (HKDF runs once). */
export function cipherFor(dataKeyHex: string): PersonalDataCipher {
  let cipher = cache.get(dataKeyHex);
  if (!cipher) {
    cipher = new PersonalDataCipher(dataKeyHex);
    cache.set(dataKeyHex, cipher);
  }
  return cipher;
}

export function normaliseIdNumber(value: string): string {
  return value.trim().toUpperCase();
}

/** Digits only (spaces, dashes and brackets dropped); a leading +86 or 86 on a mobile is dropped. */
export function normalisePhone(value: string): string {
  let digits = value.replace(/[\s()（）-]/g, '');
  if (/^\+?86(1\d{10})$/.test(digits)) digits = digits.replace(/^\+?86/, '');
  return digits;
}

export const MOBILE = /^1[3-9]\d{9}$/;
export const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;

export function phoneProblem(normalised: string): string | undefined {
  if (MOBILE.test(normalised) || LANDLINE.test(normalised)) return undefined;
  if (/^1\d*$/.test(normalised)) return `手机号码应为以1开头的11位数字，实际为${normalised.length}位`;
  return '联系电话应为11位手机号码，或带区号的固定电话（如 0712-4567890）';
}

export { maskIdNumber } from '@doudi/rules';

/** 138****5678 for a mobile; area code + **** + last four for a landline. */
export function maskPhone(normalised: string): string {
  if (MOBILE.test(normalised)) return `${normalised.slice(0, 3)}****${normalised.slice(-4)}`;
  const digits = normalised.replace('-', '');
  const area = digits.startsWith('01') || digits.startsWith('02') ? 3 : 4;
  return `${digits.slice(0, area)}-****${digits.slice(-4)}`;
}

/** 户号 shown outside the caller's scope: only the last four characters. */
export function maskHouseholdNumber(value: string): string {
  return value.length <= 4 ? '****' : `${'*'.repeat(Math.min(value.length - 4, 8))}${value.slice(-4)}`;
}
