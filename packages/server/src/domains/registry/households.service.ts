/**
 * Households: register one with its members, add a member, list and search, show one as of a
 * date, change address or head. Reads are scoped by the database; writes check scope first for
 * a clear message.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { isWithin, regionLevel } from '../regions/regionCode.ts';
import { findRegion } from '../regions/regions.repo.ts';
import type * as search from './householdSearch.repo.ts';
import {
  maskHouseholdNumber,
  maskIdNumber,
  normaliseIdNumber,
  normalisePhone,
} from './personalData.crypto.ts';
import {
  ageOn,
  type CheckedPerson,
  checkAdultHead,
  checkDate,
  checkPerson,
  type PersonInput,
  today,
} from './registry.model.ts';
import * as repo from './registry.repo.ts';
import {
  attributeView,
  categoryView,
  householdSummary,
  likeEscape,
  personView,
  type RegistryDeps,
  regionRange,
} from './registry.views.ts';

/** Refuses a region that does not exist, is not a village, or lies outside the actor's scope. */
export async function checkVillage(tx: Queryable, actor: Actor, code: string, field: string) {
  if (!isWithin(code, actor.regionCode)) throw errors.outOfScope('所选地区');
  const region = await findRegion(tx, code);
  if (!region) throw errors.validation(field, `地区代码${code}不存在`, 'unknown region');
  if (regionLevel(code) !== 5)
    throw errors.validation(
      field,
      `户籍地应选到村（社区），${region.name}不是村（社区）`,
      'region must be a village',
    );
  return region;
}

/** The 409 for an ID number already registered: names the household, masked if out of scope. */
export function personConflict(
  actor: Actor,
  idNumber: string,
  at: repo.PersonLocation,
  householdId?: string,
  field = 'idNumber',
) {
  if (at.household_id === householdId)
    return errors.conflict(
      'PERSON_ALREADY_IN_HOUSEHOLD',
      `身份证号码${maskIdNumber(idNumber)}的人员已是本户成员`,
      'this person is already a member of this household',
      field,
    );
  const visible = isWithin(at.region_code, actor.regionCode);
  const number = visible ? at.household_number : maskHouseholdNumber(at.household_number);
  const place = `${at.township_name ?? ''}${at.village_name ?? ''}`;
  return errors.conflict(
    'PERSON_IN_OTHER_HOUSEHOLD',
    `身份证号码${maskIdNumber(idNumber)}的人员已登记在${place}户号${number}的家庭中，一人只能属于一户；如需迁入请办理迁移`,
    `this person already belongs to household ${number} in ${at.region_code}`,
    field,
  );
}

/** Inserts one member (person row + join event); throws the 409 when the ID number is taken. */
export async function addPersonTo(
  tx: Queryable,
  deps: RegistryDeps,
  actor: Actor,
  household: { id: string; region_code: string },
  person: CheckedPerson,
  joinedOn: string,
  field = 'idNumber',
): Promise<string> {
  const index = deps.cipher.blindIndex('idNumber', person.idNumber);
  const existing = await repo.locatePerson(tx, index);
  if (existing) throw personConflict(actor, person.idNumber, existing, household.id, field);
  const id = randomUUID();
  const inserted = await repo.insertPerson(tx, deps.cipher, {
    ...person,
    hukouRegionCode: person.hukouRegionCode ?? household.region_code,
    residenceRegionCode: person.residenceRegionCode ?? household.region_code,
    id,
    householdId: household.id,
    regionCode: household.region_code,
  });
  if (!inserted) {
    // A concurrent request registered the same person between our check and our insert.
    const winner = await repo.locatePerson(tx, index);
    if (winner) throw personConflict(actor, person.idNumber, winner, household.id, field);
    throw errors.conflict(
      'PERSON_IN_OTHER_HOUSEHOLD',
      '该人员已登记在其他户',
      'person already registered',
      field,
    );
  }
  await repo.insertTransfer(tx, {
    personId: id,
    kind: 'join',
    fromHouseholdId: null,
    toHouseholdId: household.id,
    relationshipToHead: person.relationshipToHead,
    movedOn: joinedOn,
    reason: null,
    regionCode: household.region_code,
    fromRegionCode: null,
  });
  return id;
}

