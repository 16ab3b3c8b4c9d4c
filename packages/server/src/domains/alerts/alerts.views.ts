/** Database rows → API shapes, with what the signed-in user may do next. */
import type { Actor } from '../access/permissions.ts';
import { loadTriggers } from '../monitoring/triggers.ts';
import type { AlertRow, EventRow } from './alerts.repo.ts';
import { handleClock } from './handling.ts';
import { type Action, mayClose, mayHandle, statusZh } from './loop.ts';

const NEXT: Record<string, Action> = {
  dispatched: 'accept',
  accepted: 'handle',
  handling: 'feedback',
  feedback: 'close',
};

export const categoryZh: Record<string, string> = {
  income: '收入骤减、生活困难',
  medical: '看病贵、医疗费用高',
  disability: '残疾',
  employment: '失业、就业困难',
  education: '子女上学困难',
  housing: '住房困难',
  emergency: '突发事件、意外',
  care: '无人照料',
  other: '其他困难',
};

let triggerLabels: Map<string, string> | undefined;
/** The release trigger file's labels (a trigger removed since keeps its id as the label). */
function triggerLabel(id: string): string {
  if (!triggerLabels) {
    try {
      triggerLabels = new Map(loadTriggers().triggers.map((t) => [t.id, t.label]));
    } catch {
      triggerLabels = new Map();
    }
  }
  return triggerLabels.get(id) ?? id;
}

export function causeZh(cause: string, category: string | null): string {
  if (cause === 'request') return `点单：${categoryZh[category ?? 'other'] ?? category}`;
  if (cause.startsWith('indicator:')) return `指标模型：${cause.slice(10)}`;
  if (cause.startsWith('trigger:')) return `事件触发：${triggerLabel(cause.slice(8))}`;
  return cause;
}

export function isOverdue(row: Pick<AlertRow, 'status' | 'accept_due_on' | 'handle_due_on'>, today: string) {
  if (row.status === 'dispatched') return row.accept_due_on !== null && row.accept_due_on < today;
  if (row.status === 'accepted' || row.status === 'handling')
    return row.handle_due_on !== null && row.handle_due_on < today;
  return false;
}

export function alertView(row: AlertRow, today: string, actor?: Actor) {
  const next = NEXT[row.status];
  const clock = handleClock(row, today);
  const allowed: string[] = [];
  if (actor && next && (next === 'close' ? mayClose(actor) : mayHandle(actor, row))) allowed.push(next);
  return {
    id: row.id,
    householdId: row.household_id,
    householdNumber: row.household_number,
    headName: row.head_name,
    regionCode: row.region_code,
    regionName: row.region_name,
    cause: row.cause,
    causeZh: causeZh(row.cause, row.request_category),
    origin: row.origin,
    colour: row.colour,
    score: row.score === null ? null : Number(row.score),
    summaryZh: row.summary_zh,
    status: row.status,
    statusZh: statusZh[row.status] ?? row.status,
    requestCategory: row.request_category,
    requestText: row.request_text,
    raisedByName: row.raised_by_name,
    leadDepartment: row.lead_department,
    supportingDepartments: row.supporting_departments ?? [],
    dispatchRule: row.dispatch_rule,
    responsibleRegionCode: row.responsible_region_code,
    dispatchedOn: row.dispatched_on,
    acceptDueOn: row.accept_due_on,
    handleDueOn: row.handle_due_on,
    overdue: isOverdue(row, today),
    escalationLevel: row.escalation_level,
    handleDueStatus: clock?.dueStatus ?? null,
    handleFromOn: clock?.fromOn ?? null,
    handleWorkingDays: clock?.workingDays ?? null,
    handleUsedWorkingDays: clock?.usedWorkingDays ?? null,
    handleEscalationLevel: row.handle_escalation_level ?? 0,
    handleEscalatedTo: row.handle_escalated_to ?? null,
    acceptedByName: row.accepted_by_name,
    acceptedOn: row.accepted_on,
    handling: row.handling,
    intakeCaseId: row.intake_case_id,
    referralDepartment: row.referral_department,
    handlingNote: row.handling_note,
    feedback: row.feedback,
    outcome: row.outcome,
    closeReason: row.close_reason,
    raiseCount: row.raise_count,
    firstRaisedAt: new Date(row.first_raised_at).toISOString(),
    lastRaisedAt: new Date(row.last_raised_at).toISOString(),
    closedAt: row.closed_at ? new Date(row.closed_at).toISOString() : null,
    version: row.version,
    allowedActions: allowed,
  };
}

export const eventView = (e: EventRow) => ({
  seq: e.seq,
  at: new Date(e.at).toISOString(),
  action: e.action,
  fromStatus: e.from_status,
  toStatus: e.to_status,
  detail: e.detail,
  actorName: e.actor_name,
});
