/**
 * SQL of monitoring runs (migrations 011 and 014): runs and the alert upsert; the reads of source
 * records are in monitoring.records.repo.ts, those of the facts snapshot in
 * monitoring.snapshot.repo.ts (both re-exported here).
 */
import { createHash } from 'node:crypto';
import type { Queryable } from '../../db/database.ts';
import { evidenceJson as evidenceJsonOf } from './triggers.ts';

export * from './monitoring.records.repo.ts';
export * from './monitoring.snapshot.repo.ts';

export interface RunRow {
  id: string;
  kind: 'full' | 'incremental';
  region_code: string;
  model_id: string;
  model_version: string;
  catalog_version: string | null;
  triggers_version: string | null;
  as_of: string;
  source_import_id: string | null;
  status: 'running' | 'completed' | 'failed';
  cursor: string | null;
  households_total: number | null;
  households_done: number;
  alerts_raised: number;
  alerts_updated: number;
  trigger_hits: number;
  colour_counts: Record<string, number>;
  error: string | null;
  started_by: string;
  started_by_name: string;
  started_by_role: string | null;
  started_at: Date;
  finished_at: Date | null;
}

const RUN_COLUMNS = `id, kind, region_code, model_id, model_version, catalog_version, triggers_version,
  to_char(as_of, 'YYYY-MM-DD') AS as_of, source_import_id, status, cursor, households_total, households_done,
  alerts_raised, alerts_updated, trigger_hits, colour_counts, error, started_by, started_by_name,
  started_by_role, started_at, finished_at`;

export interface NewRun {
  kind: 'full' | 'incremental';
  regionCode: string;
  modelId: string;
  modelVersion: string;
  catalogVersion: string;
  triggersVersion: string;
  asOf: string;
  sourceImportId: string | null;
  startedBy: string;
  startedByName: string;
  startedByRole: string | null;
}

/** Inserts a run; for an import that already has its run, returns that one (`created` false). */
export async function insertRun(tx: Queryable, run: NewRun): Promise<{ row: RunRow; created: boolean }> {
  const inserted = await tx.query<RunRow>(
    `INSERT INTO monitoring_run (kind, region_code, model_id, model_version, catalog_version, triggers_version,
       as_of, source_import_id, started_by, started_by_name, started_by_role)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (source_import_id) WHERE source_import_id IS NOT NULL DO NOTHING
     RETURNING ${RUN_COLUMNS}`,
    [
      run.kind,
      run.regionCode,
      run.modelId,
      run.modelVersion,
      run.catalogVersion,
      run.triggersVersion,
      run.asOf,
      run.sourceImportId,
      run.startedBy,
      run.startedByName,
      run.startedByRole,
    ],
  );
  const row = inserted.rows[0];
  if (row) return { row, created: true };
  const existing = await tx.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM monitoring_run WHERE source_import_id = $1`,
    [run.sourceImportId],
  );
  return { row: existing.rows[0] as RunRow, created: false };
}

export async function findRun(tx: Queryable, id: string): Promise<RunRow | undefined> {
  const r = await tx.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM monitoring_run WHERE id = $1`, [id]);
  return r.rows[0];
}

