/**
 * Batch re-verification (issue 5 item 6): a baseline month, then a month with one change of every
 * kind; a run killed mid-way and resumed ends as an uninterrupted one; the same month again raises
 * nothing; region scope, permissions, acknowledgement, reminders, hostile list input.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatch } from '../src/domains/verification/batch.run.ts';
import { createRun, deliverReminders } from '../src/domains/verification/batch.service.ts';
import { jobs } from '../src/jobs/queue.ts';
import {
  type BatchWorld,
  COUNTY_ACTOR,
  changeState,
  countyRun,
  JULY,
  JUNE,
  seedBatchWorld,
  waitForRun,
} from './batchFactories.ts';
import { regions } from './factories.ts';
import { login } from './sourcesFactories.ts';
import { createTestApp, type TestApp } from './testApp.ts';

describe('batch re-verification (批量核对)', () => {
  let t: TestApp;
  let w: BatchWorld;

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedBatchWorld(t);
  }, 300_000);
  afterAll(() => t.drop());

  it('the first run records a baseline through the API and raises nothing', async () => {
    const started = await w.county.request('POST', '/api/verification/batch/runs', { asOf: JUNE });
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json()).toMatchObject({ kind: 'all', period: '2025-06', status: 'running' });
    const done = await waitForRun(w.county, started.json().id);
    expect(done).toMatchObject({
      status: 'completed',
      householdsTotal: 2,
      householdsDone: 2,
      baselines: 2,
      changesFound: 0,
    });
    expect(await changeState(t)).toEqual([]);
  });

  it('a run killed after its first batch and resumed ends with the same result as an uninterrupted one', async () => {
    const row = await createRun(t.db, COUNTY_ACTOR, {
      regionCode: regions.county,
      kind: 'all',
      asOf: JULY,
      householdIds: null,
    });
    let batches = 0;
    await expect(
      runBatch(t.db, row.id, {
        batchSize: 1,
        onBatch: () => {
          batches += 1;
          if (batches === 1) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const half = await t.db.query<{ status: string; households_done: number }>(
      'SELECT status, households_done FROM verification_batch_run WHERE id = $1',
      [row.id],
    );
    expect(half.rows[0]).toEqual({ status: 'failed', households_done: 1 });
    // Another start in the county meanwhile is not refused by the failed run, but a resume of the
    // failed one continues it through the API.
    const resumed = await w.county.request('POST', `/api/verification/batch/runs/${row.id}/resume`);
    expect(resumed.statusCode, resumed.body).toBe(200);
    const done = await waitForRun(w.county, row.id);
    expect(done).toMatchObject({ status: 'completed', householdsDone: 2, baselines: 0 });
    const summaries = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM verification_batch_summary WHERE run_id = $1',
      [row.id],
    );
    expect(summaries.rows[0]?.n).toBe(2);
    const resumedState = await changeState(t);
    expect(done.changesFound).toBe(resumedState.length);
    const summaryOf = async (id: string) =>
      (
        await t.db.query<{ household_id: string; summary: unknown }>(
          'SELECT household_id, summary FROM verification_batch_summary WHERE run_id = $1 ORDER BY household_id',
          [id],
        )
      ).rows;
    const resumedSummaries = await summaryOf(row.id);
    // The same month again, uninterrupted, after forgetting the interrupted run: the same result.
    await t.db.query('DELETE FROM verification_outbox');
    await t.db.query('DELETE FROM verification_change');
    await t.db.query('DELETE FROM verification_batch_summary WHERE run_id = $1', [row.id]);
    const clean = await countyRun(t, JULY);
    expect(clean.outcome).toMatchObject({ status: 'completed', done: 2, changes: resumedState.length });
    expect(await changeState(t)).toEqual(resumedState);
    expect(await summaryOf(clean.id)).toEqual(resumedSummaries);
  });

  it('finds one change of every kind with its reason, for the case owner', async () => {
    const changes = await changeState(t);
    const ofA = changes.filter((c) => c.household_id === w.a.id);
    expect(ofA.map((c) => c.kind).sort()).toEqual([
      'death',
      'depositIncrease',
      'newBusiness',
      'newFlag',
      'newFlag',
      'newFlag',
      'newFlag',
      'newProperty',
      'newVehicle',
    ]);
    const reason = (kind: string) => ofA.find((c) => c.kind === kind)?.reason_zh;
    expect(reason('newVehicle')).toBe('刘秀兰名下新增车辆鄂K99999（奔驰，购置价38万元）');
    expect(reason('newProperty')).toContain('王建华名下新增不动产“孝感市城站路9号”');
    expect(reason('depositIncrease')).toBe(
      '王建华名下存款等金融资产由1万元增至4.5万元，增加3.5万元，超过提示额2万元',
    );
    expect(reason('death')).toContain('王小军已于2025-07-10死亡');
    expect(reason('newBusiness')).toContain('刘秀兰新登记为“孝昌县秀兰商贸有限公司”的法定代表人');
    // New flags: the car and the company over their limits, a second home, assets over the limit.
    const flags = ofA.filter((c) => c.kind === 'newFlag').map((c) => c.reason_zh as string);
    for (const part of ['鄂K99999', '秀兰商贸', '住房2套', '家庭金融资产4.5万元'])
      expect(
        flags.some((f) => f.startsWith('新增核对疑点：') && f.includes(part)),
        part,
      ).toBe(true);
    // The disability vehicle and the unchanged first home raised nothing.
    expect(JSON.stringify(ofA)).not.toContain('鄂K10001');
    expect(ofA.every((c) => c.owner_id === w.huayuanUserId)).toBe(true);
    const ofB = changes.filter((c) => c.household_id === w.b.id);
    // Fengshan: 50,000 yuan more, now over the one-person asset limit too.
    expect(ofB.map((c) => c.kind).sort()).toEqual(['depositIncrease', 'newFlag']);
    // One in-app reminder per change, delivered by the sender.
    const outbox = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM verification_outbox');
    expect(outbox.rows[0]?.n).toBe(changes.length);
    expect(await deliverReminders(t.db)).toEqual({ delivered: changes.length, failed: 0 });
    expect(await deliverReminders(t.db)).toEqual({ delivered: 0, failed: 0 });
  });

  it('the same month again (and the monthly job twice) raises no change twice', async () => {
    const before = await changeState(t);
    const again = await countyRun(t, '2025-07-20');
    expect(again.outcome).toMatchObject({ status: 'completed', done: 2, baselines: 0, changes: 0 });
    const job = jobs.find((j) => j.name === 'verification-batch-monthly');
    expect(job?.cron).toBeTruthy();
    const log = { info: () => undefined, error: () => undefined };
    const first = (await job?.run(t.db, log, { asOf: JULY })) as { runs: string[] };
    expect(first.runs).toHaveLength(1);
    const second = (await job?.run(t.db, log, { asOf: JULY })) as { runs: string[] };
    expect(second.runs).toHaveLength(0);
    expect(await changeState(t)).toEqual(before);
  });

  it('keeps each township to its own changes; acknowledging is audited and idempotent', async () => {
    const mine = await w.huayuan.request('GET', '/api/verification/batch/changes?mine=true');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().total).toBe(9);
    expect(mine.json().items.every((c: { householdId: string }) => c.householdId === w.a.id)).toBe(true);
    const fengshan = (await w.fengshan.request('GET', '/api/verification/batch/changes')).json();
    expect(fengshan.items.map((c: { householdId: string }) => c.householdId)).toEqual([w.b.id, w.b.id]);
    const county = (await w.county.request('GET', '/api/verification/batch/changes?kind=newFlag')).json();
    expect(county.total).toBe(5);
    const reminders = (await w.huayuan.request('GET', '/api/verification/batch/reminders')).json();
    expect(reminders).toHaveLength(9);
    expect(reminders[0].message).toMatch(new RegExp(`^【批量核对】户号${w.a.number}：`));

    const target = mine.json().items[0].id as string;
    expect(
      (await w.fengshan.request('POST', `/api/verification/batch/changes/${target}/acknowledge`, {}))
        .statusCode,
    ).toBe(404);
    const ack = await w.huayuan.request('POST', `/api/verification/batch/changes/${target}/acknowledge`, {
      note: '已入户核实，启动复核',
    });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'huayuan',
      note: '已入户核实，启动复核',
    });
    const repeat = await w.huayuan.request(
      'POST',
      `/api/verification/batch/changes/${target}/acknowledge`,
      {},
    );
    expect(repeat.json()).toMatchObject({ status: 'acknowledged', note: '已入户核实，启动复核' });
    const audit = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'verification.change.acknowledge' AND entity_id = $1",
      [target],
    );
    expect(audit.rows[0]?.n).toBe(1);
    const open = (await w.huayuan.request('GET', '/api/verification/batch/changes?status=open')).json();
    expect(open.open).toBe(8);
  });

  it('refuses roles without verification.batch, and a second active run in the county (409)', async () => {
    for (const who of ['huayuan', 'auditor', 'grid']) {
      const client = await login(t, who);
      const r = await client.request('POST', '/api/verification/batch/runs', {});
      expect(r.statusCode, who).toBe(403);
    }
    const grid = await login(t, 'grid');
    expect((await grid.request('GET', '/api/verification/batch/changes')).statusCode).toBe(403);
    // An auditor reads the changes but cannot acknowledge one.
    const auditor = await login(t, 'auditor');
    const seen = (await auditor.request('GET', '/api/verification/batch/changes?status=open')).json();
    expect(seen.total).toBeGreaterThan(0);
    const refused = await auditor.request(
      'POST',
      `/api/verification/batch/changes/${seen.items[0].id}/acknowledge`,
      {},
    );
    expect(refused.statusCode).toBe(403);
    const pending = await createRun(t.db, COUNTY_ACTOR, {
      regionCode: regions.county,
      kind: 'all',
      asOf: JULY,
      householdIds: null,
    });
    const second = await w.verify.request('POST', '/api/verification/batch/runs', {
      regionCode: regions.huayuan,
    });
    expect(second.statusCode, second.body).toBe(409);
    expect(second.json().code).toBe('VERIFICATION_BATCH_RUNNING');
    await runBatch(t.db, pending.id);
    const count = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM verification_batch_run WHERE status = 'running'",
    );
    expect(count.rows[0]?.n).toBe(0);
  });

  it('takes a chosen list by household number, and refuses hostile lists whole', async () => {
    const byNumber = await w.verify.request('POST', '/api/verification/batch/runs', {
      asOf: JULY,
      householdNumbers: [` ${w.a.number} `, w.a.number],
    });
    expect(byNumber.statusCode, byNumber.body).toBe(200);
    expect(byNumber.json()).toMatchObject({ kind: 'list', listSize: 1 });
    expect(await waitForRun(w.verify, byNumber.json().id)).toMatchObject({
      status: 'completed',
      householdsDone: 1,
      changesFound: 0,
    });

    const post = (body: unknown, client = w.verify) =>
      client.request('POST', '/api/verification/batch/runs', body);
    const tooMany = await post({ householdIds: Array.from({ length: 10_001 }, () => randomUUID()) });
    expect(tooMany.statusCode).toBe(400);
    const unknown = await post({ householdIds: Array.from({ length: 10_000 }, () => randomUUID()) });
    expect(unknown.statusCode, unknown.body).toBe(400);
    expect(unknown.json().message).toMatch(/^有10000户不存在或不在所选地区/);
    for (const bad of ['abc', "1'; DROP TABLE household; --", '../../etc/passwd', ''])
      expect((await post({ householdIds: [w.a.id, bad] })).statusCode, bad).toBe(400);
    expect((await post({ householdNumbers: ['鄂K<script>'] })).statusCode).toBe(400);
    expect((await post({ householdIds: [] })).statusCode).toBe(400);
    expect((await post({ householdIds: [w.a.id], extra: 1 })).statusCode).toBe(400);
    // A township verification officer cannot reach another township's household or region.
    const local = await login(t, 'verifyHuayuan');
    const other = await post({ householdIds: [w.b.id] }, local);
    expect(other.statusCode, other.body).toBe(400);
    expect(other.json().message).toContain(w.b.id);
    expect((await post({ regionCode: regions.fengshan }, local)).statusCode).toBe(403);
    const runs = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM verification_batch_run WHERE kind = 'list'",
    );
    expect(runs.rows[0]?.n).toBe(1);
  });

  it('the monthly job keeps the newest summaries of each household and deletes older ones, audited', async () => {
    // Twelve more completed runs (copies of the newest summary: nothing changes) push each
    // household past the 12 kept (catalog/parameters/batchSummaryKeepRuns.yaml).
    for (let i = 0; i < 12; i += 1) {
      const run = await t.db.query<{ id: string }>(
        `INSERT INTO verification_batch_run (region_code, kind, as_of, period, status, households_total,
           households_done, started_by, started_by_name, finished_at)
         VALUES ($1, 'all', $2, '2025-07', 'completed', 2, 2, 'test', '测试', now()) RETURNING id`,
        [regions.county, JULY],
      );
      await t.db.query(
        `INSERT INTO verification_batch_summary (run_id, household_id, region_code, summary)
         SELECT DISTINCT ON (household_id) $1::uuid, household_id, region_code, summary
           FROM verification_batch_summary ORDER BY household_id, seq DESC`,
        [run.rows[0]?.id],
      );
    }
    const counts = async () =>
      (
        await t.db.query<{ household_id: string; n: number; newest: string }>(
          `SELECT household_id, count(*)::int AS n, max(seq)::text AS newest FROM verification_batch_summary
            GROUP BY household_id ORDER BY household_id`,
        )
      ).rows;
    const before = await counts();
    expect(before.every((c) => c.n > 12)).toBe(true);
    const changes = await changeState(t);
    const job = jobs.find((j) => j.name === 'verification-batch-monthly');
    const log = { info: () => undefined, error: () => undefined };
    const august = (await job?.run(t.db, log, { asOf: '2025-08-31' })) as {
      runs: string[];
      pruned: Record<string, number>;
    };
    expect(august.runs).toHaveLength(1);
    const after = await counts();
    expect(after.map((c) => c.n)).toEqual([12, 12]);
    // The August run's own summaries are the newest and are kept.
    const own = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM verification_batch_summary WHERE run_id = $1',
      [august.runs[0]],
    );
    expect(own.rows[0]?.n).toBe(2);
    const deleted = before.reduce((sum, c) => sum + c.n + 1 - 12, 0);
    expect(august.pruned).toEqual({ [regions.county.slice(0, 6)]: deleted });
    const audit = await t.db.query<{ after: { deleted: number; keep: number } }>(
      "SELECT after FROM audit_log WHERE action = 'verification.batch.prune' ORDER BY seq DESC LIMIT 1",
    );
    expect(audit.rows[0]?.after).toMatchObject({ deleted, keep: 12 });
    // Changes found and their acknowledgements are not touched; a repeat deletes nothing.
    expect(await changeState(t)).toEqual(changes);
    const again = (await job?.run(t.db, log, { asOf: '2025-08-31' })) as { pruned: object } | undefined;
    expect(again?.pruned).toEqual({});
  });
});
