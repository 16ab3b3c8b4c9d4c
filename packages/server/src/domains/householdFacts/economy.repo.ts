/**
 * household_economy: the economic facts of a household as of a date (migration 005). Written by
 * `doudi seed` (declared, from the synthetic declaration) and, later, by verification (approved).
 */
import type { Declaration, Household } from '@doudi/synth';
import type { Queryable } from '../../db/database.ts';

export type EconomySource = 'declared' | 'approved';

export interface EconomyRow {
  householdId: string;
  regionCode: string;
  asOf: string;
  source: EconomySource;
  /** Keyed by catalogue household fact names (catalog/facts/household.yaml); money in fen. */
  facts: Record<string, number | boolean | string>;
}

/**
 * The facts a synthetic household declares on its application form, under the catalogue's names:
 * every line of the form (the six income types, property and exempt income, the three rigid
 * expenses of the last 12 months, financial assets, homes, vehicles, businesses and the four veto
 * questions). The exempt part of the pensions (the central basic pension, see @doudi/synth
 * declaration.ts) is taken out of `pensionIncome` and reported as `exemptIncome`, as the form asks.
 * These are the household's own statements: hidden items stay hidden until verification replaces
 * the row with an approved one.
 */
export function declarationFacts(d: Declaration): EconomyRow['facts'] {
  const i = d.monthlyIncomeFen;
  const exempt = Math.min(d.exemptMonthlyFen, i.pensions);
  return {
    wageIncome: i.wages,
    remittanceIncome: i.remittances,
    businessIncome: i.business,
    agriculturalIncome: i.agricultural,
    propertyIncome: d.propertyMonthlyFen,
    pensionIncome: i.pensions - exempt,
    transferIncome: i.transfers,
    exemptIncome: exempt,
    medicalExpenseAnnual: d.annualExpensesFen.medical,
    educationExpenseAnnual: d.annualExpensesFen.education,
    pensionContributionAnnual: d.annualExpensesFen.socialInsurance,
    financialAssets: d.depositsFen + d.securitiesFen,
    housingUnits: d.properties,
    vehicleCount: d.vehicles,
    businessCount: d.businesses,
    publicEmployee: d.answers.publicEmployee,
    luxuryConsumption: d.answers.luxuryConsumption,
    recentHousePurchase: d.answers.recentHousePurchase,
    refusedVerification: d.answers.refusedVerification,
  };
}

/** Inserts rows; a row for the same household, source and date already present is kept as it is. */
export async function insertEconomyRows(
  tx: Queryable,
  rows: readonly EconomyRow[],
  recordedBy?: string,
): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await tx.query(
    `INSERT INTO household_economy (household_id, region_code, as_of, source, facts, recorded_by)
     SELECT household, region, as_of, source, facts::jsonb, coalesce($6, doudi_actor_id())
       FROM unnest($1::uuid[], $2::text[], $3::date[], $4::text[], $5::text[])
            AS u(household, region, as_of, source, facts)
     ON CONFLICT (household_id, source, as_of) DO NOTHING`,
    [
      rows.map((r) => r.householdId),
      rows.map((r) => r.regionCode),
      rows.map((r) => r.asOf),
      rows.map((r) => r.source),
      rows.map((r) => JSON.stringify(r.facts)),
      recordedBy ?? null,
    ],
  );
  return result.rowCount ?? 0;
}

/**
 * Households already present (an earlier seed, perhaps from before household_economy existed) get
 * their declared figures from this same draw, so re-running `doudi seed` with the same seed fills
 * them in; rows already there are kept.
 */
export async function backfillEconomy(
  tx: Queryable,
  households: Household[],
  fresh: Set<string>,
  asOf: string,
): Promise<number> {
  const present = await tx.query<{ id: string; household_number: string; region_code: string }>(
    'SELECT id, household_number, region_code FROM household WHERE household_number = ANY($1::text[])',
    [households.map((h) => h.householdNumber)],
  );
  const byNumber = new Map(households.map((h) => [h.householdNumber, h]));
  return insertEconomyRows(
    tx,
    present.rows
      .filter((r) => !fresh.has(r.id))
      .map((r) => ({
        householdId: r.id,
        regionCode: r.region_code,
        asOf,
        source: 'declared' as const,
        facts: declarationFacts((byNumber.get(r.household_number) as Household).declared),
      })),
    'seed',
  );
}
