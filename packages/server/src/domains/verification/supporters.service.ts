/**
 * Liable supporters living apart (赡养义务人: adult children in another household). The registry
 * puts a person in one household only, with no link to relatives elsewhere; household_supporter
 * (migration 012) is the minimal link the verification report needs. A supporter is named by ID
 * number, found wherever registered (registry_person_location); one who lives outside the caller's
 * region is linked all the same, and the report says their data must be asked of their region.
 */
import { checkIdNumber, maskIdNumber } from '@doudi/rules';
import { asActor } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { normaliseIdNumber, type PersonalDataCipher } from '../registry/personalData.crypto.ts';
import { findHousehold, locatePerson } from '../registry/registry.repo.ts';
import { checkAsOf, type VerificationDeps } from './report.service.ts';
import { supportersOf } from './verification.repo.ts';

export const SupporterRelationships = ['son', 'daughter', 'spouse', 'parent', 'other'] as const;
export type SupporterRelationship = (typeof SupporterRelationships)[number];

export interface SupportersDeps extends VerificationDeps {
  cipher: PersonalDataCipher;
}

const view = (r: Awaited<ReturnType<typeof supportersOf>>[number]) => ({
  id: r.id,
  personId: r.person_id,
  // Null when the supporter is registered outside the caller's region.
  name: r.name,
  idNumberMasked: r.id_number_masked,
  relationship: r.relationship,
  validFrom: r.valid_from,
  validTo: r.valid_to,
});

export async function listSupporters(
  deps: SupportersDeps,
  actor: Actor | undefined,
  householdId: string,
  requestId?: string,
) {
  authorize(actor, Permission.verificationRead);
  return asActor(deps.db, actor, requestId, async (tx) => {
    if (!(await findHousehold(tx, householdId))) throw errors.notFound('家庭');
    return (await supportersOf(tx, householdId)).map(view);
  });
}

export async function addSupporter(
  deps: SupportersDeps,
  actor: Actor | undefined,
  householdId: string,
  input: { idNumber: string; relationship: SupporterRelationship; validFrom?: string | undefined },
  requestId?: string,
) {
  authorize(actor, Permission.verificationReconcile);
  const idNumber = normaliseIdNumber(input.idNumber);
  const check = checkIdNumber(idNumber);
  if (!check.valid) throw errors.validation('idNumber', check.message, check.messageEn);
  const validFrom = checkAsOf(deps, input.validFrom);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const household = await findHousehold(tx, householdId);
    if (!household) throw errors.notFound('家庭');
    const located = await locatePerson(tx, deps.cipher.blindIndex('idNumber', idNumber));
    if (!located)
      throw errors.validation(
        'idNumber',
        '户籍库中没有该身份证号码的人员，请先登记',
        'no such person in the registry',
      );
    if (located.household_id === householdId)
      throw errors.validation(
        'idNumber',
        '该人员是本户成员，不是户外赡养义务人',
        'already a member of this household',
      );
    const birth = check.birthDate;
    const adultOn = `${Number(birth.slice(0, 4)) + 18}${birth.slice(4)}`;
    if (['son', 'daughter'].includes(input.relationship) && adultOn > validFrom)
      throw errors.validation(
        'idNumber',
        '赡养义务人应为成年子女（年满18周岁）',
        'a supporting child must be an adult',
      );
    const existing = await tx.query<{ id: string }>(
      'SELECT id FROM household_supporter WHERE household_id = $1 AND person_id = $2 AND valid_to IS NULL',
      [householdId, located.person_id],
    );
    // A repeated request finds the open link instead of adding a second one.
    if (existing.rows[0]) return { id: existing.rows[0].id, created: false };
    const inserted = await tx.query<{ id: string }>(
      `INSERT INTO household_supporter (household_id, person_id, relationship, valid_from, region_code)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [householdId, located.person_id, input.relationship, validFrom, household.region_code],
    );
    const id = inserted.rows[0]?.id as string;
    await appendAudit(tx, {
      action: 'verification.supporter.add',
      entityType: 'household',
      entityId: householdId,
      regionCode: household.region_code,
      actorRole: actor.role,
      after: {
        id,
        personId: located.person_id,
        idNumber: maskIdNumber(idNumber),
        relationship: input.relationship,
        validFrom,
      },
    });
    return { id, created: true };
  });
}

export async function endSupporter(
  deps: SupportersDeps,
  actor: Actor | undefined,
  householdId: string,
  supporterId: string,
  input: { validTo?: string | undefined },
  requestId?: string,
) {
  authorize(actor, Permission.verificationReconcile);
  const validTo = checkAsOf(deps, input.validTo);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const row = await tx.query<{ valid_from: string; valid_to: string | null; region_code: string }>(
      'SELECT valid_from, valid_to, region_code FROM household_supporter WHERE id = $1 AND household_id = $2',
      [supporterId, householdId],
    );
    const link = row.rows[0];
    if (!link) throw errors.notFound('赡养关系');
    if (link.valid_to !== null) return { id: supporterId, validTo: link.valid_to };
    if (validTo <= link.valid_from)
      throw errors.validation('validTo', '结束日期应晚于开始日期', 'validTo must be after validFrom');
    await tx.query('UPDATE household_supporter SET valid_to = $2 WHERE id = $1', [supporterId, validTo]);
    await appendAudit(tx, {
      action: 'verification.supporter.end',
      entityType: 'household',
      entityId: householdId,
      regionCode: link.region_code,
      actorRole: actor.role,
      after: { id: supporterId, validTo },
    });
    return { id: supporterId, validTo };
  });
}
