import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../http/schemas.ts';
import { actorOf } from '../../http/session.ts';
import type { IntakeDeps } from '../intake/applications.service.ts';
import { registerEnrolmentHooks } from './enrolment.hooks.ts';
import { LegalGrounds } from './enrolment.rules.ts';
import {
  ChangeKinds,
  decideTask,
  getEnrolment,
  listEnrolments,
  listTasks,
  proposeChange,
} from './enrolment.service.ts';

const N = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Categories = ['dibao', 'tekun', 'nearDibao', 'relapseWatch', 'expenditureHardship', 'otherHardship'];
const lit = (xs: readonly string[]) => Type.Union(xs.map((x) => Type.Literal(x)));

const EnrolmentFields = {
  id: Type.String(),
  householdId: Type.String(),
  householdNumber: Type.String(),
  headName: Type.String(),
  regionCode: Type.String(),
  category: Type.String(),
  policyId: Type.String(),
  caseId: N(Type.String()),
  monthlyAmountFen: N(Type.Integer()),
  decidedOn: Type.String(),
  startsOn: Type.String(),
  reviewMonths: Type.Integer(),
  nextReviewOn: Type.String(),
  status: Type.String(),
  phaseOutUntil: N(Type.String()),
  endedOn: N(Type.String()),
  endReason: N(Type.String()),
  legalGround: Type.String(),
  openTasks: Type.Integer(),
  version: Type.Integer(),
};
export const EnrolmentTask = Type.Object(
  {
    id: Type.String(),
    enrolmentId: Type.String(),
    householdNumber: N(Type.String()),
    category: N(Type.String()),
    kind: Type.String(),
    trigger: Type.String(),
    status: Type.String(),
    dueOn: Type.String(),
    reason: N(Type.String()),
    legalGround: N(Type.String()),
    newAmountFen: N(Type.Integer()),
    phaseOutMonths: N(Type.Integer()),
    effectiveOn: N(Type.String()),
    requestedByName: Type.String(),
    decidedByName: N(Type.String()),
    decisionNote: N(Type.String()),
    version: Type.Integer(),
  },
  { $id: 'EnrolmentTask' },
);
export const Enrolment = Type.Object(EnrolmentFields, { $id: 'Enrolment' });
export const EnrolmentDetail = Type.Object(
  { ...EnrolmentFields, tasks: Type.Array(Type.Ref('EnrolmentTask')) },
  { $id: 'EnrolmentDetail' },
);
const ById = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const enrolmentRoutes =
  (deps: IntakeDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    registerEnrolmentHooks();
    app.get(
      '/api/enrolments',
      {
        schema: {
          tags: ['enrolment'],
          summary: '在册保障对象（按下次复核日期排序）',
          querystring: Type.Object({
            status: Type.Optional(lit(['active', 'phaseOut', 'stopped'])),
            category: Type.Optional(lit(Categories)),
            page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }),
            pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
          }),
          response: {
            200: Type.Object({
              items: Type.Array(Type.Ref('Enrolment')),
              total: Type.Integer(),
              page: Type.Integer(),
              pageSize: Type.Integer(),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => listEnrolments(deps, actorOf(request), request.query, request.id),
    );
    app.get(
      '/api/enrolments/tasks',
      {
        schema: {
          tags: ['enrolment'],
          summary: '待办：到期复核、死亡后复核、待审批的增发减发停发',
          response: { 200: Type.Array(Type.Ref('EnrolmentTask')), ...errorResponses },
        },
      },
      async (request) => listTasks(deps, actorOf(request), request.id),
    );
    app.get(
      '/api/enrolments/:id',
      {
        schema: {
          tags: ['enrolment'],
          summary: '一户的在册情况及其任务',
          params: ById,
          response: { 200: Type.Ref('EnrolmentDetail'), ...errorResponses },
        },
      },
      async (request) => getEnrolment(deps, actorOf(request), request.params.id, request.id),
    );
    app.post(
      '/api/enrolments/:id/changes',
      {
        schema: {
          tags: ['enrolment'],
          summary:
            '提出增发、减发、停发或渐退（须写明法律依据和理由，由另一名工作人员审批；须带 Idempotency-Key）',
          params: ById,
          headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 200 })) }),
          body: Type.Object(
            {
              kind: lit(ChangeKinds),
              legalGround: lit(Object.keys(LegalGrounds)),
              reason: Type.String({ minLength: 1, maxLength: 1000 }),
              newAmountFen: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000 })),
              phaseOutMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 6 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Ref('EnrolmentTask'), ...errorResponses },
        },
      },
      async (request) =>
        proposeChange(
          deps,
          actorOf(request),
          request.params.id,
          request.body as never,
          request.headers['idempotency-key'],
          request.id,
        ),
    );
    app.post(
      '/api/enrolments/tasks/:id/decision',
      {
        schema: {
          tags: ['enrolment'],
          summary: '审批变更（批准／不批准），或办结复核任务（复核完成）',
          params: ById,
          body: Type.Object(
            {
              decision: lit(['approve', 'reject', 'done']),
              note: Type.Optional(Type.String({ maxLength: 1000 })),
              version: Type.Integer({ minimum: 1 }),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Ref('EnrolmentDetail'), ...errorResponses },
        },
      },
      async (request) =>
        decideTask(deps, actorOf(request), request.params.id, request.body as never, request.id),
    );
  };
