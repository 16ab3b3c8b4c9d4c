/** Registry test helpers: valid ID numbers, household bodies, a county officer and a grid worker. */
import { makeIdNumber } from '@doudi/rules';
import type { Database } from '../src/db/database.ts';
import { buildUser, regions, seedPeople } from './factories.ts';

let counter = 10;

/** A valid ID number born on `birthDate`; the sequence's parity gives the sex (odd = male). */
export function idFor(birthDate: string, sex: 'male' | 'female' = 'male'): string {
  counter += 1;
  return makeIdNumber('420921', birthDate, (counter * 2 + (sex === 'male' ? 1 : 0)) % 1000);
}

let householdCounter = 0;
export function householdNumber(): string {
  householdCounter += 1;
  return `4209211${String(householdCounter).padStart(5, '0')}`;
}

export function householdBody(overrides: Record<string, unknown> = {}) {
  return {
    householdNumber: householdNumber(),
    regionCode: regions.huayuanVillage,
    address: '花园镇花园社区建设路12号',
    registeredOn: '2020-01-01',
    head: { name: '张建国', idNumber: idFor('1970-03-05', 'male'), phone: '13812345678' },
    members: [
      { name: '李桂英', idNumber: idFor('1972-08-09', 'female'), relationshipToHead: 'spouse' },
      { name: '张小明', idNumber: idFor('2012-05-01', 'male'), relationshipToHead: 'son' },
    ],
    ...overrides,
  };
}

export async function seedRegistryPeople(db: Database) {
  const people = await seedPeople(db);
  return {
    ...people,
    county: await buildUser(db, 'county', 'countyOfficer', regions.county),
    grid: await buildUser(db, 'grid', 'gridWorker', regions.huayuanVillage),
    verifier: await buildUser(db, 'verifier', 'verificationCentre', regions.county),
  };
}
