import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../http/schemas.ts';
import { actorOf } from '../../http/session.ts';
import { addCategory, endCategory } from './history.service.ts';
import { updateHousehold } from './householdEdit.service.ts';
import { listHouseholds } from './householdList.service.ts';
import { addMember, createHousehold, getHousehold } from './households.service.ts';
import { exportHouseholds } from './personalData.service.ts';
import {
  CreateHouseholdBody,
  HouseholdPage,
  HouseholdPaging,
  HouseholdQuery,
  IsoDateSchema,
  PersonInput,
} from './registry.schemas.ts';
import type { RegistryDeps } from './registry.views.ts';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const householdsRoutes =
  (deps: RegistryDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/households',
      {
        schema: {
          tags: ['registry'],
          summary:
            '家庭列表与查找（本辖区；证件号、电话精确查找，姓名、户号前缀；按页码或游标 after 翻页；总数超过一万户时 totalCapped；脱敏）',
          querystring: Type.Object({ ...HouseholdQuery, ...HouseholdPaging }),
          response: { 200: HouseholdPage, ...errorResponses },
        },
      },
      async (request) => listHouseholds(deps, actorOf(request), request.query as never, request.id),
    );

    app.get(
      '/api/households/export.csv',
      {
        schema: {
          tags: ['registry'],
          summary: '导出家庭成员名单 CSV（默认脱敏；reveal=true 须填写用途；均记入个人信息查看记录）',
          querystring: Type.Object({
            ...HouseholdQuery,
            reveal: Type.Optional(Type.Boolean()),
            purpose: Type.Optional(Type.String({ maxLength: 200 })),
          }),
          produces: ['text/csv'],
          response: { 200: Type.String({ description: 'UTF-8 CSV with BOM' }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const result = await exportHouseholds(deps, actorOf(request), request.query as never, request.id);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${result.fileName}"`)
          .header('cache-control', 'no-store')
          .send(result.csv);
      },
    );

    app.post(
      '/api/households',
      {
        schema: {
          tags: ['registry'],
          summary: '登记家庭（户主及成员）',
          body: CreateHouseholdBody,
          response: { 200: Type.Ref('HouseholdDetail'), ...errorResponses },
        },
      },
      async (request) => createHousehold(deps, actorOf(request), request.body as never, request.id),
    );

    app.get(
      '/api/households/:id',
      {
        schema: {
          tags: ['registry'],
          summary: '家庭详情；asOf 给出某日的成员、属性与救助类别',
          params: Id,
          querystring: Type.Object({ asOf: Type.Optional(IsoDateSchema) }),
          response: { 200: Type.Ref('HouseholdDetail'), ...errorResponses },
        },
      },
      async (request) =>
        getHousehold(deps, actorOf(request), request.params.id, request.query.asOf, request.id),
    );

    app.patch(
      '/api/households/:id',
      {
        schema: {
          tags: ['registry'],
          summary: '修改家庭：地址、城乡、变更户主（须带 version，乐观并发）',
          params: Id,
          body: Type.Object(
            {
              version: Type.Integer({ minimum: 1 }),
              address: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
              urban: Type.Optional(Type.Boolean()),
              headPersonId: Type.Optional(Type.String({ format: 'uuid' })),
              previousHeadRelationship: Type.Optional(Type.Ref('Relationship')),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Ref('HouseholdDetail'), ...errorResponses },
        },
      },
      async (request) =>
        updateHousehold(deps, actorOf(request), request.params.id, request.body as never, request.id),
    );

    app.post(
      '/api/households/:id/members',
      {
        schema: {
          tags: ['registry'],
          summary: '新增家庭成员（同一身份证号已在其他户时 409 PERSON_IN_OTHER_HOUSEHOLD）',
          params: Id,
          body: Type.Object(
            { ...PersonInput.properties, joinedOn: Type.Optional(IsoDateSchema) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Ref('Person'), ...errorResponses },
        },
      },
      async (request) =>
        addMember(deps, actorOf(request), request.params.id, request.body as never, request.id),
    );

    app.post(
      '/api/households/:id/categories',
      {
        schema: {
          tags: ['registry'],
          summary: '登记救助类别（自动结束同类的上一条）',
          params: Id,
          body: Type.Object(
            {
              category: Type.Ref('AssistanceCategory'),
              validFrom: IsoDateSchema,
              validTo: Type.Optional(IsoDateSchema),
              monthlyAmountFen: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Ref('HouseholdCategory'), ...errorResponses },
        },
      },
      async (request) =>
        addCategory(deps, actorOf(request), request.params.id, request.body as never, request.id),
    );

    app.post(
      '/api/households/:id/categories/:categoryId/end',
      {
        schema: {
          tags: ['registry'],
          summary: '结束一条救助类别',
          params: Type.Object({
            id: Type.String({ format: 'uuid' }),
            categoryId: Type.String({ format: 'uuid' }),
          }),
          body: Type.Object(
            { validTo: IsoDateSchema, reason: Type.String({ minLength: 1, maxLength: 500 }) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Ref('HouseholdCategory'), ...errorResponses },
        },
      },
      async (request) =>
        endCategory(
          deps,
          actorOf(request),
          request.params.id,
          request.params.categoryId,
          request.body as never,
          request.id,
        ),
    );
  };
