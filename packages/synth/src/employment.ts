import { ageOn } from './dates.ts';

import { COLLEGE_RESIDENCE, employer } from './places.ts';
import { type Rng, Weighted } from './random.ts';
import { type Destination, MIGRANT_DESTINATIONS } from './regions.ts';
import type { AssistanceCategory, EmploymentStatus, Person } from './types.ts';

/**
 * Employment and where people live. Xiaochang is a labour-exporting county: the NBS migrant-worker
 * survey puts Hubei among the large sources, and county reports speak of a third or more of the rural
 * workforce working away. Migration peaks among 20–45-year-olds; the over-50s return to farm.
 */
export function migrantRate(age: number): number {
  if (age < 16) return 0;
  if (age < 20) return 0.45;
  if (age < 46) return 0.52;
  if (age < 56) return 0.32;
  if (age < 60) return 0.14;
  return 0.03;
}

/** Local occupations of working-age adults who stay. */
const RURAL_LOCAL = new Weighted<EmploymentStatus>([
  ['farming', 44],
  ['localEmployee', 14],
  ['casualWork', 20],
  ['selfEmployed', 8],
  ['unemployed', 6],
  ['notWorking', 8],
]);
const URBAN_LOCAL = new Weighted<EmploymentStatus>([
  ['localEmployee', 48],
  ['selfEmployed', 16],
  ['casualWork', 14],
  ['unemployed', 9],
  ['notWorking', 13],
]);

/** Formal (contracted, insured) share by status: NBS reports about a third of migrants insured. */
const FORMAL_SHARE: Partial<Record<EmploymentStatus, number>> = {
  localEmployee: 0.72,
  migrantWorker: 0.4,
};

export interface EmploymentContext {
  rng: Rng;
  asOf: string;
  urban: boolean;
  category: AssistanceCategory | null;
}

/** Sets employment, formality, employer and residence for every member; the household shares one destination. */
export function assignEmployment(ctx: EmploymentContext, members: Person[]): void {
  const { rng, asOf, urban, category } = ctx;
  const destination: Destination = MIGRANT_DESTINATIONS.draw(rng);
  // Households under assistance have fewer able migrants (that is largely why they are assisted).
  const migrantFactor = (urban ? 0.35 : 1) * (category === 'dibao' || category === 'tekun' ? 0.45 : 1);
  for (const p of members) {
    const age = ageOn(p.birthDate, asOf);
    p.employment = employmentOf(ctx, p, age, migrantFactor);
    p.formalEmployment = rng.chance(FORMAL_SHARE[p.employment] ?? 0);
    if (p.employment === 'retired') p.formalEmployment = true;
    if (p.employment === 'localEmployee' || p.employment === 'migrantWorker') {
      p.employerName = employer(rng, p.employment === 'migrantWorker');
    }
    if (p.employment === 'migrantWorker') {
      // A fifth of migrants go somewhere other than the family's usual destination.
      const d = rng.chance(0.8) ? destination : MIGRANT_DESTINATIONS.draw(rng);
      p.residenceRegion = d.code;
      p.residenceRegionName = d.name;
    } else if (p.schooling === 'college') {
      p.residenceRegion = COLLEGE_RESIDENCE.code;
      p.residenceRegionName = COLLEGE_RESIDENCE.name;
    }
  }
  // About one left-behind child in six follows migrant parents (随迁子女) when both parents are away.
  const parentsAway = members.filter(
    (p) => (p.relationship === 'head' || p.relationship === 'spouse') && p.employment === 'migrantWorker',
  );
  if (parentsAway.length === 2 && rng.chance(0.17)) {
    const d = parentsAway[0] as Person;
    for (const p of members) {
      if ((p.relationship === 'son' || p.relationship === 'daughter') && ageOn(p.birthDate, asOf) < 16) {
        p.residenceRegion = d.residenceRegion;
        p.residenceRegionName = d.residenceRegionName;
      }
    }
  }
}

function employmentOf(
  ctx: EmploymentContext,
  p: Person,
  age: number,
  migrantFactor: number,
): EmploymentStatus {
  const { rng, urban } = ctx;
  if (p.schooling !== null) return 'inSchool';
  if (age < 16) return 'notWorking';
  if (age >= 60) {
    // Employee pensions: most urban old worked for units; in villages only former teachers and cadres.
    if (rng.chance(urban ? 0.5 : 0.07)) return 'retired';
    return !urban && p.workCapacity !== 'none' && rng.chance(0.7) ? 'farming' : 'notWorking';
  }
  if (p.workCapacity === 'none') return 'notWorking';
  const capacityFactor = p.workCapacity === 'partial' ? 0.3 : 1;
  if (rng.chance(migrantRate(age) * migrantFactor * capacityFactor)) return 'migrantWorker';
  const local = (urban ? URBAN_LOCAL : RURAL_LOCAL).draw(rng);
  // Women over 50 with a contract retire early (statutory age 50 for female workers).
  if (local === 'localEmployee' && p.sex === 'female' && age >= 50 && urban) return 'retired';
  return local;
}
