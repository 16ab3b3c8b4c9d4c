/** SQL of the home visit; every query runs in the caller's scoped transaction (row-level security). */
import type { Queryable } from '../../db/database.ts';

export interface VisitRow {
  id: string;
  case_id: string;
  step: string;
  step_round: number;
  household_id: string;
  region_code: string;
  status: 'awaitingConfirmation' | 'confirmed';
  visited_at: Date;
  location_source: 'device' | 'manual';
  latitude: number | null;
  longitude: number | null;
  accuracy_m: number | null;
  address: string | null;
  first_investigator_id: string;
  first_investigator_name: string;
  second_investigator_id: string;
  second_investigator_name: string;
  confirmed_at: Date | null;
  figures: Record<string, number>;
  living: Record<string, unknown>;
  note: string | null;
  request_hash: string;
  version: number;
}

export interface PhotoMeta {
  id: string;
  width: number;
  height: number;
  byte_size: number;
  caption: string | null;
  created_at: Date;
}

const COLUMNS = `id, case_id, step, step_round, household_id, region_code, status, visited_at, location_source,
  latitude, longitude, accuracy_m, address, first_investigator_id, first_investigator_name,
  second_investigator_id, second_investigator_name, confirmed_at, figures, living, note, request_hash, version`;

export type VisitValues = Omit<VisitRow, 'id' | 'status' | 'confirmed_at' | 'version'>;

/** Inserts the visit of this case round, or returns undefined when one exists already. */
export async function insertVisit(tx: Queryable, v: VisitValues): Promise<VisitRow | undefined> {
  const r = await tx.query<VisitRow>(
    `INSERT INTO intake_home_visit (case_id, step, step_round, household_id, region_code, visited_at,
       location_source, latitude, longitude, accuracy_m, address, first_investigator_id, first_investigator_name,
       second_investigator_id, second_investigator_name, figures, living, note, request_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
     ON CONFLICT (case_id, step_round) DO NOTHING RETURNING ${COLUMNS}`,
    [
      v.case_id,
      v.step,
      v.step_round,
      v.household_id,
      v.region_code,
      v.visited_at,
      v.location_source,
      v.latitude,
      v.longitude,
      v.accuracy_m,
      v.address,
      v.first_investigator_id,
      v.first_investigator_name,
      v.second_investigator_id,
      v.second_investigator_name,
      JSON.stringify(v.figures),
      JSON.stringify(v.living),
      v.note,
      v.request_hash,
    ],
  );
  return r.rows[0];
}

/** Replaces what a not-yet-confirmed visit says (the first investigator corrects it). */
export async function updateVisit(tx: Queryable, id: string, v: VisitValues): Promise<VisitRow> {
  const r = await tx.query<VisitRow>(
    `UPDATE intake_home_visit SET visited_at = $2, location_source = $3, latitude = $4, longitude = $5,
       accuracy_m = $6, address = $7, second_investigator_id = $8, second_investigator_name = $9, figures = $10,
       living = $11, note = $12, request_hash = $13, version = version + 1, updated_at = now()
     WHERE id = $1 RETURNING ${COLUMNS}`,
    [
      id,
      v.visited_at,
      v.location_source,
      v.latitude,
      v.longitude,
      v.accuracy_m,
      v.address,
      v.second_investigator_id,
      v.second_investigator_name,
      JSON.stringify(v.figures),
      JSON.stringify(v.living),
      v.note,
      v.request_hash,
    ],
  );
  return r.rows[0] as VisitRow;
}

