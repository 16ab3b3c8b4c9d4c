/**
 * The one-round-trip read of a case (caseTimeline.repo.ts) gives exactly what the three separate
 * reads gave (row, documents in order, events in order), under the same row-level security.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asActor, asSystem } from '../src/db/scope.ts';
import { systemActor } from '../src/demo/demoAccounts.ts';
import { findCaseWithTimeline } from '../src/domains/intake/caseTimeline.repo.ts';
import * as repo from '../src/domains/intake/intake.repo.ts';
import { regions } from './factories.ts';
import { act, createIntakeApp, type IntakeTestApp, submit } from './intakeFactories.ts';

describe('intake: a case and its timeline in one read', () => {
  let t: IntakeTestApp;
  let caseId: string;

  beforeAll(async () => {
    t = await createIntakeApp('2026-03-02');
    const huayuan = await t.login('huayuan');
    // Without the declaration: completing intake sends it back, the papers come, it moves on.
    const submitted = await submit(huayuan, {
      householdId: t.huayuanHousehold,
      channel: 'window',
      items: [{ policyId: 'dibao', documents: ['idCard', 'authorisation'] }],
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    caseId = submitted.json().cases[0].id;
    expect((await act(huayuan, caseId, { action: 'complete' })).json().result).toBe('returned');
    expect((await act(huayuan, caseId, { action: 'resubmit', documents: ['declaration'] })).statusCode).toBe(
      200,
    );
    expect((await act(huayuan, caseId, { action: 'complete' })).json().result).toBe('moved');
  }, 300_000);
  afterAll(() => t?.drop());

  it('returns the same row, documents and events as the separate reads', async () => {
    await asSystem(t.db, async (tx) => {
      const one = await findCaseWithTimeline(tx, caseId, { events: true });
      const [row, events, documents] = [
        await repo.findCase(tx, caseId),
        await repo.eventsOf(tx, caseId),
        await repo.documentsOf(tx, caseId),
      ];
      expect(one?.row).toEqual(row);
      expect(one?.documents).toEqual(documents);
      expect(one?.documents.map((d) => d.document_id)).toEqual(['authorisation', 'idCard', 'declaration']);
      const normal = (e: repo.EventRow) => ({ ...e, seq: Number(e.seq), at: new Date(e.at).toISOString() });
      expect(one?.events.map(normal)).toEqual(events.map(normal));
      expect(one?.events.map((e) => e.action)).toEqual(['open', 'returnToApplicant', 'resubmit', 'complete']);
      expect(one?.events[0]?.at).toBeInstanceOf(Date);
      // Locked, without events: the same row and documents.
      const locked = await findCaseWithTimeline(tx, caseId, { forUpdate: true });
      expect(locked?.row).toEqual(row);
      expect(locked?.events).toEqual([]);
      expect(await findCaseWithTimeline(tx, '00000000-0000-4000-8000-000000000000')).toBeUndefined();
    });
  });

  it('sees nothing of a case outside the reader’s region', async () => {
    const elsewhere = { ...systemActor, role: 'caseworker' as const, regionCode: regions.fengshan };
    const home = { ...systemActor, role: 'caseworker' as const, regionCode: regions.huayuan };
    expect(
      await asActor(t.db, elsewhere, undefined, (tx) => findCaseWithTimeline(tx, caseId)),
    ).toBeUndefined();
    const seen = await asActor(t.db, home, undefined, (tx) =>
      findCaseWithTimeline(tx, caseId, { events: true }),
    );
    expect(seen?.events).toHaveLength(4);
    expect(seen?.documents).toHaveLength(3);
  });
});
