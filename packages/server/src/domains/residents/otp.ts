/**
 * One-time sign-in codes for residents: six random digits, stored only as an HMAC (a key derived from
 * DOUDI_DATA_KEY, so a copy of the database alone cannot test guesses), compared in constant time, sent
 * through a pluggable sender. The development sender writes the code to the log (and, outside
 * production, to DOUDI_DEV_SMS_FILE when set, so browser tests can read it); an SMS gateway implements
 * `OtpSender`.
 */

import { createHmac, hkdfSync, randomInt, timingSafeEqual } from 'node:crypto';
import { appendFileSync } from 'node:fs';

export interface OtpMessage {
  /** Normalised mobile number, e.g. 13812345678. */
  phone: string;
  code: string;
  expiresInMinutes: number;
}

export interface OtpSender {
  readonly channel: string;
  send(message: OtpMessage): Promise<void>;
}

export interface OtpLogger {
  warn(object: object, message: string): void;
}

/** Writes codes to the log: development and tests only (never in production). */
export class DevelopmentOtpSender implements OtpSender {
  readonly channel = 'development';
  constructor(
    private readonly log: OtpLogger,
    private readonly file?: string,
  ) {}
  async send(message: OtpMessage): Promise<void> {
    this.log.warn({ phone: message.phone, code: message.code }, '开发环境短信：登录验证码');
    if (this.file) appendFileSync(this.file, `${message.phone} ${message.code}\n`);
  }
}

/** Policy numbers in one place: the tests and the README quote them. */
export const OTP_RULES = {
  codeMinutes: 5,
  maxAttempts: 5,
  /** A new code for the same phone no sooner than this. */
  resendSeconds: 60,
  perPhonePerHour: 5,
  perIpPerHour: 20,
  /** Wrong codes (all challenges) per phone per hour before the phone is refused for the hour. */
  failuresPerPhonePerHour: 10,
} as const;

export function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export class OtpHasher {
  private readonly key: Buffer;
  constructor(dataKeyHex: string) {
    this.key = Buffer.from(
      hkdfSync('sha256', Buffer.from(dataKeyHex, 'hex'), 'doudi-otp', 'doudi/resident-otp/v1', 32),
    );
  }
  /** Bound to the challenge, so one code's hash says nothing about another challenge. */
  hash(challengeId: string, code: string): Buffer {
    return createHmac('sha256', this.key).update(`${challengeId}\u001f${code}`).digest();
  }
  matches(challengeId: string, code: string, stored: Uint8Array): boolean {
    const given = this.hash(challengeId, code);
    return stored.length === given.length && timingSafeEqual(given, Buffer.from(stored));
  }
}