export async function visitOfRound(tx: Queryable, caseId: string, round: number, forUpdate = false) {
  const r = await tx.query<VisitRow>(
    `SELECT ${COLUMNS} FROM intake_home_visit WHERE case_id = $1 AND step_round = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [caseId, round],
  );
  return r.rows[0];
}

/** The newest visit of a case (any round). */
export async function latestVisit(tx: Queryable, caseId: string) {
  const r = await tx.query<VisitRow>(
    `SELECT ${COLUMNS} FROM intake_home_visit WHERE case_id = $1 ORDER BY step_round DESC LIMIT 1`,
    [caseId],
  );
  return r.rows[0];
}

export async function findVisit(tx: Queryable, id: string, forUpdate = false) {
  const r = await tx.query<VisitRow>(
    `SELECT ${COLUMNS} FROM intake_home_visit WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return r.rows[0];
}

export async function confirmVisit(tx: Queryable, id: string, at: Date) {
  const r = await tx.query<VisitRow>(
    `UPDATE intake_home_visit SET status = 'confirmed', confirmed_at = $2, version = version + 1, updated_at = now()
      WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, at],
  );
  return r.rows[0] as VisitRow;
}

/** Visits waiting for this user's confirmation as second investigator. */
export async function awaitingConfirmationBy(tx: Queryable, userId: string) {
  const r = await tx.query<VisitRow>(
    `SELECT ${COLUMNS} FROM intake_home_visit
      WHERE second_investigator_id = $1 AND status = 'awaitingConfirmation' ORDER BY visited_at LIMIT 100`,
    [userId],
  );
  return r.rows;
}

export async function photosOf(tx: Queryable, visitId: string) {
  const r = await tx.query<PhotoMeta>(
    `SELECT id, width, height, octet_length(bytes)::int AS byte_size, caption, created_at
       FROM intake_home_visit_photo WHERE visit_id = $1 ORDER BY created_at, id`,
    [visitId],
  );
  return r.rows;
}

/** Keeps a photo once per visit: the same bytes sent again (a retry) return the stored row. */
export async function insertPhoto(
  tx: Queryable,
  p: {
    visit_id: string;
    region_code: string;
    sha256: string;
    bytes: Buffer;
    width: number;
    height: number;
    caption: string | null;
  },
) {
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO intake_home_visit_photo (visit_id, region_code, sha256, content_type, bytes, width, height, caption)
     VALUES ($1, $2, $3, 'image/jpeg', $4, $5, $6, $7) ON CONFLICT (visit_id, sha256) DO NOTHING RETURNING id`,
    [p.visit_id, p.region_code, p.sha256, p.bytes, p.width, p.height, p.caption],
  );
  if (inserted.rows[0]) return { id: inserted.rows[0].id, replayed: false };
  const existing = await tx.query<{ id: string }>(
    'SELECT id FROM intake_home_visit_photo WHERE visit_id = $1 AND sha256 = $2',
    [p.visit_id, p.sha256],
  );
  return { id: (existing.rows[0] as { id: string }).id, replayed: true };
}

export async function photoBytes(tx: Queryable, visitId: string, photoId: string) {
  const r = await tx.query<{ bytes: Buffer | Uint8Array }>(
    'SELECT bytes FROM intake_home_visit_photo WHERE visit_id = $1 AND id = $2',
    [visitId, photoId],
  );
  const row = r.rows[0];
  return row ? Buffer.from(row.bytes) : undefined;
}

/** A staff account by login name, for naming the second investigator. */
export async function staffByUsername(tx: Queryable, username: string) {
  const r = await tx.query<{ id: string; display_name: string; role: string; region_code: string }>(
    'SELECT id, display_name, role, region_code FROM app_user WHERE username = $1 AND NOT disabled',
    [username],
  );
  return r.rows[0];
}

/**
 * Hands the figures found to take-highest reconciliation (domains/verification, migration 012): one
 * row per household and visit date, replaced when the same visit is confirmed again.
 */
export async function feedVerification(
  tx: Queryable,
  v: Pick<VisitRow, 'household_id' | 'region_code' | 'figures' | 'note'> & {
    visited_on: string;
    investigators: string[];
  },
) {
  await tx.query(
    `INSERT INTO verification_home_visit (household_id, visited_on, figures, investigators, note, region_code)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (household_id, visited_on) DO UPDATE
       SET figures = EXCLUDED.figures, investigators = EXCLUDED.investigators, note = EXCLUDED.note,
           recorded_by = doudi_actor_id(), recorded_at = now()`,
    [v.household_id, v.visited_on, JSON.stringify(v.figures), v.investigators, v.note, v.region_code],
  );
}
