/**
 * Shared set-up of the decision and document tests (decisions.test.ts: issuing; decisionsAccess.test.ts:
 * immutability, access and the job's termination notice): the intake app with its cast and a helper
 * that lists a case's documents.
 */
import { expect } from 'vitest';
import { createIntakeApp, type IntakeTestApp, submit } from './intakeFactories.ts';
import { useSmsFile } from './residentsFactories.ts';
import type { TestClient } from './testApp.ts';

export interface Doc {
  id: string;
  kind: string;
  number: string;
  title: string;
  sha256: string;
  caseId: string | null;
}

export interface DecisionsContext {
  t: IntakeTestApp;
  huayuan: TestClient;
  huayuan2: TestClient;
  verifier: TestClient;
  county: TestClient;
  education: TestClient;
  sms: string;
  docsOf(
    caseId: string,
    client?: TestClient,
  ): Promise<{ documents: Doc[]; decision: Record<string, unknown> | null }>;
  newCase(household: string): Promise<string>;
}

export async function createDecisionsContext(): Promise<DecisionsContext> {
  const sms = useSmsFile();
  const t = await createIntakeApp('2026-03-02');
  const huayuan = await t.login('huayuan');
  const context: DecisionsContext = {
    t,
    huayuan,
    huayuan2: await t.login('huayuan2'),
    verifier: await t.login('verifier'),
    county: await t.login('county'),
    education: await t.login('education'),
    sms,
    async docsOf(caseId, client = huayuan) {
      const r = await client.request('GET', `/api/intake/cases/${caseId}/documents`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json();
    },
    async newCase(household) {
      const r = await submit(huayuan, {
        householdId: household,
        channel: 'window',
        items: [{ policyId: 'dibao', documents: ['idCard', 'authorisation', 'declaration'] }],
      });
      expect(r.statusCode, r.body).toBe(200);
      return r.json().cases[0].id as string;
    },
  };
  return context;
}
