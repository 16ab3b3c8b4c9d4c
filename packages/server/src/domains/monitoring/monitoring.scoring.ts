/**
 * What each household's indicator scoring read (migration 026), so that an incremental run scores
 * again only the households whose facts snapshot changed since they were last scored.
 *
 * The models read the facts snapshot only; an import of department records changes source_record,
 * not the snapshot, so re-scoring the households it touched gave the same scores (88% of an
 * incremental run's time went there). A touched household is scored again when:
 *  - it has no stored scoring, or the snapshot version (household_facts.refreshed_at, set by every
 *    rebuild) differs from the one scored;
 *  - the catalogue version, trigger file or date it was scored with differ from this run's: those
 *    of its own run, or of the last completed full run of a region containing it that found it
 *    unchanged and left it (migration 039: such a run vouches for what it compared);
 *  - a model raised an alert for it that is no longer open (closed since: a full run would raise a
 *    new one, and needs the evidence to do so).
 * Otherwise its open alerts (if any) already hold exactly what scoring again would write. The
 * triggers are applied to every touched household whatever this says.
 */
import type { Queryable } from '../../db/database.ts';
import { regionBounds } from '../householdFacts/householdFacts.ts';

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

/** The advisory lock of scoring writes (shared) and of a full run beginning to compare (exclusive). */
const SCORING_LOCK = 26_039;

/**
 * A full run begins comparing scorings (migration 039): once, at its first start, holding the
 * exclusive lock, so that every scoring written before is committed and every later one is later.
 */
export async function beginComparing(tx: Queryable, runId: string) {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [SCORING_LOCK]);
  await tx.query(
    'UPDATE monitoring_run SET scoring_from = clock_timestamp() WHERE id = $1 AND scoring_from IS NULL',
    [runId],
  );
}

/**
 * The rows whose stored scoring says the same, left out. Only in a full run's statement: as a
 * condition switched off by a parameter, the planner still costed a scan of the table for it, and
 * the estimate set off JIT compilation (≈180 ms a statement of an incremental run).
 */
const KEPT = `LEFT JOIN LATERAL (
         SELECT true AS same FROM monitoring_scoring o
          WHERE o.household_id = i.household_id AND o.region_code = i.region_code
            AND o.facts_at = i.facts_at AND o.raised IS NOT DISTINCT FROM i.raised
          LIMIT 1) kept ON true
      WHERE kept.same IS NULL`;

/**
 * Stores a batch's scorings (same transaction as its alerts, so a resumed run agrees with them).
 * `keepUnchanged` (a full run): a household whose stored scoring already says what this one does
 * (region, snapshot version, models that raised) is left as it is; the completed run vouches for
 * it (stillScored), so a monthly run at a new date writes only what changed.
 */
