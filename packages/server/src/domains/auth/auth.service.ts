/**
 * Signing in and out, sessions, password change. Login runs as the system (nobody is known
 * yet); everything after it runs as the signed-in actor.
 */
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { asActor, asSystem } from '../../db/scope.ts';
import { AppError, errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import * as users from '../users/users.repo.ts';
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from './password.ts';
import * as sessions from './sessions.repo.ts';

export interface LoginInput {
  username: string;
  password: string;
  clientIp: string;
  userAgent: string;
  requestId: string;
}

export function actorFromRow(row: users.UserRow): Actor {
  return {
    userId: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    department: row.department,
    regionCode: row.region_code,
  };
}

const badCredentials = () =>
  new AppError(401, 'BAD_CREDENTIALS', '用户名或密码错误', 'wrong username or password', 'password');

export async function login(
  db: Database,
  config: Config,
  input: LoginInput,
): Promise<{ token: string; actor: Actor }> {
  const user = await asSystem(db, (tx) => users.findUserByUsername(tx, input.username));
  if (!user) {
    await verifyPassword(await decoyHash(), input.password);
    throw badCredentials();
  }
  if (user.disabled)
    throw new AppError(403, 'ACCOUNT_DISABLED', '账户已停用，请联系管理员', 'account disabled');
  if (user.locked_until && user.locked_until > new Date()) {
    const minutes = Math.ceil((user.locked_until.getTime() - Date.now()) / 60_000);
    throw new AppError(
      423,
      'ACCOUNT_LOCKED',
      `连续登录失败次数过多，账户已锁定，请 ${minutes} 分钟后再试`,
      `too many failed sign-ins; try again in ${minutes} minutes`,
    );
  }
  const audit = {
    entityType: 'user',
    entityId: user.id,
    regionCode: user.region_code,
    actorId: user.id,
    actorRole: user.role,
    requestId: input.requestId,
  };
  if (!(await verifyPassword(user.password_hash, input.password))) {
    await asSystem(db, async (tx) => {
      const state = await users.recordFailedLogin(
        tx,
        user.id,
        config.lockoutThreshold,
        config.lockoutMinutes,
      );
      await appendAudit(tx, {
        ...audit,
        action: state.locked_until ? 'auth.locked' : 'auth.loginFailed',
        after: { clientIp: input.clientIp },
      });
    });
    throw badCredentials();
  }
  const { token, tokenHash } = sessions.newSessionToken();
  await asSystem(db, async (tx) => {
    await users.clearFailedLogins(tx, user.id);
    await sessions.insertSession(tx, {
      tokenHash,
      userId: user.id,
      hours: config.sessionAbsoluteHours,
      clientIp: input.clientIp,
      userAgent: input.userAgent,
    });
    await appendAudit(tx, { ...audit, action: 'auth.login', after: { clientIp: input.clientIp } });
  });
  return { token, actor: actorFromRow(user) };
}

/** Resolves a session cookie to its actor; throws 401 when forged, ended or expired. */
export async function resolveSession(db: Database, config: Config, token: string): Promise<Actor> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw errors.unauthenticated();
  const tokenHash = sessions.hashToken(token);
  const row = await sessions.findSessionUser(db, tokenHash, config.sessionIdleMinutes);
  if (!row) throw errors.unauthenticated();
  if (row.expired) {
    await sessions.deleteSession(db, tokenHash);
    throw errors.sessionExpired();
  }
  if (!row.id || row.disabled) throw errors.unauthenticated();
  return actorFromRow(row as users.UserRow);
}

export async function logout(db: Database, actor: Actor, token: string, requestId: string): Promise<void> {
  await asSystem(db, async (tx) => {
    await sessions.deleteSession(tx, sessions.hashToken(token));
    await appendAudit(tx, {
      action: 'auth.logout',
      entityType: 'user',
      entityId: actor.userId,
      regionCode: actor.regionCode,
      actorId: actor.userId,
      actorRole: actor.role,
      requestId,
    });
  });
}

export async function changePassword(
  db: Database,
  actor: Actor | undefined,
  input: { currentPassword: string; newPassword: string; token: string; requestId: string },
): Promise<{ otherSessionsEnded: number }> {
  authorize(actor, Permission.accountChangePassword);
  const problem = passwordProblem(input.newPassword, actor.username);
  if (problem) throw errors.validation('newPassword', problem, 'password too weak');
  const newHash = await hashPassword(input.newPassword);
  return asActor(db, actor, input.requestId, async (tx) => {
    const user = await users.findUserById(tx, actor.userId);
    if (!user) throw errors.unauthenticated();
    if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
      throw new AppError(
        400,
        'BAD_CREDENTIALS',
        '当前密码不正确',
        'current password is wrong',
        'currentPassword',
      );
    }
    await users.setPasswordHash(tx, actor.userId, newHash);
    await appendAudit(tx, {
      action: 'user.passwordChanged',
      entityType: 'user',
      entityId: actor.userId,
      regionCode: actor.regionCode,
      actorRole: actor.role,
    });
    return { otherSessionsEnded: 0 };
  }).then(async (result) => {
    // Sessions are system-owned rows; end every other session of this user once the new password is stored.
    const ended = await asSystem(db, (tx) =>
      sessions.deleteOtherSessions(tx, actor.userId, sessions.hashToken(input.token)),
    );
    return { ...result, otherSessionsEnded: ended };
  });
}
