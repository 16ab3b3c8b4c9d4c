/**
 * Resolves the session cookie on every API request and checks the CSRF token on every
 * request that changes something. Routes read the actor with `actorOf(request)`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { Actor } from '../domains/access/permissions.ts';
import { resolveSession } from '../domains/auth/auth.service.ts';
import { AppError } from './errors.ts';

export const SESSION_COOKIE = 'doudi_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
    sessionToken?: string;
    authError?: AppError;
  }
}

/** The signed-in actor, or undefined; a forged or expired cookie surfaces as its own error. */
export function actorOf(request: FastifyRequest): Actor | undefined {
  if (!request.actor && request.authError) throw request.authError;
  return request.actor;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function installSession(app: FastifyInstance, db: Database, config: Config): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      try {
        request.actor = await resolveSession(db, config, token);
        request.sessionToken = token;
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        request.authError = error;
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
      }
    }
    // Department pushes authenticate with an API key, not a cookie, so there is no session to forge.
    const keyPush = request.url.startsWith('/api/sources/push/') && !token;
    if (UNSAFE.has(request.method) && !keyPush) {
      await new Promise<void>((resolve, reject) => {
        app.csrfProtection(request, reply, (error?: Error) => (error ? reject(error) : resolve()));
      });
    }
  });
}

export function sessionCookieOptions(config: Config) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: config.secureCookies,
    maxAge: config.sessionAbsoluteHours * 3600,
  };
}
