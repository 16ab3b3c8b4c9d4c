import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/database.ts';
import { errorResponses, Ok } from '../../http/schemas.ts';
import { actorOf } from '../../http/session.ts';
import * as service from './policies.service.ts';
import * as drafts from './policyDraft.service.ts';
import { MAX_FILE_CHARS } from './policyText.ts';

const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const FileName = Type.String({
  minLength: 6,
  maxLength: 220,
  pattern: '^(parameters|variables|policies|indicators|triggers)/[A-Za-z0-9_/.]+\\.yaml$',
  description: 'catalogue file relative to catalog/, e.g. parameters/dibaoStandardRural.yaml',
});
const Text = Type.String({ maxLength: MAX_FILE_CHARS });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const Version = Type.Object(
  {
    file: Type.String(),
    versionNo: Type.Integer(),
    sha256: Type.String(),
    baseSha256: Type.String(),
    effectiveFrom: Type.String(),
    reason: Type.String(),
    regionCode: Type.String(),
    publishedBy: Type.String(),
    publishedByName: Nullable(Type.String()),
    publishedAt: Type.String(),
  },
  { $id: 'PolicyVersion' },
);

const Draft = Type.Object(
  {
    file: Type.String(),
    body: Type.String(),
    scenarioBody: Nullable(Type.String()),
    baseSha256: Type.String(),
    revision: Type.Integer(),
    updatedByName: Nullable(Type.String()),
    updatedAt: Type.String(),
    stale: Type.Boolean(),
  },
  { $id: 'PolicyDraft' },
);

const Located = Type.Object({
  file: Type.String(),
  line: Type.Integer(),
  column: Type.Integer(),
  code: Type.String(),
  message: Type.String(),
});

const CheckResult = Type.Object(
  {
    passed: Type.Boolean(),
    problems: Type.Array(Located),
    scenarios: Type.Object({
      total: Type.Integer(),
      passed: Type.Integer(),
      failures: Type.Array(
        Type.Object({
          file: Type.String(),
          policy: Type.String(),
          name: Type.String(),
          differences: Type.Array(Type.String()),
        }),
      ),
    }),
    tookMs: Type.Integer(),
  },
  { $id: 'PolicyCheckResult' },
);

const Hunk = Type.Object({
  oldStart: Type.Integer(),
  oldLines: Type.Integer(),
  newStart: Type.Integer(),
  newLines: Type.Integer(),
  lines: Type.Array(Type.String()),
});

const Name = Type.Object({ zh: Type.String(), en: Type.String() });

const PolicyDetail = Type.Object({
  id: Type.String(),
  name: Name,
  reference: Type.String(),
  department: Type.String(),
  category: Type.String(),
  legalBasis: Type.Array(Type.String()),
  process: Type.String(),
  timeLimitWorkingDays: Type.Union([Type.Integer(), Type.Null()]),
  office: Type.String(),
  phone: Type.String(),
  documents: Type.Array(Type.String()),
  requiredFacts: Type.Array(Type.String()),
  conditions: Type.Array(
    Type.Object({
      id: Type.String(),
      veto: Type.Boolean(),
      expression: Type.String(),
      explanation: Type.String(),
    }),
  ),
  amount: Type.Union([
    Type.Object({ formula: Type.String(), unit: Type.String(), rounding: Type.String() }),
    Type.Null(),
  ]),
});

export const policySchemas = [Version, Draft, CheckResult];

const FileQuery = Type.Object({ file: FileName });
const DateQuery = Type.Object({ date: Type.Optional(IsoDate) });

