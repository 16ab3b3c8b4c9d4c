import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { errorResponses, Ok } from '../../http/schemas.ts';
import { actorOf, SESSION_COOKIE, sessionCookieOptions } from '../../http/session.ts';
import { Roles } from '../access/permissions.ts';
import { getAccount } from '../users/users.service.ts';
import { changePassword, login, logout } from './auth.service.ts';

export const Account = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    displayName: Type.String(),
    role: Type.Union(Roles.map((r) => Type.Literal(r))),
    department: Type.Union([Type.Ref('Department'), Type.Null()]),
    regionCode: Type.String(),
    regionName: Type.String(),
    disabled: Type.Boolean(),
    locked: Type.Boolean(),
    createdAt: Type.String(),
    permissions: Type.Array(Type.String()),
  },
  { $id: 'Account' },
);

export const authRoutes =
  (db: Database, config: Config): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/auth/csrf',
      {
        schema: {
          tags: ['auth'],
          summary: '取得 CSRF 令牌（每个修改请求都要放在 x-csrf-token 请求头中）',
          response: { 200: Type.Object({ token: Type.String() }) },
        },
      },
      async (_request, reply) => ({ token: reply.generateCsrf() }),
    );

    app.post(
      '/api/auth/login',
      {
        config: { rateLimit: { max: config.loginRateLimit, timeWindow: '1 minute' } },
        schema: {
          tags: ['auth'],
          summary: '用户名密码登录',
          body: Type.Object(
            {
              username: Type.String({ minLength: 1, maxLength: 64 }),
              password: Type.String({ minLength: 1, maxLength: 128 }),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Ref('Account'), ...errorResponses, 423: Type.Ref('ErrorResponse') },
        },
      },
      async (request, reply) => {
        const { token, actor } = await login(db, config, {
          ...request.body,
          clientIp: request.ip,
          userAgent: request.headers['user-agent'] ?? '',
          requestId: request.id,
        });
        reply.setCookie(SESSION_COOKIE, token, sessionCookieOptions(config));
        return getAccount(db, actor, request.id);
      },
    );

    app.post(
      '/api/auth/logout',
      { schema: { tags: ['auth'], summary: '退出登录', response: { 200: Ok, ...errorResponses } } },
      async (request, reply) => {
        const actor = actorOf(request);
        if (actor && request.sessionToken) await logout(db, actor, request.sessionToken, request.id);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return { ok: true };
      },
    );

    app.get(
      '/api/account',
      {
        schema: {
          tags: ['account'],
          summary: '当前登录用户',
          response: { 200: Type.Ref('Account'), ...errorResponses },
        },
      },
      async (request) => getAccount(db, actorOf(request), request.id),
    );

    app.post(
      '/api/account/password',
      {
        schema: {
          tags: ['account'],
          summary: '修改密码（其他设备上的登录随之失效）',
          body: Type.Object(
            {
              currentPassword: Type.String({ minLength: 1, maxLength: 128 }),
              newPassword: Type.String({ minLength: 1, maxLength: 128 }),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ otherSessionsEnded: Type.Integer() }), ...errorResponses },
        },
      },
      async (request) =>
        changePassword(db, actorOf(request), {
          ...request.body,
          token: request.sessionToken ?? '',
          requestId: request.id,
        }),
    );
  };
