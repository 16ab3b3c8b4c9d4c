/** Routes of delegated verification (委托核对) and the after-death estate inquiry (身后一件事). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../http/schemas.ts';
import { actorOf } from '../../http/session.ts';
import {
  AccessLog,
  ById,
  CompleteBody,
  DelegatedBody,
  DelegatedRequest,
  DelegatedResult,
  EstateBody,
  EstateInquiry,
  EstateSummary,
  FiledEstate,
  FiledRequest,
  IdempotencyHeaders,
  ListQuery,
  Purpose,
  RefuseBody,
} from './delegated.schemas.ts';
import {
  completeDelegated,
  type DelegatedDeps,
  fileDelegated,
  getDelegated,
  listDelegatedRequests,
  listPurposes,
  refuseDelegated,
} from './delegated.service.ts';
import { delegatedAccessLog, downloadAuthorisation, readDelegatedResult } from './delegatedResult.service.ts';
import { estatePdf } from './estate.pdf.ts';
import { fileEstateInquiry, listEstateInquiries, readEstateInquiry } from './estate.service.ts';

const tags = ['verification'];

export const delegatedRoutes =
  (deps: DelegatedDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/verification/purposes',
      {
        schema: {
          tags,
          summary:
            '委托核对用途目录：每种用途可见的数据源和字段、结果有效天数、依据（部门只看到本部门可用的）',
          response: { 200: Type.Array(Purpose), ...errorResponses },
        },
      },
      async (request) => listPurposes(actorOf(request)),
    );

    app.post(
      '/api/verification/delegated',
      {
        schema: {
          tags,
          summary: '部门提出委托核对：核对对象、用途、申请人授权书（编号和日期必填）；须带 Idempotency-Key',
          headers: IdempotencyHeaders,
          body: DelegatedBody,
          response: { 200: FiledRequest, ...errorResponses },
        },
      },
      async (request) =>
        fileDelegated(deps, actorOf(request), request.body, request.headers['idempotency-key'], request.id),
    );

    app.get(
      '/api/verification/delegated',
      {
        schema: {
          tags,
          summary: '委托核对列表：部门只看到本部门的委托，核对中心看到辖区内全部',
          querystring: ListQuery,
          response: { 200: Type.Array(DelegatedRequest), ...errorResponses },
        },
      },
      async (request) => listDelegatedRequests(deps, actorOf(request), request.query, request.id),
    );

    app.get(
      '/api/verification/delegated/:id',
      {
        schema: {
          tags,
          summary: '一份委托核对（不含结果）',
          params: ById,
          response: { 200: DelegatedRequest, ...errorResponses },
        },
      },
      async (request) => getDelegated(deps, actorOf(request), request.params.id, request.id),
    );

    app.get(
      '/api/verification/delegated/:id/result',
      {
        schema: {
          tags,
          summary: '核对结果（只含该用途可见的数据，办结时冻结）；过期返回410；每次查看记入访问记录和审计',
          params: ById,
          response: { 200: DelegatedResult, ...errorResponses },
        },
      },
      async (request) => readDelegatedResult(deps, actorOf(request), request.params.id, request.id),
    );

    app.post(
      '/api/verification/delegated/:id/complete',
      {
        schema: {
          tags,
          summary: '核对中心办结：按用途取截至该日的数据，冻结结果，自今日起计有效期',
          params: ById,
          body: CompleteBody,
          response: { 200: DelegatedRequest, ...errorResponses },
        },
      },
      async (request) =>
        completeDelegated(deps, actorOf(request), request.params.id, request.body, request.id),
    );

    app.post(
      '/api/verification/delegated/:id/refuse',
      {
        schema: {
          tags,
          summary: '核对中心不予办理，须写明理由',
          params: ById,
          body: RefuseBody,
          response: { 200: DelegatedRequest, ...errorResponses },
        },
      },
      async (request) => refuseDelegated(deps, actorOf(request), request.params.id, request.body, request.id),
    );

    app.get(
      '/api/verification/delegated/:id/access',
      {
        schema: {
          tags,
          summary: '委托核对的访问记录（委托部门和核对中心可见）',
          params: ById,
          response: { 200: AccessLog, ...errorResponses },
        },
      },
      async (request) =>
        delegatedAccessLog(deps, actorOf(request), 'delegated', request.params.id, request.id),
    );

    app.get(
      '/api/verification/delegated/:id/authorisation',
      {
        schema: {
          tags,
          summary:
            '下载申请人授权书扫描件（委托部门和核对中心可下载；其他部门、未上传扫描件均为404）；每次下载记入访问记录和审计',
          params: ById,
          produces: ['application/pdf', 'image/jpeg', 'image/png'],
        },
      },
      async (request, reply) => {
        const file = await downloadAuthorisation(deps, actorOf(request), request.params.id, request.id);
        reply.header('content-type', file.contentType);
        reply.header(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
        );
        reply.header('cache-control', 'no-store');
        reply.header('x-content-type-options', 'nosniff');
        return reply.send(file.bytes);
      },
    );

    app.post(
      '/api/verification/estate',
      {
        schema: {
          tags,
          summary:
            '身后一件事：继承人经授权查询死者名下各部门登记的财产，按死亡之日出具一份报告；无死亡记录、亲属关系未登记且无公证书时不予出具；须带 Idempotency-Key',
          headers: IdempotencyHeaders,
          body: EstateBody,
          response: { 200: FiledEstate, ...errorResponses },
        },
      },
      async (request) =>
        fileEstateInquiry(
          deps,
          actorOf(request),
          request.body,
          request.headers['idempotency-key'],
          request.id,
        ),
    );

    app.get(
      '/api/verification/estate',
      {
        schema: {
          tags,
          summary: '身后一件事查询列表（核对中心）',
          querystring: Type.Object(
            { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Array(EstateSummary), ...errorResponses },
        },
      },
      async (request) => listEstateInquiries(deps, actorOf(request), request.query, request.id),
    );

    app.get(
      '/api/verification/estate/:id',
      {
        schema: {
          tags,
          summary: '身后一件事查询及其报告；每次查看记入访问记录和审计',
          params: ById,
          response: { 200: EstateInquiry, ...errorResponses },
        },
      },
      async (request) => readEstateInquiry(deps, actorOf(request), request.params.id, request.id),
    );

    app.get(
      '/api/verification/estate/:id/report.pdf',
      {
        schema: {
          tags,
          summary: '身后一件事报告（PDF，可打印，内嵌中文字体，身份证号码打码）；每次打印记入访问记录和审计',
          params: ById,
          produces: ['application/pdf'],
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const inquiry = await readEstateInquiry(deps, actor, request.params.id, request.id, true);
        const pdf = await estatePdf(inquiry, actor?.displayName ?? '');
        const fileName = `身后一件事查询-${inquiry.deceased.name}-${inquiry.deceased.deathDate ?? ''}.pdf`;
        reply.header('content-type', 'application/pdf');
        reply.header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(fileName)}`);
        reply.header('cache-control', 'no-store');
        return reply.send(pdf);
      },
    );

    app.get(
      '/api/verification/estate/:id/access',
      {
        schema: {
          tags,
          summary: '身后一件事查询的访问记录',
          params: ById,
          response: { 200: AccessLog, ...errorResponses },
        },
      },
      async (request) => delegatedAccessLog(deps, actorOf(request), 'estate', request.params.id, request.id),
    );
  };
