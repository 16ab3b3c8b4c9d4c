/**
 * Submitting an application: one application per Idempotency-Key however often (or however
 * concurrently) it is retried; grid workers record the authorisation; and hostile input — malformed,
 * oversized, another region's household, the wrong channel — is refused with a Chinese message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, createIntakeApp, type IntakeTestApp, idempotencyKey, submit } from './intakeFactories.ts';
import type { TestClient } from './testApp.ts';

describe('intake: submission, idempotency and hostile input', () => {
  let t: IntakeTestApp;
  let huayuan: TestClient;
  let fengshan: TestClient;
  let grid: TestClient;
  const dibao = () => ({
    householdId: t.huayuanHousehold,
    channel: 'window',
    items: [{ policyId: 'dibao', documents: ['idCard'] }],
  });
  const count = async (table: string) =>
    (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n ?? 0;

  beforeAll(async () => {
    t = await createIntakeApp('2026-03-02');
    huayuan = await t.login('huayuan');
    fengshan = await t.login('fengshan');
    grid = await t.login('grid');
  }, 180_000);
  afterAll(() => t?.drop());

  it('a retried submission with the same key returns the first application; concurrent retries too', async () => {
    const before = await count('intake_application');
    const key = idempotencyKey();
    const first = await submit(huayuan, dibao(), key);
    const second = await submit(huayuan, dibao(), key);
    expect(first.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ id: first.json().id, replayed: true });
    expect(second.json().cases.map((c: { id: string }) => c.id)).toEqual(
      first.json().cases.map((c: { id: string }) => c.id),
    );
    const racing = idempotencyKey();
    const all = await Promise.all([1, 2, 3, 4].map(() => submit(huayuan, dibao(), racing)));
    expect(all.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    expect(new Set(all.map((r) => r.json().id)).size).toBe(1);
    expect(await count('intake_application')).toBe(before + 2);
    expect(await count('intake_case')).toBe(before + 2);
    // The same key for another body is a mistake, not a retry.
    const other = await submit(huayuan, { ...dibao(), note: '另一份' }, key);
    expect(other.statusCode).toBe(409);
    expect(other.json()).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      message: expect.stringContaining('Idempotency-Key'),
    });
    const audit = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'intake.submit'`,
    );
    expect(audit.rows[0]?.n).toBe(before + 2);
  });

  it('requires a well-formed Idempotency-Key', async () => {
    for (const key of [undefined, 'short', 'x'.repeat(101), "key'; DROP TABLE intake_case; --"]) {
      const response = await huayuan.request('POST', '/api/intake/applications', dibao(), {
        headers: key === undefined ? {} : { 'idempotency-key': key },
      });
      expect(response.statusCode, String(key)).toBe(400);
      expect(response.json().message).toMatch(/Idempotency-Key/);
    }
  });

  it('a grid worker applies on the household’s behalf only with the authorisation recorded', async () => {
    const without = await submit(grid, { ...dibao(), channel: 'gridWorker' });
    expect(without.statusCode).toBe(400);
    expect(without.json()).toMatchObject({
      field: 'authorisation',
      message: expect.stringContaining('授权'),
    });
    const authorisation = {
      agentName: '网格员刘芳',
      relationship: '网格员',
      document: '授权委托书',
      signedOn: '2026-03-01',
    };
    const ok = await submit(grid, { ...dibao(), channel: 'gridWorker', authorisation });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ channel: 'gridWorker', authorisation, ownerName: 'grid' });
    // A grid worker cannot pretend to be the window, nor a caseworker a grid worker.
    expect((await submit(grid, dibao())).json().field).toBe('channel');
    expect((await submit(huayuan, { ...dibao(), channel: 'gridWorker', authorisation })).json().field).toBe(
      'channel',
    );
    // Grid workers do not act at the office's steps.
    const caseId = ok.json().cases[0].id;
    expect((await act(grid, caseId, { action: 'complete' })).statusCode).toBe(403);
  });

  it('another region’s household, application or case is invisible', async () => {
    const theirs = await submit(fengshan, dibao());
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json().message).toContain('不在您的管辖范围内');
    const mine = (await submit(huayuan, dibao())).json();
    expect((await fengshan.request('GET', `/api/intake/applications/${mine.id}`)).statusCode).toBe(404);
    expect((await fengshan.request('GET', `/api/intake/cases/${mine.cases[0].id}`)).statusCode).toBe(404);
    const forged = await fengshan.request('POST', `/api/intake/cases/${mine.cases[0].id}/transitions`, {
      version: 1,
      step: 'intake',
      action: 'complete',
    });
    expect(forged.statusCode).toBe(404);
    const listed = (await fengshan.request('GET', '/api/intake/cases')).json();
    expect(listed.items.every((c: { regionCode: string }) => c.regionCode.startsWith('420921101'))).toBe(
      true,
    );
    // The database itself hides the rows from the application role in another scope.
    const raw = await t.db.transaction(async (tx) => {
      await tx.query('SET LOCAL ROLE doudi_app');
      await tx.query(`SELECT set_config('doudi.scope', '420921101', true)`);
      return tx.query('SELECT id FROM intake_case WHERE id = $1', [mine.cases[0].id]);
    });
    expect(raw.rows).toHaveLength(0);
  });

  it('refuses malformed and oversized input with Chinese messages', async () => {
    const cases: [string, unknown, number][] = [
      ['not JSON', '{"householdId":', 400],
      ['no items', { ...dibao(), items: [] }, 400],
      [
        'too many items',
        { ...dibao(), items: Array.from({ length: 11 }, () => ({ policyId: 'dibao' })) },
        400,
      ],
      ['same item twice', { ...dibao(), items: [{ policyId: 'dibao' }, { policyId: 'dibao' }] }, 400],
      ['unknown policy', { ...dibao(), items: [{ policyId: 'noSuchPolicy' }] }, 400],
      ['policy id with SQL', { ...dibao(), items: [{ policyId: "dibao'--" }] }, 400],
      ['unknown document', { ...dibao(), items: [{ policyId: 'dibao', documents: ['passport'] }] }, 400],
      ['prototype pollution', { ...dibao(), items: [{ policyId: '__proto__' }] }, 400],
      ['bad uuid', { ...dibao(), householdId: 'abc' }, 400],
      ['unknown household', { ...dibao(), householdId: '00000000-0000-4000-8000-000000000000' }, 404],
      ['extra field', { ...dibao(), regionCode: '420921101001' }, 400],
      ['huge note', { ...dibao(), note: '长'.repeat(1001) }, 400],
      ['bad channel', { ...dibao(), channel: 'fax' }, 400],
    ];
    for (const [what, body, status] of cases) {
      const response = await submit(huayuan, body as object);
      expect(response.statusCode, what).toBe(status);
      expect(response.json().message, what).toMatch(/[\u4e00-\u9fa5]/);
    }
    const tooBig = await submit(huayuan, { ...dibao(), note: 'x'.repeat(2_000_000) });
    expect(tooBig.statusCode).toBe(413);
  });

  it('refuses hostile transitions', async () => {
    const app = (
      await submit(huayuan, {
        ...dibao(),
        items: [{ policyId: 'dibao', documents: ['idCard', 'authorisation', 'declaration'] }],
      })
    ).json();
    const id = app.cases[0].id;
    const bodies: [string, Record<string, unknown>, number][] = [
      ['unknown action', { version: 1, step: 'intake', action: 'approve' }, 400],
      ['no version', { step: 'intake', action: 'complete' }, 400],
      ['stale version', { version: 99, step: 'intake', action: 'complete' }, 409],
      ['negative version', { version: -1, step: 'intake', action: 'complete' }, 400],
      [
        'document of another template',
        { version: 1, step: 'intake', action: 'complete', documents: ['itemForm'] },
        400,
      ],
      [
        'too many investigators',
        { version: 1, step: 'intake', action: 'complete', investigators: ['a', 'b', 'c', 'd', 'e', 'f'] },
        400,
      ],
      ['huge reason', { version: 1, step: 'intake', action: 'reject', reason: '理'.repeat(1001) }, 400],
      ['step with SQL', { version: 1, step: "intake' OR 1=1", action: 'complete' }, 400],
    ];
    for (const [what, body, status] of bodies) {
      const response = await huayuan.request('POST', `/api/intake/cases/${id}/transitions`, body);
      expect(response.statusCode, what).toBe(status);
      expect(response.json().message, what).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(
      (await huayuan.request('POST', '/api/intake/cases/not-a-uuid/transitions', bodies[0]?.[1])).statusCode,
    ).toBe(400);
    const unchanged = (await huayuan.request('GET', `/api/intake/cases/${id}`)).json();
    expect(unchanged).toMatchObject({ version: 1, status: 'open', currentStep: { id: 'intake' } });
    // Without a session nothing happens.
    const anonymous = await t.app.inject({ method: 'GET', url: `/api/intake/cases/${id}` });
    expect(anonymous.statusCode).toBe(401);
  });
});