export async function storeScorings(
  tx: Queryable,
  runId: string,
  scorings: readonly Scoring[],
  { keepUnchanged = false } = {},
) {
  if (scorings.length === 0) return;
  await tx.query('SELECT pg_advisory_xact_lock_shared($1)', [SCORING_LOCK]);
  // Each column as one delimited text (ids, codes, timestamps and model ids hold no ',' or '|'):
  // the driver quoted and escaped 8,000 array elements a batch (≈1.5% of a full run's CPU).
  // The stored row is looked up by its key (LATERAL ... LIMIT 1), against the input's columns
  // already cast (MATERIALIZED): under row-level security a key compared with `text::uuid` (a cast
  // that is not leakproof) may not be an index condition, and each batch scanned the table (≈10 s a
  // batch at 1,000,000 households).
  await tx.query(
    `WITH input AS MATERIALIZED (
       SELECT id::uuid AS household_id, rc AS region_code, at::timestamptz AS facts_at,
              CASE WHEN r = '' THEN NULL ELSE string_to_array(r, ',') END AS raised
         FROM unnest(string_to_array($1, ','), string_to_array($2, ','), string_to_array($3, ','),
                     string_to_array($4, '|')) AS x(id, rc, at, r))
     INSERT INTO monitoring_scoring AS s (household_id, region_code, run_id, facts_at, raised, scored_at)
     SELECT i.household_id, i.region_code, $5::uuid, i.facts_at, i.raised, clock_timestamp() FROM input i
     ${keepUnchanged ? KEPT : ''}
     ON CONFLICT (household_id) DO UPDATE SET region_code = EXCLUDED.region_code,
       run_id = EXCLUDED.run_id, facts_at = EXCLUDED.facts_at, raised = EXCLUDED.raised,
       scored_at = EXCLUDED.scored_at`,
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
  // microsecond (a JavaScript Date would keep milliseconds only); times as microseconds.
  const r = await tx.query<{
    household_id: string;
    region_code: string;
    facts_at: string;
    raised: string[] | null;
    run_id: string;
    scored_at: string;
  }>(
    `SELECT s.household_id, s.region_code, s.facts_at::text AS facts_at, s.raised, s.run_id,
            (extract(epoch FROM s.scored_at) * 1000000)::bigint::text AS scored_at
       FROM unnest($1::uuid[]) AS ids(id)
      CROSS JOIN LATERAL (SELECT * FROM monitoring_scoring x WHERE x.household_id = ids.id LIMIT 1) s`,
    [rows.map((x) => x.household_id)],
  );
  if (r.rows.length === 0) return out;
  // The rows' own runs, and the completed full runs that began comparing after the oldest row was
  // written (each vouches for the rows of its region written before it began: migration 039). Runs
  // are few (a month's full run, an import's run), read once a batch and matched here: joined to
  // each scoring, the planner repeated every household's probe for each run with this basis.
  let oldest = BigInt((r.rows[0] as (typeof r.rows)[number]).scored_at);
  for (const x of r.rows) if (BigInt(x.scored_at) < oldest) oldest = BigInt(x.scored_at);
  const runs = await tx.query<{
    id: string;
    kind: string;
    status: string;
    region_code: string;
    catalog_version: string | null;
    triggers_version: string | null;
    as_of: string;
    scoring_from: string | null;
  }>(
    `SELECT id, kind, status, region_code, catalog_version, triggers_version, to_char(as_of, 'YYYY-MM-DD') AS as_of,
            (extract(epoch FROM scoring_from) * 1000000)::bigint::text AS scoring_from
       FROM monitoring_run
      WHERE id = ANY($1::uuid[])
         OR (kind = 'full' AND status = 'completed' AND (extract(epoch FROM scoring_from) * 1000000)::bigint > $2::bigint)`,
    [[...new Set(r.rows.map((x) => x.run_id))], oldest.toString()],
  );
  const byId = new Map(runs.rows.map((x) => [x.id, x]));
  const vouchers = runs.rows
    .filter((x) => x.kind === 'full' && x.status === 'completed' && x.scoring_from !== null)
    .map((x) => ({ run: x, from: BigInt(x.scoring_from as string), ...regionBounds(x.region_code) }))
    .sort((a, b) => (a.from > b.from ? -1 : a.from < b.from ? 1 : 0));
  const sameBasis = (x: (typeof runs.rows)[number] | undefined) =>
    x !== undefined &&
    x.catalog_version === basis.catalogVersion &&
    x.triggers_version === basis.triggersVersion &&
    x.as_of === basis.asOf;
  const scored = r.rows.filter((s) => {
    const at = BigInt(s.scored_at);
    const voucher = vouchers.find((v) => v.from > at && s.region_code >= v.low && s.region_code <= v.high);
    return sameBasis(voucher ? voucher.run : byId.get(s.run_id));
  });
  // Which raised alerts are still open, one open-alert index lookup each (LATERAL ... LIMIT 1
  // again): as a subquery or EXISTS, under row-level security, the planner walked the region's
  // alerts by the region index for every household (two minutes for 2,000 of them).
  const wanted: [string, string][] = [];
  for (const s of scored) for (const m of s.raised ?? []) wanted.push([s.household_id, `indicator:${m}`]);
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
  for (const s of scored) {
    if (read.get(s.household_id) !== s.facts_at) continue;
    if ((s.raised ?? []).every((m) => open.has(`${s.household_id}|indicator:${m}`))) out.add(s.household_id);
  }
  return out;
}
