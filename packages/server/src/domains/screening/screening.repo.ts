/** SQL of screening runs and results (migration 005). Every function runs in the caller's transaction. */
import type { Queryable } from '../../db/database.ts';

export interface RunRow {
  id: string;
  region_code: string;
  region_high: string;
  on_date: string;
  catalog_version: string | null;
  status: 'queued' | 'running' | 'done' | 'failed';
  started_by: string;
  started_by_name: string;
  started_by_role: string;
  previous_run_id: string | null;
  total: number;
  processed: number;
  cursor_household_id: string | null;
  households_found: number | null;
  pairs_found: number | null;
  pairs_newly: number | null;
  policy_counts: PolicyCounts | null;
  error: string | null;
  attempts: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
}

/** Per policy: households found (eligible, not receiving), of which newly, needing information, amount sum. */
export type PolicyCounts = Record<
  string,
  { eligible: number; newly: number; needsInfo: number; amountFen: number; errors: number }
>;

const RUN_COLUMNS = `id, region_code, region_high, on_date, catalog_version, status, started_by, started_by_name,
  started_by_role, previous_run_id, total, processed, cursor_household_id, households_found, pairs_found,
  pairs_newly, policy_counts, error, attempts, created_at, started_at, finished_at, duration_ms`;

export async function insertRun(
  tx: Queryable,
  run: Pick<
    RunRow,
    | 'region_code'
    | 'region_high'
    | 'on_date'
    | 'started_by'
    | 'started_by_name'
    | 'started_by_role'
    | 'previous_run_id'
  >,
): Promise<RunRow> {
  const result = await tx.query<RunRow>(
    `INSERT INTO screening_run (region_code, region_high, on_date, started_by, started_by_name, started_by_role, previous_run_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${RUN_COLUMNS}`,
    [
      run.region_code,
      run.region_high,
      run.on_date,
      run.started_by,
      run.started_by_name,
      run.started_by_role,
      run.previous_run_id,
    ],
  );
  return result.rows[0] as RunRow;
}

export async function findRun(tx: Queryable, id: string, lock = false): Promise<RunRow | undefined> {
  const result = await tx.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM screening_run WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return result.rows[0];
}

/** The newest finished run whose region contains `regionCode` (the baseline for "newly qualifying"). */
export async function previousRun(tx: Queryable, regionCode: string): Promise<RunRow | undefined> {
  const result = await tx.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM screening_run
      WHERE status = 'done' AND $1 BETWEEN region_code AND region_high
      ORDER BY finished_at DESC LIMIT 1`,
    [regionCode],
  );
  return result.rows[0];
}

/** Runs visible to the caller, newest first. */
export async function listRuns(
  tx: Queryable,
  limit: number,
  offset: number,
): Promise<{ rows: RunRow[]; total: number }> {
  const rows = await tx.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM screening_run ORDER BY created_at DESC, id LIMIT $1 OFFSET $2`,
    [limit, offset],
  );
  const total = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM screening_run');
  return { rows: rows.rows, total: total.rows[0]?.n ?? 0 };
}

export async function markRunning(tx: Queryable, id: string, version: string, total: number): Promise<void> {
  await tx.query(
    `UPDATE screening_run SET status = 'running', catalog_version = $2, total = $3, attempts = attempts + 1,
            error = NULL, started_at = coalesce(started_at, now())
      WHERE id = $1`,
    [id, version, total],
  );
}

export async function markFinished(
  tx: Queryable,
  id: string,
  status: 'done' | 'failed',
  error?: string,
): Promise<void> {
  await tx.query(
    `UPDATE screening_run SET status = $2, error = $3, finished_at = now(),
            duration_ms = (extract(epoch FROM now() - started_at) * 1000)::int
      WHERE id = $1`,
    [id, status, error ?? null],
  );
}

export interface ResultRow {
  householdId: string;
  regionCode: string;
  eligible: string[];
  amountsFen: (number | null)[];
  newly: string[];
  needsInfo: string[];
  monthlyTotalFen: number;
}

/** Eligible policies of these households in an earlier run (for "newly qualifying"). */
export async function eligibleIn(
  tx: Queryable,
  runId: string,
  householdIds: string[],
): Promise<Map<string, string[]>> {
  // One JSON text for the whole batch: JSON.parse is native, where the driver parses every text[]
  // in JavaScript on the run's main thread. Only households with findings matter here.
  // One primary-key lookup per household (LATERAL … LIMIT 1, which the planner cannot turn into
  // a join or a scan): as `household_id = ANY($2)`, the prepared statement's generic plan, with
  // no statistics on screening_result (autovacuum off) and the row-level-security range beside
  // run_id, walked the (run_id, region_code) index over the whole previous run and tested each
  // row against the 4,000 ids: 6–9 s of backend CPU per batch at 200,000 (issue 4).
  const result = await tx.query<{ found: string | null }>(
    `SELECT json_object_agg(r.household_id, r.eligible)::text AS found
       FROM unnest($2::uuid[]) AS k(id)
       CROSS JOIN LATERAL (
         SELECT household_id, eligible FROM screening_result
          WHERE run_id = $1 AND household_id = k.id AND cardinality(eligible) > 0 LIMIT 1) r`,
    [runId, householdIds],
  );
  const found = result.rows[0]?.found;
  return new Map(Object.entries(found ? (JSON.parse(found) as Record<string, string[]>) : {}));
}

