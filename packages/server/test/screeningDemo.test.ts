/**
 * A demo-sized seeded county screened end to end: now that the synthetic households answer every
 * line of the application form (incomes, rigid expenses, the veto questions), dibao and near-dibao
 * give a decision for every household instead of "needs information", and policy-finds-people finds
 * a plausible share of households not yet enrolled. The ground truth the generator drew (never loaded
 * into the platform) tells how many of those found are really poor.
 */
import { generateCounty, SAMPLE_VILLAGES } from '@doudi/synth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { asSystem } from '../src/db/scope.ts';
import { systemActor } from '../src/demo/demoAccounts.ts';
import { cipherFor } from '../src/domains/registry/personalData.crypto.ts';
import { seedRegistry } from '../src/domains/registry/seed.ts';
import * as repo from '../src/domains/screening/screening.repo.ts';
import { runScreening } from '../src/domains/screening/screening.run.ts';
import { regions, seedRegions } from './factories.ts';
import { createTestDatabase, type TestDatabase } from './testDb.ts';

const HOUSEHOLDS = 2_000;
const SEED = 11;
const AS_OF = '2025-06-30';
const ON = '2025-07-01';

describe('screening a seeded demo county', () => {
  let t: TestDatabase;
  let rows: { household_number: string; eligible: string[]; needs_info: string[]; held: string[] }[];

  beforeAll(async () => {
    t = await createTestDatabase();
    await seedRegions(t.db);
    const cipher = cipherFor(loadConfig({ NODE_ENV: 'test' }).dataKey);
    await seedRegistry(t.db, cipher, systemActor, {
      households: HOUSEHOLDS,
      seed: SEED,
      under: '420921',
      villages: SAMPLE_VILLAGES,
      asOf: AS_OF,
    });
    const run = await asSystem(t.db, (tx) =>
      repo.insertRun(tx, {
        region_code: regions.county,
        region_high: '420921999999',
        on_date: ON,
        started_by: 'tester',
        started_by_name: '测试',
        started_by_role: 'countyOfficer',
        previous_run_id: null,
      }),
    );
    expect(await runScreening(t.db, run.id, { workers: 0 })).toMatchObject({ status: 'done' });
    rows = (
      await t.db.query<{
        household_number: string;
        eligible: string[];
        needs_info: string[];
        held: string[];
      }>(
        `SELECT h.household_number, r.eligible, r.needs_info,
                coalesce((SELECT array_agg(c.category) FROM household_category c
                           WHERE c.household_id = h.id AND c.valid_from <= $2 AND (c.valid_to IS NULL OR c.valid_to > $2)),
                         '{}') AS held
           FROM screening_result r JOIN household h ON h.id = r.household_id WHERE r.run_id = $1`,
        [run.id, ON],
      )
    ).rows;
  }, 240_000);
  afterAll(() => t.drop());

  it('decides dibao and near-dibao for every household: nothing is left "needs information"', () => {
    expect(rows).toHaveLength(HOUSEHOLDS);
    for (const policy of ['dibao', 'nearDibao', 'dibaoSinglePerson'])
      expect(
        rows.filter((r) => r.needs_info.includes(policy)).map((r) => r.household_number),
        policy,
      ).toEqual([]);
  });

  it('finds a plausible share of households eligible for dibao and not enrolled, most of them truly poor', () => {
    const notEnrolled = rows.filter((r) => !r.held.includes('dibao'));
    const found = notEnrolled.filter((r) => r.eligible.includes('dibao'));
    // Seed 11, 2,000 households: 81 found among 1,880 not enrolled (4.3%); 120 are enrolled (6%).
    expect(found.length).toBeGreaterThanOrEqual(Math.round(notEnrolled.length * 0.01));
    expect(found.length).toBeLessThanOrEqual(Math.round(notEnrolled.length * 0.15));

    const truth = new Map<string, { below: boolean; hidden: number }>();
    for (const { household, truth: t } of generateCounty({
      seed: SEED,
      households: HOUSEHOLDS,
      villages: SAMPLE_VILLAGES,
      asOf: AS_OF,
    }))
      truth.set(household.householdNumber, {
        below: t.belowDibaoStandard,
        hidden: t.hidden.length,
      });
    const reallyBelow = found.filter((r) => truth.get(r.household_number)?.below).length;
    // 46 of the 81 are truly below the standard. The others under-state casual wages, remittances or
    // farm income on the form (as real applicants do) or fall below only after rigid expenses, which
    // the truth flag ignores: checking and home visits exist to tell them apart.
    expect(reallyBelow / found.length).toBeGreaterThanOrEqual(0.5);
    // Households that hide a car or a home answer the form as if they had none: a few are found too.
    const hiding = found.filter((r) => (truth.get(r.household_number)?.hidden ?? 0) > 0).length;
    expect(hiding).toBeLessThan(found.length / 4);
  });
});
