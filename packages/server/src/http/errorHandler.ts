/** Turns every failure into the one JSON error shape, with a Chinese message. */
import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, describeValidation } from './errors.ts';

interface ErrorBody {
  code: string;
  message: string;
  messageEn: string;
  field?: string;
  requestId: string;
}

function fieldOf(instancePath: string, params: Record<string, unknown>): string {
  if (typeof params.missingProperty === 'string') return params.missingProperty;
  if (typeof params.additionalProperty === 'string') return params.additionalProperty;
  return instancePath.replace(/^\//, '').replaceAll('/', '.');
}

const FRAMEWORK_ERRORS: Record<string, [number, string, string, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'PAYLOAD_TOO_LARGE', '提交的内容过大', 'request body too large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    '不支持的内容类型',
    'unsupported content type',
  ],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'MALFORMED_BODY', '请求内容为空', 'empty JSON body'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'MALFORMED_BODY', '请求内容不是有效的JSON', 'malformed JSON'],
  FST_CSRF_MISSING_SECRET: [403, 'CSRF_INVALID', '页面已过期，请刷新后重试', 'CSRF token missing'],
  FST_CSRF_INVALID_TOKEN: [403, 'CSRF_INVALID', '页面已过期，请刷新后重试', 'CSRF token invalid'],
  FST_ERR_BAD_URL: [400, 'BAD_URL', '网址格式不正确', 'malformed URL'],
};

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const body = (statusCode: number, fields: Omit<ErrorBody, 'requestId'>) =>
      reply.status(statusCode).send({ ...fields, requestId: request.id } satisfies ErrorBody);

    if (error instanceof AppError) {
      return body(error.statusCode, {
        code: error.code,
        message: error.message,
        messageEn: error.messageEn,
        ...(error.field ? { field: error.field } : {}),
      });
    }
    if (error.validation && error.validation.length > 0) {
      const first = error.validation[0] as {
        keyword: string;
        instancePath: string;
        params: Record<string, unknown>;
      };
      const field = fieldOf(first.instancePath, first.params ?? {});
      const text = describeValidation(first.keyword, field, first.params ?? {});
      return body(400, { code: 'VALIDATION_FAILED', ...text, field });
    }
    const known = error.code ? FRAMEWORK_ERRORS[error.code] : undefined;
    if (known) return body(known[0], { code: known[1], message: known[2], messageEn: known[3] });
    if (error.statusCode === 429) {
      return body(429, {
        code: 'RATE_LIMITED',
        message: '操作过于频繁，请稍后再试',
        messageEn: 'too many requests',
      });
    }
    if (error instanceof SyntaxError) {
      return body(400, {
        code: 'MALFORMED_BODY',
        message: '请求内容不是有效的JSON',
        messageEn: 'malformed JSON',
      });
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return body(error.statusCode, {
        code: 'BAD_REQUEST',
        message: '请求无法处理',
        messageEn: error.message,
      });
    }
    request.log.error({ err: error }, 'unhandled error');
    return body(500, {
      code: 'INTERNAL_ERROR',
      message: '系统内部错误，请稍后再试',
      messageEn: 'internal error',
    });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      code: 'NOT_FOUND',
      message: '您访问的接口不存在',
      messageEn: `no route ${request.method} ${request.url.split('?')[0]}`,
      requestId: request.id,
    } satisfies ErrorBody),
  );
}
