/**
 * The registry's vocabulary and the checks on what people type: persons (ID number, birth
 * date, sex, name, phone) and the value of each kind of dated attribute. Every failure names
 * the exact field and problem in Chinese.
 */
import { checkIdNumber } from '@doudi/rules';
import { errors } from '../../http/errors.ts';
import { normaliseIdNumber, normalisePhone, phoneProblem } from './personalData.crypto.ts';

export const Relationships = [
  'head',
  'spouse',
  'son',
  'daughter',
  'daughterInLaw',
  'sonInLaw',
  'grandson',
  'granddaughter',
  'father',
  'mother',
  'sibling',
  'other',
] as const;
export type Relationship = (typeof Relationships)[number];

export const Categories = [
  'dibao',
  'tekun',
  'nearDibao',
  'relapseWatch',
  'expenditureHardship',
  'otherHardship',
] as const;
export type Category = (typeof Categories)[number];

export const AttributeKinds = [
  'healthCondition',
  'disability',
  'seriousIllness',
  'workCapacity',
  'employment',
  'schooling',
  'careDependency',
] as const;
export type AttributeKind = (typeof AttributeKinds)[number];

export const DailyTasks = [
  'eating',
  'dressing',
  'bedTransfer',
  'toilet',
  'walkingIndoors',
  'bathing',
] as const;

/** Values of the dated attributes; the catalogue's member facts (catalog/facts/member.yaml) use the same words. */
export const HealthStatuses = ['healthy', 'chronicIllness', 'seriousIllness'] as const;
export const DisabilityTypes = [
  'visual',
  'hearing',
  'speech',
  'physical',
  'intellectual',
  'mental',
  'multiple',
] as const;
export const WorkCapacities = ['full', 'partial', 'none'] as const;
export const EmploymentStatuses = [
  'farming',
  'localEmployee',
  'migrantWorker',
  'selfEmployed',
  'casualWork',
  'unemployed',
  'retired',
  'inSchool',
  'notWorking',
] as const;
export const SchoolingStages = ['preschool', 'primary', 'junior', 'senior', 'vocational', 'college'] as const;

export const ADULT_AGE = 18;

const CHINA_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' });

/**
 * The business date in China (UTC+8) of an instant: the day on the caseworker's wall, whatever the
 * server's time zone. Every "today" the server uses (default as-of dates, deadlines, documents) is
 * this one; from 16:00 to 24:00 UTC the UTC date is a day behind it.
 */
export function chinaDate(instant: Date): string {
  return CHINA_DATE.format(instant);
}

/** Today in China. */
export function today(now: Date = new Date()): string {
  return chinaDate(now);
}

export function ageOn(birthDate: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return on.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

export function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export interface PersonInput {
  name: string;
  idNumber: string;
  birthDate?: string | undefined;
  sex?: 'male' | 'female' | undefined;
  phone?: string | null | undefined;
  relationshipToHead: Relationship;
  hukouRegionCode?: string | undefined;
  residenceRegionCode?: string | undefined;
}

export interface CheckedPerson {
  name: string;
  idNumber: string;
  birthDate: string;
  sex: 'male' | 'female';
  phone: string | null;
  relationshipToHead: Relationship;
  hukouRegionCode: string | null;
  residenceRegionCode: string | null;
}

const SEX_ZH = { male: '男', female: '女' } as const;

export function checkName(name: string, field: string): string {
  const trimmed = name.trim();
  const length = [...trimmed].length;
  if (length < 1 || length > 50)
    throw errors.validation(field, '姓名应为1至50个字', 'name must have 1 to 50 characters');
  if ([...trimmed].some((c) => (c.codePointAt(0) ?? 0) < 0x20 || c === '\u007f'))
    throw errors.validation(field, '姓名含有控制字符', 'name contains control characters');
  return trimmed;
}

export function checkPhone(phone: string | null | undefined, field: string): string | null {
  if (phone === null || phone === undefined || phone.trim() === '') return null;
  const normalised = normalisePhone(phone);
  const problem = phoneProblem(normalised);
  if (problem) throw errors.validation(field, problem, 'not a mobile or landline number');
  return normalised;
}

/** Validates one person; `prefix` names the field path ('' or 'members.2.'). */
export function checkPerson(input: PersonInput, prefix = '', on: string = today()): CheckedPerson {
  const name = checkName(input.name, `${prefix}name`);
  const id = checkIdNumber(normaliseIdNumber(input.idNumber), on);
  if (!id.valid) throw errors.validation(`${prefix}idNumber`, id.message, id.messageEn);
  if (input.birthDate !== undefined) {
    if (input.birthDate > on)
      throw errors.validation(`${prefix}birthDate`, '出生日期不能晚于今天', 'birth date is in the future');
    if (input.birthDate !== id.birthDate)
      throw errors.validation(
        `${prefix}birthDate`,
        `出生日期${input.birthDate}与身份证号码中的${id.birthDate}不一致`,
        'birth date does not match the ID number',
      );
  }
  if (input.sex !== undefined && input.sex !== id.sex)
    throw errors.validation(
      `${prefix}sex`,
      `性别“${SEX_ZH[input.sex]}”与身份证号码（${SEX_ZH[id.sex]}）不一致`,
      'sex does not match the ID number',
    );
  for (const key of ['hukouRegionCode', 'residenceRegionCode'] as const) {
    const value = input[key];
    if (value !== undefined && !/^\d{12}$/.test(value))
      throw errors.validation(`${prefix}${key}`, '地区代码应为12位数字', 'region code must have 12 digits');
  }
  return {
    name,
    idNumber: id.idNumber,
    birthDate: id.birthDate,
    sex: id.sex,
    phone: checkPhone(input.phone, `${prefix}phone`),
    relationshipToHead: input.relationshipToHead,
    hukouRegionCode: input.hukouRegionCode ?? null,
    residenceRegionCode: input.residenceRegionCode ?? null,
  };
}

export function checkAdultHead(person: CheckedPerson, on: string, field: string): void {
  const age = ageOn(person.birthDate, on);
  if (age < ADULT_AGE)
    throw errors.validation(
      field,
      `户主须年满${ADULT_AGE}周岁，${person.name}在${on}为${age}周岁`,
      `the head of household must be an adult (${age} on ${on})`,
    );
}

export function checkDate(value: string, field: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
    throw errors.validation(field, '日期格式应为 YYYY-MM-DD', 'date must be YYYY-MM-DD');
  if (new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value)
    throw errors.validation(field, `${value}不是有效日期`, 'not a real date');
  return value;
}

// ---- attribute values, one shape per kind ----

type Checker = (value: Record<string, unknown>, field: string) => Record<string, unknown>;

function oneOf<T extends string>(v: unknown, allowed: readonly T[], field: string, label: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v))
    throw errors.validation(
      field,
      `${label}应为：${allowed.join('、')}`,
      `${field} must be one of ${allowed}`,
    );
  return v as T;
}

