/** HTTP routes of departmental data: catalogue, uploads, imports, error reports, records, push, keys. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors } from '../../http/errors.ts';
import { errorResponses } from '../../http/schemas.ts';
import { actorOf } from '../../http/session.ts';
import { Paged, pageFields } from '../registry/registry.schemas.ts';
import { spoolUpload, tooLarge } from './files.ts';
import { governanceRoutes } from './governance.routes.ts';
import { type SourcesDeps, startImport } from './import.service.ts';
import { PUSH_MAX_RECORDS, pushRecords } from './push.service.ts';
import {
  createApiKey,
  errorReport,
  getImport,
  listImports,
  listRecords,
  listSources,
  rematch,
  updateSetting,
} from './sources.service.ts';

const SourceParam = Type.Object({ source: Type.String({ pattern: '^[a-zA-Z]{2,40}$' }) });
const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Page = pageFields(100);

export const sourcesRoutes =
  (deps: SourcesDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    // Disputes and quality figures live in their own file; registered here so app.ts keeps one line.
    await app.register(governanceRoutes(deps));

    // Uploads arrive as the raw file (no multipart): streamed to a temporary file, never buffered.
    app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));

    app.get(
      '/api/sources',
      {
        schema: {
          tags: ['sources'],
          summary: '数据源目录：字段、列名、所属部门、截至日期含义、记录数、最近一次导入',
          response: { 200: Type.Array(Type.Ref('SourceType')), ...errorResponses },
        },
      },
      async (request) => listSources(deps, actorOf(request), request.id),
    );

    app.put(
      '/api/sources/:source/setting',
      {
        schema: {
          tags: ['sources'],
          summary:
            '修改数据源设置：整份文件无误才导入、列名映射（字段名 → 中文列名）、快照行数骤减提醒阈值（百分比）',
          params: SourceParam,
          body: Type.Object(
            {
              allOrNothing: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
              mapping: Type.Optional(
                Type.Union([
                  Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 100 })),
                  Type.Null(),
                ]),
              ),
              /** A snapshot under this share (percent) of the last one's rows is flagged; absent: 50. */
              // No null here: body coercion would turn 0 into null (the default) instead of a 400.
              shrinkAlertPercent: Type.Optional(Type.Integer({ minimum: 1, maximum: 99 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ ok: Type.Boolean() }), ...errorResponses },
        },
      },
      async (request) =>
        updateSetting(deps, actorOf(request), request.params.source, request.body, request.id),
    );

    app.post(
      '/api/sources/:source/imports',
      {
        schema: {
          tags: ['sources'],
          summary:
            '上传一份数据源文件（CSV/XLSX/JSON 原始字节，Content-Type: application/octet-stream）并开始导入',
          params: SourceParam,
          querystring: Type.Object(
            {
              fileName: Type.String({ minLength: 1, maxLength: 255 }),
              asOf: Type.Optional(IsoDate),
              wait: Type.Boolean({ default: false }),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Ref('SourceImport'), ...errorResponses },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const declared = Number(request.headers['content-length'] ?? 0);
        if (declared > deps.maxBytes) throw tooLarge(deps.maxBytes);
        if (!request.headers['content-type']?.startsWith('application/octet-stream'))
          throw errors.validation(
            'body',
            '请以 application/octet-stream 上传文件原始内容',
            'send the raw file',
          );
        const file = await spoolUpload(request.body as NodeJS.ReadableStream as never, deps.maxBytes);
        const handle = await startImport(
          deps,
          actor,
          {
            source: request.params.source,
            file,
            fileName: request.query.fileName,
            asOf: request.query.asOf,
            via: 'upload',
          },
          request.id,
        ).catch(async (error) => {
          await file.dispose();
          throw error;
        });
        if (request.query.wait && !handle.claimed.repeated) return handle.finished;
        return handle.claimed;
      },
    );

    app.get(
      '/api/sources/imports',
      {
        schema: {
          tags: ['sources'],
          summary: '导入记录（新的在前）：谁、何时、文件、校验和、各项计数、用时、状态',
          querystring: Type.Object(
            { source: Type.Optional(Type.String({ maxLength: 40 })), ...Page },
            { additionalProperties: false },
          ),
          response: { 200: Paged(Type.Ref('SourceImport')), ...errorResponses },
        },
      },
      async (request) => listImports(deps, actorOf(request), request.query, request.id),
    );

    app.get(
      '/api/sources/imports/:id',
      {
        schema: {
          tags: ['sources'],
          summary: '一次导入的状态与进度（已读行数、已读字节）',
          params: IdParam,
          response: { 200: Type.Ref('SourceImport'), ...errorResponses },
        },
      },
      async (request) => getImport(deps, actorOf(request), request.params.id, request.id),
    );

    app.get(
      '/api/sources/imports/:id/errors.csv',
      {
        schema: {
          tags: ['sources'],
          summary: '错误报告（CSV，中文表头：行号、列名、值、原因；身份证号码打码）',
          params: IdParam,
          produces: ['text/csv'],
        },
      },
      async (request, reply) => {
        const report = await errorReport(deps, actorOf(request), request.params.id, request.id);
        reply.header('content-type', 'text/csv; charset=utf-8');
        reply.header(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(report.fileName)}`,
        );
        return reply.send(report.stream);
      },
    );

    app.get(
      '/api/sources/records',
      {
        schema: {
          tags: ['sources'],
          summary: '部门数据记录（现行版本）：可查未比对到人员、姓名不一致、按身份证号码精确查找',
          querystring: Type.Object(
            {
              source: Type.Optional(Type.String({ maxLength: 40 })),
              unmatched: Type.Optional(Type.Boolean()),
              nameMismatch: Type.Optional(Type.Boolean()),
              idNumber: Type.Optional(Type.String({ minLength: 18, maxLength: 18 })),
              ...Page,
            },
            { additionalProperties: false },
          ),
          response: { 200: Paged(Type.Ref('SourceRecord')), ...errorResponses },
        },
      },
      async (request) => listRecords(deps, actorOf(request), request.query, request.id),
    );

    app.post(
      '/api/sources/rematch',
      {
        schema: {
          tags: ['sources'],
          summary: '把未比对到人员的记录与此后登记的人员重新比对（按身份证号码检索索引）',
          response: { 200: Type.Object({ matched: Type.Integer() }), ...errorResponses },
        },
      },
      async (request) => rematch(deps, actorOf(request), request.id),
    );

    app.post(
      '/api/sources/api-keys',
      {
        schema: {
          tags: ['sources'],
          summary: '为部门生成推送用 API 密钥（只显示一次，平台只保存其摘要）',
          body: Type.Object(
            {
              department: Type.String({ maxLength: 40 }),
              label: Type.String({ minLength: 1, maxLength: 100 }),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              id: Type.String(),
              key: Type.String(),
              prefix: Type.String(),
              department: Type.String(),
              label: Type.String(),
              regionCode: Type.String(),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => createApiKey(deps, actorOf(request), request.body, request.id),
    );

    app.post(
      '/api/sources/push/:source',
      {
        bodyLimit: 32 * 1024 * 1024,
        schema: {
          tags: ['sources'],
          summary:
            '部门系统推送记录（Authorization: Bearer 部门 API 密钥；Idempotency-Key 防止重试重复导入）',
          params: SourceParam,
          headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 100 })) }),
          body: Type.Object(
            {
              asOf: IsoDate,
              records: Type.Array(Type.Record(Type.String({ maxLength: 100 }), Type.Unknown()), {
                minItems: 1,
                maxItems: PUSH_MAX_RECORDS,
              }),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Ref('SourceImport'), ...errorResponses },
        },
      },
      async (request) =>
        pushRecords(
          deps,
          request.headers.authorization,
          request.params.source,
          request.body,
          request.headers['idempotency-key'],
          request.id,
        ),
    );
  };