export async function listRuns(
  tx: Queryable,
  options: { limit: number; offset: number },
): Promise<{ rows: RunRow[]; total: number }> {
  const rows = await tx.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM monitoring_run ORDER BY started_at DESC, id LIMIT $1 OFFSET $2`,
    [options.limit, options.offset],
  );
  const total = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM monitoring_run');
  return { rows: rows.rows, total: total.rows[0]?.n ?? 0 };
}

export interface Progress {
  cursor: string | null;
  done: number;
  raised: number;
  updated: number;
  triggerHits: number;
  colourCounts: Record<string, number>;
}

export async function markRunning(tx: Queryable, id: string, total: number | null): Promise<void> {
  await tx.query(
    `UPDATE monitoring_run SET status = 'running', error = NULL, finished_at = NULL,
       households_total = coalesce($2, households_total) WHERE id = $1`,
    [id, total],
  );
}

export async function storeProgress(tx: Queryable, id: string, p: Progress): Promise<void> {
  await tx.query(
    `UPDATE monitoring_run SET cursor = $2, households_done = $3, alerts_raised = $4, alerts_updated = $5,
       trigger_hits = $6, colour_counts = $7 WHERE id = $1`,
    [id, p.cursor, p.done, p.raised, p.updated, p.triggerHits, JSON.stringify(p.colourCounts)],
  );
}

/**
 * Statistics for what a full run grew. Autovacuum may be off (this project's machines and CI run
 * without it) or not yet round: the first full run of a county raised 258,074 alerts into a table
 * analysed while empty, and the incremental run after the next import then took 24 s (15 s writing
 * 1,600 alerts) where, analysed, it took 2.5 s (1M households, session 9). Sampling is well under
 * a second at that size.
 */
export async function analyzeRunTables(tx: Queryable): Promise<void> {
  await tx.query('ANALYZE monitoring_alert, monitoring_alert_event, monitoring_scoring');
}

export async function markFinished(
  tx: Queryable,
  id: string,
  status: 'completed' | 'failed',
  error?: string,
): Promise<void> {
  await tx.query('UPDATE monitoring_run SET status = $2, error = $3, finished_at = now() WHERE id = $1', [
    id,
    status,
    error ?? null,
  ]);
}

/** An alert a run wants open: inserted, or the open one for the same subject and cause updated. */
export interface AlertDraft {
  householdId: string | null;
  subjectKey: string;
  regionCode: string;
  cause: string;
  colour: 'red' | 'yellow' | 'blue' | 'green';
  score: number | null;
  modelVersion: string | null;
  evidence: unknown[];
  summaryZh: string;
  /**
   * The run's date, where the evidence carries it (an indicator's `asOf`): left out of the digest.
   * A later month's run that finds the same score, band and items then moves only the alert's
   * counters, and the evidence keeps the date of the run that first found them; the household's
   * timeline gets an event when the result changes, not every month (at 1,000,000 households a
   * monthly run otherwise rewrote ≈258,000 alerts' evidence with an event each: 74 s, against
   * 61–62 s for the same run on an unchanged date; bench/monitoring, session 16).
   */
  asOf?: string;
}

/** What the stored alert is compared on, as one digest (migration 036): the evidence as JSON once. */
function contentOf(d: AlertDraft): { summary: string; evidenceJson: string; hash: string } {
  const summary = d.summaryZh.slice(0, 500);
  const evidenceJson = evidenceJsonOf.get(d.evidence) ?? JSON.stringify(d.evidence);
  const hash = createHash('sha256')
    .update(JSON.stringify([d.colour, d.score, d.modelVersion, summary]))
    .update(d.asOf ? evidenceJson.replace(`"asOf":${JSON.stringify(d.asOf)}`, '"asOf":null') : evidenceJson)
    .digest('hex');
  return { summary, evidenceJson, hash };
}

/**
 * Two statements per batch. First the alerts open exactly as stored, found by key and digest: only
 * their counters move (no event: the household's timeline shows what changed), a HOT update in the
 * room migration 032 leaves. Then the rest, evidence and all: inserted, or updated with an event.
 * An alert this run already touched (a batch redone after a crash) is left alone by both, so
 * raise_count counts runs and a restarted run ends with the alerts of an uninterrupted one.
 */
export async function upsertAlerts(
  tx: Queryable,
  runId: string,
  actorName: string,
  drafts: readonly AlertDraft[],
): Promise<{ raised: number; updated: number }> {
  if (drafts.length === 0) return { raised: 0, updated: 0 };
  const contents = drafts.map(contentOf);
  const unchanged = await tx.query<{ subject_key: string; cause: string }>(
    `UPDATE monitoring_alert AS a
        SET raise_count = a.raise_count + 1, last_raised_at = now(), last_run_id = $2::uuid, updated_at = now()
       FROM unnest($1::text[], $3::text[], $4::text[]) AS i(subject_key, cause, h)
       -- One open-index probe per draft, then the row by its address (as a join, under row-level
       -- security the planner walked every alert of the county). A row changed since by another
       -- transaction no longer matches its address and is left to the second statement.
       CROSS JOIN LATERAL (
              SELECT o.ctid AS tid FROM monitoring_alert o
               WHERE o.subject_key = i.subject_key AND o.cause = i.cause AND o.status <> 'closed'
                 AND o.last_run_id IS DISTINCT FROM $2::uuid AND o.content_hash = decode(i.h, 'hex')
               LIMIT 1) m
      WHERE a.ctid = m.tid
      RETURNING a.subject_key, a.cause`,
    [drafts.map((d) => d.subjectKey), runId, drafts.map((d) => d.cause), contents.map((c) => c.hash)],
  );
  const done = new Set(unchanged.rows.map((r) => `${r.subject_key}|${r.cause}`));
  const rest: string[] = [];
  drafts.forEach((d, i) => {
    if (done.has(`${d.subjectKey}|${d.cause}`)) return;
    const { summary, evidenceJson, hash } = contents[i] as ReturnType<typeof contentOf>;
    const fields = JSON.stringify({
      household_id: d.householdId,
      subject_key: d.subjectKey,
      region_code: d.regionCode,
      cause: d.cause,
      colour: d.colour,
      score: d.score,
      model_version: d.modelVersion,
      summary_zh: summary,
      content_hash: hash,
    });
    rest.push(`${fields.slice(0, -1)},"evidence":${evidenceJson}}`);
  });
  if (rest.length === 0) return { raised: 0, updated: unchanged.rows.length };
  const r = await tx.query<{ same: number; raised: number; events: number }>(
    // json, not jsonb: the batch's text is only checked, and each alert's evidence is parsed once
    // into its jsonb column, instead of the whole batch being built as one jsonb value first.
    `WITH input AS (
       SELECT * FROM json_to_recordset($1::json) AS x(household_id uuid, subject_key text, region_code text,
         cause text, colour text, score numeric, model_version text, evidence jsonb, summary_zh text,
         content_hash text)),
     same AS (
       -- Rows stored before their digest (NULL, migration 036) and equal: counters and digest only.
       UPDATE monitoring_alert AS a
          SET raise_count = a.raise_count + 1, last_raised_at = now(), last_run_id = $2::uuid, updated_at = now(),
              content_hash = decode(m.h, 'hex')
         FROM input i CROSS JOIN LATERAL (
                SELECT o.ctid AS tid, i.content_hash AS h FROM monitoring_alert o
                 WHERE o.subject_key = i.subject_key AND o.cause = i.cause AND o.status <> 'closed'
                   AND o.last_run_id IS DISTINCT FROM $2::uuid
                   AND o.colour = i.colour AND o.score IS NOT DISTINCT FROM i.score
                   AND o.model_version IS NOT DISTINCT FROM i.model_version
                   AND o.summary_zh = i.summary_zh AND o.evidence = i.evidence
                 LIMIT 1) m
        WHERE a.ctid = m.tid
       RETURNING a.subject_key, a.cause),
     up AS (
       INSERT INTO monitoring_alert AS a (household_id, subject_key, region_code, cause, origin, colour, score,
         model_version, evidence, summary_zh, last_run_id, content_hash)
       SELECT household_id, subject_key, region_code, cause, 'data', colour, score, model_version, evidence,
              summary_zh, $2::uuid, decode(content_hash, 'hex')
         FROM input i
        -- A row 'same' updated must not be touched twice by one statement.
        WHERE NOT EXISTS (SELECT 1 FROM same s WHERE s.subject_key = i.subject_key AND s.cause = i.cause)
       -- version is the lifecycle's optimistic lock (accept, handle, close): fresh data does not bump it,
       -- or every monthly run would turn an officer's accept into a 409.
       -- Equal evidence keeps the stored value (its compressed or TOAST form reused).
       ON CONFLICT (subject_key, cause) WHERE status <> 'closed' DO UPDATE SET
         colour = EXCLUDED.colour, score = EXCLUDED.score, model_version = EXCLUDED.model_version,
         evidence = CASE WHEN a.evidence = EXCLUDED.evidence THEN a.evidence ELSE EXCLUDED.evidence END,
         summary_zh = EXCLUDED.summary_zh, raise_count = a.raise_count + 1, content_hash = EXCLUDED.content_hash,
         last_raised_at = now(), last_run_id = EXCLUDED.last_run_id, updated_at = now()
       WHERE a.last_run_id IS DISTINCT FROM EXCLUDED.last_run_id
       RETURNING a.id, a.region_code, a.status, a.colour, a.raise_count, (xmax = 0) AS inserted),
     ev AS (
       INSERT INTO monitoring_alert_event (alert_id, action, from_status, to_status, detail, actor_name, region_code)
       SELECT id, CASE WHEN inserted THEN 'raise' ELSE 'update' END, CASE WHEN inserted THEN NULL ELSE status END,
              status, jsonb_build_object('runId', $2::text, 'colour', colour, 'raiseCount', raise_count), $3, region_code
         FROM up
       RETURNING action)
     SELECT (SELECT count(*) FROM same)::int AS same, count(*) FILTER (WHERE action = 'raise')::int AS raised,
            count(*)::int AS events
       FROM ev`,
    [`[${rest.join(',')}]`, runId, actorName],
  );
  const { same = 0, raised = 0, events = 0 } = r.rows[0] ?? {};
  // A re-raise counts as updated whether or not it changed anything (the run's alerts_updated).
  return { raised, updated: unchanged.rows.length + same + events - raised };
}