function text(v: unknown, field: string, label: string, max: number, required: boolean): string | undefined {
  if (v === undefined || v === null) {
    if (required) throw errors.validation(field, `缺少${label}`, `${field} is required`);
    return undefined;
  }
  if (typeof v !== 'string' || v.trim().length === 0 || [...v].length > max)
    throw errors.validation(field, `${label}应为1至${max}个字`, `${field} must be 1..${max} characters`);
  return v.trim();
}

function only(value: Record<string, unknown>, keys: string[], field: string): void {
  for (const key of Object.keys(value))
    if (!keys.includes(key))
      throw errors.validation(`${field}.${key}`, `不允许的字段：${key}`, `unknown field ${key}`);
}

const checkers: Record<AttributeKind, Checker> = {
  healthCondition: (v, f) => {
    only(v, ['status'], f);
    return {
      status: oneOf(v.status, HealthStatuses, `${f}.status`, '健康状况'),
    };
  },
  disability: (v, f) => {
    only(v, ['type', 'grade', 'certificateNumber'], f);
    const type = oneOf(v.type, DisabilityTypes, `${f}.type`, '残疾类别');
    if (!Number.isInteger(v.grade) || (v.grade as number) < 1 || (v.grade as number) > 4)
      throw errors.validation(`${f}.grade`, '残疾等级应为1至4级', 'grade must be 1..4');
    const certificateNumber = v.certificateNumber;
    if (
      certificateNumber !== undefined &&
      (typeof certificateNumber !== 'string' || !/^[0-9X]{20}$/.test(certificateNumber))
    )
      throw errors.validation(
        `${f}.certificateNumber`,
        '残疾人证号应为20位',
        'certificate number has 20 characters',
      );
    return { type, grade: v.grade, ...(certificateNumber ? { certificateNumber } : {}) };
  },
  seriousIllness: (v, f) => {
    only(v, ['diagnosis', 'icd10', 'diagnosedOn'], f);
    const diagnosis = text(v.diagnosis, `${f}.diagnosis`, '诊断', 100, true);
    const icd10 = text(v.icd10, `${f}.icd10`, 'ICD-10 编码', 10, false);
    if (icd10 && !/^[A-Z]\d{2}(\.\d{1,2})?$/.test(icd10))
      throw errors.validation(`${f}.icd10`, 'ICD-10 编码格式不正确（如 C34.9）', 'ICD-10 code malformed');
    const diagnosedOn =
      v.diagnosedOn === undefined ? undefined : checkDate(String(v.diagnosedOn), `${f}.diagnosedOn`);
    return { diagnosis, ...(icd10 ? { icd10 } : {}), ...(diagnosedOn ? { diagnosedOn } : {}) };
  },
  workCapacity: (v, f) => {
    only(v, ['capacity'], f);
    return { capacity: oneOf(v.capacity, WorkCapacities, `${f}.capacity`, '劳动能力') };
  },
  employment: (v, f) => {
    only(v, ['status', 'formal', 'employerName'], f);
    const status = oneOf(v.status, EmploymentStatuses, `${f}.status`, '就业状况');
    if (v.formal !== undefined && typeof v.formal !== 'boolean')
      throw errors.validation(`${f}.formal`, '是否签订劳动合同应为是或否', 'formal must be boolean');
    const employerName = text(v.employerName, `${f}.employerName`, '工作单位', 100, false);
    return {
      status,
      ...(v.formal !== undefined ? { formal: v.formal } : {}),
      ...(employerName ? { employerName } : {}),
    };
  },
  schooling: (v, f) => {
    only(v, ['stage', 'schoolName'], f);
    const stage = oneOf(v.stage, SchoolingStages, `${f}.stage`, '就学阶段');
    const schoolName = text(v.schoolName, `${f}.schoolName`, '学校名称', 100, false);
    return { stage, ...(schoolName ? { schoolName } : {}) };
  },
  careDependency: (v, f) => {
    only(v, [...DailyTasks], f);
    const out: Record<string, boolean> = {};
    for (const task of DailyTasks) {
      if (typeof v[task] !== 'boolean')
        throw errors.validation(
          `${f}.${task}`,
          `生活自理评估缺少“${task}”（能否独立完成：是/否）`,
          `${task} must be boolean`,
        );
      out[task] = v[task] as boolean;
    }
    return out;
  },
};

export function checkAttributeValue(
  kind: AttributeKind,
  value: unknown,
  field = 'value',
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw errors.validation(field, '属性值应为对象', 'value must be an object');
  return checkers[kind](value as Record<string, unknown>, field);
}
