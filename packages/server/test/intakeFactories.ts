/**
 * Intake test helpers: the real app with a clock the test moves (China dates), the usual cast plus
 * an education-department officer, households in two townships, and a logged-in client per user.
 */
import { expect } from 'vitest';
import { buildApp } from '../src/app.ts';
import { type Config, loadConfig } from '../src/config.ts';
import { systemActor } from '../src/demo/demoAccounts.ts';
import { createHousehold } from '../src/domains/registry/households.service.ts';
import { cipherFor } from '../src/domains/registry/personalData.crypto.ts';
import { buildUser, regions, TEST_PASSWORD } from './factories.ts';
import { householdBody, seedRegistryPeople } from './registryFactories.ts';
import { TestClient } from './testApp.ts';
import { createTestDatabase, type TestDatabase } from './testDb.ts';

export interface IntakeTestApp extends TestDatabase {
  app: Awaited<ReturnType<typeof buildApp>>;
  /** Sets the clock to 09:00 China time on an ISO date. */
  setToday(iso: string): void;
  login(username: string): Promise<TestClient>;
  huayuanHousehold: string;
  fengshanHousehold: string;
  newHousehold(regionCode?: string): Promise<string>;
}

export async function createIntakeApp(startOn = '2026-03-02'): Promise<IntakeTestApp> {
  const database = await createTestDatabase();
  const config: Config = { ...loadConfig({ NODE_ENV: 'test' }), jobs: false, webDist: '/nonexistent' };
  let now = new Date(`${startOn}T01:00:00Z`);
  const app = await buildApp(database.db, config, { clock: () => now });
  await app.ready();
  await seedRegistryPeople(database.db);
  await buildUser(database.db, 'education', 'departmentOfficer', regions.county, { department: 'education' });
  await buildUser(database.db, 'huayuan2', 'caseworker', regions.huayuan, { displayName: '花园镇二号' });
  const deps = { db: database.db, cipher: cipherFor(config.dataKey) };
  const officer = { ...systemActor, role: 'countyOfficer' as const };
  const newHousehold = async (regionCode: string = regions.huayuanVillage) =>
    (await createHousehold(deps, officer, householdBody({ regionCode }) as never)).id as string;
  return {
    ...database,
    app,
    setToday(iso: string) {
      now = new Date(`${iso}T01:00:00Z`);
    },
    async login(username: string) {
      const client = new TestClient(app);
      expect((await client.login(username, TEST_PASSWORD)).statusCode).toBe(200);
      return client;
    },
    huayuanHousehold: await newHousehold(),
    fengshanHousehold: await newHousehold(regions.fengshanVillage),
    newHousehold,
    async drop() {
      await app.close();
      await database.drop();
    },
  };
}

let keyCounter = 0;
export function idempotencyKey(): string {
  keyCounter += 1;
  return `test-key-${Date.now()}-${keyCounter}`;
}

export async function submit(client: TestClient, body: object, key: string = idempotencyKey()) {
  return client.request('POST', '/api/intake/applications', body, { headers: { 'idempotency-key': key } });
}

/** Acts on a case at its current step with the version the client last saw; returns the response. */
export async function act(client: TestClient, caseId: string, body: Record<string, unknown>) {
  const current = (await client.request('GET', `/api/intake/cases/${caseId}`)).json();
  return client.request('POST', `/api/intake/cases/${caseId}/transitions`, {
    version: current.version,
    step: current.currentStep?.id ?? 'none',
    ...body,
  });
}