export interface CreateHouseholdInput {
  householdNumber: string;
  regionCode: string;
  address: string;
  urban?: boolean | undefined;
  registeredOn?: string | undefined;
  head: Omit<PersonInput, 'relationshipToHead'>;
  members?: PersonInput[] | undefined;
}

export async function createHousehold(
  deps: RegistryDeps,
  actor: Actor | undefined,
  input: CreateHouseholdInput,
  requestId?: string,
) {
  authorize(actor, Permission.registryWrite);
  const on = today();
  const registeredOn = input.registeredOn ? checkDate(input.registeredOn, 'registeredOn') : on;
  if (registeredOn > on)
    throw errors.validation('registeredOn', '登记日期不能晚于今天', 'date in the future');
  const head = checkPerson({ ...input.head, relationshipToHead: 'head' }, 'head.', on);
  checkAdultHead(head, registeredOn, 'head.idNumber');
  const members = (input.members ?? []).map((m, i) => {
    if (m.relationshipToHead === 'head')
      throw errors.validation(`members.${i}.relationshipToHead`, '一户只能有一位户主', 'only one head');
    return checkPerson(m, `members.${i}.`, on);
  });
  const seen = new Set([head.idNumber]);
  members.forEach((m, i) => {
    if (seen.has(m.idNumber))
      throw errors.validation(
        `members.${i}.idNumber`,
        '同一身份证号码重复填写',
        'duplicate ID number in request',
      );
    seen.add(m.idNumber);
  });
  return asActor(deps.db, actor, requestId, async (tx) => {
    const village = await checkVillage(tx, actor, input.regionCode, 'regionCode');
    const id = randomUUID();
    const inserted = await repo.insertHousehold(tx, {
      id,
      householdNumber: input.householdNumber,
      regionCode: input.regionCode,
      address: input.address.trim(),
      urban: input.urban ?? village.urban ?? false,
    });
    if (!inserted)
      throw errors.conflict(
        'HOUSEHOLD_NUMBER_TAKEN',
        `户号${input.householdNumber}已被登记`,
        'household number taken',
        'householdNumber',
      );
    const household = { id, region_code: input.regionCode };
    const headId = await addPersonTo(tx, deps, actor, household, head, registeredOn, 'head.idNumber');
    for (const [i, member] of members.entries())
      await addPersonTo(tx, deps, actor, household, member, registeredOn, `members.${i}.idNumber`);
    await tx.query('UPDATE household SET head_person_id = $2 WHERE id = $1', [id, headId]);
    const detail = await loadDetail(tx, id, on);
    await appendAudit(tx, {
      action: 'household.create',
      entityType: 'household',
      entityId: id,
      regionCode: input.regionCode,
      actorRole: actor.role,
      after: detail,
    });
    return detail;
  });
}

export async function loadDetail(tx: Queryable, id: string, asOf: string) {
  const household = await repo.findHousehold(tx, id);
  if (!household) throw errors.notFound('家庭');
  const members = await repo.membersAsOf(tx, id, asOf);
  const attributes = await repo.attributesOf(
    tx,
    members.map((m) => m.id),
    asOf,
  );
  const categories = await repo.categoriesOf(tx, id);
  const inForce = (c: repo.CategoryRow) => c.valid_from <= asOf && (c.valid_to === null || c.valid_to > asOf);
  const headThen = members.find((m) => m.relationship_then === 'head');
  return {
    ...householdSummary(household),
    asOf,
    headPersonIdAsOf: headThen?.id ?? null,
    members: members.map((m) => ({
      ...personView(m),
      relationshipToHead: m.relationship_then,
      memberSince: m.member_since,
      ageOnDate: ageOn(m.birth_date, asOf),
      attributes: attributes.filter((a) => a.person_id === m.id).map(attributeView),
    })),
    categories: categories.filter(inForce).map(categoryView),
    categoryHistory: categories.map(categoryView),
  };
}

