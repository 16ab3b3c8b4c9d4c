/**
 * The demo seed links the demo `resident` account to the head of a real demo household, so a demo
 * visitor sees the portal working; seeding again changes nothing. The same person can sign in by phone
 * (development sender) and lands on the same account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemo } from '../src/demo/demoAccounts.ts';
import { DEMO_RESIDENT } from '../src/demo/demoResident.ts';
import { lastCode, useSmsFile } from './residentsFactories.ts';
import { createTestApp, type TestApp, TestClient } from './testApp.ts';

describe('demo seed: the resident account is linked to a demo household', () => {
  let t: TestApp;
  let sms: string;

  beforeAll(async () => {
    sms = useSmsFile();
    t = await createTestApp();
  }, 180_000);
  afterAll(() => t?.drop());

  it('links once, shows the household in the portal, and lets the resident apply for it', async () => {
    const first = await seedDemo(t.db, t.config);
    expect(first.accountsCreated).toContain('resident');
    expect(first.residentLinked).toBe(true);
    const again = await seedDemo(t.db, t.config);
    expect(again).toEqual({ regionsImported: 0, accountsCreated: [], residentLinked: false });
    const households = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM household WHERE household_number = $1',
      [DEMO_RESIDENT.householdNumber],
    );
    expect(households.rows[0]?.n).toBe(1);
    const links = await t.db.query<{ linked_how: string; username: string; person: string }>(
      `SELECT a.linked_how, u.username, p.name AS person FROM resident_account a
         JOIN app_user u ON u.id = a.user_id JOIN person p ON p.id = a.person_id`,
    );
    expect(links.rows).toEqual([
      { linked_how: 'staff', username: 'resident', person: DEMO_RESIDENT.head.name },
    ]);
    const audit = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'resident.linked'`,
    );
    expect(audit.rows[0]?.n).toBe(1);

    const resident = new TestClient(t.app);
    expect((await resident.login('resident', DEMO_PASSWORD)).statusCode).toBe(200);
    const portal = await resident.request('GET', '/api/resident/portal');
    expect(portal.statusCode, portal.body).toBe(200);
    const body = portal.json();
    expect(body.linked).toBe(true);
    expect(body.household.householdNumber).toBe(DEMO_RESIDENT.householdNumber);
    expect(body.household.members.map((m: { name: string }) => m.name).sort()).toEqual(
      [DEMO_RESIDENT.head.name, DEMO_RESIDENT.spouse.name].sort(),
    );
    expect(body.household.members.find((m: { me: boolean }) => m.me)?.name).toBe(DEMO_RESIDENT.head.name);
    // The full ID number never leaves the server in the portal.
    expect(portal.body).not.toContain(DEMO_RESIDENT.head.idNumber);

    const apply = () =>
      resident.request(
        'POST',
        '/api/intake/applications',
        { householdId: body.household.id, channel: 'online', items: [{ policyId: 'dibao' }] },
        { headers: { 'idempotency-key': 'demo-resident-apply-1' } },
      );
    const applied = await apply();
    expect(applied.statusCode, applied.body).toBeLessThan(300);
    // A retried submission is the same application.
    const retried = await apply();
    expect(retried.json().id).toBe(applied.json().id);
  });

  it('the demo head signs in by phone without an ID number (already linked) as the same account', async () => {
    const client = new TestClient(t.app);
    const phone = DEMO_RESIDENT.head.phone;
    expect((await client.request('POST', '/api/resident/sign-in/code', { phone })).statusCode).toBe(200);
    const signed = await client.request('POST', '/api/resident/sign-in', {
      phone,
      code: lastCode(sms, phone),
    });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json().account.username).toBe('resident');
  });
});
