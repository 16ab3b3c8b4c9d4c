/**
 * Take-highest reconciliation (就高原则): for each income and asset figure, what the household
 * declared, what the home visit found and what the verification report found; the approved value
 * is the highest, unless an officer overrides it with a written reason.
 *
 * Approving writes two rows in one transaction, both audited: verification_approval (every figure
 * with its three values, where the approved one came from, any override and its reason) and a
 * household_economy row with source `approved` on the same date. That second row is the hook into
 * the rules engine: the facts assembler (householdFacts) already takes the newest approved row on or
 * before a date over any declared one. It carries the declared row's other facts (expenses, the
 * yes/no questions) with the approved figures on top, so approving never loses a declared answer;
 * a figure nobody gave stays absent, and the engine asks for it.
 */
import type { Queryable } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { findHousehold } from '../registry/registry.repo.ts';
import { FIGURES, type Figures, figureProblem, figuresOf, type Override, reconcile } from './figures.ts';
import {
  checkAsOf,
  computeReport,
  documentNumber,
  type VerificationDeps,
  verifiedFigures,
} from './report.service.ts';
import { approvalOn, declaredAsOf, homeVisitAsOf } from './verification.repo.ts';

export const REASON_MIN = 4;
export const REASON_MAX = 500;

function checkFigures(figures: Record<string, unknown>, field: string): Figures {
  const out: Figures = {};
  for (const [name, value] of Object.entries(figures)) {
    const problem = figureProblem(name, value);
    if (problem) throw errors.validation(`${field}.${name}`, problem, `bad figure ${name.slice(0, 40)}`);
    out[name] = value as number;
  }
  return out;
}

function checkText(value: string | undefined, field: string, max: number, label: string): string | null {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') return null;
  if ([...trimmed].length > max)
    throw errors.validation(
      field,
      `${label}不能超过${max}个字`,
      `${field} must have at most ${max} characters`,
    );
  return trimmed;
}

async function householdOrNotFound(tx: Queryable, id: string) {
  const household = await findHousehold(tx, id);
  if (!household) throw errors.notFound('家庭');
  return household;
}

/** The three sources side by side, the suggested approval, and the approval on that date if any. */
async function readReconciliation(tx: Queryable, householdId: string, asOf: string) {
  const computed = await computeReport(tx, householdId, asOf);
  const declared = await declaredAsOf(tx, householdId, asOf);
  const visit = await homeVisitAsOf(tx, householdId, asOf);
  const verified = verifiedFigures(computed.summaries, new Set(computed.loaded.keys()));
  const approval = await approvalOn(tx, householdId, asOf);
  return {
    computed,
    declared,
    visit,
    view: {
      householdId,
      asOf,
      documentNumber: documentNumber(computed.household, asOf),
      declaredAsOf: declared?.as_of ?? null,
      homeVisit: visit
        ? { visitedOn: visit.visited_on, investigators: visit.investigators, note: visit.note }
        : null,
      figures: reconcile(figuresOf(declared?.facts), figuresOf(visit?.figures), verified),
      approval: approval
        ? {
            asOf: approval.as_of,
            approvedBy: approval.approved_by_name ?? approval.approved_by,
            approvedAt: new Date(approval.approved_at).toISOString(),
            figures: approval.figures as ReturnType<typeof reconcile>,
          }
        : null,
    },
  };
}

export async function getReconciliation(
  deps: VerificationDeps,
  actor: Actor | undefined,
  householdId: string,
  query: { asOf?: string | undefined },
  requestId?: string,
) {
  authorize(actor, Permission.verificationRead);
  const asOf = checkAsOf(deps, query.asOf);
  return asActor(
    deps.db,
    actor,
    requestId,
    async (tx) => (await readReconciliation(tx, householdId, asOf)).view,
  );
}

export interface StatementInput {
  asOf: string;
  figures: Record<string, unknown>;
  investigators?: string[] | undefined;
  note?: string | undefined;
}

/**
 * Records what the household declared (merged into its declared household_economy row of that
 * date, so the intake form and this API are one record) or what the home visit found. Keyed by
 * household, kind and date: sending the same statement again changes nothing new.
 */
