/**
 * Alert-loop test helpers: the intake test app (a clock the test moves, two townships, the usual
 * cast) plus a medical-security officer, and small calls for raising and acting on alerts.
 */
import { buildUser, regions } from './factories.ts';
import { createIntakeApp, type IntakeTestApp } from './intakeFactories.ts';
import type { TestClient } from './testApp.ts';

export async function createAlertApp(startOn = '2026-03-02'): Promise<IntakeTestApp> {
  const t = await createIntakeApp(startOn);
  await buildUser(t.db, 'medical', 'departmentOfficer', regions.county, { department: 'medicalSecurity' });
  return t;
}

let counter = 0;
export const requestKey = () => `alert-test-${Date.now()}-${++counter}`;

export async function raise(client: TestClient, body: object, key: string = requestKey()) {
  return client.request('POST', '/api/alerts', body, { headers: { 'idempotency-key': key } });
}

/** Acts with the version the client last saw. */
export async function actOn(client: TestClient, alertId: string, body: Record<string, unknown>) {
  const current = (await client.request('GET', `/api/alerts/${alertId}`)).json();
  return client.request('POST', `/api/alerts/${alertId}/actions`, {
    version: current.alert?.version ?? 1,
    ...body,
  });
}
