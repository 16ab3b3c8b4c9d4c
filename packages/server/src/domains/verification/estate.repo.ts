/** The SQL of the estate inquiry (身后一件事); every query in the caller's `asActor` transaction. */
import type { Queryable } from '../../db/database.ts';
import type { EstateHit } from './estate.build.ts';

export interface DeathEvidence {
  kind: 'registry' | 'death' | 'hukou';
  date: string;
  department: string | null;
}

/**
 * Where the deceased's death is on record: the registry's date of death, the civil-affairs death
 * and funeral source, and the public-security hukou deregistration (死亡注销). Oldest date first
 * is not assumed: the registry wins, then the death source, then the hukou event.
 */
export async function deathEvidence(tx: Queryable, index: Buffer): Promise<DeathEvidence[]> {
  const result = await tx.query<DeathEvidence>(
    `SELECT 'registry' AS kind, death_date::text AS date, NULL AS department
       FROM person WHERE id_number_index = $1 AND merged_into IS NULL AND death_date IS NOT NULL
     UNION ALL
     SELECT CASE WHEN source = 'death' THEN 'death' ELSE 'hukou' END,
            CASE WHEN source = 'death' THEN data->>'deathDate' ELSE data->>'eventDate' END, department
       FROM source_record
      WHERE id_number_index = $1 AND valid_to IS NULL
        AND (source = 'death' OR (source = 'hukou' AND data->>'event' = 'deregistration'))`,
    [index],
  );
  const order = { registry: 0, death: 1, hukou: 2 };
  return result.rows.filter((r) => r.date).sort((a, b) => order[a.kind] - order[b.kind]);
}

/** Is a supporter link recorded between the two (either side's household)? Scoped by RLS. */
export async function supporterLinked(
  tx: Queryable,
  a: { person_id: string; household_id: string },
  b: { person_id: string; household_id: string },
): Promise<boolean> {
  const result = await tx.query(
    `SELECT 1 FROM household_supporter
      WHERE (household_id = $1 AND person_id = $2) OR (household_id = $3 AND person_id = $4) LIMIT 1`,
    [a.household_id, b.person_id, b.household_id, a.person_id],
  );
  return result.rows.length > 0;
}

/** Every version of the deceased's estate records in force on the death date or later. */
export async function estateRecords(
  tx: Queryable,
  index: Buffer,
  sources: string[],
  deathDate: string,
): Promise<EstateHit[]> {
  const result = await tx.query<EstateHit>(
    `SELECT source, department, data, valid_from::text AS valid_from, valid_to::text AS valid_to,
            seen_as_of::text AS seen_as_of
       FROM source_record
      WHERE id_number_index = $1 AND source = ANY ($2::text[]) AND (valid_to IS NULL OR valid_to > $3::date)
      ORDER BY source, valid_from, record_key`,
    [index, sources, deathDate],
  );
  return result.rows;
}

export interface EstateRow {
  id: string;
  region_code: string;
  deceased_name: string;
  deceased_masked: string;
  death_date: string | null;
  death_evidence: DeathEvidence[] | null;
  death_certificate: string | null;
  heir_name: string;
  heir_masked: string;
  heir_relationship: string;
  kinship_basis: string | null;
  notarised_reference: string | null;
  auth_reference: string;
  auth_signed_on: string;
  status: 'issued' | 'refused';
  refusal_reason: string | null;
  refusal_code: 'noDeathRecord' | 'administratorDocument' | 'kinshipNotRecorded' | null;
  requested_by_name: string;
  requested_at: Date;
  request_hash: string;
  report?: Record<string, unknown> | null;
}

const COLUMNS = `id, region_code, deceased_name, deceased_masked, death_date::text AS death_date, death_evidence,
  death_certificate, heir_name, heir_masked, heir_relationship, kinship_basis, notarised_reference,
  auth_reference, auth_signed_on::text AS auth_signed_on, status, refusal_reason, refusal_code,
  requested_by_name, requested_at, request_hash`;

export async function insertEstate(
  tx: Queryable,
  r: Omit<EstateRow, 'id' | 'requested_at' | 'death_evidence'> & {
    deceased_index: Buffer;
    heir_index: Buffer;
    death_evidence: DeathEvidence[];
    idempotency_key: string;
  },
): Promise<EstateRow | undefined> {
  const result = await tx.query<EstateRow>(
    `INSERT INTO estate_inquiry (region_code, deceased_name, deceased_index, deceased_masked, death_date,
       death_evidence, death_certificate, heir_name, heir_index, heir_masked, heir_relationship, kinship_basis,
       notarised_reference, auth_reference, auth_signed_on, status, report, refusal_reason, refusal_code,
       requested_by_name, idempotency_key, request_hash)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17::jsonb, $18, $19, $20,
       $21, $22)
     ON CONFLICT (requested_by, idempotency_key) DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      r.region_code,
      r.deceased_name,
      r.deceased_index,
      r.deceased_masked,
      r.death_date,
      JSON.stringify(r.death_evidence),
      r.death_certificate,
      r.heir_name,
      r.heir_index,
      r.heir_masked,
      r.heir_relationship,
      r.kinship_basis,
      r.notarised_reference,
      r.auth_reference,
      r.auth_signed_on,
      r.status,
      r.report === undefined || r.report === null ? null : JSON.stringify(r.report),
      r.refusal_reason,
      r.refusal_code,
      r.requested_by_name,
      r.idempotency_key,
      r.request_hash,
    ],
  );
  return result.rows[0];
}

export async function estateByKey(tx: Queryable, key: string): Promise<EstateRow | undefined> {
  const result = await tx.query<EstateRow>(
    `SELECT ${COLUMNS} FROM estate_inquiry WHERE requested_by = doudi_actor_id() AND idempotency_key = $1`,
    [key],
  );
  return result.rows[0];
}

export async function findEstate(tx: Queryable, id: string): Promise<EstateRow | undefined> {
  const result = await tx.query<EstateRow>(`SELECT ${COLUMNS}, report FROM estate_inquiry WHERE id = $1`, [
    id,
  ]);
  return result.rows[0];
}

export async function listEstate(tx: Queryable, limit: number): Promise<EstateRow[]> {
  const result = await tx.query<EstateRow>(
    `SELECT ${COLUMNS} FROM estate_inquiry ORDER BY requested_at DESC, id LIMIT $1`,
    [limit],
  );
  return result.rows;
}