export async function recordStatement(
  deps: VerificationDeps,
  actor: Actor | undefined,
  householdId: string,
  kind: 'declared' | 'homeVisit',
  input: StatementInput,
  requestId?: string,
) {
  authorize(actor, Permission.verificationReconcile);
  const asOf = checkAsOf(deps, input.asOf);
  const figures = checkFigures(input.figures, 'figures');
  if (Object.keys(figures).length === 0)
    throw errors.validation('figures', '请至少填写一项数值', 'at least one figure is required');
  const note = checkText(input.note, 'note', 1000, '情况说明');
  const investigators = (input.investigators ?? []).map((n) => n.trim()).filter((n) => n !== '');
  if (kind === 'homeVisit' && investigators.length < 2)
    throw errors.validation(
      'investigators',
      '入户调查应由两名调查人员进行，请填写两人姓名',
      'two investigators are required',
    );
  if (investigators.some((n) => [...n].length > 50))
    throw errors.validation(
      'investigators',
      '调查人员姓名不能超过50个字',
      'investigator names are at most 50 characters',
    );
  return asActor(deps.db, actor, requestId, async (tx) => {
    const household = await householdOrNotFound(tx, householdId);
    let before: unknown = null;
    if (kind === 'declared') {
      const old = await tx.query<{ facts: unknown }>(
        `SELECT facts FROM household_economy WHERE household_id = $1 AND source = 'declared' AND as_of = $2`,
        [householdId, asOf],
      );
      before = old.rows[0]?.facts ?? null;
      await tx.query(
        `INSERT INTO household_economy (household_id, region_code, as_of, source, facts)
         VALUES ($1, $2, $3, 'declared', $4::jsonb)
         ON CONFLICT (household_id, source, as_of)
         DO UPDATE SET facts = household_economy.facts || excluded.facts, recorded_at = now(), recorded_by = doudi_actor_id()`,
        [householdId, household.region_code, asOf, JSON.stringify(figures)],
      );
    } else {
      const old = await tx.query<{ figures: unknown }>(
        'SELECT figures FROM verification_home_visit WHERE household_id = $1 AND visited_on = $2',
        [householdId, asOf],
      );
      before = old.rows[0]?.figures ?? null;
      await tx.query(
        `INSERT INTO verification_home_visit (household_id, visited_on, figures, investigators, note, region_code)
         VALUES ($1, $2, $3::jsonb, $4::text[], $5, $6)
         ON CONFLICT (household_id, visited_on) DO UPDATE
           SET figures = excluded.figures, investigators = excluded.investigators, note = excluded.note,
               recorded_at = now(), recorded_by = doudi_actor_id()`,
        [householdId, asOf, JSON.stringify(figures), investigators, note, household.region_code],
      );
    }
    await appendAudit(tx, {
      action: kind === 'declared' ? 'verification.declared.record' : 'verification.homeVisit.record',
      entityType: 'household',
      entityId: householdId,
      regionCode: household.region_code,
      actorRole: actor.role,
      before,
      after: { asOf, figures, investigators, note },
    });
    return { householdId, kind, asOf, figures };
  });
}

export interface ApproveInput {
  asOf: string;
  overrides?: Record<string, { value: number; reason: string }> | undefined;
}

export async function approveFigures(
  deps: VerificationDeps,
  actor: Actor | undefined,
  householdId: string,
  input: ApproveInput,
  requestId?: string,
) {
  authorize(actor, Permission.verificationReconcile);
  const asOf = checkAsOf(deps, input.asOf);
  const overrides: Record<string, Override> = {};
  for (const [name, o] of Object.entries(input.overrides ?? {})) {
    const problem = figureProblem(name, o?.value);
    if (problem) throw errors.validation(`overrides.${name}`, problem, `bad override ${name.slice(0, 40)}`);
    const reason = o.reason?.trim() ?? '';
    if ([...reason].length < REASON_MIN)
      throw errors.validation(
        `overrides.${name}.reason`,
        `调整“${FIGURES.find((f) => f.name === name)?.label}”须写明理由（至少${REASON_MIN}个字）`,
        'an override needs a written reason',
      );
    if ([...reason].length > REASON_MAX)
      throw errors.validation(
        `overrides.${name}.reason`,
        `理由不能超过${REASON_MAX}个字`,
        'reason is too long',
      );
    overrides[name] = { value: o.value, reason };
  }
  return asActor(deps.db, actor, requestId, async (tx) => {
    const { computed, declared, visit } = await readReconciliation(tx, householdId, asOf);
    const household = computed.household;
    const verified = verifiedFigures(computed.summaries, new Set(computed.loaded.keys()));
    const figures = reconcile(figuresOf(declared?.facts), figuresOf(visit?.figures), verified, overrides);
    const before = await approvalOn(tx, householdId, asOf);
    await tx.query(
      `INSERT INTO verification_approval (household_id, as_of, figures, region_code) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (household_id, as_of) DO UPDATE
         SET figures = excluded.figures, approved_by = doudi_actor_id(), approved_at = now()`,
      [householdId, asOf, JSON.stringify(figures), household.region_code],
    );
    // The facts the rules engine will read: the declared answers, the approved figures on top.
    const facts: Record<string, unknown> = { ...(declared?.facts ?? {}) };
    for (const f of figures) {
      if (f.approved === null) delete facts[f.name];
      else facts[f.name] = f.approved;
    }
    await tx.query(
      `INSERT INTO household_economy (household_id, region_code, as_of, source, facts)
       VALUES ($1, $2, $3, 'approved', $4::jsonb)
       ON CONFLICT (household_id, source, as_of)
       DO UPDATE SET facts = excluded.facts, recorded_at = now(), recorded_by = doudi_actor_id()`,
      [householdId, household.region_code, asOf, JSON.stringify(facts)],
    );
    await appendAudit(tx, {
      action: 'verification.approve',
      entityType: 'household',
      entityId: householdId,
      regionCode: household.region_code,
      actorRole: actor.role,
      before: before?.figures ?? null,
      after: {
        asOf,
        approved: Object.fromEntries(figures.map((f) => [f.name, [f.approved, f.approvedFrom]])),
        overrides,
      },
    });
    return (await readReconciliation(tx, householdId, asOf)).view;
  });
}
