/**
 * Resident sign-in by phone (issue 6 item 1). Asking for a code answers the same for every phone
 * (known or not), so the endpoint tells nobody who is registered; the code goes out through the
 * sender either way. Checking a code: five tries per code, ten wrong codes per phone per hour, a code
 * used once. The first sign-in links the phone to a registered person: the ID number typed must be a
 * live person whose registered phone is this phone; the error is the same whether the phone or the ID
 * number is unknown. Everything runs as the platform (nobody is signed in yet) and is audited.
 */
import { randomUUID } from 'node:crypto';
import { checkIdNumber } from '@doudi/rules';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { asSystem } from '../../db/scope.ts';
import { AppError, errors } from '../../http/errors.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { actorFromRow } from '../auth/auth.service.ts';
import * as sessions from '../auth/sessions.repo.ts';
import {
  MOBILE,
  normaliseIdNumber,
  normalisePhone,
  type PersonalDataCipher,
} from '../registry/personalData.crypto.ts';
import * as users from '../users/users.repo.ts';
import { newCode, OTP_RULES, type OtpHasher, type OtpSender } from './otp.ts';
import * as repo from './residents.repo.ts';

export interface ResidentLoginDeps {
  db: Database;
  config: Config;
  cipher: PersonalDataCipher;
  hasher: OtpHasher;
  sender: OtpSender;
}

const tooMany = (zh: string, en: string) => new AppError(429, 'TOO_MANY_REQUESTS', zh, en);

const invalidCode = () =>
  new AppError(400, 'OTP_INVALID', '验证码不正确或已失效，请核对或重新获取', 'wrong or expired code', 'code');

function mobile(value: string): string {
  const phone = normalisePhone(value);
  if (!MOBILE.test(phone))
    throw errors.validation(
      'phone',
      '请输入11位手机号码（以1开头）',
      'an 11-digit mobile number is required',
    );
  return phone;
}

export async function requestCode(
  deps: ResidentLoginDeps,
  input: { phone: string; clientIp: string; requestId: string },
) {
  const phone = mobile(input.phone);
  const phoneIndex = deps.cipher.blindIndex('phone', phone);
  const challengeId = randomUUID();
  const code = newCode();
  await asSystem(deps.db, async (tx) => {
    const n = await repo.requestCounts(tx, phoneIndex, input.clientIp, OTP_RULES.resendSeconds);
    if (n.phone_recent > 0)
      throw tooMany(
        `验证码已发送，请${OTP_RULES.resendSeconds}秒后再重新获取`,
        `wait ${OTP_RULES.resendSeconds} s before asking again`,
      );
    if (n.phone_hour >= OTP_RULES.perPhonePerHour || n.ip_hour >= OTP_RULES.perIpPerHour)
      throw tooMany('获取验证码过于频繁，请一小时后再试', 'too many codes requested; try in an hour');
    await repo.insertChallenge(tx, {
      id: challengeId,
      phoneIndex,
      codeHash: deps.hasher.hash(challengeId, code),
      minutes: OTP_RULES.codeMinutes,
      clientIp: input.clientIp.slice(0, 100),
    });
  });
  await deps.sender.send({ phone, code, expiresInMinutes: OTP_RULES.codeMinutes });
  return {
    sent: true,
    expiresInSeconds: OTP_RULES.codeMinutes * 60,
    resendAfterSeconds: OTP_RULES.resendSeconds,
  };
}

type Outcome =
  | { kind: 'signedIn'; userId: string; linked: boolean }
  | { kind: 'needsIdNumber' }
  | { kind: 'failed'; error: AppError };

