/** HTTP routes of data governance: disputed records, the departments' answers, quality per source. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../http/schemas.ts';
import { actorOf } from '../../http/session.ts';
import { Paged, pageFields } from '../registry/registry.schemas.ts';
import { answerDispute, listDisputes, raiseDispute, sourceQuality } from './governance.service.ts';
import type { SourcesDeps } from './import.service.ts';

const Status = Type.Union([Type.Literal('open'), Type.Literal('corrected'), Type.Literal('rejected')]);

// Texts are checked in the service (2..500 characters, with a Chinese message naming the field);
// the schema only stops absurd bodies before they are parsed further.
const LongText = Type.String({ maxLength: 20_000 });

export const governanceRoutes =
  (deps: SourcesDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/api/sources/records/:id/disputes',
      {
        schema: {
          tags: ['sources'],
          summary: '对一条部门数据记录提出异议（说明原因）；同一记录已有未答复的异议时返回原异议',
          params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) }),
          body: Type.Object({ reason: LongText }, { additionalProperties: false }),
          response: { 200: Type.Ref('SourceDispute'), ...errorResponses },
        },
      },
      async (request) => raiseDispute(deps, actorOf(request), request.params.id, request.body, request.id),
    );

    app.get(
      '/api/sources/disputes',
      {
        schema: {
          tags: ['sources'],
          summary: '数据异议清单（按数据源所属部门；部门工作人员只看到本部门的），未答复的在前',
          querystring: Type.Object(
            {
              status: Type.Optional(Status),
              source: Type.Optional(Type.String({ maxLength: 40 })),
              department: Type.Optional(Type.String({ maxLength: 40 })),
              ...pageFields(100),
            },
            { additionalProperties: false },
          ),
          response: { 200: Paged(Type.Ref('SourceDispute')), ...errorResponses },
        },
      },
      async (request) => listDisputes(deps, actorOf(request), request.query, request.id),
    );

    app.post(
      '/api/sources/disputes/:id/answer',
      {
        schema: {
          tags: ['sources'],
          summary: '数据源部门答复异议：已更正（下次报送更正后的记录）或不予更正（记录无误），须写明答复',
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          body: Type.Object(
            { status: Type.Union([Type.Literal('corrected'), Type.Literal('rejected')]), answer: LongText },
            { additionalProperties: false },
          ),
          response: { 200: Type.Ref('SourceDispute'), ...errorResponses },
        },
      },
      async (request) => answerDispute(deps, actorOf(request), request.params.id, request.body, request.id),
    );

    app.get(
      '/api/sources/quality',
      {
        schema: {
          tags: ['sources'],
          summary: '各数据源的数据质量：比对率、拒绝比例、异议数、数据新鲜度',
          response: { 200: Type.Array(Type.Ref('SourceQuality')), ...errorResponses },
        },
      },
      async (request) => sourceQuality(deps, actorOf(request), request.id),
    );
  };
