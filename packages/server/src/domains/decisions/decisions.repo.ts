/** SQL of decisions and statutory documents; every query runs in the caller's transaction (RLS applies). */
import type { Queryable } from '../../db/database.ts';

export interface DecisionRow {
  id: string;
  case_id: string;
  household_id: string;
  region_code: string;
  outcome: 'approved' | 'refused' | 'rejected';
  step: string;
  decided_on: string;
  policy_id: string;
  policy_version_no: number | null;
  policy_effective_from: string | null;
  catalog_version: string;
  rule_status: string;
  rule_amount_fen: string | null;
  trace: unknown;
  trace_zh: string | null;
  economy_id: string | null;
  figures: Record<string, unknown> | null;
  figures_as_of: string | null;
  amount_fen: string | null;
  legal_ground: string;
  reason: string | null;
  decided_by_name: string;
  decided_by_role: string;
  created_at: Date;
}

export type NewDecision = Omit<DecisionRow, 'id' | 'created_at' | 'rule_amount_fen' | 'amount_fen'> & {
  rule_amount_fen: number | null;
  amount_fen: number | null;
};

const DECISION_COLUMNS = `id, case_id, household_id, region_code, outcome, step,
  to_char(decided_on, 'YYYY-MM-DD') AS decided_on, policy_id, policy_version_no,
  to_char(policy_effective_from, 'YYYY-MM-DD') AS policy_effective_from, catalog_version, rule_status,
  rule_amount_fen, trace, trace_zh, economy_id, figures, to_char(figures_as_of, 'YYYY-MM-DD') AS figures_as_of,
  amount_fen, legal_ground, reason, decided_by_name, decided_by_role, created_at`;

/** Inserts the case's decision unless it has one; returns the decision of the case either way. */
export async function insertDecision(tx: Queryable, d: NewDecision): Promise<DecisionRow> {
  await tx.query(
    `INSERT INTO case_decision (case_id, household_id, region_code, outcome, step, decided_on, policy_id,
       policy_version_no, policy_effective_from, catalog_version, rule_status, rule_amount_fen, trace, trace_zh,
       economy_id, figures, figures_as_of, amount_fen, legal_ground, reason, decided_by_name, decided_by_role)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
     ON CONFLICT (case_id) DO NOTHING`,
    [
      d.case_id,
      d.household_id,
      d.region_code,
      d.outcome,
      d.step,
      d.decided_on,
      d.policy_id,
      d.policy_version_no,
      d.policy_effective_from,
      d.catalog_version,
      d.rule_status,
      d.rule_amount_fen,
      d.trace === null ? null : JSON.stringify(d.trace),
      d.trace_zh,
      d.economy_id,
      d.figures === null ? null : JSON.stringify(d.figures),
      d.figures_as_of,
      d.amount_fen,
      d.legal_ground,
      d.reason,
      d.decided_by_name,
      d.decided_by_role,
    ],
  );
  return (await decisionOfCase(tx, d.case_id)) as DecisionRow;
}

export async function decisionOfCase(tx: Queryable, caseId: string): Promise<DecisionRow | undefined> {
  const r = await tx.query<DecisionRow>(`SELECT ${DECISION_COLUMNS} FROM case_decision WHERE case_id = $1`, [
    caseId,
  ]);
  return r.rows[0];
}

/**
 * The next number of a series: the counter row is inserted or incremented and stays locked until the
 * transaction ends, so concurrent issuers queue and a rollback returns the number.
 */
export async function nextNumber(
  tx: Queryable,
  county: string,
  series: string,
  year: number,
): Promise<number> {
  const r = await tx.query<{ last_no: number }>(
    `INSERT INTO statutory_document_counter (county_code, series, year, last_no) VALUES ($1, $2, $3, 1)
     ON CONFLICT (county_code, series, year)
     DO UPDATE SET last_no = statutory_document_counter.last_no + 1
     RETURNING last_no`,
    [county, series, year],
  );
  return (r.rows[0] as { last_no: number }).last_no;
}

export interface DocumentRow {
  id: string;
  event_key: string;
  kind: string;
  case_id: string | null;
  enrolment_id: string | null;
  decision_id: string | null;
  household_id: string;
  region_code: string;
  policy_id: string;
  county_code: string;
  series: string;
  year: number;
  seq: number;
  number: string;
  title: string;
  addressee: string;
  issued_on: string;
  issuer: string;
  content: Record<string, unknown>;
  sha256: string;
  byte_size: number;
  created_by_name: string;
  created_at: Date;
  /** A receipt of service: the document it serves. */
  served_document_id: string | null;
}

