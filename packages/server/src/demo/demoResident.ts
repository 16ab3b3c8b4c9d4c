/**
 * The demo `resident` account linked to a real household of the demo county, so a demo visitor who
 * signs in as `resident` sees the portal working (their household, apply, progress, village notices)
 * instead of "not linked". The household 黄德福's is registered in 花园镇花园社区 with his registered
 * phone; the link is recorded as made by staff (`linked_how = 'staff'`), the way a window would link
 * an account, and audited. Idempotent: a second seed finds the household and the link and does nothing.
 */
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { asSystem } from '../db/scope.ts';
import type { Actor } from '../domains/access/permissions.ts';
import { appendAudit } from '../domains/audit/audit.repo.ts';
import { createHousehold } from '../domains/registry/households.service.ts';
import { cipherFor } from '../domains/registry/personalData.crypto.ts';

export const DEMO_RESIDENT = {
  username: 'resident',
  householdNumber: 'XC-DEMO-0001',
  village: '420921100001',
  // Valid GB 11643 numbers (check characters computed) of the demo county; phone of the head.
  head: { name: '黄德福', idNumber: '420921195203120515', phone: '13972000001' },
  spouse: { name: '刘桂香', idNumber: '420921195410080528' },
} as const;

/** A county-level actor of the demo county for seeding the registry (the platform admin may not write it). */
const seeder: Actor = {
  userId: 'system',
  username: 'system',
  displayName: '系统（演示数据）',
  role: 'countyOfficer',
  department: null,
  regionCode: '420921000000',
};

/** Links the demo resident account to the head of a demo household; true when the link was made now. */
export async function linkDemoResident(db: Database, config: Config): Promise<boolean> {
  const d = DEMO_RESIDENT;
  const state = await asSystem(db, async (tx) => {
    const user = await tx.query<{ id: string; linked: boolean }>(
      `SELECT u.id, EXISTS (SELECT 1 FROM resident_account a WHERE a.user_id = u.id) AS linked
         FROM app_user u WHERE u.username = $1 AND u.role = 'resident'`,
      [d.username],
    );
    const household = await tx.query<{ id: string }>('SELECT id FROM household WHERE household_number = $1', [
      d.householdNumber,
    ]);
    return { user: user.rows[0], householdId: household.rows[0]?.id };
  });
  if (!state.user || state.user.linked) return false;
  const cipher = cipherFor(config.dataKey);
  if (!state.householdId) {
    await createHousehold({ db, cipher }, seeder, {
      householdNumber: d.householdNumber,
      regionCode: d.village,
      address: '花园镇花园社区幸福路12号',
      registeredOn: '2015-03-01',
      head: { name: d.head.name, idNumber: d.head.idNumber, phone: d.head.phone },
      members: [{ name: d.spouse.name, idNumber: d.spouse.idNumber, relationshipToHead: 'spouse' }],
    });
  }
  return asSystem(db, async (tx) => {
    const head = await tx.query<{ id: string; region_code: string }>(
      `SELECT p.id, h.region_code FROM household h JOIN person p ON p.id = h.head_person_id
        WHERE h.household_number = $1`,
      [d.householdNumber],
    );
    const person = head.rows[0];
    if (!person) return false;
    const inserted = await tx.query(
      `INSERT INTO resident_account (user_id, person_id, phone_index, region_code, linked_how)
       VALUES ($1, $2, $3, $4, 'staff') ON CONFLICT DO NOTHING`,
      [state.user?.id, person.id, cipher.blindIndex('phone', d.head.phone), person.region_code],
    );
    if (!inserted.rowCount) return false;
    await appendAudit(tx, {
      action: 'resident.linked',
      entityType: 'resident_account',
      entityId: state.user?.id as string,
      regionCode: person.region_code,
      actorRole: 'admin',
      after: { personId: person.id, linkedHow: 'staff', reason: '演示数据：演示居民账户关联演示家庭户主' },
    });
    return true;
  });
}
