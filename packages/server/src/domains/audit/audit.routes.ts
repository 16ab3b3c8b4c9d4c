import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/database.ts';
import { errorResponses } from '../../http/schemas.ts';
import { actorOf } from '../../http/session.ts';
import { readAuditTrail, verifyAuditTrail } from './audit.service.ts';

const AuditEntry = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorRole: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.Union([Type.String(), Type.Null()]),
  regionCode: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  requestId: Type.Union([Type.String(), Type.Null()]),
  hash: Type.String(),
});

export const auditRoutes =
  (db: Database): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/audit',
      {
        schema: {
          tags: ['audit'],
          summary: '审计记录（本辖区，最新在前）',
          querystring: Type.Object({
            entityType: Type.Optional(Type.String({ maxLength: 50 })),
            entityId: Type.Optional(Type.String({ maxLength: 100 })),
            beforeSeq: Type.Optional(Type.Integer({ minimum: 1 })),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
          }),
          response: { 200: Type.Array(AuditEntry), ...errorResponses },
        },
      },
      async (request) => readAuditTrail(db, actorOf(request), request.query as never, request.id),
    );

    app.post(
      '/api/audit/verify',
      {
        schema: {
          tags: ['audit'],
          summary: '校验审计链，指出第一条被改动的记录',
          response: {
            200: Type.Object({
              ok: Type.Boolean(),
              rowsChecked: Type.Integer(),
              firstBrokenSeq: Type.Optional(Type.Integer()),
              problem: Type.Optional(Type.String()),
              message: Type.String(),
              messageEn: Type.String(),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => verifyAuditTrail(db, actorOf(request), request.id),
    );
  };
