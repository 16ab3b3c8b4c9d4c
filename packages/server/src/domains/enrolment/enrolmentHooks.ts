/**
 * Hooks into an enrolment's end for the domains that follow it (the termination notice of
 * domains/decisions), so enrolment imports none of them. Run in the transaction that stops the
 * enrolment (an approved stop, or the job ending a phase-out): a failing hook undoes the stop.
 */
import type { Queryable } from '../../db/database.ts';
import type { EnrolmentRow } from './enrolment.repo.ts';

export interface EnrolmentStopContext {
  tx: Queryable;
  /** Who decided (the job: 系统 / system). */
  actor: { displayName: string; role: string };
  today: string;
  enrolment: Pick<
    EnrolmentRow,
    'id' | 'household_id' | 'region_code' | 'policy_id' | 'case_id' | 'starts_on'
  >;
  taskId: string;
  reason: string;
  legalGround: string;
  /** First day without payment. */
  effectiveOn: string;
}

const hooks = new Map<string, (ctx: EnrolmentStopContext) => Promise<void>>();

/** Registers (or replaces) a hook by name. */
export function registerEnrolmentStopHook(name: string, hook: (ctx: EnrolmentStopContext) => Promise<void>) {
  hooks.set(name, hook);
}

export async function runEnrolmentStopHooks(ctx: EnrolmentStopContext): Promise<void> {
  for (const hook of hooks.values()) await hook(ctx);
}