export async function getHousehold(
  deps: RegistryDeps,
  actor: Actor | undefined,
  id: string,
  asOf: string | undefined,
  requestId?: string,
) {
  authorize(actor, Permission.registryRead);
  const date = asOf ? checkDate(asOf, 'asOf') : today();
  return asActor(deps.db, actor, requestId, (tx) => loadDetail(tx, id, date));
}

export interface HouseholdQuery {
  regionCode?: string | undefined;
  category?: string | undefined;
  name?: string | undefined;
  nameMode?: 'prefix' | 'contains' | undefined;
  idNumber?: string | undefined;
  phone?: string | undefined;
  householdNumber?: string | undefined;
  householdNumberMode?: 'prefix' | 'exact' | undefined;
  asOf?: string | undefined;
}

export function householdFilter(deps: RegistryDeps, actor: Actor, q: HouseholdQuery): search.HouseholdFilter {
  // The route schema already admits only these characters; checked again because the value
  // becomes a LIKE pattern, where % and _ would be wildcards.
  if (q.householdNumber !== undefined && !/^[0-9A-Za-z-]{1,40}$/.test(q.householdNumber))
    throw errors.validation(
      'householdNumber',
      '户号只能包含数字、字母和短横线，最长40位',
      'bad household number',
    );
  const range = regionRange(q.regionCode ?? actor.regionCode);
  const name = q.name?.trim();
  return {
    ...range,
    on: q.asOf ? checkDate(q.asOf, 'asOf') : today(),
    category: q.category,
    namePattern: name
      ? q.nameMode === 'contains'
        ? `%${likeEscape(name)}%`
        : `${likeEscape(name)}%`
      : undefined,
    idNumberIndex: q.idNumber?.trim()
      ? deps.cipher.blindIndex('idNumber', normaliseIdNumber(q.idNumber))
      : undefined,
    phoneIndex: q.phone?.trim() ? deps.cipher.blindIndex('phone', normalisePhone(q.phone)) : undefined,
    householdNumber: q.householdNumber
      ? { value: q.householdNumber, mode: q.householdNumberMode ?? 'prefix' }
      : undefined,
  };
}

export async function addMember(
  deps: RegistryDeps,
  actor: Actor | undefined,
  householdId: string,
  input: PersonInput & { joinedOn?: string | undefined },
  requestId?: string,
) {
  authorize(actor, Permission.registryWrite);
  const on = today();
  if (input.relationshipToHead === 'head')
    throw errors.validation(
      'relationshipToHead',
      '一户只能有一位户主；变更户主请修改家庭信息',
      'only one head',
    );
  const person = checkPerson(input, '', on);
  const joinedOn = input.joinedOn ? checkDate(input.joinedOn, 'joinedOn') : on;
  if (joinedOn > on) throw errors.validation('joinedOn', '迁入日期不能晚于今天', 'date in the future');
  return asActor(deps.db, actor, requestId, async (tx) => {
    const household = await repo.findHousehold(tx, householdId, true);
    if (!household) throw errors.notFound('家庭');
    const id = await addPersonTo(tx, deps, actor, household, person, joinedOn);
    await repo.touchHousehold(tx, householdId);
    const created = await repo.findPerson(tx, id);
    if (!created) throw errors.notFound('人员');
    const view = personView(created);
    await appendAudit(tx, {
      action: 'household.addMember',
      entityType: 'person',
      entityId: id,
      regionCode: household.region_code,
      actorRole: actor.role,
      after: view,
    });
    return view;
  });
}
