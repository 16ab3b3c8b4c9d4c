/**
 * The synthetic county's answer key as calibration truth (tests, benchmarks, the demo): a
 * household is "in hardship" when its true per-capita income is below the dibao standard or it had
 * a hardship event (serious illness, death of an earner, job loss, disability) in the 12 months
 * before the date. Keyed by household id through the household number the seed wrote.
 */
import { type GenerateOptions, generateCounty } from '@doudi/synth';
import dayjs from 'dayjs';
import type { Queryable } from '../../db/database.ts';

export async function synthTruth(tx: Queryable, options: GenerateOptions): Promise<Map<string, boolean>> {
  const start = dayjs(options.asOf).subtract(12, 'month').format('YYYY-MM-DD');
  const byNumber = new Map<string, boolean>();
  for (const { household, truth } of generateCounty(options)) {
    const recent = truth.hardshipEvents.some((e) => e.date > start && e.date <= options.asOf);
    byNumber.set(household.householdNumber, truth.belowDibaoStandard || recent);
  }
  const ids = await tx.query<{ id: string; household_number: string }>(
    'SELECT id, household_number FROM household WHERE household_number = ANY($1::text[])',
    [[...byNumber.keys()]],
  );
  return new Map(ids.rows.map((r) => [r.id, byNumber.get(r.household_number) as boolean]));
}
