/**
 * How applications and cases leave the API: names from the templates and the policy ledger, the
 * step's clock (working days used of the limit, green / yellow at 80% / red when overdue), the
 * documents the current step still needs.
 */
import { calendarFor } from './calendar.ts';
import { readPolicyProcessRefs } from './catalogPaths.ts';
import type { ApplicationRow, CaseRow, EventRow } from './intake.repo.ts';
import { type ProcessTemplate, processTemplates, stepOf } from './templates.ts';
import { officeName, requiredDocuments } from './transitions.ts';

export type DueStatus = 'green' | 'yellow' | 'red';

type PolicyRef = ReturnType<typeof readPolicyProcessRefs>[number];
let policies: Map<string, PolicyRef> | undefined;

/** The policy ledger's ids, names, departments and processes (read from catalog/policies once). */
export function policyRefs(): Map<string, PolicyRef> {
  policies ??= new Map(readPolicyProcessRefs().map((p) => [p.id, p]));
  return policies;
}

/** The clock of a step: how much of its limit is used on `today`, and its colour. */
export function stepClock(
  regionCode: string,
  startedOn: string | null,
  dueOn: string | null,
  workingDays: number | null,
  today: string,
) {
  if (!startedOn || !dueOn || workingDays === null) return null;
  const used = calendarFor(regionCode).workingDaysBetween(startedOn, today);
  const status: DueStatus =
    today > dueOn ? 'red' : workingDays > 0 && used >= 0.8 * workingDays ? 'yellow' : 'green';
  return { startedOn, dueOn, workingDays, usedWorkingDays: Math.max(used, 0), dueStatus: status };
}

export function templateOf(row: Pick<CaseRow, 'template_id'>): ProcessTemplate {
  const t = processTemplates().templates.get(row.template_id);
  if (!t) throw new Error(`case on unknown template ${row.template_id}`);
  return t;
}

export function caseView(
  row: CaseRow,
  today: string,
  documents: { document_id: string; recorded_on: string }[] = [],
) {
  const t = templateOf(row);
  const policy = policyRefs().get(row.policy_id);
  const step = row.current_step ? stepOf(t, row.current_step) : null;
  const have = new Map(documents.map((d) => [d.document_id, d.recorded_on]));
  const needed = step ? requiredDocuments(t, step, { policyId: row.policy_id, flags: row.flags }) : [];
  return {
    id: row.id,
    applicationId: row.application_id,
    itemNo: row.item_no,
    householdId: row.household_id,
    regionCode: row.region_code,
    policyId: row.policy_id,
    policyName: policy?.name?.zh ?? row.policy_id,
    policyNameEn: policy?.name?.en ?? row.policy_id,
    templateId: t.id,
    templateName: t.name.zh,
    templateNameEn: t.name.en,
    department: row.department,
    status: row.status,
    currentStep: step
      ? {
          id: step.id,
          name: step.name.zh,
          nameEn: step.name.en,
          office: step.office,
          officeName: officeName(step.office),
          legalGround: step.legalGround,
          outcomes: step.next.map((n) => n.when).filter((w): w is string => !!w),
          investigators: step.investigators ?? 0,
          refusal: step.refusal ?? null,
          documents: needed.map((d) => ({
            id: d.id,
            name: d.zh,
            nameEn: d.en,
            from: d.from,
            recordedOn: have.get(d.id) ?? null,
          })),
          clock: stepClock(
            row.region_code,
            row.step_started_on,
            row.step_due_on,
            row.step_working_days,
            today,
          ),
        }
      : null,
    completedSteps: row.completed_steps,
    flags: row.flags,
    receivedOn: row.received_on,
    caseDueOn: row.case_due_on,
    extendedReason: row.extended_reason,
    outcomeReason: row.outcome_reason,
    version: row.version,
    closedAt: row.closed_at?.toISOString() ?? null,
  };
}

export function eventView(e: EventRow, t: ProcessTemplate) {
  const name = (id: string | null) => (id ? (t.steps.find((s) => s.id === id)?.name.zh ?? id) : null);
  return {
    seq: Number(e.seq),
    at: new Date(e.at).toISOString(),
    onDate: e.on_date,
    action: e.action,
    fromStep: e.from_step,
    fromStepName: name(e.from_step),
    toStep: e.to_step,
    toStepName: name(e.to_step),
    outcome: e.outcome,
    legalGround: e.legal_ground,
    detail: e.detail ?? {},
    actorName: e.actor_name,
    actorRole: e.actor_role,
  };
}

export function applicationView(a: ApplicationRow, cases: ReturnType<typeof caseView>[], replayed = false) {
  return {
    id: a.id,
    householdId: a.household_id,
    regionCode: a.region_code,
    channel: a.channel,
    authorisation: a.authorisation,
    residence: a.residence,
    staffRelative: a.staff_relative as Record<string, string> | null,
    note: a.note,
    receivedOn: a.received_on,
    submittedBy: a.submitted_by_name,
    ownerId: a.owner_id,
    ownerName: a.owner_name,
    version: a.version,
    createdAt: new Date(a.created_at).toISOString(),
    replayed,
    cases,
  };
}
