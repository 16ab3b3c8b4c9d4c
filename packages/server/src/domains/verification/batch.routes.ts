/** 批量核对 API: runs (start, progress, history, resume), the changes found, acknowledgement, reminders. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../http/schemas.ts';
import { actorOf } from '../../http/session.ts';
import { pageFields } from '../registry/registry.schemas.ts';
import { acknowledgeChange, CHANGE_KINDS, listBatchReminders, listChanges } from './batch.changes.ts';
import { type BatchDeps, getRun, listRuns, MAX_LIST, resumeRun, startRun } from './batch.service.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const RegionCode = Type.String({ pattern: '^[0-9]{12}$' });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const tags = ['verification'];

const BatchRun = Type.Object({
  id: Type.String(),
  regionCode: Type.String(),
  kind: Type.String({ description: 'monthly（每月任务）/ all（全部在册户）/ list（指定名单）' }),
  asOf: Type.String(),
  period: Type.String(),
  status: Type.String(),
  householdsTotal: Nullable(Type.Integer()),
  householdsDone: Type.Integer(),
  baselines: Type.Integer({ description: '首次核对、只记录基线的户数' }),
  changesFound: Type.Integer(),
  listSize: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  startedBy: Type.String(),
  startedAt: Type.String(),
  finishedAt: Nullable(Type.String()),
});

const Change = Type.Object({
  id: Type.String(),
  runId: Type.String(),
  householdId: Type.String(),
  householdNumber: Nullable(Type.String()),
  regionCode: Type.String(),
  regionName: Nullable(Type.String()),
  period: Type.String(),
  kind: Type.String(),
  personId: Nullable(Type.String()),
  reason: Type.String(),
  reasonEn: Type.String(),
  ownerName: Nullable(Type.String()),
  status: Type.String(),
  acknowledgedBy: Nullable(Type.String()),
  acknowledgedAt: Nullable(Type.String()),
  note: Nullable(Type.String()),
  createdAt: Type.String(),
});

export const batchRoutes =
  (deps: BatchDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/api/verification/batch/runs',
      {
        schema: {
          tags,
          summary:
            '发起批量核对：全部在册户，或指定名单（家庭编号或户号，最多10000户）；同一县同时只能有一次进行中的核对（409）',
          body: Type.Object(
            {
              regionCode: Type.Optional(RegionCode),
              asOf: Type.Optional(IsoDate),
              householdIds: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: MAX_LIST })),
              householdNumbers: Type.Optional(
                Type.Array(Type.String({ maxLength: 64 }), { maxItems: MAX_LIST }),
              ),
            },
            { additionalProperties: false },
          ),
          response: { 200: BatchRun, ...errorResponses },
        },
      },
      async (request) => startRun(deps, actorOf(request), request.body, request.id),
    );

    app.get(
      '/api/verification/batch/runs',
      {
        schema: {
          tags,
          summary: '批量核对记录与进度（新的在前）',
          querystring: Type.Object(pageFields(100, 10), { additionalProperties: false }),
          response: {
            200: Type.Object({
              items: Type.Array(BatchRun),
              total: Type.Integer(),
              page: Type.Integer(),
              pageSize: Type.Integer(),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => listRuns(deps, actorOf(request), request.query, request.id),
    );

    app.get(
      '/api/verification/batch/runs/:id',
      {
        schema: {
          tags,
          summary: '一次批量核对的状态与进度（已核对/总户数、基线户数、发现的变化）',
          params: Id,
          response: { 200: BatchRun, ...errorResponses },
        },
      },
      async (request) => getRun(deps, actorOf(request), request.params.id, request.id),
    );

    app.post(
      '/api/verification/batch/runs/:id/resume',
      {
        schema: {
          tags,
          summary: '继续一次中断的批量核对（从上次保存的位置继续，不重复、不遗漏）',
          params: Id,
          response: { 200: BatchRun, ...errorResponses },
        },
      },
      async (request) => resumeRun(deps, actorOf(request), request.params.id, request.id),
    );

    app.get(
      '/api/verification/batch/changes',
      {
        schema: {
          tags,
          summary:
            '批量核对发现的变化（新增车辆、房产、大额存款增加、成员死亡、新任工商职务、新增疑点），辖区内，未处理的在前',
          querystring: Type.Object(
            {
              ...pageFields(200, 20),
              status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('acknowledged')])),
              kind: Type.Optional(Type.Union(CHANGE_KINDS.map((k) => Type.Literal(k)))),
              runId: Type.Optional(Type.String({ format: 'uuid' })),
              householdId: Type.Optional(Type.String({ format: 'uuid' })),
              mine: Type.Optional(Type.Boolean()),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              items: Type.Array(Change),
              total: Type.Integer(),
              open: Type.Integer(),
              page: Type.Integer(),
              pageSize: Type.Integer(),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => listChanges(deps, actorOf(request), request.query, request.id),
    );

    app.post(
      '/api/verification/batch/changes/:id/acknowledge',
      {
        schema: {
          tags,
          summary: '经办人确认已知悉一项核对变化（可写处理说明；记入审计，重复确认不改变）',
          params: Id,
          body: Type.Object(
            { note: Type.Optional(Type.String({ maxLength: 1000 })) },
            { additionalProperties: false },
          ),
          response: { 200: Change, ...errorResponses },
        },
      },
      async (request) =>
        acknowledgeChange(deps, actorOf(request), request.params.id, request.body, request.id),
    );

    app.get(
      '/api/verification/batch/reminders',
      {
        schema: {
          tags,
          summary: '批量核对变化的站内提醒（本人作为经办人的及本辖区的）',
          querystring: Type.Object(
            { limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Array(
              Type.Object({
                id: Type.String(),
                changeId: Type.String(),
                message: Type.String(),
                open: Type.Boolean(),
                createdAt: Type.String(),
              }),
            ),
            ...errorResponses,
          },
        },
      },
      async (request) => listBatchReminders(deps, actorOf(request), request.query.limit, request.id),
    );
  };