/**
 * Statistics for screening_result once a run is stored (as the tables' owner; reads nothing back).
 * The next run's eligibleIn probes this run by primary key; without statistics (autovacuum off, as
 * on the project's machines) the row-level-security range made the planner guess 2 rows for
 * (run_id, region_code) and take that index instead, scanning the whole previous run once per
 * household: a second run of a new 30,000-household county took 38 s and 55 s of PostgreSQL CPU
 * instead of 5 s and 1 s (session 8). Sampling the table costs well under a second.
 */
export async function analyzeResults(tx: Queryable): Promise<void> {
  await tx.query('ANALYZE screening_result');
}

/**
 * Stores one batch and moves the run's cursor and counters in the same transaction: after a crash
 * either both happened or neither, and a repeat of the batch inserts nothing (primary key). The
 * run row is checked here once per batch, not by a foreign key per row (migration 027): a batch
 * whose run is missing raises and its rows are rolled back with it.
 */
export async function storeBatch(
  tx: Queryable,
  runId: string,
  rows: ResultRow[],
  progress: {
    cursor: string;
    processed: number;
    householdsFound: number;
    pairsFound: number;
    pairsNewly: number;
    counts: PolicyCounts;
  },
): Promise<void> {
  if (rows.length > 0 && tx.copyFrom) await copyRows(tx, runId, rows);
  else if (rows.length > 0) {
    // The batch travels as one JSON document (arrays become text[] / bigint[] in
    // json_to_recordset): serialising thousands of array parameters one element at a time cost
    // the run's main thread more than the rest of storing.
    await tx.query(
      `INSERT INTO screening_result (run_id, household_id, region_code, eligible, amounts_fen, newly, needs_info, monthly_total_fen)
       SELECT $1, r.household, r.region, r.eligible, r.amounts, r.newly, r.needs, r.total
         FROM json_to_recordset($2::json)
              AS r(household uuid, region text, eligible text[], amounts bigint[], newly text[], needs text[], total bigint)
       ON CONFLICT (run_id, household_id) DO NOTHING`,
      [
        runId,
        JSON.stringify(
          rows.map((r) => ({
            household: r.householdId,
            region: r.regionCode,
            eligible: r.eligible,
            amounts: r.amountsFen,
            newly: r.newly,
            needs: r.needsInfo,
            total: r.monthlyTotalFen,
          })),
        ),
      ],
    );
  }
  const moved = await tx.query(
    `UPDATE screening_run SET cursor_household_id = $2, processed = $3, households_found = $4, pairs_found = $5,
            pairs_newly = $6, policy_counts = $7::jsonb
      WHERE id = $1 RETURNING id`,
    [
      runId,
      progress.cursor,
      progress.processed,
      progress.householdsFound,
      progress.pairsFound,
      progress.pairsNewly,
      JSON.stringify(progress.counts),
    ],
  );
  if (moved.rows.length !== 1) throw new Error(`screening run ${runId} not found: its batch is not stored`);
}

/** Policy ids as runScreening accepts them: nothing to quote or escape in COPY text. */
const PLAIN_ID = /^[A-Za-z][A-Za-z0-9_]*$/;

/** An array literal of COPY's text format (policy ids, or integer fen with NULL for no amount). */
function arrayText(values: readonly (string | number | null)[]): string {
  let text = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'string' && !PLAIN_ID.test(v))
      throw new Error(`policy id ${v} cannot be stored as COPY text`);
    text += `${i > 0 ? ',' : ''}${v === null ? 'NULL' : v}`;
  }
  return `${text}}`;
}

/**
 * The batch through COPY into a temporary table, then one INSERT … SELECT (issue 4): PostgreSQL
 * parses COPY's text lines for less than it parses and splits one JSON document (10 against 13–18 µs
 * of backend CPU per row in a 4,000-row measurement), and this thread writes one line per row
 * rather than an object per row for JSON.stringify. COPY cannot load screening_result itself: it
 * has row-level security (COPY FROM refuses such tables), which the INSERT still applies, and the
 * conflict rule keeps a repeated batch harmless.
 */
async function copyRows(tx: Queryable, runId: string, rows: ResultRow[]): Promise<void> {
  await tx.query(
    `CREATE TEMP TABLE screening_stage (household_id uuid, region_code text, eligible text[], amounts_fen bigint[],
       newly text[], needs_info text[], monthly_total_fen bigint) ON COMMIT DROP`,
  );
  let text = '';
  for (const r of rows) {
    text += `${r.householdId}\t${r.regionCode}\t${arrayText(r.eligible)}\t${arrayText(r.amountsFen)}\t${arrayText(r.newly)}\t${arrayText(r.needsInfo)}\t${r.monthlyTotalFen}\n`;
  }
  await (tx.copyFrom as NonNullable<Queryable['copyFrom']>)('COPY screening_stage FROM STDIN', text);
  await tx.query(
    `INSERT INTO screening_result (run_id, household_id, region_code, eligible, amounts_fen, newly, needs_info, monthly_total_fen)
     SELECT $1, household_id, region_code, eligible, amounts_fen, newly, needs_info, monthly_total_fen FROM screening_stage
     ON CONFLICT (run_id, household_id) DO NOTHING`,
    [runId],
  );
  // Dropped now too, so that a second batch in the same transaction can stage its own.
  await tx.query('DROP TABLE screening_stage');
}
