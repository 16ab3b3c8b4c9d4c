/** Display helpers shared by the registry pages: category tags, money, attribute values. */
import { Space, Tag } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { AttributeKind, Attributes, CareDependency, Category } from './householdsApi';

export const CATEGORY_COLORS: Record<Category, string> = {
  dibao: 'red',
  tekun: 'volcano',
  nearDibao: 'orange',
  relapseWatch: 'purple',
  expenditureHardship: 'blue',
  otherHardship: 'default',
};

/** ECharts has no antd colour names. */
export const CATEGORY_HEX: Record<Category, string> = {
  dibao: '#cf1322',
  tekun: '#d4380d',
  nearDibao: '#d48806',
  relapseWatch: '#531dab',
  expenditureHardship: '#1d39c4',
  otherHardship: '#8c8c8c',
};

export const RELATIONSHIPS = [
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

export const CARE_TASKS = [
  'eating',
  'dressing',
  'bedTransfer',
  'toilet',
  'walkingIndoors',
  'bathing',
] as const;

/** Attribute values the forms offer, by kind (disability, illness and care have their own inputs). */
export const ATTRIBUTE_OPTIONS = {
  healthCondition: ['healthy', 'chronicIllness', 'seriousIllness'],
  workCapacity: ['full', 'partial', 'none'],
  employment: [
    'farming',
    'localEmployee',
    'migrantWorker',
    'selfEmployed',
    'casualWork',
    'unemployed',
    'retired',
    'inSchool',
    'notWorking',
  ],
  schooling: ['preschool', 'primary', 'junior', 'senior', 'vocational', 'college'],
} as const;

const LABEL_GROUP: Partial<Record<AttributeKind, string>> = {
  healthCondition: 'health',
  workCapacity: 'workCapacity',
  employment: 'employment',
  schooling: 'schooling',
};

export function CategoryTag({ category }: { category: Category }) {
  const { t } = useTranslation();
  return (
    <Tag color={CATEGORY_COLORS[category] ?? 'default'} style={{ marginInlineEnd: 4 }}>
      {t(`registry.categories.${category}`, { defaultValue: category })}
    </Tag>
  );
}

export function CategoryTags({ categories }: { categories: Category[] }) {
  if (categories.length === 0) return <>—</>;
  return (
    <Space size={[0, 4]} wrap>
      {categories.map((c) => (
        <CategoryTag key={c} category={c} />
      ))}
    </Space>
  );
}

/** 123456 fen → "1,234.56"; integer arithmetic only, as the ledgers do. */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}${whole}.${String(abs % 100).padStart(2, '0')}`;
}

/** "12.5" → 1250 fen, without floating point; undefined when it is not an amount. */
export function fenFromYuan(text: string): number | undefined {
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

export function relationshipName(t: TFunction, value: string): string {
  return t(`registry.relationship.${value}`, { defaultValue: value });
}

export function sexName(t: TFunction, value: string): string {
  return t(`registry.sex.${value}`, { defaultValue: value });
}

export function careText(t: TFunction, care: CareDependency): string {
  const needs = CARE_TASKS.filter((task) => care[task] === false);
  if (needs.length === 0) return t('registry.care.unaided');
  const tasks = needs.map((task) => t(`registry.care.${task}`)).join(t('registry.listSeparator'));
  return `${t('registry.care.summary', { count: needs.length })}${t('registry.colon')}${tasks}`;
}

/** One attribute value as a caseworker would say it ("肢体残疾 二级"). */
export function attributeText(t: TFunction, kind: string, value: unknown): string {
  if (value === null || value === undefined || value === false) return t('registry.attribute.none');
  if (kind === 'disability' && typeof value === 'object') {
    const d = value as { type: string; grade: number };
    return `${t(`registry.disabilityType.${d.type}`, { defaultValue: d.type })} ${t(
      `registry.grade.${d.grade}`,
      { defaultValue: String(d.grade) },
    )}`;
  }
  if (kind === 'seriousIllness') {
    if (typeof value === 'object' && value && 'diagnosis' in value) return String(value.diagnosis);
    return t('common.yes');
  }
  if (kind === 'careDependency' && typeof value === 'object') return careText(t, value as CareDependency);
  const group = LABEL_GROUP[kind as AttributeKind];
  if (group && typeof value === 'string') return t(`registry.${group}.${value}`, { defaultValue: value });
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function attributeKindName(t: TFunction, kind: string): string {
  return t(`registry.attributeKinds.${kind}`, { defaultValue: kind });
}

/** The attributes that say something (a healthy person without disability shows just 健康). */
export function AttributeTags({ attributes }: { attributes: Attributes }) {
  const { t } = useTranslation();
  const shown = (Object.entries(attributes) as [AttributeKind, unknown][]).filter(
    ([, value]) => value !== null && value !== undefined && value !== false,
  );
  if (shown.length === 0) return <>—</>;
  return (
    <Space size={[0, 4]} wrap>
      {shown.map(([kind, value]) => (
        <Tag key={kind} title={attributeKindName(t, kind)}>
          {kind === 'seriousIllness' ? `${attributeKindName(t, kind)}${t('registry.colon')}` : ''}
          {attributeText(t, kind, value)}
        </Tag>
      ))}
    </Space>
  );
}
