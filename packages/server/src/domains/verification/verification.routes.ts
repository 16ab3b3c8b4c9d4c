import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../http/schemas.ts';
import { actorOf } from '../../http/session.ts';
import { approveFigures, getReconciliation, recordStatement } from './reconcile.service.ts';
import { reportPdf } from './report.pdf.ts';
import { getReport } from './report.service.ts';
import { addSupporter, endSupporter, listSupporters, type SupportersDeps } from './supporters.service.ts';
import {
  ApproveBody,
  AsOfQuery,
  ById,
  Reconciliation,
  StatementBody,
  Supporter,
  SupporterBody,
  VerificationReport,
} from './verification.schemas.ts';

const tags = ['verification'];

export const verificationRoutes =
  (deps: SupportersDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/verification/households/:id/report',
      {
        schema: {
          tags,
          summary:
            '家庭经济状况核对报告：成员及户外赡养义务人在该日的各部门数据（含来源）、收入、资产、疑点及所依参数；每次查看记入审计',
          params: ById,
          querystring: AsOfQuery,
          response: { 200: VerificationReport, ...errorResponses },
        },
      },
      async (request) => getReport(deps, actorOf(request), request.params.id, request.query, request.id),
    );

    app.get(
      '/api/verification/households/:id/report.pdf',
      {
        schema: {
          tags,
          summary: '核对报告（PDF，可打印，内嵌中文字体；身份证号码打码）；每次打印记入审计',
          params: ById,
          querystring: AsOfQuery,
          produces: ['application/pdf'],
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const report = await getReport(deps, actor, request.params.id, request.query, request.id, true);
        const pdf = await reportPdf(report, actor?.displayName ?? '');
        const fileName = `核对报告-${report.household.householdNumber}-${report.asOf}.pdf`;
        reply.header('content-type', 'application/pdf');
        reply.header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(fileName)}`);
        reply.header('cache-control', 'no-store');
        return reply.send(pdf);
      },
    );

    app.get(
      '/api/verification/households/:id/reconciliation',
      {
        schema: {
          tags,
          summary: '就高原则：各项收入、资产的申报值、入户调查值、核对值，取最高者及其来源；已确认的结果',
          params: ById,
          querystring: AsOfQuery,
          response: { 200: Reconciliation, ...errorResponses },
        },
      },
      async (request) =>
        getReconciliation(deps, actorOf(request), request.params.id, request.query, request.id),
    );

    app.put(
      '/api/verification/households/:id/statements/:kind',
      {
        schema: {
          tags,
          summary:
            '记录申报值（declared，并入该日的申报数据）或入户调查值（homeVisit，须两名调查人员）；同一户、类别、日期重复提交不会重复记录',
          params: Type.Object({
            id: Type.String({ format: 'uuid' }),
            kind: Type.Union([Type.Literal('declared'), Type.Literal('homeVisit')]),
          }),
          body: StatementBody,
          response: {
            200: Type.Object({
              householdId: Type.String(),
              kind: Type.String(),
              asOf: Type.String(),
              figures: Type.Record(Type.String(), Type.Number()),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) =>
        recordStatement(
          deps,
          actorOf(request),
          request.params.id,
          request.params.kind,
          request.body,
          request.id,
        ),
    );

    app.post(
      '/api/verification/households/:id/approval',
      {
        schema: {
          tags,
          summary:
            '确认核定值：每项取最高值，改动须写明理由；结果写入家庭经济数据（approved），规则引擎据此认定；记入审计',
          params: ById,
          body: ApproveBody,
          response: { 200: Reconciliation, ...errorResponses },
        },
      },
      async (request) => approveFigures(deps, actorOf(request), request.params.id, request.body, request.id),
    );

    app.get(
      '/api/verification/households/:id/supporters',
      {
        schema: {
          tags,
          summary: '户外赡养义务人（不共同生活的成年子女等）',
          params: ById,
          response: { 200: Type.Array(Supporter), ...errorResponses },
        },
      },
      async (request) => listSupporters(deps, actorOf(request), request.params.id, request.id),
    );

    app.post(
      '/api/verification/households/:id/supporters',
      {
        schema: {
          tags,
          summary: '按身份证号码登记户外赡养义务人；重复提交返回已有记录',
          params: ById,
          body: SupporterBody,
          response: { 200: Type.Object({ id: Type.String(), created: Type.Boolean() }), ...errorResponses },
        },
      },
      async (request) => addSupporter(deps, actorOf(request), request.params.id, request.body, request.id),
    );

    app.post(
      '/api/verification/households/:id/supporters/:supporterId/end',
      {
        schema: {
          tags,
          summary: '结束赡养关系（自某日起）',
          params: Type.Object({
            id: Type.String({ format: 'uuid' }),
            supporterId: Type.String({ format: 'uuid' }),
          }),
          body: Type.Object(
            { validTo: Type.Optional(Type.String({ maxLength: 20 })) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ id: Type.String(), validTo: Type.String() }), ...errorResponses },
        },
      },
      async (request) =>
        endSupporter(
          deps,
          actorOf(request),
          request.params.id,
          request.params.supporterId,
          request.body,
          request.id,
        ),
    );
  };
