/**
 * Decisions and statutory documents (文书): a case's documents and decision record for staff, the
 * resident's own household's documents, the stored PDF of one, and their service (送达回执 and the
 * record of service). Registers the case and enrolment hooks that issue them, so app.ts needs one line.
 */

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { errorResponses } from '../../http/schemas.ts';
import { actorOf } from '../../http/session.ts';
import type { IntakeDeps } from '../intake/applications.service.ts';
import type { PersonalDataCipher } from '../registry/personalData.crypto.ts';
import { registerDecisionHooks } from './decisions.hooks.ts';
import { DocumentKinds } from './documentCatalog.ts';
import { printReceipt, recordService } from './documentService.service.ts';
import { caseDocuments, downloadForResident, downloadForStaff, myDocuments } from './documents.service.ts';
import { correctService } from './serviceCorrection.service.ts';
import { RecipientRelations, ServiceMethods } from './serviceRules.ts';

const N = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

export interface DecisionDeps extends IntakeDeps {
  cipher: PersonalDataCipher;
}

const Method = Type.Union(ServiceMethods.map((m) => Type.Literal(m)));
const Relation = Type.Union(RecipientRelations.map((r) => Type.Literal(r)));

/** One service record, as entered or as corrected (correctionReason says why it replaced the last). */
const serviceRecordFields = {
  id: Type.String(),
  method: Method,
  servedOn: Type.String(),
  recipientName: Type.String(),
  recipientRelation: Relation,
  witnessName: N(Type.String()),
  refusalReason: N(Type.String()),
  trackingNumber: N(Type.String()),
  serverName: Type.String(),
  note: N(Type.String()),
  recordedByName: Type.String(),
  recordedAt: Type.String(),
  correctionReason: N(Type.String()),
};

export const DocumentService = Type.Object(
  {
    ...serviceRecordFields,
    /** From the day served; null for documents that name no route of appeal. */
    appeal: N(Type.Object({ reconsiderationBy: Type.String(), litigationBy: Type.String() })),
    /** The records this one corrected, newest first (kept: the file shows what was changed and why). */
    superseded: Type.Array(Type.Object(serviceRecordFields)),
  },
  { $id: 'DocumentService' },
);

export const StatutoryDocument = Type.Object(
  {
    id: Type.String(),
    kind: Type.Union(DocumentKinds.map((k) => Type.Literal(k))),
    number: Type.String(),
    title: Type.String(),
    issuedOn: Type.String(),
    issuer: Type.String(),
    addressee: Type.String(),
    caseId: N(Type.String()),
    policyId: Type.String(),
    sha256: Type.String(),
    byteSize: Type.Integer(),
    service: N(Type.Ref('DocumentService')),
    /** The receipt of service (送达回执), once printed or the service recorded. */
    receipt: N(Type.Object({ id: Type.String(), number: Type.String() })),
  },
  { $id: 'StatutoryDocument' },
);

export const CaseDecision = Type.Object(
  {
    id: Type.String(),
    caseId: Type.String(),
    outcome: Type.Union([Type.Literal('approved'), Type.Literal('refused'), Type.Literal('rejected')]),
    step: Type.String(),
    decidedOn: Type.String(),
    policyId: Type.String(),
    policyVersionNo: N(Type.Integer()),
    policyEffectiveFrom: N(Type.String()),
    catalogVersion: Type.String(),
    ruleStatus: Type.String(),
    ruleAmountFen: N(Type.Integer()),
    traceZh: N(Type.String()),
    figuresAsOf: N(Type.String()),
    figures: Type.Array(
      Type.Object({
        name: Type.String(),
        label: Type.String(),
        labelEn: Type.String(),
        unit: Type.String(),
        value: Type.Number(),
      }),
    ),
    amountFen: N(Type.Integer()),
    legalGround: Type.String(),
    reason: N(Type.String()),
    decidedByName: Type.String(),
  },
  { $id: 'CaseDecision' },
);

const ById = Type.Object({ id: Type.String({ format: 'uuid' }) });
const tags = ['decisions'];

