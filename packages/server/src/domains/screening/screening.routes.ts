import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../http/schemas.ts';
import { actorOf } from '../../http/session.ts';
import { ResultsQuery, StartRunBody } from './screening.schemas.ts';
import {
  getRun,
  householdDetail,
  listResults,
  listRuns,
  type ScreeningDeps,
  startRun,
} from './screening.service.ts';

const RunId = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Paged = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    page: Type.Integer(),
    pageSize: Type.Integer(),
  });

export const screeningRoutes =
  (deps: ScreeningDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/api/screening/runs',
      {
        schema: {
          tags: ['screening'],
          summary: '发起政策找人：对本辖区（或其下乡镇、村）每户测算全部政策（后台运行）',
          body: StartRunBody,
          response: { 200: Type.Ref('ScreeningRun'), ...errorResponses },
        },
      },
      async (request) => startRun(deps, actorOf(request), request.body, request.id),
    );

    app.get(
      '/api/screening/runs',
      {
        schema: {
          tags: ['screening'],
          summary: '政策找人运行记录（新的在前）',
          querystring: Type.Object(
            {
              page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
              pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
            },
            { additionalProperties: false },
          ),
          response: { 200: Paged(Type.Ref('ScreeningRun')), ...errorResponses },
        },
      },
      async (request) => listRuns(deps, actorOf(request), request.query, request.id),
    );

    app.get(
      '/api/screening/runs/:id',
      {
        schema: {
          tags: ['screening'],
          summary: '一次政策找人的状态与进度（已处理/总户数）、各项政策找到的户数',
          params: RunId,
          response: { 200: Type.Ref('ScreeningRun'), ...errorResponses },
        },
      },
      async (request) => getRun(deps, actorOf(request), request.params.id, request.id),
    );

    app.get(
      '/api/screening/runs/:id/results',
      {
        schema: {
          tags: ['screening'],
          summary: '找到的家庭（分页；可按乡镇/村、政策、新符合筛选；证件号脱敏）',
          params: RunId,
          querystring: ResultsQuery,
          response: { 200: Paged(Type.Ref('ScreeningResult')), ...errorResponses },
        },
      },
      async (request) => listResults(deps, actorOf(request), request.params.id, request.query, request.id),
    );

    app.get(
      '/api/screening/runs/:id/households/:householdId',
      {
        schema: {
          tags: ['screening'],
          summary: '一户的测算依据（中文）与救助处方（按运行日期重新测算）',
          params: Type.Object({
            id: Type.String({ format: 'uuid' }),
            householdId: Type.String({ format: 'uuid' }),
          }),
          response: { 200: Type.Ref('ScreeningHousehold'), ...errorResponses },
        },
      },
      async (request) =>
        householdDetail(deps, actorOf(request), request.params.id, request.params.householdId, request.id),
    );
  };
