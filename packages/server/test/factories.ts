/** Test data builders: a small slice of the demo county and users in it. */
import type { Database } from '../src/db/database.ts';
import { asSystem } from '../src/db/scope.ts';
import { systemActor } from '../src/demo/demoAccounts.ts';
import type { Role } from '../src/domains/access/permissions.ts';
import { upsertRegions } from '../src/domains/regions/regions.repo.ts';
import { createUser } from '../src/domains/users/users.service.ts';

export const TEST_PASSWORD = 'Correct-horse-42';

export const regions = {
  province: '420000000000',
  city: '420900000000',
  county: '420921000000',
  huayuan: '420921100000',
  huayuanVillage: '420921100001',
  fengshan: '420921101000',
  fengshanVillage: '420921101001',
};

export async function seedRegions(db: Database): Promise<void> {
  await asSystem(db, (tx) =>
    upsertRegions(tx, [
      {
        code: regions.province,
        originalCode: '42',
        name: '湖北省',
        level: 1,
        parentCode: '000000000000',
        urban: null,
      },
      {
        code: regions.city,
        originalCode: '4209',
        name: '孝感市',
        level: 2,
        parentCode: regions.province,
        urban: null,
      },
      {
        code: regions.county,
        originalCode: '420921',
        name: '孝昌县',
        level: 3,
        parentCode: regions.city,
        urban: null,
      },
      {
        code: regions.huayuan,
        originalCode: '420921100',
        name: '花园镇',
        level: 4,
        parentCode: regions.county,
        urban: false,
      },
      {
        code: regions.fengshan,
        originalCode: '420921101',
        name: '丰山镇',
        level: 4,
        parentCode: regions.county,
        urban: false,
      },
      {
        code: regions.huayuanVillage,
        originalCode: '420921100001',
        name: '花园社区居委会',
        level: 5,
        parentCode: regions.huayuan,
        urban: true,
      },
      {
        code: regions.fengshanVillage,
        originalCode: '420921101001',
        name: '阳岗社区居委会',
        level: 5,
        parentCode: regions.fengshan,
        urban: true,
      },
    ]),
  );
}

export async function buildUser(
  db: Database,
  username: string,
  role: Role,
  regionCode: string,
  extra: { displayName?: string; department?: string } = {},
) {
  return createUser(db, systemActor, {
    username,
    displayName: extra.displayName ?? username,
    role,
    department: extra.department ?? (role === 'departmentOfficer' ? 'education' : null),
    regionCode,
    password: TEST_PASSWORD,
  });
}

/** The usual cast: an admin and an auditor at county level, a caseworker in each of two townships. */
export async function seedPeople(db: Database) {
  await seedRegions(db);
  return {
    admin: await buildUser(db, 'admin', 'admin', regions.county),
    auditor: await buildUser(db, 'auditor', 'auditor', regions.county),
    huayuan: await buildUser(db, 'huayuan', 'caseworker', regions.huayuan),
    fengshan: await buildUser(db, 'fengshan', 'caseworker', regions.fengshan),
    resident: await buildUser(db, 'resident', 'resident', regions.huayuanVillage),
  };
}
