/** SQL of resident sign-in and accounts. Challenges are platform-only rows (asSystem). */
import type { Queryable } from '../../db/database.ts';

export interface ChallengeRow {
  id: string;
  code_hash: Uint8Array;
  expired: boolean;
  attempts: number;
}

export async function requestCounts(
  tx: Queryable,
  phoneIndex: Buffer,
  clientIp: string,
  resendSeconds: number,
) {
  const r = await tx.query<{ phone_hour: number; phone_recent: number; ip_hour: number; failures: number }>(
    `SELECT
       (SELECT count(*)::int FROM resident_otp_challenge
         WHERE phone_index = $1 AND created_at > now() - interval '1 hour') AS phone_hour,
       (SELECT count(*)::int FROM resident_otp_challenge
         WHERE phone_index = $1 AND created_at > now() - make_interval(secs => $3)) AS phone_recent,
       (SELECT count(*)::int FROM resident_otp_challenge
         WHERE client_ip = $2 AND created_at > now() - interval '1 hour') AS ip_hour,
       (SELECT coalesce(sum(attempts), 0)::int FROM resident_otp_challenge
         WHERE phone_index = $1 AND created_at > now() - interval '1 hour') AS failures`,
    [phoneIndex, clientIp, resendSeconds],
  );
  return r.rows[0] as { phone_hour: number; phone_recent: number; ip_hour: number; failures: number };
}

export async function insertChallenge(
  tx: Queryable,
  c: { id: string; phoneIndex: Buffer; codeHash: Buffer; minutes: number; clientIp: string },
) {
  // A new code replaces every earlier one for the phone; a day-old challenge no limit counts is dropped.
  await tx.query(
    'UPDATE resident_otp_challenge SET consumed_at = now() WHERE phone_index = $1 AND consumed_at IS NULL',
    [c.phoneIndex],
  );
  await tx.query(
    `DELETE FROM resident_otp_challenge WHERE phone_index = $1 AND created_at < now() - interval '1 day'`,
    [c.phoneIndex],
  );
  await tx.query(
    `INSERT INTO resident_otp_challenge (id, phone_index, code_hash, expires_at, client_ip)
     VALUES ($1, $2, $3, now() + make_interval(mins => $4), $5)`,
    [c.id, c.phoneIndex, c.codeHash, c.minutes, c.clientIp],
  );
}

export async function latestChallenge(tx: Queryable, phoneIndex: Buffer): Promise<ChallengeRow | undefined> {
  const r = await tx.query<ChallengeRow>(
    `SELECT id, code_hash, expires_at <= now() AS expired, attempts FROM resident_otp_challenge
      WHERE phone_index = $1 AND consumed_at IS NULL ORDER BY created_at DESC LIMIT 1 FOR UPDATE`,
    [phoneIndex],
  );
  return r.rows[0];
}

export async function countFailure(tx: Queryable, id: string) {
  await tx.query('UPDATE resident_otp_challenge SET attempts = attempts + 1 WHERE id = $1', [id]);
}

export async function consume(tx: Queryable, id: string) {
  await tx.query('UPDATE resident_otp_challenge SET consumed_at = now() WHERE id = $1', [id]);
}

export interface AccountRow {
  user_id: string;
  person_id: string;
  disabled: boolean;
  id_number_index: Uint8Array;
}

export async function accountsByPhone(tx: Queryable, phoneIndex: Buffer): Promise<AccountRow[]> {
  const r = await tx.query<AccountRow>(
    `SELECT a.user_id, a.person_id, u.disabled, p.id_number_index
       FROM resident_account a JOIN app_user u ON u.id = a.user_id JOIN person p ON p.id = a.person_id
      WHERE a.phone_index = $1`,
    [phoneIndex],
  );
  return r.rows;
}

/** A live registered person with this ID number whose registered phone is this phone. */
export async function personByIdAndPhone(tx: Queryable, idNumberIndex: Buffer, phoneIndex: Buffer) {
  const r = await tx.query<{ id: string; name: string; region_code: string }>(
    `SELECT p.id, p.name, h.region_code FROM person p JOIN household h ON h.id = p.household_id
      WHERE p.id_number_index = $1 AND p.phone_index = $2 AND p.merged_into IS NULL AND p.death_date IS NULL`,
    [idNumberIndex, phoneIndex],
  );
  return r.rows[0];
}

export async function createResidentUser(
  tx: Queryable,
  person: { id: string; name: string; region_code: string },
  phoneIndex: Buffer,
): Promise<string> {
  const existing = await tx.query<{ user_id: string }>(
    'SELECT user_id FROM resident_account WHERE person_id = $1',
    [person.id],
  );
  if (existing.rows[0]) return existing.rows[0].user_id;
  // No password ever signs in to this account: the hash is not an Argon2 string, so every try fails.
  const user = await tx.query<{ id: string }>(
    `INSERT INTO app_user (username, display_name, role, region_code, password_hash)
     VALUES ('resident.' || replace($1::text, '-', ''), $2, 'resident', $3, '!phone-sign-in-only') RETURNING id`,
    [person.id, person.name, person.region_code],
  );
  const userId = (user.rows[0] as { id: string }).id;
  await tx.query(
    `INSERT INTO resident_account (user_id, person_id, phone_index, region_code, linked_how)
     VALUES ($1, $2, $3, $4, 'phoneAndIdNumber')`,
    [userId, person.id, phoneIndex, person.region_code],
  );
  return userId;
}

/**
 * The household the signed-in resident belongs to now (through their registered person), or
 * undefined for a resident account not linked to a person. Runs under the resident's scope.
 */
export async function residentHousehold(tx: Queryable, userId: string) {
  const r = await tx.query<{ person_id: string; household_id: string; region_code: string }>(
    `SELECT p.id AS person_id, p.household_id, h.region_code
       FROM resident_account a JOIN person p ON p.id = a.person_id JOIN household h ON h.id = p.household_id
      WHERE a.user_id = $1 AND p.merged_into IS NULL`,
    [userId],
  );
  return r.rows[0];
}
