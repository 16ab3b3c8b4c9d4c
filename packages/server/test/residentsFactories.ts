/**
 * Resident test helpers: codes are read from the development sender's file, households are made with
 * a known head (ID number and phone), and a resident client signs in by phone.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { systemActor } from '../src/demo/demoAccounts.ts';
import { createHousehold } from '../src/domains/registry/households.service.ts';
import { cipherFor } from '../src/domains/registry/personalData.crypto.ts';
import { regions } from './factories.ts';
import type { IntakeTestApp } from './intakeFactories.ts';
import { householdBody, idFor } from './registryFactories.ts';
import { TestClient } from './testApp.ts';

/** Must be set before the app is built: the development sender appends "phone code" lines here. */
export function useSmsFile(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'doudi-sms-')), 'sms.log');
  writeFileSync(file, '');
  process.env.DOUDI_DEV_SMS_FILE = file;
  return file;
}

export function lastCode(file: string, phone: string): string {
  const lines = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter((l) => l.startsWith(`${phone} `));
  const code = lines.at(-1)?.split(' ')[1];
  if (!code) throw new Error(`no code sent to ${phone}`);
  return code;
}

let phoneCounter = 0;
/** A fresh mobile number per call (each test its own, so per-phone limits do not interfere). */
export function freshPhone(): string {
  phoneCounter += 1;
  return `139${String(Date.now() % 100000).padStart(5, '0')}${String(phoneCounter).padStart(3, '0')}`;
}

export async function householdWithHead(
  t: IntakeTestApp,
  phone: string,
  regionCode: string = regions.huayuanVillage,
): Promise<{ householdId: string; idNumber: string }> {
  const idNumber = idFor('1968-04-12', 'male');
  const deps = { db: t.db, cipher: cipherFor(loadConfig({ NODE_ENV: 'test' }).dataKey) };
  const body = householdBody({ regionCode, head: { name: '王德福', idNumber, phone } });
  const created = await createHousehold(deps, { ...systemActor, role: 'countyOfficer' }, body as never);
  return { householdId: created.id as string, idNumber };
}

export async function residentSignIn(t: IntakeTestApp, smsFile: string, phone: string, idNumber: string) {
  const client = new TestClient(t.app);
  const asked = await client.request('POST', '/api/resident/sign-in/code', { phone });
  expect(asked.statusCode, asked.body).toBe(200);
  const signed = await client.request('POST', '/api/resident/sign-in', {
    phone,
    code: lastCode(smsFile, phone),
    idNumber,
  });
  expect(signed.statusCode, signed.body).toBe(200);
  return client;
}

/** Takes a new dibao case of the household from intake to its public-notice step; returns its id. */
export async function caseAtNoticeStep(
  clients: { caseworker: TestClient; verifier: TestClient },
  householdId: string,
): Promise<string> {
  const { act, submit } = await import('./intakeFactories.ts');
  const submitted = await submit(clients.caseworker, {
    householdId,
    channel: 'window',
    items: [{ policyId: 'dibao', documents: ['idCard', 'authorisation', 'declaration'] }],
  });
  expect(submitted.statusCode, submitted.body).toBe(200);
  const caseId = submitted.json().cases[0].id as string;
  const steps: [TestClient, Record<string, unknown>][] = [
    [clients.caseworker, { action: 'complete' }],
    [clients.verifier, { action: 'complete', documents: ['verificationReport'] }],
    [
      clients.caseworker,
      { action: 'complete', documents: ['homeVisitRecord'], investigators: ['王伟', '李娜'] },
    ],
    [clients.caseworker, { action: 'complete', documents: ['townshipOpinion'] }],
  ];
  for (const [client, body] of steps) {
    const r = await act(client, caseId, body);
    expect(r.statusCode, r.body).toBe(200);
  }
  return caseId;
}

/** From the step after the notice (confirmation) to the end: the case completes and enrols. */
export async function finishCase(clients: { caseworker: TestClient }, caseId: string) {
  const { act } = await import('./intakeFactories.ts');
  for (const documents of [['confirmationDecision'], ['decisionNoticeReceipt'], ['enrolmentRecord']]) {
    const r = await act(clients.caseworker, caseId, { action: 'complete', documents });
    expect(r.statusCode, r.body).toBe(200);
  }
}