const DOCUMENT_COLUMNS = `id, event_key, kind, case_id, enrolment_id, decision_id, household_id, region_code,
  policy_id, county_code, series, year, seq, number, title, addressee, to_char(issued_on, 'YYYY-MM-DD') AS issued_on,
  issuer, content, sha256, length(pdf) AS byte_size, created_by_name, created_at, served_document_id`;

export async function documentByEvent(tx: Queryable, eventKey: string): Promise<DocumentRow | undefined> {
  const r = await tx.query<DocumentRow>(
    `SELECT ${DOCUMENT_COLUMNS} FROM statutory_document WHERE event_key = $1`,
    [eventKey],
  );
  return r.rows[0];
}

export async function insertDocument(
  tx: Queryable,
  d: Omit<DocumentRow, 'id' | 'byte_size' | 'created_at' | 'served_document_id'> & {
    pdf: Buffer;
    served_document_id?: string | null;
  },
): Promise<string> {
  const r = await tx.query<{ id: string }>(
    `INSERT INTO statutory_document (event_key, kind, case_id, enrolment_id, decision_id, household_id, region_code,
       policy_id, county_code, series, year, seq, number, title, addressee, issued_on, issuer, content, pdf, sha256,
       created_by_name, served_document_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
     RETURNING id`,
    [
      d.event_key,
      d.kind,
      d.case_id,
      d.enrolment_id,
      d.decision_id,
      d.household_id,
      d.region_code,
      d.policy_id,
      d.county_code,
      d.series,
      d.year,
      d.seq,
      d.number,
      d.title,
      d.addressee,
      d.issued_on,
      d.issuer,
      JSON.stringify(d.content),
      d.pdf,
      d.sha256,
      d.created_by_name,
      d.served_document_id ?? null,
    ],
  );
  return (r.rows[0] as { id: string }).id;
}

export async function documentsOfCase(tx: Queryable, caseId: string): Promise<DocumentRow[]> {
  const r = await tx.query<DocumentRow>(
    `SELECT ${DOCUMENT_COLUMNS} FROM statutory_document
      WHERE (case_id = $1 OR enrolment_id IN (SELECT id FROM enrolment WHERE case_id = $1))
        AND kind <> 'serviceReceipt'
      ORDER BY created_at, number`,
    [caseId],
  );
  return r.rows;
}

export async function documentsOfHousehold(tx: Queryable, householdId: string): Promise<DocumentRow[]> {
  const r = await tx.query<DocumentRow>(
    `SELECT ${DOCUMENT_COLUMNS} FROM statutory_document WHERE household_id = $1 AND kind <> 'serviceReceipt'
      ORDER BY created_at DESC, number LIMIT 200`,
    [householdId],
  );
  return r.rows;
}

export async function findDocument(tx: Queryable, id: string) {
  const r = await tx.query<DocumentRow & { pdf: Buffer | Uint8Array }>(
    `SELECT ${DOCUMENT_COLUMNS}, pdf FROM statutory_document WHERE id = $1`,
    [id],
  );
  return r.rows[0];
}

/**
 * Names for the documents: the household's head (name, ID as masked and as ciphertext), address,
 * township and county.
 */
export async function partiesOf(tx: Queryable, householdId: string) {
  const r = await tx.query<{
    household_number: string;
    address: string;
    region_code: string;
    head_person_id: string | null;
    head_name: string | null;
    head_id_masked: string | null;
    head_id_cipher: Buffer | Uint8Array | null;
    village_name: string | null;
    township_name: string | null;
    county_name: string | null;
  }>(
    `SELECT h.household_number, h.address, h.region_code, p.id AS head_person_id, p.name AS head_name,
            p.id_number_masked AS head_id_masked, p.id_number_cipher AS head_id_cipher,
            (SELECT name FROM region WHERE code = h.region_code) AS village_name,
            (SELECT name FROM region WHERE code = left(h.region_code, 9) || '000') AS township_name,
            (SELECT name FROM region WHERE code = left(h.region_code, 6) || '000000') AS county_name
       FROM household h LEFT JOIN person p ON p.id = h.head_person_id WHERE h.id = $1`,
    [householdId],
  );
  return r.rows[0];
}
