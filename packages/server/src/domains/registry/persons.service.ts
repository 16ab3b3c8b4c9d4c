/** Persons: detail with history, edits with optimistic concurrency, moves between households. */
import { asActor } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { maskPhone } from './personalData.crypto.ts';
import { checkDate, checkName, checkPhone, type Relationship, today } from './registry.model.ts';
import * as repo from './registry.repo.ts';
import { attributeView, personView, type RegistryDeps, transferView } from './registry.views.ts';

export async function getPerson(
  deps: RegistryDeps,
  actor: Actor | undefined,
  id: string,
  requestId?: string,
) {
  authorize(actor, Permission.registryRead);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const person = await repo.findPerson(tx, id);
    if (!person) throw errors.notFound('人员');
    const attributes = await repo.attributesOf(tx, [id]);
    const transfers = await repo.transfersOf(tx, id);
    return {
      ...personView(person),
      attributes: attributes.map(attributeView),
      transfers: transfers.map(transferView),
    };
  });
}

export async function updatePerson(
  deps: RegistryDeps,
  actor: Actor | undefined,
  id: string,
  changes: {
    version: number;
    name?: string | undefined;
    phone?: string | null | undefined;
    relationshipToHead?: Relationship | undefined;
    hukouRegionCode?: string | undefined;
    residenceRegionCode?: string | undefined;
  },
  requestId?: string,
) {
  authorize(actor, Permission.registryWrite);
  const name = changes.name !== undefined ? checkName(changes.name, 'name') : undefined;
  const phone = changes.phone !== undefined ? checkPhone(changes.phone, 'phone') : undefined;
  return asActor(deps.db, actor, requestId, async (tx) => {
    const before = await repo.findPerson(tx, id, true);
    if (!before) throw errors.notFound('人员');
    if (before.merged_into) throw errors.conflict('PERSON_MERGED', '该人员记录已合并，不能修改', 'merged');
    if (before.version !== changes.version)
      throw errors.conflict(
        'VERSION_CONFLICT',
        '该人员信息已被他人修改，请刷新后重试',
        'stale version',
        'version',
      );
    const relationship = changes.relationshipToHead;
    if (relationship && relationship !== before.relationship_to_head) {
      if (relationship === 'head' || before.relationship_to_head === 'head')
        throw errors.validation(
          'relationshipToHead',
          '变更户主请修改家庭信息',
          'change the head on the household',
        );
    }
    await tx.query(
      `UPDATE person SET name = coalesce($2, name),
              phone_cipher = CASE WHEN $3::boolean THEN $4 ELSE phone_cipher END,
              phone_index = CASE WHEN $3::boolean THEN $5 ELSE phone_index END,
              phone_masked = CASE WHEN $3::boolean THEN $6 ELSE phone_masked END,
              relationship_to_head = coalesce($7, relationship_to_head),
              hukou_region_code = coalesce($8, hukou_region_code),
              residence_region_code = coalesce($9, residence_region_code),
              version = version + 1, updated_at = now()
        WHERE id = $1`,
      [
        id,
        name ?? null,
        phone !== undefined,
        phone ? deps.cipher.encrypt('phone', phone) : null,
        phone ? deps.cipher.blindIndex('phone', phone) : null,
        phone ? maskPhone(phone) : null,
        relationship ?? null,
        changes.hukouRegionCode ?? null,
        changes.residenceRegionCode ?? null,
      ],
    );
    if (relationship && relationship !== before.relationship_to_head && before.household_id) {
      await repo.insertTransfer(tx, {
        personId: id,
        kind: 'relationship',
        fromHouseholdId: before.household_id,
        toHouseholdId: before.household_id,
        relationshipToHead: relationship,
        movedOn: today(),
        reason: null,
        regionCode: before.region_code,
        fromRegionCode: before.region_code,
      });
    }
    const after = await repo.findPerson(tx, id);
    if (!after) throw errors.notFound('人员');
    await appendAudit(tx, {
      action: 'person.update',
      entityType: 'person',
      entityId: id,
      regionCode: after.region_code,
      actorRole: actor.role,
      before: personView(before),
      after: personView(after),
    });
    return personView(after);
  });
}

export async function transferPerson(
  deps: RegistryDeps,
  actor: Actor | undefined,
  id: string,
  input: {
    toHouseholdId: string;
    relationshipToHead: Relationship;
    reason: string;
    movedOn?: string | undefined;
  },
  requestId?: string,
) {
  authorize(actor, Permission.registryWrite);
  const on = today();
  const movedOn = input.movedOn ? checkDate(input.movedOn, 'movedOn') : on;
  if (movedOn > on) throw errors.validation('movedOn', '迁移日期不能晚于今天', 'date in the future');
  if (input.relationshipToHead === 'head')
    throw errors.validation(
      'relationshipToHead',
      '迁入后不能直接成为户主；请迁入后变更户主',
      'cannot move in as head',
    );
  return asActor(deps.db, actor, requestId, async (tx) => {
    const before = await repo.findPerson(tx, id, true);
    if (!before) throw errors.notFound('人员');
    if (before.merged_into || !before.household_id)
      throw errors.conflict('PERSON_MERGED', '该人员记录已合并，不能迁移', 'merged');
    const target = await repo.findHousehold(tx, input.toHouseholdId, true);
    if (!target) throw errors.notFound('迁入家庭');
    if (target.id === before.household_id)
      throw errors.conflict('SAME_HOUSEHOLD', '该人员已在此户', 'already in that household', 'toHouseholdId');
    if (before.relationship_to_head === 'head')
      throw errors.conflict(
        'HEAD_CANNOT_MOVE',
        `${before.name}是户主，请先为原户变更户主再迁移`,
        'the head cannot move; change the head first',
      );
    const last = await repo.lastMoveDate(tx, id);
    if (last && movedOn < last)
      throw errors.validation(
        'movedOn',
        `迁移日期不能早于上一次变动日期${last}`,
        'earlier than the last move',
      );
    await tx.query(
      `UPDATE person SET household_id = $2, relationship_to_head = $3, region_code = $4,
              version = version + 1, updated_at = now() WHERE id = $1`,
      [id, target.id, input.relationshipToHead, target.region_code],
    );
    await tx.query('UPDATE person_attribute SET region_code = $2 WHERE person_id = $1', [
      id,
      target.region_code,
    ]);
    await repo.insertTransfer(tx, {
      personId: id,
      kind: 'transfer',
      fromHouseholdId: before.household_id,
      toHouseholdId: target.id,
      relationshipToHead: input.relationshipToHead,
      movedOn,
      reason: input.reason.trim(),
      regionCode: target.region_code,
      fromRegionCode: before.region_code,
    });
    await repo.touchHousehold(tx, before.household_id);
    await repo.touchHousehold(tx, target.id);
    const after = await repo.findPerson(tx, id);
    if (!after) throw errors.notFound('人员');
    await appendAudit(tx, {
      action: 'person.transfer',
      entityType: 'person',
      entityId: id,
      regionCode: target.region_code,
      actorRole: actor.role,
      before: personView(before),
      after: { ...personView(after), movedOn, reason: input.reason.trim() },
    });
    return personView(after);
  });
}
