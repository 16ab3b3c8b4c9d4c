import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/database.ts';
import { errorResponses, RegionCode } from '../../http/schemas.ts';
import { actorOf } from '../../http/session.ts';
import { getChildren, getRegion, getScopeRoot, searchRegions } from './regions.service.ts';

export const Region = Type.Object(
  {
    code: Type.String(),
    originalCode: Type.String(),
    name: Type.String(),
    level: Type.Integer(),
    levelName: Type.String(),
    parentCode: Type.Union([Type.String(), Type.Null()]),
    urban: Type.Union([Type.Boolean(), Type.Null()]),
    childCount: Type.Integer(),
    inScope: Type.Boolean(),
  },
  { $id: 'Region' },
);

const Code = Type.Object({ code: RegionCode });

export const regionsRoutes =
  (db: Database): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/regions/scope',
      {
        schema: {
          tags: ['regions'],
          summary: '本人辖区及其上级（区划树的根）',
          response: { 200: Type.Array(Type.Ref('Region')), ...errorResponses },
        },
      },
      async (request) => getScopeRoot(db, actorOf(request), request.id),
    );

    app.get(
      '/api/regions/search',
      {
        schema: {
          tags: ['regions'],
          summary: '在本辖区内按名称查找地区',
          querystring: Type.Object({ name: Type.String({ minLength: 1, maxLength: 50 }) }),
          response: { 200: Type.Array(Type.Ref('Region')), ...errorResponses },
        },
      },
      async (request) => searchRegions(db, actorOf(request), request.query.name, request.id),
    );

    app.get(
      '/api/regions/:code',
      {
        schema: {
          tags: ['regions'],
          summary: '地区详情：上级链、下级和各级数量',
          params: Code,
          response: {
            200: Type.Object({
              region: Type.Ref('Region'),
              ancestors: Type.Array(Type.Ref('Region')),
              children: Type.Array(Type.Ref('Region')),
              countsByLevel: Type.Record(Type.String(), Type.Integer()),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => getRegion(db, actorOf(request), request.params.code, request.id),
    );

    app.get(
      '/api/regions/:code/children',
      {
        schema: {
          tags: ['regions'],
          summary: '下级地区（区划树逐级展开）',
          params: Code,
          response: { 200: Type.Array(Type.Ref('Region')), ...errorResponses },
        },
      },
      async (request) => getChildren(db, actorOf(request), request.params.code, request.id),
    );
  };
