/**
 * Dated history: a person's attributes and a household's assistance categories. Recording a new
 * value closes the open one of the same kind on the new value's start date; periods of one kind
 * never overlap, so "what was true on date D" has one answer.
 */
import type { Queryable } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { type AttributeKind, type Category, checkAttributeValue, checkDate } from './registry.model.ts';
import * as repo from './registry.repo.ts';
import { attributeView, categoryView, type RegistryDeps } from './registry.views.ts';

interface Period {
  id: string;
  valid_from: string;
  valid_to: string | null;
}

/**
 * Checks the new period [from, to) against the existing ones of the same kind: the open one
 * (if it started earlier) will be closed at `from`; any other overlap is refused.
 */
function checkPeriods(existing: Period[], from: string, to: string | null): Period | undefined {
  const open = existing.find((p) => p.valid_to === null);
  for (const p of existing) {
    const end = p === open && p.valid_from < from ? from : p.valid_to;
    const overlaps = (to === null || p.valid_from < to) && (end === null || end > from);
    if (overlaps)
      throw errors.validation(
        'validFrom',
        `与已有记录（${p.valid_from}至${p.valid_to ?? '今'}）时间重叠；新记录须从${p.valid_to ?? `${p.valid_from}之后`}开始`,
        'overlaps an existing period',
      );
  }
  return open && open.valid_from < from ? open : undefined;
}

async function lockedPeriods(
  tx: Queryable,
  table: 'person_attribute' | 'household_category',
  where: string,
  params: unknown[],
) {
  const result = await tx.query<Period>(
    `SELECT id, valid_from, valid_to FROM ${table} WHERE ${where} ORDER BY valid_from FOR UPDATE`,
    params,
  );
  return result.rows;
}

export async function recordAttribute(
  deps: RegistryDeps,
  actor: Actor | undefined,
  personId: string,
  input: { kind: AttributeKind; value: unknown; validFrom: string; validTo?: string | undefined },
  requestId?: string,
) {
  authorize(actor, Permission.registryWrite);
  const value = checkAttributeValue(input.kind, input.value);
  const validFrom = checkDate(input.validFrom, 'validFrom');
  const validTo = input.validTo ? checkDate(input.validTo, 'validTo') : null;
  if (validTo && validTo <= validFrom)
    throw errors.validation('validTo', '结束日期应晚于生效日期', 'validTo <= validFrom');
  return asActor(deps.db, actor, requestId, async (tx) => {
    const person = await repo.findPerson(tx, personId, true);
    if (!person) throw errors.notFound('人员');
    if (person.merged_into) throw errors.conflict('PERSON_MERGED', '该人员记录已合并', 'merged');
    const periods = await lockedPeriods(tx, 'person_attribute', 'person_id = $1 AND kind = $2', [
      personId,
      input.kind,
    ]);
    const closing = checkPeriods(periods, validFrom, validTo);
    let closed: repo.AttributeRow | undefined;
    if (closing) {
      const r = await tx.query<repo.AttributeRow>(
        'UPDATE person_attribute SET valid_to = $2 WHERE id = $1 RETURNING *',
        [closing.id, validFrom],
      );
      closed = r.rows[0];
    }
    const inserted = await tx.query<repo.AttributeRow>(
      `INSERT INTO person_attribute (person_id, kind, value, valid_from, valid_to, region_code)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [personId, input.kind, JSON.stringify(value), validFrom, validTo, person.region_code],
    );
    const row = inserted.rows[0] as repo.AttributeRow;
    await appendAudit(tx, {
      action: 'person.attribute.record',
      entityType: 'person',
      entityId: personId,
      regionCode: person.region_code,
      actorRole: actor.role,
      before: closed ? { ...attributeView(closed), validTo: null } : null,
      after: attributeView(row),
    });
    return attributeView(row);
  });
}

export async function addCategory(
  deps: RegistryDeps,
  actor: Actor | undefined,
  householdId: string,
  input: {
    category: Category;
    validFrom: string;
    validTo?: string | undefined;
    monthlyAmountFen?: number | undefined;
  },
  requestId?: string,
) {
  authorize(actor, Permission.registryWrite);
  const validFrom = checkDate(input.validFrom, 'validFrom');
  const validTo = input.validTo ? checkDate(input.validTo, 'validTo') : null;
  if (validTo && validTo <= validFrom)
    throw errors.validation('validTo', '结束日期应晚于生效日期', 'validTo <= validFrom');
  return asActor(deps.db, actor, requestId, async (tx) => {
    const household = await repo.findHousehold(tx, householdId, true);
    if (!household) throw errors.notFound('家庭');
    const periods = await lockedPeriods(tx, 'household_category', 'household_id = $1 AND category = $2', [
      householdId,
      input.category,
    ]);
    const closing = checkPeriods(periods, validFrom, validTo);
    let closed: repo.CategoryRow | undefined;
    if (closing) {
      const r = await tx.query<repo.CategoryRow>(
        `UPDATE household_category SET valid_to = $2, end_reason = '由新记录接续' WHERE id = $1 RETURNING *`,
        [closing.id, validFrom],
      );
      closed = r.rows[0];
    }
    const inserted = await tx.query<repo.CategoryRow>(
      `INSERT INTO household_category (household_id, category, valid_from, valid_to, monthly_amount_fen, region_code)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [
        householdId,
        input.category,
        validFrom,
        validTo,
        input.monthlyAmountFen ?? null,
        household.region_code,
      ],
    );
    const row = inserted.rows[0] as repo.CategoryRow;
    await repo.touchHousehold(tx, householdId);
    await appendAudit(tx, {
      action: 'household.category.add',
      entityType: 'household',
      entityId: householdId,
      regionCode: household.region_code,
      actorRole: actor.role,
      before: closed ? { ...categoryView(closed), validTo: null } : null,
      after: categoryView(row),
    });
    return categoryView(row);
  });
}