export async function verifyCode(
  deps: ResidentLoginDeps,
  input: {
    phone: string;
    code: string;
    idNumber?: string | undefined;
    clientIp: string;
    userAgent: string;
    requestId: string;
  },
) {
  const phone = mobile(input.phone);
  if (!/^\d{6}$/.test(input.code)) throw errors.validation('code', '验证码为6位数字', 'the code is 6 digits');
  let idNumberIndex: Buffer | undefined;
  if (input.idNumber?.trim()) {
    const id = normaliseIdNumber(input.idNumber);
    if (!checkIdNumber(id).valid)
      throw errors.validation('idNumber', '身份证号码格式或校验位不正确', 'malformed ID number');
    idNumberIndex = deps.cipher.blindIndex('idNumber', id);
  }
  const phoneIndex = deps.cipher.blindIndex('phone', phone);
  const audit = { entityType: 'residentSignIn', requestId: input.requestId, actorRole: 'resident' };

  // Failures are written (attempt counts) in their own committed transaction before the error leaves.
  const outcome: Outcome = await asSystem(deps.db, async (tx) => {
    const n = await repo.requestCounts(tx, phoneIndex, input.clientIp, 0);
    if (n.failures >= OTP_RULES.failuresPerPhonePerHour)
      return {
        kind: 'failed',
        error: tooMany('验证码错误次数过多，请一小时后再试', 'too many wrong codes; try in an hour'),
      };
    const challenge = await repo.latestChallenge(tx, phoneIndex);
    if (!challenge || challenge.expired) return { kind: 'failed', error: invalidCode() };
    if (challenge.attempts >= OTP_RULES.maxAttempts)
      return {
        kind: 'failed',
        error: tooMany('验证码错误次数过多，请重新获取验证码', 'too many tries; ask for a new code'),
      };
    if (!deps.hasher.matches(challenge.id, input.code, challenge.code_hash)) {
      await repo.countFailure(tx, challenge.id);
      await appendAudit(tx, { ...audit, action: 'resident.otpFailed', after: { clientIp: input.clientIp } });
      return { kind: 'failed', error: invalidCode() };
    }
    const accounts = (await repo.accountsByPhone(tx, phoneIndex)).filter((a) => !a.disabled);
    const chosen =
      idNumberIndex !== undefined
        ? accounts.find((a) => Buffer.from(a.id_number_index).equals(idNumberIndex as Buffer))
        : accounts.length === 1
          ? accounts[0]
          : undefined;
    if (chosen) {
      await repo.consume(tx, challenge.id);
      return { kind: 'signedIn', userId: chosen.user_id, linked: false };
    }
    // The code is right; the phone has no account yet (or several family members share it). The
    // code stays valid for the second step, where the ID number is asked for.
    if (idNumberIndex === undefined) return { kind: 'needsIdNumber' };
    const person = await repo.personByIdAndPhone(tx, idNumberIndex, phoneIndex);
    if (!person) {
      // Each wrong ID number costs a try, so one code cannot be used to probe ID numbers.
      await repo.countFailure(tx, challenge.id);
      await appendAudit(tx, { ...audit, action: 'resident.linkFailed', after: { clientIp: input.clientIp } });
      return {
        kind: 'failed',
        error: new AppError(
          400,
          'IDENTITY_NOT_MATCHED',
          '身份证号码与登记的手机号码不一致。请到村（社区）或乡镇窗口登记或更正手机号码',
          'the ID number does not match the phone on record',
          'idNumber',
        ),
      };
    }
    const userId = await repo.createResidentUser(tx, person, phoneIndex);
    await repo.consume(tx, challenge.id);
    await appendAudit(tx, {
      ...audit,
      action: 'resident.linked',
      entityType: 'user',
      entityId: userId,
      regionCode: person.region_code,
      actorId: userId,
      after: { personId: person.id, how: 'phoneAndIdNumber' },
    });
    return { kind: 'signedIn', userId, linked: true };
  });
  if (outcome.kind === 'failed') throw outcome.error;
  if (outcome.kind === 'needsIdNumber') return { status: 'needsIdNumber' as const };

  const { token, tokenHash } = sessions.newSessionToken();
  const actor = await asSystem(deps.db, async (tx) => {
    const user = await users.findUserById(tx, outcome.userId);
    if (!user || user.disabled) throw errors.unauthenticated();
    await sessions.insertSession(tx, {
      tokenHash,
      userId: user.id,
      hours: deps.config.sessionAbsoluteHours,
      clientIp: input.clientIp,
      userAgent: input.userAgent,
    });
    await appendAudit(tx, {
      ...audit,
      action: 'auth.login',
      entityType: 'user',
      entityId: user.id,
      regionCode: user.region_code,
      actorId: user.id,
      after: { clientIp: input.clientIp, method: 'phoneCode' },
    });
    return actorFromRow(user);
  });
  return { status: 'signedIn' as const, token, actor, linked: outcome.linked };
}
