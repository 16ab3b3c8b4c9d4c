/**
 * Monitoring runs (issue 7 items 2 and 3): event triggers and the indicator model over a seeded
 * county with its department files imported; the incremental run of each import; idempotent
 * re-runs; a run killed mid-way and restarted ends with the same alerts as an uninterrupted one.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeIdNumber } from '@doudi/rules';
import { SAMPLE_VILLAGES } from '@doudi/synth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSystem } from '../src/db/scope.ts';
import { calibrate } from '../src/domains/monitoring/calibration.service.ts';
import { runMonitoring } from '../src/domains/monitoring/monitoring.run.ts';
import { createRun, followImports, MONITORING_SYSTEM } from '../src/domains/monitoring/monitoring.service.ts';
import { synthTruth } from '../src/domains/monitoring/synthTruth.ts';
import { DEFAULT_CATALOG_DIR } from '../src/domains/rules/catalogFiles.ts';
import { jobs } from '../src/jobs/queue.ts';
import { buildUser, regions } from './factories.ts';
import { alertState, clearAlerts, county, fullRun, importMonitoringSources } from './monitoringFactories.ts';
import { AS_OF, login } from './sourcesFactories.ts';
import { createTestApp, type TestApp, type TestClient } from './testApp.ts';

describe('monitoring runs', () => {
  let t: TestApp;
  let officer: TestClient;
  const stranger = makeIdNumber('420921', '1979-03-04', 991);

  beforeAll(async () => {
    t = await createTestApp();
    ({ officer } = await importMonitoringSources(t, stranger));
  }, 120_000);
  afterAll(() => t.drop());

  it('each finished import gets exactly one incremental run, and raises alerts for what it touched', async () => {
    // An import that stored nothing new (a county with no death in the window) needs no run.
    const imports = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM source_import WHERE status = 'done' AND inserted + updated > 0",
    );
    const expected = imports.rows[0]?.n as number;
    expect(expected).toBeGreaterThanOrEqual(3);
    const first = await followImports(t.db, MONITORING_SYSTEM);
    expect(first.runs).toHaveLength(expected);
    const again = await followImports(t.db, MONITORING_SYSTEM);
    expect(again.runs).toHaveLength(0);
    // The scheduled job is the same call: nothing left to follow.
    const job = jobs.find((j) => j.name === 'monitoring-imports');
    expect(job?.cron).toBeTruthy();
    const log = { info: () => undefined, error: () => undefined };
    expect(await job?.run(t.db, log)).toEqual({ runs: [] });
    const monthly = jobs.find((j) => j.name === 'monitoring-monthly');
    expect(monthly?.cron).toBe('0 2 1 * *');
    const month = (await monthly?.run(t.db, log, { asOf: AS_OF })) as { runs: string[] };
    expect(month.runs).toHaveLength(1);
    const done = await t.db.query<{ kind: string; status: string; region_code: string }>(
      'SELECT kind, status, region_code FROM monitoring_run WHERE id = $1',
      [month.runs[0]],
    );
    expect(done.rows[0]).toEqual({ kind: 'full', status: 'completed', region_code: regions.county });
    const runs = await t.db.query<{ kind: string; status: string; source_import_id: string }>(
      "SELECT kind, status, source_import_id FROM monitoring_run WHERE kind = 'incremental'",
    );
    expect(runs.rows).toHaveLength(expected);
    expect(runs.rows.every((r) => r.status === 'completed')).toBe(true);
    const candidate = await t.db.query<{ cause: string; summary_zh: string; region_code: string }>(
      'SELECT cause, summary_zh, region_code FROM monitoring_alert WHERE household_id IS NULL',
    );
    const causes = candidate.rows.map((r) => r.cause).sort();
    expect(causes).toEqual(['trigger:medicalOutOfPocket12m', 'trigger:seriousIllnessDiagnosis']);
    const bill = candidate.rows.find((r) => r.cause === 'trigger:medicalOutOfPocket12m');
    expect(bill?.summary_zh).toBe('【未在册】近12个月家庭医疗自付合计62000元（1次结算），超过5万元');
  });

  it('a full run scores every household, raises red/yellow model alerts and trigger alerts, with evidence', async () => {
    await clearAlerts(t);
    const { id, outcome } = await fullRun(t, { batchSize: 25 });
    expect(outcome.status).toBe('completed');
    type Run = { households_done: number; households_total: number; colour_counts: Record<string, number> };
    const run = (
      await t.db.query<Run>(
        'SELECT households_done, households_total, colour_counts FROM monitoring_run WHERE id = $1',
        [id],
      )
    ).rows[0];
    expect(run?.households_done).toBe(run?.households_total);
    const counted = Object.values(run?.colour_counts ?? {}).reduce((a, b) => a + b, 0);
    expect(counted).toBe(run?.households_total);
    const alerts = await t.db.query<{
      cause: string;
      colour: string;
      evidence: Record<string, unknown>[];
      summary_zh: string;
    }>('SELECT cause, colour, evidence, summary_zh FROM monitoring_alert');
    const model = alerts.rows.filter((a) => a.cause === 'indicator:xiaochang');
    expect(model.length).toBeGreaterThan(0);
    for (const a of model) {
      expect(['red', 'yellow']).toContain(a.colour);
      expect(a.evidence[0]).toMatchObject({ kind: 'indicator', model: 'xiaochang', asOf: AS_OF });
      expect(a.evidence.some((e) => e.kind === 'indicatorItem')).toBe(true);
      expect(a.summary_zh).toMatch(/^孝昌式低收入人口监测预警模型人均得分/);
    }
    const triggers = alerts.rows.filter((a) => a.cause.startsWith('trigger:'));
    expect(triggers.length).toBeGreaterThan(0);
    for (const a of triggers) {
      for (const e of a.evidence) {
        expect(e).toMatchObject({ kind: 'trigger' });
        expect(e.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(JSON.stringify(e)).not.toMatch(/(?<![0-9A-Z])\d{17}[\dX](?![0-9A-Z])/); // no full ID number
      }
    }
    const events = await t.db.query<{ action: string; n: number }>(
      'SELECT action, count(*)::int AS n FROM monitoring_alert_event GROUP BY action',
    );
    expect(events.rows).toEqual([{ action: 'raise', n: alerts.rows.length }]);
  });

  it('a re-run raises nothing twice: the open alert is updated and counted', async () => {
    const before = await alertState(t);
    // One alert stored with a stale colour: the run sets it back, and that change is an event.
    const stale = (
      await t.db.query<{ id: string; colour: string }>(
        "UPDATE monitoring_alert SET colour = CASE WHEN colour = 'red' THEN 'yellow' ELSE 'red' END WHERE id = (SELECT id FROM monitoring_alert ORDER BY subject_key, cause LIMIT 1) RETURNING id, colour",
      )
    ).rows[0] as { id: string; colour: string };
    const { outcome } = await fullRun(t);
    expect(outcome.raised).toBe(0);
    expect(outcome.updated).toBe(before.length);
    const after = await alertState(t);
    expect(after).toHaveLength(before.length);
    expect(after.map((a) => ({ ...a, raise_count: 1 }))).toEqual(before);
    expect(after.every((a) => a.raise_count === 2)).toBe(true);
    // A data update leaves the lifecycle version alone: an officer about to accept gets no conflict.
    const versions = await t.db.query<{ version: number }>('SELECT DISTINCT version FROM monitoring_alert');
    expect(versions.rows).toEqual([{ version: 1 }]);
    // Events record changes, not repetitions: the household timeline shows what changed, and an
    // alert seen again as it was is counted in raise_count, not logged. Only the stale one has an event.
    const updates = await t.db.query<{ alert_id: string; detail: { colour: string; raiseCount: number } }>(
      "SELECT alert_id, detail FROM monitoring_alert_event WHERE action = 'update'",
    );
    expect(updates.rows).toHaveLength(1);
    expect(updates.rows[0]).toMatchObject({ alert_id: stale.id, detail: { raiseCount: 2 } });
    expect(updates.rows[0]?.detail.colour).not.toBe(stale.colour);
  });

  it('a run killed mid-way and restarted gives the same alerts as an uninterrupted run', async () => {
    await clearAlerts(t);
    await fullRun(t, { batchSize: 10 });
    const uninterrupted = await alertState(t);
    await clearAlerts(t);
    let batches = 0;
    const { row } = await createRun(t.db, county, {
      kind: 'full',
      regionCode: regions.county,
      asOf: AS_OF,
      sourceImportId: null,
    });
    await expect(
      runMonitoring(t.db, row.id, {
        batchSize: 10,
        onBatch: () => {
          batches += 1;
          if (batches === 3) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const stopped = await asSystem(t.db, (tx) =>
      tx.query<{ status: string; households_done: number; cursor: string }>(
        'SELECT status, households_done, cursor FROM monitoring_run WHERE id = $1',
        [row.id],
      ),
    );
    expect(stopped.rows[0]).toMatchObject({ status: 'failed', households_done: 30 });
    const resumed = await runMonitoring(t.db, row.id, { batchSize: 10 });
    expect(resumed.status).toBe('completed');
    expect(await alertState(t)).toEqual(uninterrupted);
    // Restarting a completed run does nothing.
    const again = await runMonitoring(t.db, row.id);
    expect(again).toMatchObject({ status: 'completed', raised: resumed.raised, updated: resumed.updated });
    expect(await alertState(t)).toEqual(uninterrupted);
  });

  it('a re-raise redone from the start of the same run counts once and logs nothing', async () => {
    const { id } = await fullRun(t);
    const once = await alertState(t);
    expect(once.every((a) => a.raise_count === 2)).toBe(true);
    // The same run redone from its first batch, as after a crash before any cursor was stored.
    await asSystem(t.db, (tx) =>
      tx.query("UPDATE monitoring_run SET status = 'failed', cursor = NULL WHERE id = $1", [id]),
    );
    const redone = await runMonitoring(t.db, id);
    expect(redone).toMatchObject({ status: 'completed', raised: 0 });
    expect(await alertState(t)).toEqual(once);
    const events = await t.db.query<{ action: string; n: number }>(
      'SELECT action, count(*)::int AS n FROM monitoring_alert_event GROUP BY action',
    );
    expect(events.rows).toEqual([{ action: 'raise', n: once.length }]);
  });

  it('a closed alert is not reopened by a run: the next hit raises a new one', async () => {
    const target = (
      await t.db.query<{ id: string; subject_key: string; cause: string }>(
        "SELECT id, subject_key, cause FROM monitoring_alert WHERE cause = 'indicator:xiaochang' LIMIT 1",
      )
    ).rows[0] as { id: string; subject_key: string; cause: string };
    await t.db.query(
      "UPDATE monitoring_alert SET status = 'closed', closed_at = now(), outcome = 'helped' WHERE id = $1",
      [target.id],
    );
    await fullRun(t);
    const rows = await t.db.query<{ status: string; raise_count: number }>(
      'SELECT status, raise_count FROM monitoring_alert WHERE subject_key = $1 AND cause = $2 ORDER BY first_raised_at',
      [target.subject_key, target.cause],
    );
    expect(rows.rows.map((r) => r.status)).toEqual(['closed', 'raised']);
  });

  describe('API', () => {
    it('starts a run, follows it, lists alerts in scope', async () => {
      const started = await officer.request('POST', '/api/monitoring/runs', { asOf: AS_OF });
      expect(started.statusCode, started.body).toBe(200);
      const id = started.json().id as string;
      let run = started.json();
      for (let i = 0; i < 100 && run.status === 'running'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        run = (await officer.request('GET', `/api/monitoring/runs/${id}`)).json();
      }
      expect(run).toMatchObject({ status: 'completed', kind: 'full', regionCode: regions.county });
      const list = (await officer.request('GET', '/api/monitoring/runs?pageSize=100')).json();
      expect(list.items.some((r: { id: string }) => r.id === id)).toBe(true);
      const red = (
        await officer.request('GET', '/api/monitoring/runs/alerts?colour=red&pageSize=200')
      ).json();
      expect(red.items.length).toBeGreaterThan(0);
      expect(red.items.every((a: { colour: string }) => a.colour === 'red')).toBe(true);
      const candidates = (await officer.request('GET', '/api/monitoring/runs/alerts?candidates=true')).json();
      expect(candidates.items.every((a: { householdId: null }) => a.householdId === null)).toBe(true);
      expect(candidates.total).toBeGreaterThanOrEqual(2);
    });

    it("a township caseworker sees only the township's alerts and cannot start a run", async () => {
      await buildUser(t.db, 'huayuanWorker', 'caseworker', regions.huayuan);
      const worker = await login(t, 'huayuanWorker');
      const mine = (await worker.request('GET', '/api/monitoring/runs/alerts?pageSize=200')).json();
      expect(mine.items.length).toBeGreaterThan(0);
      for (const a of mine.items) expect(a.regionCode.startsWith('420921100')).toBe(true);
      const all = (await officer.request('GET', '/api/monitoring/runs/alerts?pageSize=1')).json();
      expect(all.total).toBeGreaterThan(mine.total);
      expect((await worker.request('POST', '/api/monitoring/runs', {})).statusCode).toBe(403);
    });

    it('refuses bad and hostile input with a Chinese message', async () => {
      const bad = [
        ['/api/monitoring/runs', { asOf: '2025-13-45' }],
        ['/api/monitoring/runs', { regionCode: "420921'; DROP TABLE x;--" }],
        ['/api/monitoring/runs', { regionCode: '420000000000' }],
        ['/api/monitoring/runs', { extra: 1 }],
      ] as const;
      for (const [url, body] of bad) {
        const r = await officer.request('POST', url, body);
        expect([400, 403], JSON.stringify(body)).toContain(r.statusCode);
        expect(r.json().message).toMatch(/[\u4e00-\u9fa5]/);
      }
      const hostile = await officer.request(
        'GET',
        `/api/monitoring/runs/alerts?cause=${encodeURIComponent("x' OR 1=1")}`,
      );
      expect(hostile.statusCode).toBe(400);
      const huge = await officer.request('GET', '/api/monitoring/runs/alerts?pageSize=100000');
      expect(huge.statusCode).toBe(400);
      const resident = t.client();
      expect((await resident.request('GET', '/api/monitoring/runs')).statusCode).toBe(401);
    });

    it('refuses to start a run while the trigger file is broken, naming the line', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'doudi-catalog-'));
      cpSync(DEFAULT_CATALOG_DIR, dir, { recursive: true });
      const file = join(dir, 'triggers/triggers.yaml');
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace('window.sum > 5000000', 'window.summ > 5000000'),
      );
      const before = process.env.DOUDI_CATALOG_DIR;
      process.env.DOUDI_CATALOG_DIR = dir;
      try {
        const r = await officer.request('POST', '/api/monitoring/runs', { asOf: AS_OF });
        expect(r.statusCode).toBe(409);
        expect(r.json()).toMatchObject({ code: 'MONITORING_TRIGGERS_INVALID' });
        expect(r.json().message).toMatch(/^事件触发规则文件有误.*triggers\/triggers\.yaml:\d+:\d+/);
      } finally {
        if (before === undefined) delete process.env.DOUDI_CATALOG_DIR;
        else process.env.DOUDI_CATALOG_DIR = before;
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('checks a trigger file and names the line and column of a mistake', async () => {
      const good = await officer.request('POST', '/api/monitoring/triggers/check', {
        text: 'version: "1"\nmodels: []\ntriggers:\n  - id: bigBill\n    label: 大额\n    source: medicalClaim\n    date: dischargeDate\n    windowMonths: 12\n    condition: record.outOfPocketFen > 100\n    colour: red\n    summary: "{name}"\n',
      });
      expect(good.json()).toMatchObject({ ok: true, triggers: [{ id: 'bigBill', colour: 'red' }] });
      const typo = await officer.request('POST', '/api/monitoring/triggers/check', {
        text: 'version: "1"\nmodels: []\ntriggers:\n  - id: bigBill\n    label: 大额\n    source: medicalClaim\n    date: dischargeDate\n    windowMonths: 12\n    condition: record.outOfPoket > 100\n    colour: red\n    summary: "{name}"\n',
      });
      expect(typo.json()).toMatchObject({
        ok: false,
        problems: [{ file: 'triggers/triggers.yaml', line: 9 }],
      });
      expect(typo.json().problems[0].column).toBeGreaterThan(15);
    });
  });

  describe('calibration', () => {
    const settings = [
      { label: '现行', red: 6, yellow: 4, blue: 2 },
      { label: '收紧', red: 8, yellow: 6, blue: 3 },
    ];

    it('compares two band settings on sample villages and keeps the result with the model version', async () => {
      const villages = (
        await t.db.query<{ code: string }>(
          'SELECT DISTINCT region_code AS code FROM household ORDER BY 1 LIMIT 3',
        )
      ).rows.map((r) => r.code);
      const r = await officer.request('POST', '/api/monitoring/calibrations', {
        villages,
        settings,
        asOf: AS_OF,
      });
      expect(r.statusCode, r.body).toBe(200);
      const body = r.json();
      expect(body).toMatchObject({
        modelId: 'xiaochang',
        truthSource: 'alertOutcomes',
        raise: ['red', 'yellow'],
      });
      expect(body.settings).toHaveLength(2);
      const [a, b] = body.settings;
      const total = (s: { colours: Record<string, number> }) =>
        Object.values(s.colours).reduce((x, y) => x + y, 0);
      expect(total(a)).toBe(body.households);
      expect(total(b)).toBe(body.households);
      // Higher lines never raise more households.
      expect(b.raised).toBeLessThanOrEqual(a.raised);
      // One alert was closed as helped above: the back-test knows one outcome.
      expect(body.backTest.overall.withOutcome).toBeGreaterThanOrEqual(1);
      const list = (await officer.request('GET', '/api/monitoring/calibrations?modelId=xiaochang')).json();
      expect(list.items[0]).toMatchObject({ id: body.id, modelVersion: body.modelVersion, villages });
    });

    it("reports the generated population's precision and recall against the synthetic ground truth", async () => {
      const truth = await asSystem(t.db, (tx) =>
        synthTruth(tx, { households: 60, seed: 5, villages: SAMPLE_VILLAGES, asOf: AS_OF }),
      );
      expect(truth.size).toBe(60);
      const villages = (
        await t.db.query<{ code: string }>('SELECT DISTINCT region_code AS code FROM household ORDER BY 1')
      ).rows.map((r) => r.code);
      const result = await calibrate(t.db, county, { villages, settings, asOf: AS_OF }, undefined, { truth });
      expect(result.truthSource).toBe('groundTruth');
      const overall = result.backTest.overall as unknown as {
        precision: number;
        recall: number;
        alerts: number;
      };
      expect(overall.alerts).toBeGreaterThan(0);
      expect(overall.precision).toBeGreaterThan(0);
      expect(overall.precision).toBeLessThanOrEqual(1);
      expect(overall.recall).toBeGreaterThan(0);
      for (const s of result.settings) expect(s.recall).not.toBeNull();
      console.info(
        'monitoring precision on the synthetic county (60 households):',
        JSON.stringify(result.backTest.overall),
      );
    });

    it('refuses crossed lines, villages outside the scope and malformed bodies', async () => {
      const crossed = await officer.request('POST', '/api/monitoring/calibrations', {
        villages: [regions.huayuanVillage],
        settings: [settings[0], { label: '错', red: 1, yellow: 5, blue: 0 }],
      });
      expect(crossed.statusCode).toBe(400);
      expect(crossed.json().message).toContain('红线 > 黄线 > 蓝线');
      const outside = await officer.request('POST', '/api/monitoring/calibrations', {
        villages: ['110101001001'],
        settings,
      });
      expect(outside.statusCode).toBe(403);
      for (const body of [
        { villages: [], settings },
        { villages: ['abc'], settings },
        { villages: [regions.huayuanVillage], settings: [settings[0]] },
        { villages: Array.from({ length: 51 }, () => regions.huayuanVillage), settings },
      ]) {
        const r = await officer.request('POST', '/api/monitoring/calibrations', body);
        expect(r.statusCode).toBe(400);
      }
    });
  });
});
