import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/database.ts';

/** Liveness (the process answers) and readiness (the database answers and is migrated). */
export const healthRoutes =
  (db: Database, state: { closing: boolean }, environment: string): FastifyPluginAsyncTypebox =>
  async (app) => {
    // What the sign-in page may say before anyone is known: demo accounts exist only outside production.
    app.get(
      '/api/meta',
      {
        schema: {
          tags: ['operations'],
          summary: '平台信息（登录页用）：版本、是否演示环境',
          response: { 200: Type.Object({ version: Type.String(), demo: Type.Boolean() }) },
        },
      },
      async () => ({ version: '0.1.0', demo: environment !== 'production' }),
    );
    app.get(
      '/healthz',
      {
        schema: {
          tags: ['operations'],
          summary: '存活检查',
          response: { 200: Type.Object({ status: Type.String() }) },
        },
      },
      async () => ({ status: 'ok' }),
    );
    app.get(
      '/readyz',
      {
        schema: {
          tags: ['operations'],
          summary: '就绪检查：数据库可用且已迁移',
          response: {
            200: Type.Object({
              status: Type.String(),
              database: Type.String(),
              schemaVersion: Type.Integer(),
            }),
            503: Type.Object({ status: Type.String(), reason: Type.String() }),
          },
        },
      },
      async (_request, reply) => {
        if (state.closing) return reply.status(503).send({ status: 'closing', reason: '服务正在停止' });
        try {
          const result = await db.query<{ version: number }>(
            'SELECT max(version)::int AS version FROM schema_migration',
          );
          return { status: 'ready', database: db.engine, schemaVersion: result.rows[0]?.version ?? 0 };
        } catch (error) {
          return reply.status(503).send({ status: 'unavailable', reason: (error as Error).message });
        }
      },
    );
  };
