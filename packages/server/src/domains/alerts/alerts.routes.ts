import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../http/schemas.ts';
import { actorOf } from '../../http/session.ts';
import { authorize, Permission } from '../access/permissions.ts';
import { Paged } from '../registry/registry.schemas.ts';
import { actOnAlert } from './actions.service.ts';
import {
  ActionBody,
  AlertEvent,
  AlertQuery,
  AlertReminder,
  RaiseBody,
  RaiseResult,
} from './alerts.schemas.ts';
import { type AlertDeps, getAlert, listAlerts, myRequests, raiseRequest, todayOf } from './alerts.service.ts';
import { DashboardQuery, DashboardResult, dashboard, dashboardWorkbook } from './dashboard.ts';
import { sweepAlerts } from './dispatch.ts';
import { dispatchRules } from './dispatchRules.ts';
import { alertPortrait, Portrait } from './portrait.ts';
import { listAlertReminders } from './reminders.ts';
import { householdTimeline, Timeline } from './timeline.ts';

const ById = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const alertRoutes =
  (deps: AlertDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/api/alerts',
      {
        schema: {
          tags: ['alerts'],
          summary: '点单：群众本人、网格员或工作人员上报困难，按派单规则立即派单；须带 Idempotency-Key',
          headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 200 })) }),
          body: RaiseBody,
          response: { 200: RaiseResult, ...errorResponses },
        },
      },
      async (request) =>
        raiseRequest(deps, actorOf(request), request.body, request.headers['idempotency-key'], request.id),
    );

    app.get(
      '/api/alerts',
      {
        schema: {
          tags: ['alerts'],
          summary: '预警列表（本辖区）：逾期、红色在前；按状态、颜色、部门、地区筛选',
          querystring: AlertQuery,
          response: { 200: Paged(Type.Ref('Alert')), ...errorResponses },
        },
      },
      async (request) => listAlerts(deps, actorOf(request), request.query, request.id),
    );

    app.get(
      '/api/alerts/mine',
      {
        schema: {
          tags: ['alerts'],
          summary: '我的上报：本人点单、上报的困难和办理进度（群众本人也可查看）',
          response: {
            200: Type.Array(
              Type.Object({
                id: Type.String(),
                category: Type.Union([Type.String(), Type.Null()]),
                text: Type.Union([Type.String(), Type.Null()]),
                status: Type.String(),
                statusZh: Type.String(),
                leadDepartment: Type.Union([Type.String(), Type.Null()]),
                acceptDueOn: Type.Union([Type.String(), Type.Null()]),
                raisedAt: Type.String(),
                closedAt: Type.Union([Type.String(), Type.Null()]),
                outcome: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
            ...errorResponses,
          },
        },
      },
      async (request) => myRequests(deps, actorOf(request), request.id),
    );

    app.get(
      '/api/alerts/dispatch-rules',
      {
        schema: {
          tags: ['alerts'],
          summary: '派单规则：预警原因 → 牵头、协办部门和时限',
          response: { 200: Type.Array(Type.Record(Type.String(), Type.Unknown())), ...errorResponses },
        },
      },
      async (request) => {
        authorize(actorOf(request), Permission.monitoringRead);
        return dispatchRules();
      },
    );

    app.get(
      '/api/alerts/dashboard',
      {
        schema: {
          tags: ['alerts'],
          summary: '预警看板：按颜色、状态、部门、乡镇统计，逾期、办理结果、月度趋势',
          querystring: DashboardQuery,
          response: { 200: DashboardResult, ...errorResponses },
        },
      },
      async (request) => dashboard(deps, actorOf(request), request.query, request.id),
    );

    app.get(
      '/api/alerts/dashboard.xlsx',
      {
        schema: {
          tags: ['alerts'],
          summary: '预警看板导出为 Excel',
          querystring: DashboardQuery,
          produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        },
      },
      async (request, reply) => {
        const buffer = await dashboardWorkbook(deps, actorOf(request), request.query, request.id);
        return reply
          .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="alerts-${todayOf(deps)}.xlsx"`)
          .send(buffer);
      },
    );

    app.post(
      '/api/alerts/sweep',
      {
        schema: {
          tags: ['alerts'],
          summary:
            '立即派单，对超时未接单、超期未办结的预警逐级上报并发出提醒，办理到时限80%标黄（后台任务每小时也会执行）',
          response: {
            200: Type.Object({
              dispatched: Type.Integer(),
              escalated: Type.Integer(),
              handleYellow: Type.Integer(),
              handleEscalated: Type.Integer(),
              reminders: Type.Integer(),
              delivered: Type.Integer(),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        authorize(actorOf(request), Permission.monitoringRun);
        return sweepAlerts(deps.db, todayOf(deps));
      },
    );

    app.get(
      '/api/alerts/reminders',
      {
        schema: {
          tags: ['alerts'],
          summary: '我的预警提醒：上报督办、办理即将到期（站内提醒，最新在前）',
          querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }),
          response: { 200: Type.Array(AlertReminder), ...errorResponses },
        },
      },
      async (request) => listAlertReminders(deps, actorOf(request), request.query.limit, request.id),
    );

    app.get(
      '/api/alerts/households/:id/timeline',
      {
        schema: {
          tags: ['alerts'],
          summary: '一人一条救助链：该户全部预警、申请和案件、转办、政策找人结果，按时间排列',
          params: ById,
          response: { 200: Timeline, ...errorResponses },
        },
      },
      async (request) => householdTimeline(deps, actorOf(request), request.params.id, request.id),
    );

    app.get(
      '/api/alerts/:id',
      {
        schema: {
          tags: ['alerts'],
          summary: '一条预警：原因、依据、派单、时限和全部处理记录',
          params: ById,
          response: { 200: Type.Ref('AlertDetail'), ...errorResponses },
        },
      },
      async (request) => getAlert(deps, actorOf(request), request.params.id, request.id),
    );

    app.get(
      '/api/alerts/:id/portrait',
      {
        schema: {
          tags: ['alerts'],
          summary: '一户一画像：七个维度的困难程度、指标依据、以往救助、建议政策',
          params: ById,
          response: { 200: Portrait, ...errorResponses },
        },
      },
      async (request) => alertPortrait(deps, actorOf(request), request.params.id, request.id),
    );

    app.post(
      '/api/alerts/:id/actions',
      {
        schema: {
          tags: ['alerts'],
          summary: '接单、办理（开案、转办、走访、说明理由办结）、反馈、办结；带版本号',
          params: ById,
          body: ActionBody,
          response: {
            200: Type.Object({ alert: Type.Ref('Alert'), events: Type.Array(AlertEvent) }),
            ...errorResponses,
          },
        },
      },
      async (request) => actOnAlert(deps, actorOf(request), request.params.id, request.body, request.id),
    );
  };