/** What differs between ending an attribute and ending a category; the rest is endPeriod. */
interface PeriodKind<Row> {
  table: 'person_attribute' | 'household_category';
  owner: 'person_id' | 'household_id';
  entityType: 'person' | 'household';
  action: string;
  label: string;
  view(row: Row): object;
  /** Categories record why they ended and bump the household's version. */
  withReason: boolean;
}

const AttributePeriod: PeriodKind<repo.AttributeRow> = {
  table: 'person_attribute',
  owner: 'person_id',
  entityType: 'person',
  action: 'person.attribute.end',
  label: '属性记录',
  view: attributeView,
  withReason: false,
};

const CategoryPeriod: PeriodKind<repo.CategoryRow> = {
  table: 'household_category',
  owner: 'household_id',
  entityType: 'household',
  action: 'household.category.end',
  label: '救助类别记录',
  view: categoryView,
  withReason: true,
};

/** Closes one open period of `ownerId` on `validTo` (after its start), audited. */
async function endPeriod<Row extends Period>(
  deps: RegistryDeps,
  actor: Actor | undefined,
  kind: PeriodKind<Row>,
  ownerId: string,
  periodId: string,
  input: { validTo: string; reason?: string | undefined },
  requestId?: string,
) {
  authorize(actor, Permission.registryWrite);
  const validTo = checkDate(input.validTo, 'validTo');
  return asActor(deps.db, actor, requestId, async (tx) => {
    const found = await tx.query<Row & { region_code: string }>(
      `SELECT * FROM ${kind.table} WHERE id = $1 AND ${kind.owner} = $2 FOR UPDATE`,
      [periodId, ownerId],
    );
    const before = found.rows[0];
    if (!before) throw errors.notFound(kind.label);
    if (before.valid_to !== null) throw errors.conflict('ALREADY_ENDED', '该记录已结束', 'already ended');
    if (validTo <= before.valid_from)
      throw errors.validation(
        'validTo',
        `结束日期应晚于生效日期${before.valid_from}`,
        'validTo <= validFrom',
      );
    const r = kind.withReason
      ? await tx.query<Row>(
          `UPDATE ${kind.table} SET valid_to = $2, end_reason = $3 WHERE id = $1 RETURNING *`,
          [periodId, validTo, input.reason?.trim() ?? null],
        )
      : await tx.query<Row>(`UPDATE ${kind.table} SET valid_to = $2 WHERE id = $1 RETURNING *`, [
          periodId,
          validTo,
        ]);
    const after = r.rows[0] as Row;
    if (kind.owner === 'household_id') await repo.touchHousehold(tx, ownerId);
    await appendAudit(tx, {
      action: kind.action,
      entityType: kind.entityType,
      entityId: ownerId,
      regionCode: before.region_code,
      actorRole: actor.role,
      before: kind.view(before),
      after: kind.view(after),
    });
    return kind.view(after);
  });
}

export const endAttribute = (
  deps: RegistryDeps,
  actor: Actor | undefined,
  personId: string,
  attributeId: string,
  input: { validTo: string },
  requestId?: string,
) => endPeriod(deps, actor, AttributePeriod, personId, attributeId, input, requestId);

export const endCategory = (
  deps: RegistryDeps,
  actor: Actor | undefined,
  householdId: string,
  categoryId: string,
  input: { validTo: string; reason: string },
  requestId?: string,
) => endPeriod(deps, actor, CategoryPeriod, householdId, categoryId, input, requestId);
