/**
 * A screening run evaluates without details (statuses and amounts only), which takes the lenient
 * forms of the catalogue's expressions (a missing fact is a value, not an exception). They must
 * decide exactly as the exact path does: the whole catalogue, households with facts knocked out
 * at random (the way real households lack facts), every cell compared.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { evaluateBatch, type HouseholdFacts } from '@doudi/rules';
import { describe, expect, it } from 'vitest';
import { catalogDir, loadCatalogFromDir } from '../src/domains/rules/catalogFiles.ts';

const { catalog } = loadCatalogFromDir();
const example = JSON.parse(
  readFileSync(path.join(catalogDir(), 'examples/household.json'), 'utf8'),
) as HouseholdFacts;

let seed = 11;
const random = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
/** Drops each fact with probability `p`: the gaps real households have. */
const holes = (facts: Record<string, unknown>, p: number) =>
  Object.fromEntries(Object.entries(facts).filter(() => random() >= p));

function household(): HouseholdFacts {
  const gaps = pick([0, 0.05, 0.3]);
  const money = (share: number, max: number) => (random() < share ? Math.floor(random() * max) : 0);
  return {
    household: holes(
      {
        ...(example.household as Record<string, unknown>),
        urban: random() < 0.3,
        wageIncome: money(0.4, 400000),
        agriculturalIncome: money(0.4, 100000),
        transferIncome: money(0.3, 60000),
        medicalExpenseAnnual: money(0.3, 4000000),
        financialAssets: money(0.8, 8000000),
        vehicleCount: random() < 0.1 ? 1 : 0,
        currentCategories: random() < 0.1 ? [pick(['dibao', 'tekun', 'nearDibao'])] : [],
        disasterAffected: random() < 0.05,
      },
      gaps,
    ),
    members: Array.from({ length: 1 + Math.floor(random() * 5) }, () => {
      const age = Math.floor(random() * 95);
      return holes(
        {
          age,
          sex: pick(['male', 'female']),
          health: pick(['healthy', 'healthy', 'chronicIllness', 'seriousIllness']),
          disabilityType: pick(['none', 'none', 'none', 'physical', 'intellectual']),
          disabilityGrade: random() < 0.15 ? 1 + Math.floor(random() * 4) : 0,
          workCapacity: pick(['full', 'partial', 'none']),
          employment: age < 16 ? 'inSchool' : pick(['farming', 'unemployed', 'casualWork', 'notWorking']),
          schoolingStage: age < 6 ? 'preschool' : age < 15 ? 'primary' : age < 18 ? 'senior' : 'none',
          careEating: random() < 0.9,
          careDressing: random() < 0.9,
          careBedTransfer: random() < 0.9,
          careToilet: random() < 0.9,
          careWalkingIndoors: random() < 0.85,
          careBathing: random() < 0.8,
        },
        gaps,
      );
    }),
  };
}

describe('screening statuses without details (lenient forms)', () => {
  const households = Array.from({ length: 1000 }, household);

  it('decide every policy of every household as the exact path does', () => {
    for (const region of ['420921100000', '420921101000']) {
      const exact = evaluateBatch(catalog, households, '2025-07-01', region);
      const lenient = evaluateBatch(catalog, households, '2025-07-01', region, { details: false });
      expect(Array.from(lenient.statuses)).toEqual(Array.from(exact.statuses));
      expect(Array.from(lenient.amountsFen)).toEqual(Array.from(exact.amountsFen));
      // The households really exercise the paths: every status but error occurs, missing facts often.
      const counts = [0, 0, 0, 0];
      for (const s of exact.statuses) counts[s] = (counts[s] ?? 0) + 1;
      expect(counts[0]).toBeGreaterThan(300);
      expect(counts[1]).toBeGreaterThan(300);
      expect(counts[2]).toBeGreaterThan(300);
    }
  }, 180_000);
});
