/**
 * Hooks into a case transition for the domains below intake (notices, enrolment), so intake never
 * imports them (the data flow stays one-way). `before` runs after the template has allowed the
 * transition and before anything is written: it may refuse (throw). `after` runs once the case, its
 * event and audit entry are written, in the same transaction, so a failing hook undoes the transition.
 */
import type { Queryable } from '../../db/database.ts';
import type { Actor } from '../access/permissions.ts';
import type { CaseRow } from './intake.repo.ts';
import type { Decision, TransitionInput } from './transitions.ts';

export interface CaseHookContext {
  tx: Queryable;
  actor: Actor;
  today: string;
  /** The case as it was before the transition (row locked). */
  before: CaseRow;
  input: TransitionInput;
  decision: Decision;
}

export interface CaseHook {
  before?(ctx: CaseHookContext): Promise<void>;
  after?(ctx: CaseHookContext & { after: CaseRow }): Promise<void>;
}

const hooks = new Map<string, CaseHook>();

/** Registers (or replaces) a hook by name: registering twice keeps one. */
export function registerCaseHook(name: string, hook: CaseHook): void {
  hooks.set(name, hook);
}

export async function runBeforeHooks(ctx: CaseHookContext): Promise<void> {
  for (const hook of hooks.values()) await hook.before?.(ctx);
}

export async function runAfterHooks(ctx: CaseHookContext & { after: CaseRow }): Promise<void> {
  for (const hook of hooks.values()) await hook.after?.(ctx);
}
