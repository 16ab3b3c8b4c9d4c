/** 动态监测 API: runs, the alerts they raised, the trigger check, calibration. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../http/schemas.ts';
import { actorOf } from '../../http/session.ts';
import { Paged, pageFields } from '../registry/registry.schemas.ts';
import { calibrate, listCalibrations } from './calibration.service.ts';
import {
  checkTriggers,
  getRun,
  listAlerts,
  listRuns,
  type MonitoringDeps,
  resumeRun,
  startRun,
} from './monitoring.service.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Colour = Type.Union([
  Type.Literal('red'),
  Type.Literal('yellow'),
  Type.Literal('blue'),
  Type.Literal('green'),
]);
const RegionCode = Type.String({ pattern: '^[0-9]{12}$' });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

const MonitoringRun = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  regionCode: Type.String(),
  modelId: Type.String(),
  modelVersion: Type.String(),
  catalogVersion: Nullable(Type.String()),
  triggersVersion: Nullable(Type.String()),
  asOf: Type.String(),
  sourceImportId: Nullable(Type.String()),
  status: Type.String(),
  householdsTotal: Nullable(Type.Integer()),
  householdsDone: Type.Integer(),
  alertsRaised: Type.Integer(),
  alertsUpdated: Type.Integer(),
  triggerHits: Type.Integer(),
  colourCounts: Type.Record(Type.String(), Type.Integer()),
  error: Nullable(Type.String()),
  startedBy: Type.String(),
  startedAt: Type.String(),
  finishedAt: Nullable(Type.String()),
});

const MonitoringAlert = Type.Object({
  id: Type.String(),
  householdId: Nullable(Type.String()),
  candidate: Type.Boolean(),
  regionCode: Type.String(),
  cause: Type.String(),
  origin: Type.String(),
  colour: Type.String(),
  score: Nullable(Type.Number()),
  modelVersion: Nullable(Type.String()),
  summaryZh: Type.String(),
  evidence: Type.Array(Type.Unknown()),
  status: Type.String(),
  raiseCount: Type.Integer(),
  firstRaisedAt: Type.String(),
  lastRaisedAt: Type.String(),
  lastRunId: Nullable(Type.String()),
});

const BandSetting = Type.Object(
  {
    label: Type.String({ minLength: 1, maxLength: 40 }),
    red: Type.Number({ minimum: -1000, maximum: 1000 }),
    yellow: Type.Number({ minimum: -1000, maximum: 1000 }),
    blue: Type.Number({ minimum: -1000, maximum: 1000 }),
  },
  { additionalProperties: false },
);

const Calibration = Type.Object({
  id: Type.String(),
  modelId: Type.String(),
  modelVersion: Type.String(),
  catalogVersion: Type.String(),
  asOf: Type.String(),
  villages: Type.Array(Type.String()),
  note: Type.Optional(Nullable(Type.String())),
  createdAt: Type.String(),
  result: Type.Unknown(),
});

const RunId = Type.Object({ id: Type.String({ format: 'uuid' }) });
const tags = ['monitoring'];

export const monitoringRoutes =
  (deps: MonitoringDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/api/monitoring/runs',
      {
        schema: {
          tags,
          summary: '发起一次全量监测复筛（指标模型 + 事件触发，后台运行）',
          body: Type.Object(
            { regionCode: Type.Optional(RegionCode), asOf: Type.Optional(IsoDate) },
            { additionalProperties: false },
          ),
          response: { 200: MonitoringRun, ...errorResponses },
        },
      },
      async (request) => startRun(deps, actorOf(request), request.body, request.id),
    );

    app.get(
      '/api/monitoring/runs',
      {
        schema: {
          tags,
          summary: '监测运行记录与进度（新的在前；含每次数据导入后的增量运行）',
          querystring: Type.Object(pageFields(100, 10), { additionalProperties: false }),
          response: { 200: Paged(MonitoringRun), ...errorResponses },
        },
      },
      async (request) => listRuns(deps, actorOf(request), request.query, request.id),
    );

    app.get(
      '/api/monitoring/runs/alerts',
      {
        schema: {
          tags,
          summary: '辖区内由数据产生的预警（按颜色、原因、状态、运行筛选；红色、最新在前）',
          querystring: Type.Object(
            {
              ...pageFields(200, 20),
              colour: Type.Optional(Colour),
              cause: Type.Optional(Type.String({ pattern: '^(indicator|trigger):[a-z][A-Za-z0-9]{0,59}$' })),
              status: Type.Optional(
                Type.Union(
                  ['raised', 'dispatched', 'accepted', 'handling', 'feedback', 'closed'].map((s) =>
                    Type.Literal(s),
                  ),
                ),
              ),
              runId: Type.Optional(Type.String({ format: 'uuid' })),
              candidates: Type.Optional(Type.Boolean()),
            },
            { additionalProperties: false },
          ),
          response: { 200: Paged(MonitoringAlert), ...errorResponses },
        },
      },
      async (request) => listAlerts(deps, actorOf(request), request.query, request.id),
    );

    app.get(
      '/api/monitoring/runs/:id',
      {
        schema: {
          tags,
          summary: '一次监测运行的状态与进度（已处理/总户数、新增与更新的预警、各颜色户数）',
          params: RunId,
          response: { 200: MonitoringRun, ...errorResponses },
        },
      },
      async (request) => getRun(deps, actorOf(request), request.params.id, request.id),
    );

    app.post(
      '/api/monitoring/runs/:id/resume',
      {
        schema: {
          tags,
          summary: '继续一次中断的监测运行（从上次保存的位置继续，不会重复预警）',
          params: RunId,
          response: { 200: MonitoringRun, ...errorResponses },
        },
      },
      async (request) => resumeRun(deps, actorOf(request), request.params.id, request.id),
    );

    app.post(
      '/api/monitoring/triggers/check',
      {
        schema: {
          tags,
          summary: '检查事件触发规则文件（发布前）：错误指出文件、行、列',
          body: Type.Object({ text: Type.String({ maxLength: 262144 }) }, { additionalProperties: false }),
          response: {
            200: Type.Object({
              ok: Type.Boolean(),
              version: Nullable(Type.String()),
              triggers: Type.Array(
                Type.Object({
                  id: Type.String(),
                  label: Type.String(),
                  source: Type.String(),
                  colour: Type.String(),
                }),
              ),
              problems: Type.Array(
                Type.Object({
                  code: Type.String(),
                  message: Type.String(),
                  file: Type.String(),
                  line: Type.Integer(),
                  column: Type.Integer(),
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => checkTriggers(actorOf(request), request.body.text),
    );

    app.post(
      '/api/monitoring/calibrations',
      {
        schema: {
          tags,
          summary: '模型校准：回测以往预警的准确率，并在样本村比较两套预警线（结果随模型版本保存）',
          body: Type.Object(
            {
              modelId: Type.Optional(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,59}$' })),
              asOf: Type.Optional(IsoDate),
              villages: Type.Array(RegionCode, { minItems: 1, maxItems: 50 }),
              settings: Type.Array(BandSetting, { minItems: 2, maxItems: 2 }),
              note: Type.Optional(Type.String({ maxLength: 1000 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Unknown(), ...errorResponses },
        },
      },
      async (request) => calibrate(deps.db, actorOf(request), request.body, request.id),
    );

    app.get(
      '/api/monitoring/calibrations',
      {
        schema: {
          tags,
          summary: '校准记录（按模型筛选）',
          querystring: Type.Object(
            { ...pageFields(50, 10), modelId: Type.Optional(Type.String({ maxLength: 60 })) },
            { additionalProperties: false },
          ),
          response: { 200: Paged(Calibration), ...errorResponses },
        },
      },
      async (request) => listCalibrations(deps.db, actorOf(request), request.query, request.id),
    );
  };
