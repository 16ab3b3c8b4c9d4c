/**
 * Likely duplicates (same name and birth date in the same village, two live person rows) and
 * merging them: the kept person receives the other's attributes (and phone if it has none); the
 * removed row stays, marked merged_into, and leaves its household through a recorded event.
 */
import { asActor } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { today } from './registry.model.ts';
import * as repo from './registry.repo.ts';
import { personView, type RegistryDeps, regionRange } from './registry.views.ts';

export async function listDuplicates(
  deps: RegistryDeps,
  actor: Actor | undefined,
  query: { regionCode?: string | undefined; limit?: number | undefined },
  requestId?: string,
) {
  authorize(actor, Permission.registryMerge);
  const { low, high } = regionRange(query.regionCode ?? actor.regionCode);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const pairs = await tx.query<{ a: string; b: string; region_name: string }>(
      `SELECT a.id AS a, b.id AS b, v.name AS region_name
         FROM person a
         JOIN person b ON b.region_code = a.region_code AND b.name = a.name AND b.birth_date = a.birth_date
                      AND b.id > a.id AND b.merged_into IS NULL
         JOIN region v ON v.code = a.region_code
        WHERE a.merged_into IS NULL AND a.region_code BETWEEN $1 AND $2
        ORDER BY a.region_code, a.name, a.id LIMIT $3`,
      [low, high, query.limit ?? 200],
    );
    const persons = new Map(
      (
        await repo.findPersons(
          tx,
          pairs.rows.flatMap((p) => [p.a, p.b]),
        )
      ).map((p) => [p.id, personView(p)]),
    );
    return pairs.rows.map((p) => ({
      reason: 'sameNameBirthDateVillage' as const,
      regionName: p.region_name,
      persons: [persons.get(p.a), persons.get(p.b)].filter((x) => x !== undefined),
    }));
  });
}

export async function mergePersons(
  deps: RegistryDeps,
  actor: Actor | undefined,
  input: { keepPersonId: string; removePersonId: string; reason: string },
  requestId?: string,
) {
  authorize(actor, Permission.registryMerge);
  if (input.keepPersonId === input.removePersonId)
    throw errors.validation('removePersonId', '保留与合并的不能是同一人', 'same person');
  const on = today();
  return asActor(deps.db, actor, requestId, async (tx) => {
    const keep = await repo.findPerson(tx, input.keepPersonId, true);
    const remove = await repo.findPerson(tx, input.removePersonId, true);
    if (!keep) throw errors.notFound('保留的人员');
    if (!remove) throw errors.notFound('合并的人员');
    if (keep.merged_into || remove.merged_into)
      throw errors.conflict('PERSON_MERGED', '其中一人已被合并', 'already merged');
    if (!remove.household_id)
      throw errors.conflict('PERSON_MERGED', '被合并人员不在任何户中', 'no household');
    if (remove.relationship_to_head === 'head') {
      const members = await repo.currentMembers(tx, remove.household_id);
      if (members.length > 1)
        throw errors.conflict(
          'HEAD_CANNOT_MERGE',
          `${remove.name}是其所在户的户主，请先变更户主再合并`,
          'the removed person heads a household; change the head first',
        );
      await tx.query('UPDATE household SET head_person_id = NULL WHERE id = $1', [remove.household_id]);
    }
    // Where both have an open value of a kind, the kept person's stays open; the other's closes.
    const closed = await tx.query<{ kind: string }>(
      `UPDATE person_attribute r SET valid_to = greatest(r.valid_from + 1, $3::date)
        WHERE r.person_id = $2 AND r.valid_to IS NULL
          AND EXISTS (SELECT 1 FROM person_attribute k WHERE k.person_id = $1 AND k.kind = r.kind AND k.valid_to IS NULL)
        RETURNING r.kind`,
      [keep.id, remove.id, on],
    );
    const moved = await tx.query(
      'UPDATE person_attribute SET person_id = $1, region_code = $3 WHERE person_id = $2 RETURNING id',
      [keep.id, remove.id, keep.region_code],
    );
    await tx.query(
      `UPDATE person k SET phone_cipher = r.phone_cipher, phone_index = r.phone_index, phone_masked = r.phone_masked
         FROM person r WHERE k.id = $1 AND r.id = $2 AND k.phone_cipher IS NULL AND r.phone_cipher IS NOT NULL`,
      [keep.id, remove.id],
    );
    await tx.query(
      `UPDATE person SET merged_into = $2, household_id = NULL, version = version + 1, updated_at = now() WHERE id = $1`,
      [remove.id, keep.id],
    );
    await tx.query('UPDATE person SET version = version + 1, updated_at = now() WHERE id = $1', [keep.id]);
    await repo.insertTransfer(tx, {
      personId: remove.id,
      kind: 'leave',
      fromHouseholdId: remove.household_id,
      toHouseholdId: null,
      relationshipToHead: null,
      movedOn: on,
      reason: `合并到 ${keep.id}：${input.reason.trim()}`,
      regionCode: remove.region_code,
      fromRegionCode: remove.region_code,
    });
    await repo.touchHousehold(tx, remove.household_id);
    const keptAfter = await repo.findPerson(tx, keep.id);
    const removedAfter = await repo.findPerson(tx, remove.id);
    if (!keptAfter || !removedAfter) throw errors.notFound('人员');
    const result = {
      kept: personView(keptAfter),
      removed: personView(removedAfter),
      attributesMoved: moved.rowCount,
      attributesClosed: closed.rows.map((r) => r.kind),
    };
    await appendAudit(tx, {
      action: 'person.merge',
      entityType: 'person',
      entityId: keep.id,
      regionCode: keep.region_code,
      actorRole: actor.role,
      before: { kept: personView(keep), removed: personView(remove) },
      after: { ...result, reason: input.reason.trim() },
    });
    return result;
  });
}
