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
  // Self-check (救助助手): members.N.<field> and the nested money fields.
  members: '家庭成员',
  relationship: '与本人关系',
  age: '年龄',
  birthYear: '出生年份',
  sex: '性别',
  health: '健康状况',
  disabilityGrade: '残疾等级',
  disabilityType: '残疾类别',
  workCapacity: '劳动能力',
  employment: '就业状况',
  schoolingStage: '在读学段',
  careNeeds: '生活自理情况',
  monthlyIncomeYuan: '月收入',
  hospitalCostYuanPerYear: '住院自付费用',
  parentsSituation: '父母情况',
  urban: '城乡类别',
  incomeYuanPerMonth: '月收入',
  spendingYuanPerYear: '年支出',
  property: '财产情况',
  circumstances: '其他情况',
  'incomeYuanPerMonth.wage': '工资收入',
  'incomeYuanPerMonth.business': '经营收入',
  'incomeYuanPerMonth.agricultural': '种养殖收入',
  'incomeYuanPerMonth.property': '租金利息收入',
  'incomeYuanPerMonth.remittance': '务工寄回收入',
  'incomeYuanPerMonth.pension': '养老金收入',
  'incomeYuanPerMonth.transfer': '赡养费等其他收入',
  'spendingYuanPerYear.medical': '医疗支出',
  'spendingYuanPerYear.education': '教育支出',
  'spendingYuanPerYear.pensionContribution': '社保缴费',
  'property.housingUnits': '住房套数',
  'property.vehicles': '机动车数量',
  'property.businesses': '登记经营主体数量',
  'property.depositsYuan': '存款等金融资产',
  'circumstances.suddenLossYuan': '突发事件损失',
  'circumstances.currentCategories': '已享受的救助类别',
};

/** `members.2.age` → 第3位成员的年龄; other dotted paths by their full name. */
function fieldLabel(field: string): string {
  // What-if (政策测算): changes.N.parameter, changes.N.change.scalePercent, …
  const change = /^changes\.(\d+)(?:\.([\w.]+))?/.exec(field);
  if (change) {
    const what = {
      parameter: '参数',
      change: '调整方式',
      'change.scalePercent': '调整幅度',
      'change.set': '新值',
    }[change[2] ?? ''];
    return `第${Number(change[1]) + 1}项调整${what ? `的${what}` : ''}`;
  }
  if (field === 'changes') return '参数调整';
  if (field === 'onDate') return '日期';
  const member = /^members\.(\d+)(?:\.(\w+))?/.exec(field);
  if (member) {
    const what = member[2] ? (FIELD_LABELS[member[2]] ?? member[2]) : '信息';
    return `第${Number(member[1]) + 1}位成员的${what}`;
  }
  return FIELD_LABELS[field] ?? (field || '请求内容');
}

/** Chinese messages for JSON-schema validation failures, by Ajv keyword. */
export function describeValidation(
  keyword: string,
  field: string,
  params: Record<string, unknown>,
): { message: string; messageEn: string } {
  const name = fieldLabel(field);
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
    case 'minItems':
      return {
        message: `${name}至少需要填写${params.limit}项`,
        messageEn: `${name} needs at least ${params.limit} items`,
      };
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
