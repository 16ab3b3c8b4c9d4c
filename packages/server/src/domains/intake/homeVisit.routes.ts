/** Home visit (入户调查) routes: save, photos, confirmation by the second investigator, my queue. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../http/schemas.ts';
import { actorOf } from '../../http/session.ts';
import type { IntakeDeps } from './applications.service.ts';
import { MAX_PHOTO_BYTES } from './homeVisit.photos.ts';
import { ConfirmVisitBody, HomeVisit, SaveVisitBody } from './homeVisit.schemas.ts';
import {
  addPhoto,
  awaitingMe,
  caseVisit,
  confirmVisit,
  photoContent,
  saveVisit,
} from './homeVisit.service.ts';

const ById = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const homeVisitRoutes =
  (deps: IntakeDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    // Photos arrive as the raw image bytes (no multipart); checked by magic bytes, not by this header.
    app.addContentTypeParser(
      /^image\/[a-z0-9.+-]+$/,
      { parseAs: 'buffer', bodyLimit: MAX_PHOTO_BYTES },
      (_request, body, done) => done(null, body),
    );

    app.put(
      '/api/intake/cases/:id/home-visit',
      {
        schema: {
          tags: ['intake'],
          summary:
            '登记入户调查（第一名调查人员）：时间、地点（经同意的手机定位或手填地址）、调查所见收入资产与生活状况，并指定第二名调查人员；同样内容重复提交只保存一次',
          params: ById,
          body: SaveVisitBody,
          response: { 200: HomeVisit, ...errorResponses },
        },
      },
      async (request) => saveVisit(deps, actorOf(request), request.params.id, request.body, request.id),
    );

    app.get(
      '/api/intake/cases/:id/home-visit',
      {
        schema: {
          tags: ['intake'],
          summary: '案件的入户调查记录（当前或最近一次）',
          params: ById,
          response: { 200: Type.Object({ visit: Type.Union([HomeVisit, Type.Null()]) }), ...errorResponses },
        },
      },
      async (request) => caseVisit(deps, actorOf(request), request.params.id, request.id),
    );

    app.post(
      '/api/intake/home-visits/:id/photos',
      {
        bodyLimit: MAX_PHOTO_BYTES,
        schema: {
          tags: ['intake'],
          summary:
            '上传一张入户照片（请求体为图片原始字节，Content-Type: image/jpeg、image/png 或 image/webp；不超过10MB；按文件头识别格式，重新编码并去除EXIF定位等元数据）',
          params: ById,
          querystring: Type.Object(
            { caption: Type.Optional(Type.String({ maxLength: 100 })) },
            { additionalProperties: false },
          ),
          response: { 200: HomeVisit, ...errorResponses },
        },
      },
      async (request) =>
        addPhoto(
          deps,
          actorOf(request),
          request.params.id,
          request.body as Buffer,
          request.query.caption,
          request.id,
        ),
    );

    app.get(
      '/api/intake/home-visits/:id/photos/:photoId',
      {
        schema: {
          tags: ['intake'],
          summary: '入户照片（JPEG）',
          params: Type.Object({
            id: Type.String({ format: 'uuid' }),
            photoId: Type.String({ format: 'uuid' }),
          }),
        },
      },
      async (request, reply) => {
        const bytes = await photoContent(
          deps,
          actorOf(request),
          request.params.id,
          request.params.photoId,
          request.id,
        );
        return reply
          .type('image/jpeg')
          .header('cache-control', 'private, max-age=3600')
          .header('x-content-type-options', 'nosniff')
          .send(bytes);
      },
    );

    app.post(
      '/api/intake/home-visits/:id/confirm',
      {
        schema: {
          tags: ['intake'],
          summary: '第二名调查人员确认入户调查：确认后记入该环节的入户调查表，调查数字交就高认定（核对）',
          params: ById,
          body: ConfirmVisitBody,
          response: { 200: HomeVisit, ...errorResponses },
        },
      },
      async (request) => confirmVisit(deps, actorOf(request), request.params.id, request.body, request.id),
    );

    app.get(
      '/api/intake/home-visits/awaiting-me',
      {
        schema: {
          tags: ['intake'],
          summary: '待我（第二名调查人员）确认的入户调查',
          response: { 200: Type.Array(HomeVisit), ...errorResponses },
        },
      },
      async (request) => awaitingMe(deps, actorOf(request), request.id),
    );
  };
