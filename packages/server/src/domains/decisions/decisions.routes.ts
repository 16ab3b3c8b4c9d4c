/**
 * Decisions and statutory documents (文书): a case's documents and decision record for staff, the
 * resident's own household's documents, and the stored PDF of one. Registers the case and enrolment
 * hooks that issue them, so app.ts needs one line.
 */

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { errorResponses } from '../../http/schemas.ts';
import { actorOf } from '../../http/session.ts';
import type { IntakeDeps } from '../intake/applications.service.ts';
import { registerDecisionHooks } from './decisions.hooks.ts';
import { caseDocuments, downloadForResident, downloadForStaff, myDocuments } from './documents.service.ts';

const N = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const StatutoryDocument = Type.Object(
  {
    id: Type.String(),
    kind: Type.Union(
      ['acceptance', 'intakeRefusal', 'confirmation', 'refusal', 'termination'].map((k) => Type.Literal(k)),
    ),
    number: Type.String(),
    title: Type.String(),
    issuedOn: Type.String(),
    issuer: Type.String(),
    addressee: Type.String(),
    caseId: N(Type.String()),
    policyId: Type.String(),
    sha256: Type.String(),
    byteSize: Type.Integer(),
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

export const decisionRoutes =
  (deps: IntakeDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    registerDecisionHooks();
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

export async function registerDecisionServices(app: FastifyInstance, deps: IntakeDeps): Promise<void> {
  app.addSchema(StatutoryDocument);
  app.addSchema(CaseDecision);
  await app.register(decisionRoutes(deps));
}