/** attachment; an ASCII fallback name and the Chinese one encoded per RFC 5987 / RFC 6266. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^A-Za-z0-9._-]/g, '_').replace(/_+/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )}`;
}

function sendPdf(reply: FastifyReply, file: { fileName: string; pdf: Buffer; sha256: string }) {
  reply.header('content-type', 'application/pdf');
  reply.header('content-disposition', contentDisposition(file.fileName));
  reply.header('cache-control', 'no-store');
  reply.header('x-content-sha256', file.sha256);
  return reply.send(file.pdf);
}

const NameText = Type.String({ minLength: 1, maxLength: 50 });
const ServiceBody = Type.Object(
  {
    method: Method,
    servedOn: Type.String({ maxLength: 10 }),
    recipientName: NameText,
    recipientRelation: Relation,
    witnessName: Type.Optional(Type.String({ maxLength: 50 })),
    refusalReason: Type.Optional(Type.String({ maxLength: 200 })),
    trackingNumber: Type.Optional(Type.String({ maxLength: 40 })),
    serverName: Type.Optional(NameText),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
const CorrectionBody = Type.Object(
  {
    ...ServiceBody.properties,
    corrects: Type.String({ format: 'uuid' }),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);
const ServiceAnswer = Type.Object({ document: Type.Ref('StatutoryDocument'), replayed: Type.Boolean() });

export const decisionRoutes =
  (deps: DecisionDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    registerDecisionHooks(deps.cipher);
    app.get(
      '/api/intake/cases/:id/documents',
      {
        schema: {
          tags,
          summary:
            '案件的文书（受理、不予受理、决定、不予批准、终止通知书）和决定记录（政策版本、规则依据、核定数字）',
          params: ById,
          response: {
            200: Type.Object({
              documents: Type.Array(Type.Ref('StatutoryDocument')),
              decision: N(Type.Ref('CaseDecision')),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => caseDocuments(deps, actorOf(request), request.params.id, request.id),
    );
    app.get(
      '/api/documents/:id/pdf',
      {
        schema: {
          tags,
          summary: '下载文书（PDF，生成时保存的原件）；每次下载记入审计',
          params: ById,
          produces: ['application/pdf'],
        },
      },
      async (request, reply) =>
        sendPdf(reply, await downloadForStaff(deps, actorOf(request), request.params.id, request.id)),
    );
    app.post(
      '/api/documents/:id/receipt',
      {
        schema: {
          tags,
          summary:
            '打印送达回执：第一次调用时编号生成并保存（记入审计），以后返回同一份；下载用 /api/documents/{回执id}/pdf',
          params: ById,
          response: { 200: Type.Ref('StatutoryDocument'), ...errorResponses },
        },
      },
      async (request) => printReceipt(deps, actorOf(request), request.params.id, request.id),
    );
    app.post(
      '/api/documents/:id/service',
      {
        schema: {
          tags,
          summary:
            '登记送达（方式、日期、签收人；留置送达须有见证人和拒收事由）；每份文书一次，须带 Idempotency-Key，重试返回第一次的结果',
          params: ById,
          headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 200 })) }),
          body: ServiceBody,
          response: { 200: ServiceAnswer, ...errorResponses },
        },
      },
      async (request) =>
        recordService(
          deps,
          actorOf(request),
          request.params.id,
          request.body,
          request.headers['idempotency-key'],
          request.id,
        ),
    );
    app.post(
      '/api/documents/:id/service/correction',
      {
        schema: {
          tags,
          summary:
            '更正送达记录（登记人本人或县级民政部门，须写明理由）：原记录保留为已更正，复议和诉讼期限按更正后的送达日期重新计算；须带 Idempotency-Key',
          params: ById,
          headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 200 })) }),
          body: CorrectionBody,
          response: { 200: ServiceAnswer, ...errorResponses },
        },
      },
      async (request) =>
        correctService(
          deps,
          actorOf(request),
          request.params.id,
          request.body,
          request.headers['idempotency-key'],
          request.id,
        ),
    );
    app.get(
      '/api/resident/documents',
      {
        schema: {
          tags,
          summary: '居民：本户的文书',
          response: { 200: Type.Array(Type.Ref('StatutoryDocument')), ...errorResponses },
        },
      },
      async (request) => myDocuments(deps, actorOf(request), request.id),
    );
    app.get(
      '/api/resident/documents/:id/pdf',
      {
        schema: {
          tags,
          summary: '居民：下载本户的文书（PDF）；每次下载记入审计',
          params: ById,
          produces: ['application/pdf'],
        },
      },
      async (request, reply) =>
        sendPdf(reply, await downloadForResident(deps, actorOf(request), request.params.id, request.id)),
    );
  };

export async function registerDecisionServices(app: FastifyInstance, deps: DecisionDeps): Promise<void> {
  app.addSchema(DocumentService);
  app.addSchema(StatutoryDocument);
  app.addSchema(CaseDecision);
  await app.register(decisionRoutes(deps));
}
