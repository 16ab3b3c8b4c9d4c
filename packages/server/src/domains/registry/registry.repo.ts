/**
 * SQL of the registry. Always called inside asActor (row-level security applies) or by the
 * seed as the system. Cipher columns are selected only by reveal and export.
 */
import type { Queryable } from '../../db/database.ts';
import type { PersonalDataCipher } from './personalData.crypto.ts';
import { maskIdNumber, maskPhone } from './personalData.crypto.ts';
import type { CheckedPerson } from './registry.model.ts';

export interface HouseholdRow {
  id: string;
  household_number: string;
  region_code: string;
  region_name: string;
  township_name: string | null;
  address: string;
  urban: boolean;
  head_person_id: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export interface PersonRow {
  id: string;
  name: string;
  id_number_masked: string;
  birth_date: string;
  sex: 'male' | 'female';
  phone_masked: string | null;
  hukou_region_code: string | null;
  residence_region_code: string | null;
  household_id: string | null;
  household_number: string | null;
  relationship_to_head: string;
  region_code: string;
  death_date: string | null;
  merged_into: string | null;
  version: number;
}

export interface AttributeRow {
  id: string;
  person_id: string;
  kind: string;
  value: Record<string, unknown>;
  valid_from: string;
  valid_to: string | null;
  recorded_at: Date;
  recorded_by: string | null;
}

export interface CategoryRow {
  id: string;
  household_id: string;
  category: string;
  valid_from: string;
  valid_to: string | null;
  monthly_amount_fen: number | null;
  end_reason: string | null;
  recorded_at: Date;
}

export interface TransferRow {
  id: string;
  seq: number;
  person_id: string;
  kind: string;
  from_household_id: string | null;
  to_household_id: string | null;
  relationship_to_head: string | null;
  moved_on: string;
  reason: string | null;
  recorded_at: Date;
  recorded_by: string | null;
}

const SELECT_HOUSEHOLD = `SELECT h.*, v.name AS region_name, t.name AS township_name
  FROM household h JOIN region v ON v.code = h.region_code LEFT JOIN region t ON t.code = v.parent_code`;

const PERSON_COLUMNS = `p.id, p.name, p.id_number_masked, p.birth_date, p.sex, p.phone_masked, p.hukou_region_code,
  p.residence_region_code, p.household_id, h.household_number, p.relationship_to_head, p.region_code, p.death_date,
  p.merged_into, p.version`;

export async function findHousehold(
  tx: Queryable,
  id: string,
  lock = false,
): Promise<HouseholdRow | undefined> {
  const result = await tx.query<HouseholdRow>(
    `${SELECT_HOUSEHOLD} WHERE h.id = $1 ${lock ? 'FOR UPDATE OF h' : ''}`,
    [id],
  );
  return result.rows[0];
}

export async function insertHousehold(
  tx: Queryable,
  h: { id: string; householdNumber: string; regionCode: string; address: string; urban: boolean },
): Promise<boolean> {
  const result = await tx.query(
    `INSERT INTO household (id, household_number, region_code, address, urban) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (household_number) DO NOTHING RETURNING id`,
    [h.id, h.householdNumber, h.regionCode, h.address, h.urban],
  );
  return result.rows.length === 1;
}

export async function touchHousehold(tx: Queryable, id: string): Promise<void> {
  await tx.query('UPDATE household SET version = version + 1, updated_at = now() WHERE id = $1', [id]);
}

export async function updateHousehold(
  tx: Queryable,
  id: string,
  changes: { address?: string | undefined; urban?: boolean | undefined; headPersonId?: string | undefined },
): Promise<void> {
  await tx.query(
    `UPDATE household SET address = coalesce($2, address), urban = coalesce($3, urban),
            head_person_id = coalesce($4, head_person_id), version = version + 1, updated_at = now()
      WHERE id = $1`,
    [id, changes.address ?? null, changes.urban ?? null, changes.headPersonId ?? null],
  );
}

export async function findPerson(tx: Queryable, id: string, lock = false): Promise<PersonRow | undefined> {
  const result = await tx.query<PersonRow>(
    `SELECT ${PERSON_COLUMNS} FROM person p LEFT JOIN household h ON h.id = p.household_id WHERE p.id = $1
     ${lock ? 'FOR UPDATE OF p' : ''}`,
    [id],
  );
  return result.rows[0];
}

export async function findPersons(tx: Queryable, ids: string[]): Promise<PersonRow[]> {
  const result = await tx.query<PersonRow>(
    `SELECT ${PERSON_COLUMNS} FROM person p LEFT JOIN household h ON h.id = p.household_id WHERE p.id = ANY($1::uuid[])`,
    [ids],
  );
  return result.rows;
}

export async function currentMembers(tx: Queryable, householdId: string): Promise<PersonRow[]> {
  const result = await tx.query<PersonRow>(
    `SELECT ${PERSON_COLUMNS} FROM person p JOIN household h ON h.id = p.household_id
      WHERE p.household_id = $1 AND p.merged_into IS NULL ORDER BY (p.relationship_to_head = 'head') DESC, p.birth_date`,
    [householdId],
  );
  return result.rows;
}

/** Members on date `asOf`, with the relationship they had then, from the membership history. */
export async function membersAsOf(
  tx: Queryable,
  householdId: string,
  asOf: string,
): Promise<(PersonRow & { relationship_then: string; member_since: string })[]> {
  const result = await tx.query<PersonRow & { relationship_then: string; member_since: string }>(
    `WITH last_event AS (
       SELECT DISTINCT ON (t.person_id) t.person_id, t.to_household_id, t.relationship_to_head
         FROM person_transfer t
        WHERE t.person_id IN (SELECT person_id FROM person_transfer WHERE to_household_id = $1)
          AND t.moved_on <= $2
        ORDER BY t.person_id, t.moved_on DESC, t.seq DESC)
     SELECT ${PERSON_COLUMNS}, e.relationship_to_head AS relationship_then,
            (SELECT max(j.moved_on) FROM person_transfer j WHERE j.person_id = p.id AND j.to_household_id = $1
                AND j.kind IN ('join', 'transfer') AND j.moved_on <= $2) AS member_since
       FROM last_event e JOIN person p ON p.id = e.person_id LEFT JOIN household h ON h.id = $1
      WHERE e.to_household_id = $1 AND (p.death_date IS NULL OR p.death_date > $2)
      ORDER BY (e.relationship_to_head = 'head') DESC, p.birth_date`,
    [householdId, asOf],
  );
  return result.rows;
}

export async function lastMoveDate(tx: Queryable, personId: string): Promise<string | null> {
  const result = await tx.query<{ d: string | null }>(
    'SELECT max(moved_on) AS d FROM person_transfer WHERE person_id = $1',
    [personId],
  );
  return result.rows[0]?.d ?? null;
}

export interface PersonLocation {
  person_id: string;
  household_id: string;
  household_number: string;
  region_code: string;
  village_name: string | null;
  township_name: string | null;
}

export async function locatePerson(tx: Queryable, index: Buffer): Promise<PersonLocation | undefined> {
  const result = await tx.query<PersonLocation>('SELECT * FROM registry_person_location($1)', [index]);
  return result.rows[0];
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string; message?: string };
  return e?.code === '23505' && (e.constraint === constraint || !!e.message?.includes(constraint));
}

