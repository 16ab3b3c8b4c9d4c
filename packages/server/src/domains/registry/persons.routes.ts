import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses, RegionCode } from '../../http/schemas.ts';
import { actorOf } from '../../http/session.ts';
import { listDuplicates, mergePersons } from './duplicates.service.ts';
import { endAttribute, recordAttribute } from './history.service.ts';
import { listPersonalDataAccess, revealPersonalData } from './personalData.service.ts';
import { getPerson, transferPerson, updatePerson } from './persons.service.ts';
import { IsoDateSchema, NullableOf, Paged, Paging } from './registry.schemas.ts';
import type { RegistryDeps } from './registry.views.ts';
import { registryStats } from './stats.service.ts';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Counts = Type.Object({
  households: Type.Integer(),
  persons: Type.Integer(),
  categories: Type.Record(Type.String(), Type.Integer()),
});

export const personsRoutes =
  (deps: RegistryDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/persons/:id',
      {
        schema: {
          tags: ['registry'],
          summary: '人员详情（脱敏），含属性历史与迁移记录',
          params: Id,
          response: { 200: Type.Ref('PersonDetail'), ...errorResponses },
        },
      },
      async (request) => getPerson(deps, actorOf(request), request.params.id, request.id),
    );

    app.patch(
      '/api/persons/:id',
      {
        schema: {
          tags: ['registry'],
          summary: '修改人员：姓名、电话、与户主关系、户籍地、居住地（须带 version）',
          params: Id,
          body: Type.Object(
            {
              version: Type.Integer({ minimum: 1 }),
              name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
              phone: Type.Optional(NullableOf(Type.String({ maxLength: 20 }))),
              relationshipToHead: Type.Optional(Type.Ref('Relationship')),
              hukouRegionCode: Type.Optional(RegionCode),
              residenceRegionCode: Type.Optional(RegionCode),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Ref('Person'), ...errorResponses },
        },
      },
      async (request) =>
        updatePerson(deps, actorOf(request), request.params.id, request.body as never, request.id),
    );

    app.post(
      '/api/persons/:id/transfer',
      {
        schema: {
          tags: ['registry'],
          summary: '迁移人员到另一户（记入迁移历史与审计）',
          params: Id,
          body: Type.Object(
            {
              toHouseholdId: Type.String({ format: 'uuid' }),
              relationshipToHead: Type.Ref('Relationship'),
              reason: Type.String({ minLength: 1, maxLength: 500 }),
              movedOn: Type.Optional(IsoDateSchema),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Ref('Person'), ...errorResponses },
        },
      },
      async (request) =>
        transferPerson(deps, actorOf(request), request.params.id, request.body as never, request.id),
    );

    app.post(
      '/api/persons/:id/attributes',
      {
        schema: {
          tags: ['registry'],
          summary: '登记人员属性（健康、残疾、大病、劳动能力、就业、就学、生活自理），自动结束同类上一条',
          params: Id,
          body: Type.Object(
            {
              kind: Type.Ref('AttributeKind'),
              value: Type.Record(Type.String(), Type.Unknown()),
              validFrom: IsoDateSchema,
              validTo: Type.Optional(IsoDateSchema),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Ref('PersonAttribute'), ...errorResponses },
        },
      },
      async (request) =>
        recordAttribute(deps, actorOf(request), request.params.id, request.body as never, request.id),
    );

    app.post(
      '/api/persons/:id/attributes/:attributeId/end',
      {
        schema: {
          tags: ['registry'],
          summary: '结束一条人员属性',
          params: Type.Object({
            id: Type.String({ format: 'uuid' }),
            attributeId: Type.String({ format: 'uuid' }),
          }),
          body: Type.Object({ validTo: IsoDateSchema }, { additionalProperties: false }),
          response: { 200: Type.Ref('PersonAttribute'), ...errorResponses },
        },
      },
      async (request) =>
        endAttribute(
          deps,
          actorOf(request),
          request.params.id,
          request.params.attributeId,
          request.body,
          request.id,
        ),
    );

    app.post(
      '/api/persons/:id/reveal',
      {
        schema: {
          tags: ['registry'],
          summary: '查看完整身份证号或电话（须说明用途；记入查看记录与审计）',
          params: Id,
          body: Type.Object(
            {
              field: Type.Union([Type.Literal('idNumber'), Type.Literal('phone')]),
              purpose: Type.String({ minLength: 4, maxLength: 200 }),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              personId: Type.String(),
              field: Type.Union([Type.Literal('idNumber'), Type.Literal('phone')]),
              value: Type.String(),
            }),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return revealPersonalData(deps, actorOf(request), request.params.id, request.body, request.id);
      },
    );

    app.get(
      '/api/personal-data-access',
      {
        schema: {
          tags: ['registry'],
          summary:
            '个人信息查看与导出记录（审计员、县级）；按日期（北京时间，含首尾）、查看人、人员或身份证号筛选',
          querystring: Type.Object({
            personId: Type.Optional(Type.String({ format: 'uuid' })),
            idNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
            actorId: Type.Optional(Type.String({ maxLength: 64 })),
            regionCode: Type.Optional(RegionCode),
            from: Type.Optional(IsoDateSchema),
            to: Type.Optional(IsoDateSchema),
            ...Paging,
          }),
          response: {
            200: Paged(
              Type.Object({
                id: Type.String(),
                at: Type.String(),
                actorId: Type.String(),
                actorRole: Type.String(),
                actorName: NullableOf(Type.String()),
                personId: NullableOf(Type.String()),
                personName: NullableOf(Type.String()),
                idNumberMasked: NullableOf(Type.String()),
                field: Type.Union([Type.Literal('idNumber'), Type.Literal('phone'), Type.Literal('export')]),
                purpose: Type.String(),
                detail: Type.Unknown(),
                regionCode: Type.String(),
                requestId: NullableOf(Type.String()),
              }),
            ),
            ...errorResponses,
          },
        },
      },
      async (request) => listPersonalDataAccess(deps, actorOf(request), request.query as never, request.id),
    );

    app.get(
      '/api/registry/duplicates',
      {
        schema: {
          tags: ['registry'],
          summary: '疑似重复人员（同村同名同出生日期）',
          querystring: Type.Object({
            regionCode: Type.Optional(RegionCode),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          }),
          response: {
            200: Type.Array(
              Type.Object({
                reason: Type.Literal('sameNameBirthDateVillage'),
                regionName: Type.String(),
                persons: Type.Array(Type.Ref('Person')),
              }),
            ),
            ...errorResponses,
          },
        },
      },
      async (request) => listDuplicates(deps, actorOf(request), request.query, request.id),
    );

    app.post(
      '/api/registry/duplicates/merge',
      {
        schema: {
          tags: ['registry'],
          summary: '合并重复人员（属性并入保留者，被合并记录保留并标记）',
          body: Type.Object(
            {
              keepPersonId: Type.String({ format: 'uuid' }),
              removePersonId: Type.String({ format: 'uuid' }),
              reason: Type.String({ minLength: 1, maxLength: 500 }),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              kept: Type.Ref('Person'),
              removed: Type.Ref('Person'),
              attributesMoved: Type.Integer(),
              attributesClosed: Type.Array(Type.String()),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => mergePersons(deps, actorOf(request), request.body, request.id),
    );

    app.get(
      '/api/regions/:code/registry-stats',
      {
        schema: {
          tags: ['registry'],
          summary: '地区户数、人数与各救助类别户数（按下级地区）',
          params: Type.Object({ code: RegionCode }),
          response: {
            200: Type.Object({
              code: Type.String(),
              name: Type.String(),
              asOf: Type.String({ description: '各救助类别户数按此日在享计' }),
              countedAt: Type.String({
                description: '户数、人数截至此刻（每次登记变动即时更新）',
              }),
              categoriesCountedAt: Type.String({
                description: '救助类别户数最近一次按日期重新统计的时间（每日一次）',
              }),
              total: Counts,
              children: Type.Array(
                Type.Object({
                  code: Type.String(),
                  name: Type.String(),
                  level: Type.Integer(),
                  inScope: Type.Boolean(),
                  ...Counts.properties,
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => registryStats(deps, actorOf(request), request.params.code, request.id),
    );
  };
