/**
 * Calibration (校准), as Xiaochang did before publishing its warning lines: back-test a model
 * version over past alerts and what came of them, and compare two band settings on sample villages.
 *
 *  - Back-test: closed data alerts with an outcome, by cause and colour. `helped` and
 *    `referredElsewhere` count as true alerts; `notNeeded` and `notFound` as false ones.
 *    precision = true / (true + false).
 *  - Band settings: each household of the sample villages is scored once with the model; each
 *    setting's lower bounds (red, yellow, blue) give it a colour. Against the outcomes known for
 *    those households (past alerts; or a ground truth, e.g. the synthetic county's, passed in by a
 *    test or benchmark) each setting gets a precision and, where the truth is complete, a recall.
 */
import { type CompiledCatalog, evaluateIndicatorsBatch, type HouseholdFacts } from '@doudi/rules';
import type { Queryable } from '../../db/database.ts';
import { decodeHouseholds, type SnapshotRow, snapshotItem } from '../householdFacts/snapshotFacts.ts';

export interface BandSetting {
  label: string;
  red: number;
  yellow: number;
  blue: number;
}

export interface Tally {
  alerts: number;
  withOutcome: number;
  truePositive: number;
  precision: number | null;
}

function tally(alerts: number, withOutcome: number, truePositive: number): Tally {
  return {
    alerts,
    withOutcome,
    truePositive,
    precision: withOutcome > 0 ? Math.round((truePositive / withOutcome) * 10000) / 10000 : null,
  };
}

/** Past data alerts in scope with their outcomes, by cause and by colour (a back-test of what was raised). */
export async function backTest(tx: Queryable, modelVersion?: string) {
  const rows = await tx.query<{ cause: string; colour: string; n: number; known: number; good: number }>(
    `SELECT cause, colour, count(*)::int AS n,
            count(*) FILTER (WHERE outcome IS NOT NULL)::int AS known,
            count(*) FILTER (WHERE outcome IN ('helped', 'referredElsewhere'))::int AS good
       FROM monitoring_alert
      WHERE origin = 'data' AND ($1::text IS NULL OR left(cause, 10) <> 'indicator:' OR model_version = $1)
      GROUP BY cause, colour ORDER BY cause, colour`,
    [modelVersion ?? null],
  );
  const byCause: Record<string, Tally> = {};
  const byColour: Record<string, Tally> = {};
  let n = 0;
  let known = 0;
  let good = 0;
  for (const r of rows.rows) {
    const c = byCause[r.cause] ?? tally(0, 0, 0);
    byCause[r.cause] = tally(c.alerts + r.n, c.withOutcome + r.known, c.truePositive + r.good);
    const k = byColour[r.colour] ?? tally(0, 0, 0);
    byColour[r.colour] = tally(k.alerts + r.n, k.withOutcome + r.known, k.truePositive + r.good);
    n += r.n;
    known += r.known;
    good += r.good;
  }
  return { overall: tally(n, known, good), byCause, byColour };
}

/** Household → true (in hardship), false (not), or absent (unknown), from past alert outcomes. */
export async function outcomesFromAlerts(tx: Queryable, householdIds: readonly string[]) {
  const rows = await tx.query<{ household_id: string; good: boolean }>(
    `SELECT household_id, bool_or(outcome IN ('helped', 'referredElsewhere')) AS good
       FROM monitoring_alert WHERE household_id = ANY($1::uuid[]) AND outcome IS NOT NULL
      GROUP BY household_id`,
    [householdIds],
  );
  return new Map(rows.rows.map((r) => [r.household_id, r.good]));
}

export function colourFor(score: number, s: BandSetting): 'red' | 'yellow' | 'blue' | 'green' {
  if (score >= s.red) return 'red';
  if (score >= s.yellow) return 'yellow';
  if (score >= s.blue) return 'blue';
  return 'green';
}

