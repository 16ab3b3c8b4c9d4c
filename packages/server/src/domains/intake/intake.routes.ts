import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors } from '../../http/errors.ts';
import { errorResponses } from '../../http/schemas.ts';
import { actorOf } from '../../http/session.ts';
import { authorize, Permission } from '../access/permissions.ts';
import { isRegionCode } from '../regions/regionCode.ts';
import { Paged, pageFields } from '../registry/registry.schemas.ts';
import {
  getApplication,
  handOver,
  type IntakeDeps,
  listApplications,
  submitApplication,
  todayOf,
} from './applications.service.ts';
import { calendarFor, daysBetween } from './calendar.ts';
import { getCase, listCases, transition } from './cases.service.ts';
import { listReminders, overdueLists } from './deadlines.ts';
import {
  CaseQuery,
  HandoverBody,
  SubmitApplicationBody,
  TransitionBody,
  TransitionResult,
} from './intake.schemas.ts';
import { policyRefs } from './intake.views.ts';
import { processTemplates } from './templates.ts';

const ById = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Name = Type.Object({ zh: Type.String(), en: Type.String() });

export const intakeRoutes =
  (deps: IntakeDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    // Read the templates, the policy ledger and the calendar now (each once per process), not in
    // the first caseworkers' requests: ≈0.5 s of YAML that otherwise lands on their latency.
    processTemplates();
    policyRefs();
    calendarFor('000000000000');

    app.post(
      '/api/intake/applications',
      {
        schema: {
          tags: ['intake'],
          summary:
            '一门受理：为一户提交申请（可含多个事项，每项成为一个案件并转到主管科室或部门）；须带 Idempotency-Key',
          headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 200 })) }),
          body: SubmitApplicationBody,
          response: { 200: Type.Ref('IntakeApplication'), ...errorResponses },
        },
      },
      async (request) =>
        submitApplication(
          deps,
          actorOf(request),
          request.body,
          request.headers['idempotency-key'],
          request.id,
        ),
    );

    app.get(
      '/api/intake/applications',
      {
        schema: {
          tags: ['intake'],
          summary: '申请列表（新的在前，本辖区）',
          querystring: Type.Object(pageFields(100), { additionalProperties: false }),
          response: { 200: Paged(Type.Ref('IntakeApplication')), ...errorResponses },
        },
      },
      async (request) => listApplications(deps, actorOf(request), request.query, request.id),
    );

    app.get(
      '/api/intake/applications/:id',
      {
        schema: {
          tags: ['intake'],
          summary: '一份申请及其全部事项（案件）、各自的环节和时限',
          params: ById,
          response: { 200: Type.Ref('IntakeApplication'), ...errorResponses },
        },
      },
      async (request) => getApplication(deps, actorOf(request), request.params.id, request.id),
    );

    app.post(
      '/api/intake/applications/:id/handover',
      {
        schema: {
          tags: ['intake'],
          summary: '首问负责：把申请移交给本地区另一名工作人员',
          params: ById,
          body: HandoverBody,
          response: { 200: Type.Ref('IntakeApplication'), ...errorResponses },
        },
      },
      async (request) => handOver(deps, actorOf(request), request.params.id, request.body, request.id),
    );

    app.get(
      '/api/intake/cases',
      {
        schema: {
          tags: ['intake'],
          summary: '案件列表（工作台）：按状态、办理机构、时限状态、地区筛选，按到期日排序',
          querystring: CaseQuery,
          response: { 200: Paged(Type.Ref('IntakeCase')), ...errorResponses },
        },
      },
      async (request) => listCases(deps, actorOf(request), request.query, request.id),
    );

    app.get(
      '/api/intake/cases/:id',
      {
        schema: {
          tags: ['intake'],
          summary: '一个案件：当前环节、所需材料、时限、全部办理记录（含法律依据）',
          params: ById,
          response: { 200: Type.Ref('IntakeCaseDetail'), ...errorResponses },
        },
      },
      async (request) => getCase(deps, actorOf(request), request.params.id, request.id),
    );

    app.post(
      '/api/intake/cases/:id/transitions',
      {
        schema: {
          tags: ['intake'],
          summary:
            '办理案件：完成当前环节、登记补正、不予受理、不予批准、撤回、延长时限（按流程模板校验，不得跳过或合并环节；材料不全一次性告知）',
          params: ById,
          body: TransitionBody,
          response: { 200: TransitionResult, 422: Type.Ref('ErrorResponse'), ...errorResponses },
        },
      },
      async (request) => transition(deps, actorOf(request), request.params.id, request.body, request.id),
    );

    app.get(
      '/api/intake/overdue',
      {
        schema: {
          tags: ['intake'],
          summary: '超期与即将到期：按办理机构、部门、乡镇汇总，附超期案件',
          response: {
            200: Type.Object({
              asOf: Type.String(),
              groups: Type.Array(
                Type.Object({
                  office: Type.String(),
                  department: Type.Union([Type.String(), Type.Null()]),
                  townshipCode: Type.String(),
                  townshipName: Type.Union([Type.String(), Type.Null()]),
                  yellow: Type.Integer(),
                  red: Type.Integer(),
                }),
              ),
              overdue: Type.Array(Type.Ref('IntakeCase')),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => overdueLists(deps, actorOf(request), request.id),
    );

    app.get(
      '/api/intake/reminders',
      {
        schema: {
          tags: ['intake'],
          summary: '站内提醒：本机构的即将到期、超期提醒（新的在前）',
          querystring: Type.Object(
            { limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Array(
              Type.Object({
                id: Type.String(),
                caseId: Type.String(),
                kind: Type.String(),
                step: Type.String(),
                message: Type.String(),
                dueOn: Type.String(),
                createdAt: Type.String(),
              }),
            ),
            ...errorResponses,
          },
        },
      },
      async (request) => listReminders(deps, actorOf(request), request.query.limit, request.id),
    );

    app.get(
      '/api/intake/templates',
      {
        schema: {
          tags: ['intake'],
          summary: '流程模板：环节、办理机构、所需材料、时限（工作日）、允许的流转',
          response: {
            200: Type.Array(
              Type.Object({
                id: Type.String(),
                name: Name,
                legalBasis: Type.Array(Type.String()),
                totalWorkingDays: Type.Integer(),
                extendedWorkingDays: Type.Union([Type.Integer(), Type.Null()]),
                steps: Type.Array(
                  Type.Object({
                    id: Type.String(),
                    name: Name,
                    office: Type.String(),
                    workingDays: Type.Integer(),
                    legalGround: Type.String(),
                    documents: Type.Array(
                      Type.Object({ id: Type.String(), name: Name, from: Type.String() }),
                    ),
                    next: Type.Array(
                      Type.Object({ to: Type.String(), when: Type.Union([Type.String(), Type.Null()]) }),
                    ),
                  }),
                ),
              }),
            ),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        authorize(actorOf(request), Permission.intakeRead);
        return [...processTemplates().templates.values()].map((t) => ({
          id: t.id,
          name: t.name,
          legalBasis: t.legalBasis,
          totalWorkingDays: t.totalWorkingDays,
          extendedWorkingDays: t.extendedWorkingDays ?? null,
          steps: t.steps.map((s) => ({
            id: s.id,
            name: s.name,
            office: s.office,
            workingDays: s.workingDays,
            legalGround: s.legalGround,
            documents: (s.documents ?? []).map((d) => {
              const doc = t.documents[d] as { zh: string; en: string; from: string };
              return { id: d, name: { zh: doc.zh, en: doc.en }, from: doc.from };
            }),
            next: s.next.map((n) => ({ to: n.to, when: n.when ?? null })),
          })),
        }));
      },
    );

    app.get(
      '/api/intake/calendar/due-date',
      {
        schema: {
          tags: ['intake'],
          summary: '按工作日计算到期日（法定节假日、调休及本地区增加的休息日）',
          querystring: Type.Object(
            {
              regionCode: Type.String({ pattern: '^[0-9]{12}$' }),
              from: Type.Optional(Type.String({ format: 'date' })),
              workingDays: Type.Integer({ minimum: 0, maximum: 365 }),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              from: Type.String(),
              workingDays: Type.Integer(),
              dueOn: Type.String(),
              calendarDays: Type.Integer(),
              covered: Type.Boolean({ description: '该年度国务院放假安排是否已收录（否则只按周末计）' }),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        authorize(actorOf(request), Permission.intakeRead);
        const { regionCode, workingDays } = request.query;
        if (!isRegionCode(regionCode))
          throw errors.validation('regionCode', '地区代码格式不正确', 'bad region code');
        const from = request.query.from ?? todayOf(deps);
        if (from < '2000-01-01' || from > '2099-12-31')
          throw errors.validation('from', '日期超出允许范围', 'date out of range');
        const calendar = calendarFor(regionCode);
        const dueOn = calendar.addWorkingDays(from, workingDays);
        return {
          from,
          workingDays,
          dueOn,
          calendarDays: daysBetween(from, dueOn),
          covered: calendar.covers(dueOn),
        };
      },
    );
  };
