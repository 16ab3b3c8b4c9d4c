/**
 * The SQL of verification: the persons a report covers (members on the date, and supporters
 * linked to the household), every source record of theirs in force on the date with its import,
 * supporter links, home visits and approvals. Every query runs in the caller's `asActor`
 * transaction: row-level security decides what is seen.
 */
import type { Queryable } from '../../db/database.ts';

export interface CoveredPerson {
  id: string;
  name: string;
  id_number_masked: string;
  birth_date: string;
  sex: 'male' | 'female';
  region_code: string;
  /** member: in the household on the date; supporter: liable relative living apart. */
  role: 'member' | 'supporter';
  relationship: string;
}

export interface RecordRow {
  id: string;
  person_id: string;
  source: string;
  record_key: string;
  department: string;
  name_mismatch: boolean;
  data: Record<string, unknown>;
  valid_from: string;
  seen_as_of: string;
  import_id: string;
  file_name: string | null;
  via: string | null;
  imported_at: Date | null;
}

export interface ReportRows {
  persons: CoveredPerson[];
  records: RecordRow[];
  loaded: { source: string; last_as_of: string }[];
  hidden: number;
}

/**
 * Everything the report reads about a household, in one round trip: the persons covered (members on
 * the date as registry.repo.membersAsOf, and supporters whose link is in force), their records in
 * force on the date with the imports they came from, the sources loaded by the date for the
 * village, and the supporters this scope cannot see. The SQL is the function
 * verification_report_rows (migration 012), planned once per connection. Records are found with
 * `= ANY(ARRAY(SELECT …))`: an array computed once, then one index range scan per person, never a
 * join the planner might turn into a scan of ten million rows.
 */
export async function reportRows(
  tx: Queryable,
  householdId: string,
  village: string,
  asOf: string,
): Promise<ReportRows> {
  const result = await tx.query<{
    persons: CoveredPerson[] | null;
    records: RecordRow[] | null;
    loaded: ReportRows['loaded'] | null;
    hidden: number;
  }>('SELECT persons, records, loaded, hidden FROM verification_report_rows($1::uuid, $2::date, $3)', [
    householdId,
    asOf,
    village,
  ]);
  const row = result.rows[0];
  return {
    persons: row?.persons ?? [],
    records: row?.records ?? [],
    loaded: row?.loaded ?? [],
    hidden: row?.hidden ?? 0,
  };
}

export interface SupporterRow {
  id: string;
  person_id: string;
  name: string | null;
  id_number_masked: string | null;
  relationship: string;
  valid_from: string;
  valid_to: string | null;
}

export async function supportersOf(tx: Queryable, householdId: string): Promise<SupporterRow[]> {
  const result = await tx.query<SupporterRow>(
    `SELECT s.id, s.person_id, p.name, p.id_number_masked, s.relationship, s.valid_from, s.valid_to
       FROM household_supporter s LEFT JOIN person p ON p.id = s.person_id
      WHERE s.household_id = $1 ORDER BY s.valid_from, s.recorded_at`,
    [householdId],
  );
  return result.rows;
}

export interface HomeVisitRow {
  visited_on: string;
  figures: Record<string, number>;
  investigators: string[];
  note: string | null;
}

/** The latest home visit on or before the date. */
export async function homeVisitAsOf(tx: Queryable, householdId: string, asOf: string) {
  const result = await tx.query<HomeVisitRow>(
    `SELECT visited_on, figures, investigators, note FROM verification_home_visit
      WHERE household_id = $1 AND visited_on <= $2 ORDER BY visited_on DESC LIMIT 1`,
    [householdId, asOf],
  );
  return result.rows[0];
}

/** The newest declared household_economy row on or before the date. */
export async function declaredAsOf(tx: Queryable, householdId: string, asOf: string) {
  const result = await tx.query<{ as_of: string; facts: Record<string, unknown> }>(
    `SELECT as_of, facts FROM household_economy
      WHERE household_id = $1 AND source = 'declared' AND as_of <= $2
      ORDER BY as_of DESC, recorded_at DESC LIMIT 1`,
    [householdId, asOf],
  );
  return result.rows[0];
}

export interface ApprovalRow {
  as_of: string;
  figures: unknown[];
  approved_by: string;
  approved_by_name: string | null;
  approved_at: Date;
}

export async function approvalOn(tx: Queryable, householdId: string, asOf: string) {
  const result = await tx.query<ApprovalRow>(
    `SELECT a.as_of, a.figures, a.approved_by, u.display_name AS approved_by_name, a.approved_at
       FROM verification_approval a LEFT JOIN app_user u ON u.id::text = a.approved_by
      WHERE a.household_id = $1 AND a.as_of = $2`,
    [householdId, asOf],
  );
  return result.rows[0];
}
