/**
 * The faster monitoring run (issue 7 benchmarks) changes nothing a caseworker sees: the indicator
 * alerts are those of the traced, one-household-at-a-time evaluation the run used before (scores,
 * bands, evidence, summaries, and which households are raised), and the worker-thread path stores
 * exactly the alerts of this thread's, also when killed mid-way and restarted.
 */
import { evaluateIndicators, makeIdNumber } from '@doudi/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSystem } from '../src/db/scope.ts';
import {
  decodeHouseholds,
  type SnapshotRow,
  snapshotItem,
} from '../src/domains/householdFacts/snapshotFacts.ts';
import { runMonitoring } from '../src/domains/monitoring/monitoring.run.ts';
import { createRun } from '../src/domains/monitoring/monitoring.service.ts';
import { loadTriggers, trimEvidence } from '../src/domains/monitoring/triggers.ts';
import { activeCatalog } from '../src/domains/rules/activeCatalog.ts';
import { regions } from './factories.ts';
import { alertState, clearAlerts, county, fullRun, importMonitoringSources } from './monitoringFactories.ts';
import { AS_OF } from './sourcesFactories.ts';
import { createTestApp, type TestApp } from './testApp.ts';

/** The indicator alerts as the run built them before (traced evaluation per raised household). */
async function tracedIndicatorAlerts(t: TestApp) {
  const { catalog } = await activeCatalog(t.db, AS_OF);
  const triggers = loadTriggers();
  const rows = await asSystem(t.db, (tx) =>
    tx.query<SnapshotRow>(
      `SELECT household_id, household_number, region_code, urban, members::text AS members,
              categories::text AS categories, economy::text AS economy FROM household_facts`,
    ),
  );
  const out: Record<string, unknown>[] = [];
  for (const row of rows.rows) {
    const [facts] = decodeHouseholds([snapshotItem(row)], AS_OF);
    const township = `${row.region_code.slice(0, 9)}000`;
    for (const { model: id, raise } of triggers.models) {
      const model = catalog.indicators?.find((m) => m.id === id);
      const [result] = evaluateIndicators(catalog, facts as never, AS_OF, township, { models: [id] });
      if (!model || !result?.alertColor || !(raise as readonly string[]).includes(result.alertColor))
        continue;
      const score = Math.round(result.score * 100) / 100;
      const top = [...result.fired]
        .sort((a, b) => b.points - a.points)
        .slice(0, 4)
        .map((f) => f.label)
        .join('、');
      const evidence = [
        {
          kind: 'indicator',
          model: id,
          version: model.version,
          asOf: AS_OF,
          score,
          band: result.bandLabel,
          groups: result.groups.filter((g) => g.score !== 0).map((g) => ({ label: g.label, score: g.score })),
        },
        ...result.fired.map((f) => ({
          kind: 'indicatorItem',
          group: f.group,
          item: f.item,
          label: f.label,
          points: f.points,
          ...(f.members ? { members: f.members.length } : {}),
        })),
      ];
      out.push({
        subject_key: row.household_id,
        cause: `indicator:${id}`,
        colour: result.alertColor,
        score: String(score),
        summary_zh: `${model.name.zh}人均得分${score}，${result.bandLabel ?? ''}；主要因素：${top}`,
        evidence: trimEvidence(evidence),
      });
    }
  }
  return out.sort((a, b) => (`${a.subject_key}|${a.cause}` < `${b.subject_key}|${b.cause}` ? -1 : 1));
}

