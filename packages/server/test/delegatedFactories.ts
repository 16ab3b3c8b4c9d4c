/**
 * Delegated verification and estate inquiry test helpers: the verification world (a household with
 * department records, verificationFactories.ts) plus a housing, a medical-security and an education
 * officer, and request bodies.
 */
import { expect } from 'vitest';
import { today } from '../src/domains/registry/registry.model.ts';
import { addDays } from '../src/domains/verification/delegatedShared.ts';
import { buildUser, regions } from './factories.ts';
import { login } from './sourcesFactories.ts';
import type { TestApp, TestClient } from './testApp.ts';
import { seedVerification, type VerificationWorld } from './verificationFactories.ts';

export interface DelegatedWorld extends VerificationWorld {
  housing: TestClient;
  medical: TestClient;
  education: TestClient;
}

export async function seedDelegated(t: TestApp): Promise<DelegatedWorld> {
  const w = await seedVerification(t);
  await buildUser(t.db, 'housing', 'departmentOfficer', regions.county, { department: 'housing' });
  await buildUser(t.db, 'medical', 'departmentOfficer', regions.county, { department: 'medicalSecurity' });
  await buildUser(t.db, 'edu', 'departmentOfficer', regions.county, { department: 'education' });
  return {
    ...w,
    housing: await login(t, 'housing'),
    medical: await login(t, 'medical'),
    education: await login(t, 'edu'),
  };
}

export const signedOn = () => addDays(today(), -3);

let keyCounter = 0;
export const newKey = () => `test-key-${Date.now()}-${++keyCounter}`;

export function delegatedBody(w: VerificationWorld, purpose: string, extra: Record<string, unknown> = {}) {
  return {
    purpose,
    subjects: [
      { ...w.head, relationship: 'applicant' },
      { ...w.spouse, relationship: 'spouse' },
    ],
    authorisation: { reference: 'SQ-2025-0001', signedOn: signedOn() },
    reference: 'GZF-2025-17',
    ...extra,
  };
}

export async function fileRequest(
  client: TestClient,
  body: unknown,
  key = newKey(),
): Promise<{ id: string; status: string; replayed: boolean }> {
  const response = await client.request('POST', '/api/verification/delegated', body, {
    headers: { 'idempotency-key': key },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

export async function complete(verify: TestClient, id: string) {
  const response = await verify.request('POST', `/api/verification/delegated/${id}/complete`, {});
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
