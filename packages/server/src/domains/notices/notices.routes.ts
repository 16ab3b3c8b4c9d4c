import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../http/schemas.ts';
import { actorOf } from '../../http/session.ts';
import type { IntakeDeps } from '../intake/applications.service.ts';
import { registerNoticeHooks } from './notices.hooks.ts';
import { createNotice, getNotice, listNotices, objectToNotice } from './notices.service.ts';

const NoticeFields = {
  id: Type.String(),
  caseId: Type.Union([Type.String(), Type.Null()]),
  regionCode: Type.String(),
  regionName: Type.String(),
  policyId: Type.String(),
  headName: Type.String(),
  idNumberMasked: Type.String(),
  householdSize: Type.Integer(),
  proposedAmountFen: Type.Integer(),
  startsOn: Type.String(),
  endsOn: Type.String(),
  days: Type.Integer(),
  dayKind: Type.String(),
  status: Type.String(),
  objectionCount: Type.Integer(),
};
export const PublicNotice = Type.Object(NoticeFields, { $id: 'PublicNotice' });
export const PublicNoticeDetail = Type.Object(
  {
    ...NoticeFields,
    objections: Type.Array(
      Type.Object({
        id: Type.String(),
        reason: Type.String(),
        anonymous: Type.Boolean(),
        objectorName: Type.Union([Type.String(), Type.Null()]),
        createdAt: Type.String(),
      }),
    ),
  },
  { $id: 'PublicNoticeDetail' },
);
const ById = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const noticesRoutes =
  (deps: IntakeDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    registerNoticeHooks();
    app.post(
      '/api/notices',
      {
        schema: {
          tags: ['notices'],
          summary: '从案件的“公示”环节发布公示（姓名、脱敏身份证号、家庭人口、拟保障金额、起止日期）',
          body: Type.Object(
            {
              caseId: Type.String({ format: 'uuid' }),
              proposedAmountFen: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Ref('PublicNotice'), ...errorResponses },
        },
      },
      async (request) => createNotice(deps, actorOf(request), request.body, request.id),
    );
    app.get(
      '/api/notices',
      {
        schema: {
          tags: ['notices'],
          summary: '本辖区（居民：本村/社区）的公示',
          querystring: Type.Object({
            status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
            page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }),
            pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
          }),
          response: {
            200: Type.Object({
              items: Type.Array(Type.Ref('PublicNotice')),
              total: Type.Integer(),
              page: Type.Integer(),
              pageSize: Type.Integer(),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => listNotices(deps, actorOf(request), request.query, request.id),
    );
    app.get(
      '/api/notices/:id',
      {
        schema: {
          tags: ['notices'],
          summary: '一条公示；工作人员另见异议内容（匿名异议不显示提出人）',
          params: ById,
          response: { 200: Type.Ref('PublicNoticeDetail'), ...errorResponses },
        },
      },
      async (request) => getNotice(deps, actorOf(request), request.params.id, request.id),
    );
    app.post(
      '/api/notices/:id/objections',
      {
        schema: {
          tags: ['notices'],
          summary: '对公示提出异议（须写明理由，可匿名；须带 Idempotency-Key）',
          params: ById,
          headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 200 })) }),
          body: Type.Object(
            {
              reason: Type.String({ minLength: 1, maxLength: 1000 }),
              anonymous: Type.Boolean({ default: false }),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ id: Type.String(), replayed: Type.Boolean() }), ...errorResponses },
        },
      },
      async (request) =>
        objectToNotice(
          deps,
          actorOf(request),
          request.params.id,
          request.body,
          request.headers['idempotency-key'],
          request.id,
        ),
    );
  };
