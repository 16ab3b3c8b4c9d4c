/**
 * SQL of batch re-verification (migration 019): runs, the set-based reading of a batch of
 * households, previous summaries, and the writes of a batch (summaries, changes, reminders, the
 * run's progress) — all in the caller's transaction, under row-level security.
 */
import type { Queryable } from '../../db/database.ts';
import type { BatchPerson, BatchRecord, ChangeDraft, HouseholdSummary } from './batch.summary.ts';

export interface BatchRunRow {
  id: string;
  region_code: string;
  kind: 'monthly' | 'all' | 'list';
  as_of: string;
  period: string;
  household_ids: string[] | null;
  status: 'running' | 'completed' | 'failed';
  cursor: string | null;
  households_total: number | null;
  households_done: number;
  baselines: number;
  changes_found: number;
  catalog_version: string | null;
  error: string | null;
  started_by: string;
  started_by_name: string;
  started_by_role: string | null;
  started_at: Date;
  finished_at: Date | null;
}

const RUN_COLUMNS = `id, region_code, kind, to_char(as_of, 'YYYY-MM-DD') AS as_of, period, household_ids, status,
  cursor, households_total, households_done, baselines, changes_found, catalog_version, error, started_by,
  started_by_name, started_by_role, started_at, finished_at`;

export async function insertRun(
  tx: Queryable,
  run: {
    regionCode: string;
    kind: BatchRunRow['kind'];
    asOf: string;
    householdIds: string[] | null;
    total: number;
    catalogVersion: string;
    startedByName: string;
    startedByRole: string | null;
  },
): Promise<BatchRunRow> {
  const r = await tx.query<BatchRunRow>(
    `INSERT INTO verification_batch_run (region_code, kind, as_of, period, household_ids, households_total,
       catalog_version, started_by_name, started_by_role)
     VALUES ($1, $2, $3::date, to_char($3::date, 'YYYY-MM'), $4::uuid[], $8, $5, $6, $7)
     RETURNING ${RUN_COLUMNS}`,
    [
      run.regionCode,
      run.kind,
      run.asOf,
      run.householdIds,
      run.catalogVersion,
      run.startedByName,
      run.startedByRole,
      run.total,
    ],
  );
  return r.rows[0] as BatchRunRow;
}

export async function findRun(tx: Queryable, id: string): Promise<BatchRunRow | undefined> {
  const r = await tx.query<BatchRunRow>(`SELECT ${RUN_COLUMNS} FROM verification_batch_run WHERE id = $1`, [
    id,
  ]);
  return r.rows[0];
}

export async function listRuns(tx: Queryable, limit: number, offset: number) {
  const rows = await tx.query<BatchRunRow>(
    `SELECT ${RUN_COLUMNS} FROM verification_batch_run ORDER BY started_at DESC, id LIMIT $1 OFFSET $2`,
    [limit, offset],
  );
  const total = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM verification_batch_run');
  return { rows: rows.rows, total: total.rows[0]?.n ?? 0 };
}

/** Enrolled households (any live enrolment) in the region, after the cursor, in id order. */
export async function enrolledAfter(
  tx: Queryable,
  prefix: string,
  after: string | null,
  limit: number,
): Promise<string[]> {
  const r = await tx.query<{ household_id: string }>(
    `SELECT DISTINCT household_id FROM enrolment
      WHERE status <> 'stopped' AND region_code >= $1 AND region_code < $1 || '~'
        AND ($2::uuid IS NULL OR household_id > $2::uuid)
      ORDER BY household_id LIMIT $3`,
    [prefix, after, limit],
  );
  return r.rows.map((x) => x.household_id);
}

export async function countEnrolled(tx: Queryable, prefix: string): Promise<number> {
  const r = await tx.query<{ n: number }>(
    `SELECT count(DISTINCT household_id)::int AS n FROM enrolment
      WHERE status <> 'stopped' AND region_code >= $1 AND region_code < $1 || '~'`,
    [prefix],
  );
  return r.rows[0]?.n ?? 0;
}

export interface BatchInput {
  households: { id: string; region_code: string; urban: boolean; household_number: string }[];
  persons: BatchPerson[];
  records: BatchRecord[];
  previous: Map<string, HouseholdSummary>;
  owners: Map<string, { owner_id: string; owner_name: string }>;
}

