/** Routes of apply where you live (居住地申办): find the household at the residence window; the hukou side's view. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/database.ts';
import { errorResponses } from '../../http/schemas.ts';
import { actorOf } from '../../http/session.ts';
import type { PersonalDataCipher } from '../registry/personalData.crypto.ts';
import { chinaDate } from '../registry/registry.model.ts';
import { lookupResidenceHousehold, residenceCasesOf } from './residence.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const residenceRoutes =
  (deps: {
    db: Database;
    cipher: PersonalDataCipher;
    clock?: (() => Date) | undefined;
  }): FastifyPluginAsyncTypebox =>
  async (app) => {
    const today = () => chinaDate(deps.clock?.() ?? new Date());
    app.post(
      '/api/intake/residence-lookup',
      {
        schema: {
          tags: ['intake'],
          summary:
            '居住地申办：按身份证号码查找在外地登记的家庭，答复户籍地和本地能否受理（不返回个人信息；留痕）',
          body: Type.Object(
            {
              idNumber: Type.String({ minLength: 1, maxLength: 30 }),
              regionCode: Type.String({ pattern: '^[0-9]{12}$', description: '申请人居住的村（社区）' }),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              householdId: Type.String(),
              householdNumber: Type.String(),
              hukouRegionCode: Type.String(),
              hukouVillageName: Nullable(Type.String()),
              hukouTownshipName: Nullable(Type.String()),
              registeredHere: Type.Boolean({ description: '户籍就在本辖区：按户籍地正常受理' }),
              allowed: Type.Boolean({ description: '本地开展居住地申办（参数 residenceApplication）' }),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) =>
        lookupResidenceHousehold({ ...deps, today }, actorOf(request), request.body, request.id),
    );

    app.get(
      '/api/intake/households/:id/residence-cases',
      {
        schema: {
          tags: ['intake'],
          summary: '户籍地查看本辖区家庭在居住地申办的案件进度（只读）',
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          response: {
            200: Type.Array(
              Type.Object({
                caseId: Type.String(),
                policyId: Type.String(),
                status: Type.String(),
                currentStep: Nullable(Type.String()),
                regionCode: Type.String(),
                regionName: Nullable(Type.String()),
                receivedOn: Type.String(),
                caseDueOn: Type.String(),
              }),
            ),
            ...errorResponses,
          },
        },
      },
      async (request) => residenceCasesOf(deps.db, actorOf(request), request.params.id, request.id),
    );
  };
