/** Server-side sessions. The cookie holds a random token; the table holds only its SHA-256. */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../../db/database.ts';
import type { UserRow } from '../users/users.repo.ts';

export function newSessionToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function insertSession(
  tx: Queryable,
  session: { tokenHash: string; userId: string; hours: number; clientIp: string; userAgent: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO app_session (token_hash, user_id, expires_at, client_ip, user_agent)
     VALUES ($1, $2, now() + make_interval(hours => $3), $4, $5)`,
    [session.tokenHash, session.userId, session.hours, session.clientIp, session.userAgent.slice(0, 300)],
  );
}

export interface SessionUserRow extends Partial<UserRow> {
  expired: boolean;
}

/**
 * The session and its user in one statement, outside any transaction: every request starts here,
 * and one round trip instead of four (BEGIN, session, user, COMMIT) is a tenth of a small request's
 * cost. Marks the session seen at most once a minute in the same statement (a data-modifying CTE runs
 * whether or not the outer query reads it). Undefined when there is no such session; the user's
 * columns are absent when the account was deleted.
 */
export async function findSessionUser(
  db: Queryable,
  tokenHash: string,
  idleMinutes: number,
): Promise<SessionUserRow | undefined> {
  const result = await db.query<SessionUserRow>(
    `WITH s AS (
       SELECT user_id,
              (expires_at < now() OR last_seen_at < now() - make_interval(mins => $2)) AS expired,
              (last_seen_at < now() - interval '1 minute') AS touch
         FROM app_session WHERE token_hash = $1),
     seen AS (
       UPDATE app_session SET last_seen_at = now()
        WHERE token_hash = $1 AND EXISTS (SELECT 1 FROM s WHERE touch AND NOT expired))
     SELECT s.expired, u.*, r.name AS region_name
       FROM s LEFT JOIN app_user u ON u.id = s.user_id LEFT JOIN region r ON r.code = u.region_code`,
    [tokenHash, idleMinutes],
  );
  return result.rows[0];
}

export async function deleteSession(tx: Queryable, tokenHash: string): Promise<void> {
  await tx.query('DELETE FROM app_session WHERE token_hash = $1', [tokenHash]);
}

export async function deleteOtherSessions(
  tx: Queryable,
  userId: string,
  keepTokenHash: string,
): Promise<number> {
  const result = await tx.query('DELETE FROM app_session WHERE user_id = $1 AND token_hash <> $2', [
    userId,
    keepTokenHash,
  ]);
  return result.rowCount;
}

export async function deleteExpiredSessions(tx: Queryable): Promise<number> {
  const result = await tx.query('DELETE FROM app_session WHERE expires_at < now()');
  return result.rowCount;
}