/** Scores every household once; NaN where the model could not score it. */
export function scoreHouseholds(
  catalog: CompiledCatalog,
  modelId: string,
  rows: readonly SnapshotRow[],
  asOf: string,
): Float64Array {
  const scores = new Float64Array(rows.length);
  const byTownship = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const key = `${r.region_code.slice(0, 9)}000`;
    const list = byTownship.get(key);
    if (list) list.push(i);
    else byTownship.set(key, [i]);
  });
  for (const [township, indexes] of byTownship) {
    const facts: HouseholdFacts[] = decodeHouseholds(
      indexes.map((i) => snapshotItem(rows[i] as SnapshotRow)),
      asOf,
    );
    const batch = evaluateIndicatorsBatch(catalog, facts, asOf, township, { models: [modelId] });
    indexes.forEach((i, k) => {
      scores[i] = batch.statuses[k] === 2 ? Number.NaN : (batch.scores[k] as number);
    });
  }
  return scores;
}

export interface SettingResult {
  label: string;
  bounds: { red: number; yellow: number; blue: number };
  colours: Record<string, number>;
  /** Raised = colours in `raise`. */
  raised: number;
  known: number;
  truePositive: number;
  precision: number | null;
  /** Of the households known to be in hardship, the share raised (null when none is known). */
  recall: number | null;
}

/** Compares band settings over scored households against what is known of them. */
export function compareSettings(
  householdIds: readonly string[],
  scores: Float64Array,
  settings: readonly BandSetting[],
  raise: readonly string[],
  truth: ReadonlyMap<string, boolean>,
): SettingResult[] {
  return settings.map((s) => {
    const colours: Record<string, number> = { red: 0, yellow: 0, blue: 0, green: 0, unscored: 0 };
    let raised = 0;
    let known = 0;
    let good = 0;
    let positives = 0;
    let found = 0;
    householdIds.forEach((id, i) => {
      const score = scores[i] as number;
      const colour = Number.isNaN(score) ? 'unscored' : colourFor(score, s);
      colours[colour] = (colours[colour] ?? 0) + 1;
      const isRaised = raise.includes(colour);
      const t = truth.get(id);
      if (t === true) positives += 1;
      if (isRaised) {
        raised += 1;
        if (t !== undefined) {
          known += 1;
          if (t) good += 1;
        }
      }
      if (t === true && isRaised) found += 1;
    });
    return {
      label: s.label,
      bounds: { red: s.red, yellow: s.yellow, blue: s.blue },
      colours,
      raised,
      known,
      truePositive: good,
      precision: known > 0 ? Math.round((good / known) * 10000) / 10000 : null,
      recall: positives > 0 ? Math.round((found / positives) * 10000) / 10000 : null,
    };
  });
}

/**
 * The back-test against a ground truth (the synthetic county's, in tests and benchmarks): every
 * data alert in scope counts as true when its household is known to be in hardship. Recall per
 * cause is the share of the households in hardship that the cause alerted.
 */
export async function backTestWithTruth(tx: Queryable, truth: ReadonlyMap<string, boolean>) {
  const rows = await tx.query<{ household_id: string; cause: string; colour: string }>(
    `SELECT household_id, cause, colour FROM monitoring_alert WHERE origin = 'data' AND household_id IS NOT NULL`,
  );
  let positives = 0;
  for (const v of truth.values()) if (v) positives += 1;
  const group = (key: (r: { cause: string; colour: string }) => string) => {
    const out: Record<string, Tally & { recall: number | null }> = {};
    const sets = new Map<string, Set<string>>();
    for (const r of rows.rows) {
      const k = key(r);
      const set = sets.get(k) ?? new Set<string>();
      set.add(r.household_id);
      sets.set(k, set);
    }
    for (const [k, set] of sets) {
      let known = 0;
      let good = 0;
      for (const id of set) {
        const t = truth.get(id);
        if (t === undefined) continue;
        known += 1;
        if (t) good += 1;
      }
      out[k] = {
        ...tally(set.size, known, good),
        recall: positives ? Math.round((good / positives) * 10000) / 10000 : null,
      };
    }
    return out;
  };
  const overall = group(() => 'all').all ?? { ...tally(0, 0, 0), recall: null };
  return { overall, byCause: group((r) => r.cause), byColour: group((r) => r.colour), positives };
}