describe('monitoring run speed-ups keep the alerts', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    await importMonitoringSources(t, makeIdNumber('420921', '1979-03-04', 991));
  }, 120_000);
  afterAll(() => t.drop());

  it('indicator alerts equal the traced one-by-one evaluation: same households, scores, evidence', async () => {
    await clearAlerts(t);
    await fullRun(t, { batchSize: 25, workers: 0 });
    const stored = (await alertState(t))
      .filter((a) => String(a.cause).startsWith('indicator:'))
      .map(({ subject_key, cause, colour, score, summary_zh, evidence }) => ({
        subject_key,
        cause,
        colour,
        score: String(Number(score)),
        summary_zh,
        evidence,
      }));
    const traced = await tracedIndicatorAlerts(t);
    expect(traced.length).toBeGreaterThan(5);
    expect(stored).toEqual(traced);
  });

  it('the content digest: unchanged alerts move only their counters; a digest-less or hand-edited row is compared in full', async () => {
    await clearAlerts(t);
    await fullRun(t, { batchSize: 25, workers: 0 });
    const first = await alertState(t);
    const digests = async () =>
      (
        await t.db.query<{ n: number; hashed: number }>(
          'SELECT count(*)::int AS n, count(content_hash)::int AS hashed FROM monitoring_alert',
        )
      ).rows[0];
    expect(await digests()).toEqual({ n: first.length, hashed: first.length });
    // Rows from before migration 036 (no digest), and one edited by hand: its digest is cleared by
    // the trigger, so the run compares it in full and sets its colour back, with an event.
    await t.db.query('UPDATE monitoring_alert SET content_hash = NULL WHERE subject_key < $1', [
      String(first[Math.floor(first.length / 2)]?.subject_key),
    ]);
    const edited = (
      await t.db.query<{ id: string }>(
        "UPDATE monitoring_alert SET colour = 'green' WHERE id = (SELECT id FROM monitoring_alert ORDER BY subject_key DESC, cause LIMIT 1) RETURNING id",
      )
    ).rows[0] as { id: string };
    expect((await digests())?.hashed).toBeLessThan(first.length);
    const again = await fullRun(t, { batchSize: 25, workers: 0 });
    expect(again.outcome).toMatchObject({ raised: 0, updated: first.length });
    expect((await alertState(t)).map((a) => ({ ...a, raise_count: 1 }))).toEqual(first);
    expect(await digests()).toEqual({ n: first.length, hashed: first.length });
    const events = await t.db.query<{ alert_id: string }>(
      "SELECT alert_id FROM monitoring_alert_event WHERE action = 'update'",
    );
    expect(events.rows).toEqual([{ alert_id: edited.id }]);
  });

  it('worker threads store exactly the alerts of this thread, also when killed and restarted', async () => {
    await clearAlerts(t);
    await fullRun(t, { batchSize: 25, workers: 0 });
    const inThread = await alertState(t);
    await clearAlerts(t);
    const pooled = await fullRun(t, { batchSize: 25, workers: 2 });
    expect(pooled.outcome.phases.workersBusyMs).toBeGreaterThan(0);
    expect(await alertState(t)).toEqual(inThread);

    await clearAlerts(t);
    const { row } = await createRun(t.db, county, {
      kind: 'full',
      regionCode: regions.county,
      asOf: AS_OF,
      sourceImportId: null,
    });
    let batches = 0;
    await expect(
      runMonitoring(t.db, row.id, {
        batchSize: 25,
        workers: 2,
        onBatch: () => {
          batches += 1;
          if (batches === 2) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const resumed = await runMonitoring(t.db, row.id, { batchSize: 25, workers: 2 });
    expect(resumed.status).toBe('completed');
    expect(await alertState(t)).toEqual(inThread);
  }, 180_000); // three runs each start two workers (a catalogue compile each), slow on a busy machine

  it('a household whose scoring fails on a bad value keeps its trigger alerts, on either thread', async () => {
    await clearAlerts(t);
    await fullRun(t, { batchSize: 25, workers: 0 });
    const target = (await alertState(t)).find(
      (a) => !String(a.cause).startsWith('indicator:') && !a.candidate,
    );
    const id = String(target?.subject_key);
    const read = await t.db.query<{ economy: string | null }>(
      'SELECT economy::text AS economy FROM household_facts WHERE household_id = $1',
      [id],
    );
    const original = read.rows[0]?.economy ?? null;
    // Text where the model wants an amount, in the newest economic facts: the models refuse them.
    const economy = [
      [{ financialAssets: '很多' }, 'approved', '2025-01-01'],
      ...JSON.parse(original ?? '[]'),
    ];
    await t.db.query('UPDATE household_facts SET economy = $2::json WHERE household_id = $1', [
      id,
      JSON.stringify(economy),
    ]);
    try {
      await clearAlerts(t);
      const run = await fullRun(t, { batchSize: 25, workers: 0 });
      const counts = await t.db.query<{ c: Record<string, number> }>(
        'SELECT colour_counts AS c FROM monitoring_run WHERE id = $1',
        [run.id],
      );
      expect(counts.rows[0]?.c.unknown).toBe(1); // its scoring failed, the others' did not
      const inThread = await alertState(t);
      const own = inThread.filter((a) => a.subject_key === id).map((a) => a.cause);
      expect(own).toContain(target?.cause);
      expect(own.some((c) => String(c).startsWith('indicator:'))).toBe(false);
      await clearAlerts(t);
      // On a server the workers read the pages, and this household's members are read again here.
      await fullRun(t, { batchSize: 25, workers: 2 });
      expect(await alertState(t)).toEqual(inThread);
    } finally {
      await t.db.query('UPDATE household_facts SET economy = $2::json WHERE household_id = $1', [
        id,
        original,
      ]);
    }
  }, 120_000);

  it("a later month's run that finds the same result moves only the counters; the evidence keeps its first date", async () => {
    await clearAlerts(t);
    await fullRun(t, { batchSize: 25, workers: 0 });
    const indicatorAlerts = async () =>
      (
        await t.db.query<{
          id: string;
          key: string;
          colour: string;
          score: string;
          summary_zh: string;
          evidence: Record<string, unknown>[];
          raise_count: number;
        }>(
          `SELECT id, subject_key || '|' || cause AS key, colour, score::text AS score, summary_zh, evidence, raise_count
             FROM monitoring_alert WHERE cause LIKE 'indicator:%' ORDER BY 2`,
        )
      ).rows;
    // One alert as an earlier result left it (another score): this run's result differs from it.
    await t.db.query(
      "UPDATE monitoring_alert SET score = score + 1 WHERE id = (SELECT id FROM monitoring_alert WHERE cause LIKE 'indicator:%' ORDER BY subject_key LIMIT 1)",
    );
    const before = new Map((await indicatorAlerts()).map((a) => [a.key, a]));
    const later = '2025-07-31';
    const { row } = await createRun(t.db, county, {
      kind: 'full',
      regionCode: regions.county,
      asOf: later,
      sourceImportId: null,
    });
    await runMonitoring(t.db, row.id, { batchSize: 25, workers: 0 });
    const updated = new Set(
      (
        await t.db.query<{ alert_id: string }>(
          "SELECT alert_id FROM monitoring_alert_event WHERE action = 'update'",
        )
      ).rows.map((e) => e.alert_id),
    );
    const undated = (evidence: Record<string, unknown>[]) => evidence.map(({ asOf: _, ...rest }) => rest);
    let same = 0;
    let changed = 0;
    for (const a of await indicatorAlerts()) {
      const b = before.get(a.key);
      if (!b) continue; // raised by this run
      const result = (x: typeof a) => [x.colour, x.score, x.summary_zh, undated(x.evidence)];
      if (JSON.stringify(result(a)) === JSON.stringify(result(b))) {
        same += 1;
        expect(updated.has(a.id), a.key).toBe(false);
        expect(a.evidence[0]?.asOf).toBe(AS_OF);
        expect(a.raise_count).toBe(2);
      } else {
        changed += 1;
        expect(updated.has(a.id), a.key).toBe(true);
        expect(a.evidence[0]?.asOf).toBe(later);
      }
    }
    expect(same).toBeGreaterThan(5);
    expect(changed).toBeGreaterThan(0);
  });
});
