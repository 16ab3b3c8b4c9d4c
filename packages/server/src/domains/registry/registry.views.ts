/** Rows to API views. Views hold masked personal data only, so they are also safe for the audit trail. */
import type { Database } from '../../db/database.ts';
import { regionPrefix } from '../regions/regionCode.ts';
import type { PersonalDataCipher } from './personalData.crypto.ts';
import type { AttributeRow, CategoryRow, HouseholdRow, PersonRow, TransferRow } from './registry.repo.ts';

/** What every registry service needs: the database and the personal-data cipher. */
export interface RegistryDeps {
  db: Database;
  cipher: PersonalDataCipher;
}

export function personView(row: PersonRow) {
  return {
    id: row.id,
    name: row.name,
    idNumberMasked: row.id_number_masked,
    birthDate: row.birth_date,
    sex: row.sex,
    phoneMasked: row.phone_masked,
    hukouRegionCode: row.hukou_region_code,
    residenceRegionCode: row.residence_region_code,
    householdId: row.household_id,
    householdNumber: row.household_number,
    relationshipToHead: row.relationship_to_head,
    regionCode: row.region_code,
    deathDate: row.death_date,
    mergedInto: row.merged_into,
    version: row.version,
  };
}
export type PersonView = ReturnType<typeof personView>;

export function attributeView(row: AttributeRow) {
  return {
    id: row.id,
    personId: row.person_id,
    kind: row.kind,
    value: row.value,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    recordedAt: new Date(row.recorded_at).toISOString(),
    recordedBy: row.recorded_by,
  };
}

export function categoryView(row: CategoryRow) {
  return {
    id: row.id,
    householdId: row.household_id,
    category: row.category,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    monthlyAmountFen: row.monthly_amount_fen,
    endReason: row.end_reason,
    recordedAt: new Date(row.recorded_at).toISOString(),
  };
}

export function transferView(row: TransferRow) {
  return {
    id: row.id,
    kind: row.kind,
    fromHouseholdId: row.from_household_id,
    toHouseholdId: row.to_household_id,
    relationshipToHead: row.relationship_to_head,
    movedOn: row.moved_on,
    reason: row.reason,
    recordedAt: new Date(row.recorded_at).toISOString(),
  };
}

export function householdSummary(row: HouseholdRow) {
  return {
    id: row.id,
    householdNumber: row.household_number,
    regionCode: row.region_code,
    regionName: row.region_name,
    townshipName: row.township_name,
    address: row.address,
    urban: row.urban,
    headPersonId: row.head_person_id,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** The closed range of 12-digit codes in a region's subtree. */
export function regionRange(code: string): { low: string; high: string } {
  const prefix = regionPrefix(code);
  return { low: prefix.padEnd(12, '0'), high: prefix.padEnd(12, '9') };
}

/** Escapes LIKE wildcards in user input. */
export function likeEscape(value: string): string {
  return value.replace(/[%_\\]/g, (c) => `\\${c}`);
}
