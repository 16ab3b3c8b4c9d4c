/** Editing a household: address, urban flag, and a change of head (an adult member). */
import { asActor } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { loadDetail } from './households.service.ts';
import { ADULT_AGE, ageOn, type Relationship, today } from './registry.model.ts';
import * as repo from './registry.repo.ts';
import { householdSummary, type RegistryDeps } from './registry.views.ts';

export async function updateHousehold(
  deps: RegistryDeps,
  actor: Actor | undefined,
  id: string,
  changes: {
    version: number;
    address?: string | undefined;
    urban?: boolean | undefined;
    headPersonId?: string | undefined;
    previousHeadRelationship?: Relationship | undefined;
  },
  requestId?: string,
) {
  authorize(actor, Permission.registryWrite);
  const on = today();
  return asActor(deps.db, actor, requestId, async (tx) => {
    const before = await repo.findHousehold(tx, id, true);
    if (!before) throw errors.notFound('家庭');
    if (before.version !== changes.version)
      throw errors.conflict(
        'VERSION_CONFLICT',
        '该家庭信息已被他人修改，请刷新后重试',
        `version is ${before.version}, not ${changes.version}`,
        'version',
      );
    const beforeView = householdSummary(before);
    if (changes.headPersonId && changes.headPersonId !== before.head_person_id) {
      const head = await repo.findPerson(tx, changes.headPersonId, true);
      if (!head || head.household_id !== id || head.merged_into)
        throw errors.validation('headPersonId', '新户主必须是本户现有成员', 'new head must be a member');
      const age = ageOn(head.birth_date, on);
      if (age < ADULT_AGE)
        throw errors.validation(
          'headPersonId',
          `户主须年满${ADULT_AGE}周岁，${head.name}现为${age}周岁`,
          'head must be adult',
        );
      const previous = changes.previousHeadRelationship ?? 'other';
      if (previous === 'head')
        throw errors.validation('previousHeadRelationship', '原户主不能仍为户主', 'invalid');
      for (const [personId, relationship] of [
        [before.head_person_id, previous],
        [head.id, 'head'],
      ] as const) {
        if (!personId) continue;
        await tx.query(
          'UPDATE person SET relationship_to_head = $2, version = version + 1, updated_at = now() WHERE id = $1',
          [personId, relationship],
        );
        await repo.insertTransfer(tx, {
          personId,
          kind: 'relationship',
          fromHouseholdId: id,
          toHouseholdId: id,
          relationshipToHead: relationship,
          movedOn: on,
          reason: '变更户主',
          regionCode: before.region_code,
          fromRegionCode: before.region_code,
        });
      }
    }
    await repo.updateHousehold(tx, id, {
      address: changes.address?.trim(),
      urban: changes.urban,
      headPersonId: changes.headPersonId,
    });
    const after = await repo.findHousehold(tx, id);
    if (!after) throw errors.notFound('家庭');
    await appendAudit(tx, {
      action: 'household.update',
      entityType: 'household',
      entityId: id,
      regionCode: before.region_code,
      actorRole: actor.role,
      before: beforeView,
      after: householdSummary(after),
    });
    return loadDetail(tx, id, on);
  });
}
