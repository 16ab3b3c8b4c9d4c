/**
 * Public routes of the self-check (救助助手): no login. POST still carries the CSRF header like
 * every write (the page fetches a token first), and has its own, stricter per-address rate limit
 * because each call evaluates the whole catalogue.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/database.ts';
import { errorResponses, RegionCode } from '../../http/schemas.ts';
import { SelfCheckRequest } from './selfCheck.schemas.ts';
import { publicRegions, selfCheck } from './selfCheck.service.ts';

const tooMany = { 413: Type.Ref('ErrorResponse'), 429: Type.Ref('ErrorResponse') };

export const selfCheckRoutes =
  (db: Database, options: { rateLimit: number }): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/api/public/self-check',
      {
        // The request describes a family's health and money: keep it out of the request log.
        logLevel: 'warn',
        // 15 members with every field fit in a few kilobytes.
        bodyLimit: 64 * 1024,
        config: { rateLimit: { max: options.rateLimit, timeWindow: '1 minute' } },
        schema: {
          tags: ['public'],
          summary: '救助助手：按填写的家庭情况测算可能符合的救助（无需登录，不保存任何内容）',
          body: SelfCheckRequest,
          response: { 200: Type.Ref('SelfCheckResponse'), ...errorResponses, ...tooMany },
        },
      },
      async (request) => selfCheck(db, request.body),
    );

    app.get(
      '/api/public/regions',
      {
        schema: {
          tags: ['public'],
          summary: '救助助手选地址：本平台服务的县（无需登录）',
          response: { 200: Type.Array(Type.Ref('PublicRegion')), ...errorResponses, 429: tooMany[429] },
        },
      },
      async () => publicRegions(db),
    );

    app.get(
      '/api/public/regions/:code/children',
      {
        schema: {
          tags: ['public'],
          summary: '救助助手选地址：县下的乡镇、乡镇下的村（社区）（无需登录）',
          params: Type.Object({ code: RegionCode }),
          response: { 200: Type.Array(Type.Ref('PublicRegion')), ...errorResponses, 429: tooMany[429] },
        },
      },
      async (request) => publicRegions(db, request.params.code),
    );
  };