export const policiesRoutes =
  (db: Database): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['policies'];
    app.get(
      '/api/policies',
      {
        schema: {
          tags,
          summary: '政策一本账：某日施行的政策及其版本，参数、变量文件',
          querystring: DateQuery,
          response: {
            200: Type.Object({
              date: Type.String(),
              version: Type.String({ description: '该日施行的政策目录版本（存入每个测算结果）' }),
              policies: Type.Array(
                Type.Object({
                  file: Type.String(),
                  id: Type.String(),
                  name: Name,
                  department: Type.String(),
                  category: Type.String(),
                  versionNo: Type.Integer({ description: '0 = 随版本发布的基线文件' }),
                  effectiveFrom: Nullable(Type.String()),
                  scheduled: Type.Union([
                    Type.Object({ versionNo: Type.Integer(), effectiveFrom: Type.String() }),
                    Type.Null(),
                  ]),
                  hasDraft: Type.Boolean(),
                }),
              ),
              files: Type.Array(
                Type.Object({
                  file: Type.String(),
                  versionNo: Type.Integer(),
                  effectiveFrom: Nullable(Type.String()),
                  latestVersionNo: Type.Integer(),
                  hasDraft: Type.Boolean(),
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => service.listLedger(db, actorOf(request), request.query.date, request.id),
    );

    app.get(
      '/api/policies/catalog',
      {
        schema: {
          tags,
          summary: '某日施行的政策目录版本号及其替换基线的文件版本（供核对测算结果）',
          querystring: DateQuery,
          response: {
            200: Type.Object({
              date: Type.String(),
              version: Type.String(),
              overlays: Type.Array(
                Type.Object({
                  file: Type.String(),
                  versionNo: Type.Integer(),
                  sha256: Type.String(),
                  effectiveFrom: Type.String(),
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => service.catalogInForce(db, actorOf(request), request.query.date, request.id),
    );

    app.get(
      '/api/policies/file',
      {
        schema: {
          tags,
          summary: '政策、参数或变量文件：最新文本、版本历史、本辖区草稿',
          querystring: FileQuery,
          response: {
            200: Type.Object({
              file: Type.String(),
              kind: Type.Union([
                Type.Literal('parameters'),
                Type.Literal('variables'),
                Type.Literal('policies'),
                Type.Literal('indicators'),
                Type.Literal('triggers'),
              ]),
              body: Type.String(),
              sha256: Type.String(),
              versionNo: Type.Integer(),
              scenarioFile: Nullable(Type.String()),
              scenarioBody: Nullable(Type.String()),
              inForceToday: Type.Integer(),
              versions: Type.Array(Type.Ref('PolicyVersion')),
              scenarioVersions: Type.Array(Type.Ref('PolicyVersion')),
              draft: Type.Union([Type.Ref('PolicyDraft'), Type.Null()]),
              policy: Type.Union([PolicyDetail, Type.Null()]),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => service.getFile(db, actorOf(request), request.query.file, request.id),
    );

    app.get(
      '/api/policies/version',
      {
        schema: {
          tags,
          summary: '某个历史版本的全文（0 = 基线）',
          querystring: Type.Object({
            file: Type.String({ minLength: 6, maxLength: 240, pattern: '^[A-Za-z0-9_/.]+\\.yaml$' }),
            versionNo: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
          }),
          response: {
            200: Type.Object({
              file: Type.String(),
              versionNo: Type.Integer(),
              body: Type.String(),
              sha256: Type.String(),
              effectiveFrom: Nullable(Type.String()),
              baseline: Type.Boolean(),
              reason: Type.Optional(Type.String()),
              publishedByName: Type.Optional(Nullable(Type.String())),
              publishedAt: Type.Optional(Type.String()),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) =>
        service.getVersion(db, actorOf(request), request.query.file, request.query.versionNo, request.id),
    );

    app.put(
      '/api/policies/draft',
      {
        schema: {
          tags,
          summary: '保存草稿（本辖区共用；修改已有草稿须带 revision）',
          body: Type.Object(
            {
              file: FileName,
              body: Text,
              scenarioBody: Type.Optional(Text),
              revision: Type.Optional(Type.Integer({ minimum: 1 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Ref('PolicyDraft'), ...errorResponses },
        },
      },
      async (request) => service.saveDraft(db, actorOf(request), request.body, request.id),
    );

    app.delete(
      '/api/policies/draft',
      {
        schema: {
          tags,
          summary: '放弃草稿',
          querystring: FileQuery,
          response: { 200: Ok, ...errorResponses },
        },
      },
      async (request) => service.discardDraft(db, actorOf(request), request.query.file, request.id),
    );

    app.post(
      '/api/policies/draft/check',
      {
        schema: {
          tags,
          summary: '检查草稿：编译全部政策目录、运行全部场景测试和规范检查',
          body: Type.Object(
            { file: FileName, effectiveDate: Type.Optional(IsoDate) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Ref('PolicyCheckResult'), ...errorResponses },
        },
      },
      async (request) =>
        drafts.checkDraft(db, actorOf(request), request.body.file, request.body.effectiveDate, request.id),
    );

    app.get(
      '/api/policies/draft/diff',
      {
        schema: {
          tags,
          summary: '草稿与最新版本的逐行差异',
          querystring: FileQuery,
          response: {
            200: Type.Object({
              file: Type.String(),
              base: Type.Object({ versionNo: Type.Integer(), sha256: Type.String() }),
              hunks: Type.Array(Hunk),
              scenarioFile: Nullable(Type.String()),
              scenarioHunks: Type.Array(Hunk),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => drafts.diffDraft(db, actorOf(request), request.query.file, request.id),
    );

    app.post(
      '/api/policies/draft/publish',
      {
        schema: {
          tags,
          summary: '发布草稿为新版本（检查全部通过才可发布；生效日期不早于今天）',
          body: Type.Object(
            {
              file: FileName,
              effectiveDate: IsoDate,
              reason: Type.String({ minLength: 2, maxLength: 1000 }),
              revision: Type.Integer({ minimum: 1 }),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              versions: Type.Array(Type.Ref('PolicyVersion')),
              check: Type.Ref('PolicyCheckResult'),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => drafts.publishDraft(db, actorOf(request), request.body, request.id),
    );
  };
