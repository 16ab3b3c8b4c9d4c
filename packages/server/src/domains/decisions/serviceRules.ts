/**
 * Service of documents (送达): the methods, who may sign, and the time for an appeal counted from the
 * day served. Pure apart from the working-day calendar (catalog/calendar), read once per process.
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import { calendarFor } from '../intake/calendar.ts';
import type { ServedKind } from './documentCatalog.ts';

dayjs.extend(utc);

export const ServiceMethods = ['direct', 'leftAtAddress', 'post', 'electronic'] as const;
export type ServiceMethod = (typeof ServiceMethods)[number];
export const RecipientRelations = ['self', 'adultFamilyMember', 'agent'] as const;
export type RecipientRelation = (typeof RecipientRelations)[number];

export const METHOD_ZH: Record<ServiceMethod, string> = {
  direct: '直接送达',
  leftAtAddress: '留置送达',
  post: '邮寄送达',
  electronic: '电子送达',
};

export const RELATION_ZH: Record<RecipientRelation, string> = {
  self: '受送达人本人',
  adultFamilyMember: '同住成年家属代收',
  agent: '代理人代收',
};

/** The documents whose text names the route of appeal (they go against the household). */
const APPEALABLE: readonly ServedKind[] = ['intakeRefusal', 'refusal', 'termination'];

export interface AppealDeadlines {
  /** Last day to apply for 行政复议 (《行政复议法》第二十条: 60 days). */
  reconsiderationBy: string;
  /** Last day to sue (《行政诉讼法》第四十六条: 6 months). */
  litigationBy: string;
}

/**
 * Counted from the day served, that day not counted (《行政复议法》第八十八条 and 《民事诉讼法》第八十五条,
 * which it applies); a period ending on a rest day or public holiday ends on the next working day of
 * the region's calendar. Null for documents that grant or accept (they name no route of appeal).
 */
export function appealDeadlines(kind: string, servedOn: string, regionCode: string): AppealDeadlines | null {
  if (!(APPEALABLE as readonly string[]).includes(kind)) return null;
  const calendar = calendarFor(regionCode);
  const served = dayjs.utc(servedOn, 'YYYY-MM-DD');
  const onWorkingDay = (d: dayjs.Dayjs) => {
    let day = d;
    // A holiday block is at most a few days; the bound only guards a malformed calendar.
    for (let i = 0; i < 30 && !calendar.isWorkingDay(day.format('YYYY-MM-DD')); i++) day = day.add(1, 'day');
    return day.format('YYYY-MM-DD');
  };
  return {
    reconsiderationBy: onWorkingDay(served.add(60, 'day')),
    litigationBy: onWorkingDay(served.add(6, 'month')),
  };
}

/** Names as written on a receipt: no control or direction-changing characters, 1 to 50 of them. */
export function cleanName(value: string): string | null {
  const v = value.normalize('NFC').trim();
  if ([...v].length < 1 || [...v].length > 50) return null;
  if (/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(v)) return null;
  return v;
}
