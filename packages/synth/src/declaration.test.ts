import { describe, expect, it } from 'vitest';
import { addYears } from './dates.ts';
import { CENTRAL_BASIC_PENSION_FEN } from './declaration.ts';
import { generateCounty } from './generate.ts';
import { PUBLIC_EMPLOYERS } from './places.ts';
import { TEST_VILLAGES } from './testVillages.ts';

const ASOF = '2025-06-30';
const county = [...generateCounty({ seed: 5, households: 3_000, villages: TEST_VILLAGES, asOf: ASOF })];

describe('the declared application form', () => {
  it('states the rigid expenses of the last 12 months as the departments recorded them', () => {
    const yearAgo = addYears(ASOF, -1);
    for (const { household, records } of county) {
      const assisted = household.enrolments.some((e) => ['dibao', 'tekun', 'nearDibao'].includes(e.category));
      let medical = 0;
      let education = 0;
      let insurance = 0;
      for (const r of records) {
        if (r.source === 'medicalClaim' && r.admissionDate > yearAgo && r.admissionDate <= ASOF)
          medical += r.outOfPocketFen;
        if (r.source === 'educationSpending') education += r.tuitionFen + r.boardingFen;
        // The government pays the 200-yuan resident tier for assisted households: not their expense.
        if (
          r.source === 'socialInsurance' &&
          !(assisted && r.scheme === 'resident' && r.annualContributionFen <= 20_000)
        )
          insurance += r.annualContributionFen;
      }
      expect(household.declared.annualExpensesFen, household.id).toEqual({
        medical,
        education,
        socialInsurance: insurance,
      });
    }
  });

  it('marks only the central basic pension of resident pensioners as exempt, and no property income', () => {
    let exemptHouseholds = 0;
    for (const { household, records } of county) {
      const d = household.declared;
      const pensioners = records.filter(
        (r) => r.source === 'socialInsurance' && r.scheme === 'resident' && r.status === 'receivingPension',
      ).length;
      expect(d.exemptMonthlyFen).toBeLessThanOrEqual(d.monthlyIncomeFen.pensions);
      expect(d.exemptMonthlyFen).toBeLessThanOrEqual(pensioners * CENTRAL_BASIC_PENSION_FEN);
      // Resident pensions are 150–350 yuan, so each pensioner's 123 yuan is exempt in full.
      expect(d.exemptMonthlyFen).toBe(pensioners * CENTRAL_BASIC_PENSION_FEN);
      expect(d.propertyMonthlyFen).toBe(0);
      if (d.exemptMonthlyFen > 0) exemptHouseholds += 1;
    }
    expect(exemptHouseholds).toBeGreaterThan(county.length * 0.2);
  });

  it('answers the veto questions from members and the homes it admits to; hidden homes stay hidden', () => {
    const twoYearsAgo = addYears(ASOF, -2);
    let publicEmployees = 0;
    let recentPurchases = 0;
    for (const { household, truth } of county) {
      const a = household.declared.answers;
      const hidden = new Set(truth.hidden.map((h) => h.assetId));
      const recent = truth.assets.properties.filter(
        (p) => p.use !== 'homestead' && p.registeredOn > twoYearsAgo,
      );
      expect(a.recentHousePurchase, household.id).toBe(recent.some((p) => !hidden.has(p.id)));
      const inPost = household.members.some(
        (p) =>
          p.deathDate === null &&
          p.employment === 'localEmployee' &&
          p.formalEmployment &&
          PUBLIC_EMPLOYERS.has(p.employerName ?? ''),
      );
      expect(a.publicEmployee, household.id).toBe(inPost);
      expect(a.luxuryConsumption).toBe(false);
      expect(a.refusedVerification).toBe(false);
      if (a.publicEmployee) publicEmployees += 1;
      if (a.recentHousePurchase) recentPurchases += 1;
    }
    // A few percent of households: plausible for a rural county, not zero and not most.
    expect(publicEmployees).toBeGreaterThan(county.length * 0.005);
    expect(publicEmployees).toBeLessThan(county.length * 0.08);
    expect(recentPurchases).toBeGreaterThan(county.length * 0.01);
    expect(recentPurchases).toBeLessThan(county.length * 0.2);
  });
});