/** Everything a batch needs, in four round trips whatever the batch's size. */
export async function readBatch(
  tx: Queryable,
  runId: string,
  ids: string[],
  asOf: string,
): Promise<BatchInput> {
  const households = await tx.query<BatchInput['households'][number]>(
    'SELECT id, region_code, urban, household_number FROM household WHERE id = ANY($1::uuid[]) ORDER BY id',
    [ids],
  );
  const rows = await tx.query<{ persons: BatchPerson[] | null; records: BatchRecord[] | null }>(
    'SELECT persons, records FROM verification_batch_rows($1::uuid[], $2::date)',
    [ids, asOf],
  );
  const previous = await tx.query<{ household_id: string; summary: HouseholdSummary }>(
    `SELECT DISTINCT ON (household_id) household_id, summary FROM verification_batch_summary
      WHERE household_id = ANY($1::uuid[]) AND run_id <> $2 ORDER BY household_id, seq DESC`,
    [ids, runId],
  );
  const owners = await tx.query<{ household_id: string; owner_id: string; owner_name: string }>(
    `SELECT DISTINCT ON (e.household_id) e.household_id, a.owner_id, a.owner_name
       FROM enrolment e JOIN intake_case c ON c.id = e.case_id JOIN intake_application a ON a.id = c.application_id
      WHERE e.household_id = ANY($1::uuid[]) AND e.status <> 'stopped'
      ORDER BY e.household_id, e.created_at DESC`,
    [ids],
  );
  return {
    households: households.rows,
    persons: rows.rows[0]?.persons ?? [],
    records: rows.rows[0]?.records ?? [],
    previous: new Map(previous.rows.map((r) => [r.household_id, r.summary])),
    owners: new Map(owners.rows.map((r) => [r.household_id, r])),
  };
}

export interface ChangeRow extends ChangeDraft {
  householdId: string;
  regionCode: string;
  ownerId: string | null;
  ownerName: string | null;
}

/**
 * Writes a batch: its summaries (a redone household keeps its first), its changes (one per
 * household, month, kind and subject: a repeat raises nothing) and a reminder for each change
 * actually raised. Returns the ids of the changes raised.
 */
export async function storeBatch(
  tx: Queryable,
  run: BatchRunRow,
  summaries: { householdId: string; regionCode: string; summary: HouseholdSummary }[],
  changes: ChangeRow[],
  message: (c: ChangeRow) => string,
): Promise<string[]> {
  if (summaries.length)
    await tx.query(
      `INSERT INTO verification_batch_summary (run_id, household_id, region_code, summary)
       SELECT $1, (x->>'h')::uuid, x->>'r', x->'s' FROM json_array_elements($2::json) x
       ON CONFLICT DO NOTHING`,
      [run.id, JSON.stringify(summaries.map((s) => ({ h: s.householdId, r: s.regionCode, s: s.summary })))],
    );
  if (changes.length === 0) return [];
  const inserted = await tx.query<{ id: string; household_id: string; kind: string; subject_key: string }>(
    `INSERT INTO verification_change (run_id, household_id, region_code, period, kind, subject_key, person_id,
       reason_zh, reason_en, detail, owner_id, owner_name)
     SELECT $1, x.h, x.r, $2, x.k, x.s, x.p, left(x.zh, 1000), left(x.en, 1000), x.d, x.o, x.n
       FROM json_to_recordset($3::json) AS x(h uuid, r text, k text, s text, p uuid, zh text, en text, d jsonb,
            o text, n text)
     ON CONFLICT (household_id, period, kind, subject_key) DO NOTHING
     RETURNING id, household_id, kind, subject_key`,
    [
      run.id,
      run.period,
      JSON.stringify(
        changes.map((c) => ({
          h: c.householdId,
          r: c.regionCode,
          k: c.kind,
          s: c.subjectKey,
          p: c.personId,
          zh: c.reasonZh,
          en: c.reasonEn,
          d: c.detail,
          o: c.ownerId,
          n: c.ownerName,
        })),
      ),
    ],
  );
  if (inserted.rows.length) {
    const byKey = new Map(changes.map((c) => [`${c.householdId}|${c.kind}|${c.subjectKey}`, c]));
    const outbox = inserted.rows.map((r) => {
      const c = byKey.get(`${r.household_id}|${r.kind}|${r.subject_key}`) as ChangeRow;
      return { c: r.id, o: c.ownerId, r: c.regionCode, m: message(c).slice(0, 1000) };
    });
    await tx.query(
      `INSERT INTO verification_outbox (change_id, channel, owner_id, region_code, message)
       SELECT x.c, 'inApp', x.o, x.r, x.m FROM json_to_recordset($1::json) AS x(c uuid, o text, r text, m text)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(outbox)],
    );
  }
  return inserted.rows.map((r) => r.id);
}

export async function storeProgress(
  tx: Queryable,
  runId: string,
  p: { cursor: string; done: number; baselines: number; changes: number },
): Promise<void> {
  await tx.query(
    `UPDATE verification_batch_run SET cursor = $2, households_done = $3, baselines = $4, changes_found = $5
      WHERE id = $1`,
    [runId, p.cursor, p.done, p.baselines, p.changes],
  );
}

export async function markRunning(tx: Queryable, runId: string, total: number): Promise<void> {
  await tx.query(
    `UPDATE verification_batch_run SET status = 'running', households_total = $2, error = NULL, finished_at = NULL
      WHERE id = $1`,
    [runId, total],
  );
}

export async function markFinished(
  tx: Queryable,
  runId: string,
  status: 'completed' | 'failed',
  error: string | null = null,
): Promise<void> {
  await tx.query(
    'UPDATE verification_batch_run SET status = $2, error = $3, finished_at = now() WHERE id = $1',
    [runId, status, error],
  );
}
