/**
 * The per-village counts of migration 004 (registry_summary): kept by triggers on every write,
 * categories counted for one date (registry_summary_state.categories_on). Reads roll villages
 * up to townships or the county in milliseconds instead of counting a million rows.
 */
import type { Database, Queryable } from '../../db/database.ts';
import { asSystem } from '../../db/scope.ts';

export interface SummaryState {
  /** The date the category figures are counted for. */
  categoriesOn: string;
  /** When the category figures were last counted from the rows. */
  recountedAt: Date;
}

export async function summaryState(tx: Queryable): Promise<SummaryState> {
  const result = await tx.query<{ categories_on: string; recounted_at: Date }>(
    'SELECT categories_on, recounted_at FROM registry_summary_state',
  );
  const row = result.rows[0];
  if (!row) throw new Error('registry_summary_state is empty (migration 004 not applied?)');
  return { categoriesOn: row.categories_on, recountedAt: row.recounted_at };
}

/**
 * Recounts from the rows. Categories only (a few hundred ms at a million households) when the
 * date moved on; `everything` also recounts households and persons (the nightly job).
 */
export async function recountSummary(db: Database, on: string, everything: boolean): Promise<void> {
  await asSystem(db, (tx) => tx.query('SELECT registry_summary_recount($1, $2)', [on, everything]));
}

/** Makes the category figures those of `on` (the first reader of a new day pays the recount). */
export async function ensureCountedFor(db: Database, on: string): Promise<void> {
  const state = await asSystem(db, summaryState);
  if (state.categoriesOn !== on) await recountSummary(db, on, false);
}

export interface SummaryRow {
  key: string;
  measure: string;
  n: number;
}

/** Sums villages in [low, high] by the first `digits` digits of their code (0 = one total). */
export async function rollUp(
  tx: Queryable,
  low: string,
  high: string,
  digits: number,
): Promise<SummaryRow[]> {
  const result = await tx.query<SummaryRow>(
    `SELECT rpad(left(region_code, $3), 12, '0') AS key, measure, sum(n)::int AS n
       FROM registry_summary WHERE region_code BETWEEN $1 AND $2 GROUP BY 1, 2`,
    [low, high, digits],
  );
  return result.rows;
}

/** One measure summed over [low, high]: 'households' or 'category:<c>'. */
export async function summaryTotal(
  tx: Queryable,
  low: string,
  high: string,
  measure: string,
): Promise<number> {
  const result = await tx.query<{ n: number }>(
    `SELECT coalesce(sum(n), 0)::int AS n FROM registry_summary
      WHERE region_code BETWEEN $1 AND $2 AND measure = $3`,
    [low, high, measure],
  );
  return result.rows[0]?.n ?? 0;
}
