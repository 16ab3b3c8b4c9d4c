/**
 * The loop's rules, pure (no I/O): which status each action leaves from and goes to, who may act
 * on an alert, and where an unaccepted alert goes when it is escalated. The server decides every
 * transition here; the web client only shows what the answer allows.
 */
import { AppError } from '../../http/errors.ts';
import type { Actor } from '../access/permissions.ts';
import { isWithin, regionLevel } from '../regions/regionCode.ts';
import { CIVIL_AFFAIRS } from './dispatchRules.ts';

export const Statuses = ['raised', 'dispatched', 'accepted', 'handling', 'feedback', 'closed'] as const;
export const Colours = ['red', 'yellow', 'blue', 'green'] as const;
export const Actions = ['accept', 'handle', 'feedback', 'close'] as const;
export type Action = (typeof Actions)[number];
export const HandlingKinds = ['case', 'referral', 'visit', 'closedWithReason'] as const;
export const Outcomes = ['helped', 'notNeeded', 'notFound', 'referredElsewhere'] as const;
/** Needs a person may report (点单); each picks a dispatch rule as `request:<category>`. */
export const RequestCategories = [
  'income',
  'medical',
  'disability',
  'employment',
  'education',
  'housing',
  'emergency',
  'care',
  'other',
] as const;

export const statusZh: Record<string, string> = {
  raised: '待派单',
  dispatched: '待接单',
  accepted: '已接单',
  handling: '办理中',
  feedback: '已反馈',
  closed: '已办结',
};

const FROM: Record<Action, string> = {
  accept: 'dispatched',
  handle: 'accepted',
  feedback: 'handling',
  close: 'feedback',
};
const actionZh: Record<Action, string> = { accept: '接单', handle: '办理', feedback: '反馈', close: '办结' };

export interface AlertState {
  status: string;
  lead_department: string | null;
  responsible_region_code: string | null;
  region_code: string;
  escalation_level: number;
}

/**
 * Who may accept, handle and report back: the lead department's officers; for local civil affairs,
 * the staff of the region now responsible (the village's grid worker and the township's caseworkers
 * at first, only the township once escalated there, then the county). Once a department's alert
 * has been escalated, civil affairs at that level may take it over: a department that never
 * accepts does not leave the household waiting. The county civil-affairs officer supervises all.
 */
export function mayHandle(actor: Actor, alert: AlertState): boolean {
  if (actor.role === 'countyOfficer') return true;
  const responsible = alert.responsible_region_code ?? alert.region_code;
  const civilAffairsHere =
    (actor.role === 'caseworker' || actor.role === 'gridWorker') && isWithin(responsible, actor.regionCode);
  if (alert.lead_department === CIVIL_AFFAIRS || !alert.lead_department) return civilAffairsHere;
  if (actor.role === 'departmentOfficer')
    return actor.department === alert.lead_department && isWithin(alert.region_code, actor.regionCode);
  return alert.escalation_level > 0 && civilAffairsHere;
}

/** Closing the loop is civil affairs' call (the department reports back; the office closes). */
export function mayClose(actor: Actor): boolean {
  return actor.role === 'countyOfficer' || actor.role === 'caseworker';
}

/** Checks that the action is allowed from the alert's status; throws a Chinese 409 otherwise. */
export function checkTransition(action: Action, status: string): string {
  if (status !== FROM[action])
    throw new AppError(
      409,
      'ALERT_WRONG_STATUS',
      `该预警当前为“${statusZh[status] ?? status}”，不能${actionZh[action]}（须为“${statusZh[FROM[action]]}”）`,
      `cannot ${action} an alert that is ${status}`,
    );
  return FROM[action];
}

/**
 * One level up the region tree: village → township → county, and the county stays the county
 * (a county that still does not accept is escalated again, visibly, each time the limit passes).
 */
export function escalateTo(code: string): string {
  const level = regionLevel(code);
  if (level === 5) return `${code.slice(0, 9)}000`;
  if (level === 4) return `${code.slice(0, 6)}000000`;
  return code;
}