/**
 * Inserts a person; returns false when a live person with the same ID number exists (possibly
 * committed a moment ago by a concurrent request). The savepoint keeps the transaction usable.
 */
export async function insertPerson(
  tx: Queryable,
  cipher: PersonalDataCipher,
  p: CheckedPerson & { id: string; householdId: string; regionCode: string },
): Promise<boolean> {
  await tx.query('SAVEPOINT person_insert');
  try {
    await tx.query(
      `INSERT INTO person (id, name, id_number_cipher, id_number_index, id_number_masked, birth_date, sex,
         phone_cipher, phone_index, phone_masked, hukou_region_code, residence_region_code, household_id,
         relationship_to_head, region_code)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        p.id,
        p.name,
        cipher.encrypt('idNumber', p.idNumber),
        cipher.blindIndex('idNumber', p.idNumber),
        maskIdNumber(p.idNumber),
        p.birthDate,
        p.sex,
        p.phone ? cipher.encrypt('phone', p.phone) : null,
        p.phone ? cipher.blindIndex('phone', p.phone) : null,
        p.phone ? maskPhone(p.phone) : null,
        p.hukouRegionCode,
        p.residenceRegionCode,
        p.householdId,
        p.relationshipToHead,
        p.regionCode,
      ],
    );
    await tx.query('RELEASE SAVEPOINT person_insert');
    return true;
  } catch (error) {
    if (!isUniqueViolation(error, 'person_id_number_live_idx')) throw error;
    await tx.query('ROLLBACK TO SAVEPOINT person_insert');
    return false;
  }
}

export async function insertTransfer(
  tx: Queryable,
  t: {
    personId: string;
    kind: 'join' | 'transfer' | 'leave' | 'relationship';
    fromHouseholdId: string | null;
    toHouseholdId: string | null;
    relationshipToHead: string | null;
    movedOn: string;
    reason: string | null;
    regionCode: string;
    fromRegionCode: string | null;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO person_transfer (person_id, kind, from_household_id, to_household_id, relationship_to_head,
       moved_on, reason, region_code, from_region_code) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      t.personId,
      t.kind,
      t.fromHouseholdId,
      t.toHouseholdId,
      t.relationshipToHead,
      t.movedOn,
      t.reason,
      t.regionCode,
      t.fromRegionCode,
    ],
  );
}

export async function transfersOf(tx: Queryable, personId: string): Promise<TransferRow[]> {
  const result = await tx.query<TransferRow>(
    'SELECT * FROM person_transfer WHERE person_id = $1 ORDER BY moved_on, seq',
    [personId],
  );
  return result.rows;
}

export async function attributesOf(
  tx: Queryable,
  personIds: string[],
  asOf?: string,
): Promise<AttributeRow[]> {
  const result = await tx.query<AttributeRow>(
    `SELECT id, person_id, kind, value, valid_from, valid_to, recorded_at, recorded_by FROM person_attribute
      WHERE person_id = ANY($1::uuid[])
        AND ($2::date IS NULL OR (valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)))
      ORDER BY person_id, kind, valid_from`,
    [personIds, asOf ?? null],
  );
  return result.rows;
}

export async function categoriesOf(
  tx: Queryable,
  householdId: string,
  asOf?: string,
): Promise<CategoryRow[]> {
  const result = await tx.query<CategoryRow>(
    `SELECT id, household_id, category, valid_from, valid_to, monthly_amount_fen, end_reason, recorded_at
       FROM household_category
      WHERE household_id = $1 AND ($2::date IS NULL OR (valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)))
      ORDER BY valid_from, category`,
    [householdId, asOf ?? null],
  );
  return result.rows;
}

export async function personCipher(
  tx: Queryable,
  id: string,
): Promise<
  { id_number_cipher: Uint8Array; phone_cipher: Uint8Array | null; region_code: string } | undefined
> {
  const result = await tx.query<{
    id_number_cipher: Uint8Array;
    phone_cipher: Uint8Array | null;
    region_code: string;
  }>('SELECT id_number_cipher, phone_cipher, region_code FROM person WHERE id = $1', [id]);
  return result.rows[0];
}
