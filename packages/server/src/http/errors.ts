/**
 * Every error leaves the API as JSON with a stable code (for programs), a Chinese message
 * (for people), an English one, and the offending field where there is one.
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly messageEn: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const errors = {
  unauthenticated: () => new AppError(401, 'UNAUTHENTICATED', '请先登录', 'please sign in'),
  sessionExpired: () =>
    new AppError(401, 'SESSION_EXPIRED', '登录已过期，请重新登录', 'session expired, please sign in again'),
  forbidden: (permission: string) =>
    new AppError(403, 'FORBIDDEN', '您没有执行此操作的权限', `permission ${permission} is required`),
  outOfScope: (what: string) =>
    new AppError(403, 'OUT_OF_SCOPE', `${what}不在您的管辖范围内`, 'outside your region scope'),
  notFound: (what: string) =>
    new AppError(404, 'NOT_FOUND', `${what}不存在或不在您的管辖范围内`, 'not found'),
  validation: (field: string, message: string, messageEn: string) =>
    new AppError(400, 'VALIDATION_FAILED', message, messageEn, field),
  conflict: (code: string, message: string, messageEn: string, field?: string) =>
    new AppError(409, code, message, messageEn, field),
};

/** Chinese names of request fields, so a message reads 用户名格式不正确 rather than username格式不正确. */
const FIELD_LABELS: Record<string, string> = {
  username: '用户名',
  password: '密码',
  currentPassword: '当前密码',
  newPassword: '新密码',
  displayName: '姓名',
  role: '角色',
  department: '部门',
  regionCode: '地区代码',
  code: '地区代码',
  name: '名称',
  search: '搜索词',
  page: '页码',
  pageSize: '每页条数',
  limit: '条数',
};

/** Chinese messages for JSON-schema validation failures, by Ajv keyword. */
export function describeValidation(
  keyword: string,
  field: string,
  params: Record<string, unknown>,
): { message: string; messageEn: string } {
  const name = FIELD_LABELS[field] ?? (field || '请求内容');
  switch (keyword) {
    case 'required':
      return {
        message: `缺少必填项：${params.missingProperty}`,
        messageEn: `${params.missingProperty} is required`,
      };
    case 'maxLength':
      return {
        message: `${name}不能超过${params.limit}个字符`,
        messageEn: `${name} is longer than ${params.limit}`,
      };
    case 'minLength':
      return {
        message: `${name}至少需要${params.limit}个字符`,
        messageEn: `${name} is shorter than ${params.limit}`,
      };
    case 'pattern':
    case 'format':
      return { message: `${name}格式不正确`, messageEn: `${name} has the wrong format` };
    case 'type':
      return { message: `${name}类型不正确`, messageEn: `${name} must be ${params.type}` };
    case 'enum':
    case 'const':
    case 'anyOf':
      return { message: `${name}的取值不在允许范围内`, messageEn: `${name} is not an allowed value` };
    case 'minimum':
    case 'maximum':
      return { message: `${name}超出允许范围`, messageEn: `${name} is out of range` };
    case 'maxItems':
      return { message: `${name}条目过多`, messageEn: `${name} has too many items` };
    case 'additionalProperties':
      return {
        message: `不允许的字段：${params.additionalProperty}`,
        messageEn: `unknown field ${params.additionalProperty}`,
      };
    default:
      return { message: `${name}不符合要求`, messageEn: `${name} is not valid (${keyword})` };
  }
}
