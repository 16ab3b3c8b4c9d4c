/**
 * What each household's indicator scoring read (migration 026), so that an incremental run scores
 * again only the households whose facts snapshot changed since they were last scored.
 *
 * The models read the facts snapshot only; an import of department records changes source_record,
 * not the snapshot, so re-scoring the households it touched gave the same scores (88% of an
 * incremental run's time went there). A touched household is scored again when:
 *  - it has no stored scoring, or the snapshot version (household_facts.refreshed_at, set by every
 *    rebuild) differs from the one scored;
 *  - the scoring run's catalogue version, trigger file or date differ from this run's;
 *  - a model raised an alert for it that is no longer open (closed since: a full run would raise a
 *    new one, and needs the evidence to do so).
 * Otherwise its open alerts (if any) already hold exactly what scoring again would write. The
 * triggers are applied to every touched household whatever this says.
 */
import type { Queryable } from '../../db/database.ts';

/** A household just scored by a run: the snapshot version read and the models that raised. */
export interface Scoring {
  householdId: string;
  regionCode: string;
  factsAt: string;
  raised: string[];
}

/** What a run's scores depend on besides the snapshot (monitoring_run columns). */
export interface ScoringBasis {
  catalogVersion: string | null;
  triggersVersion: string | null;
  asOf: string;
}

/** Stores a batch's scorings (same transaction as its alerts, so a resumed run agrees with them). */
export async function storeScorings(tx: Queryable, runId: string, scorings: readonly Scoring[]) {
  if (scorings.length === 0) return;
  // Each column as one delimited text (ids, codes, timestamps and model ids hold no ',' or '|'):
  // the driver quoted and escaped 8,000 array elements a batch (≈1.5% of a full run's CPU).
  await tx.query(
    `INSERT INTO monitoring_scoring AS s (household_id, region_code, run_id, facts_at, raised)
     SELECT id::uuid, rc, $5::uuid, at::timestamptz, CASE WHEN r = '' THEN NULL ELSE string_to_array(r, ',') END
       FROM unnest(string_to_array($1, ','), string_to_array($2, ','), string_to_array($3, ','),
                   string_to_array($4, '|')) AS x(id, rc, at, r)
     ON CONFLICT (household_id) DO UPDATE SET region_code = EXCLUDED.region_code,
       run_id = EXCLUDED.run_id, facts_at = EXCLUDED.facts_at, raised = EXCLUDED.raised`,
    [
      scorings.map((s) => s.householdId).join(','),
      scorings.map((s) => s.regionCode).join(','),
      scorings.map((s) => s.factsAt).join(','),
      scorings.map((s) => s.raised.join(',')).join('|'),
      runId,
    ],
  );
}

/**
 * Of these households (with the snapshot version just read), those whose stored scoring is still
 * what scoring again would give (see the file comment): the ones an incremental run need not score.
 */
export async function stillScored(
  tx: Queryable,
  rows: readonly { household_id: string; facts_at: string }[],
  basis: ScoringBasis,
): Promise<Set<string>> {
  const out = new Set<string>();
  if (rows.length === 0 || basis.catalogVersion === null || basis.triggersVersion === null) return out;
  // One primary-key lookup per household (LATERAL ... LIMIT 1): with `household_id = ANY(...)`,
  // under row-level security, the planner scanned the whole table testing the array on each row.
  // facts_at compared as text: the same server's rendering of the same instant, to the
  // microsecond (a JavaScript Date would keep milliseconds only). The run is checked per scoring
  // by its key (LATERAL … OFFSET 0): as a join, the planner started from the runs with this basis
  // and repeated every household's probe for each of them, so each run of a county made the next
  // incremental run's reads longer (8 runs: 16,000 probes for 2,000 households, 173 → 81 ms).
  const r = await tx.query<{ household_id: string; facts_at: string; raised: string[] | null }>(
    `SELECT s.household_id, s.facts_at::text AS facts_at, s.raised
       FROM unnest($1::uuid[]) AS ids(id)
      CROSS JOIN LATERAL (SELECT * FROM monitoring_scoring x WHERE x.household_id = ids.id LIMIT 1) s
      CROSS JOIN LATERAL (
        SELECT 1 FROM monitoring_run r
         WHERE r.id = s.run_id AND r.catalog_version = $2 AND r.triggers_version = $3 AND r.as_of = $4::date
        OFFSET 0) same_basis`,
    [rows.map((x) => x.household_id), basis.catalogVersion, basis.triggersVersion, basis.asOf],
  );
  // Which raised alerts are still open, one open-alert index lookup each (LATERAL ... LIMIT 1
  // again): as a subquery or EXISTS, under row-level security, the planner walked the region's
  // alerts by the region index for every household (two minutes for 2,000 of them).
  const wanted: [string, string][] = [];
  for (const s of r.rows) for (const m of s.raised ?? []) wanted.push([s.household_id, `indicator:${m}`]);
  const open = new Set<string>();
  if (wanted.length > 0) {
    const o = await tx.query<{ k: string; c: string }>(
      `SELECT q.k, q.c FROM unnest($1::text[], $2::text[]) AS q(k, c)
        CROSS JOIN LATERAL (SELECT 1 FROM monitoring_alert a
                             WHERE a.subject_key = q.k AND a.cause = q.c AND a.status <> 'closed' LIMIT 1) x`,
      [wanted.map((w) => w[0]), wanted.map((w) => w[1])],
    );
    for (const x of o.rows) open.add(`${x.k}|${x.c}`);
  }
  const read = new Map(rows.map((x) => [x.household_id, x.facts_at]));
  for (const s of r.rows) {
    if (read.get(s.household_id) !== s.facts_at) continue;
    if ((s.raised ?? []).every((m) => open.has(`${s.household_id}|indicator:${m}`))) out.add(s.household_id);
  }
  return out;
}
