/**
 * The incremental run after an import scores again only the households whose facts snapshot
 * changed since they were scored (monitoring.scoring.ts), applies the triggers to every touched
 * household, and ends with the alerts a full run gives for them.
 */
import { makeIdNumber } from '@doudi/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMonitoring } from '../src/domains/monitoring/monitoring.run.ts';
import { createRun } from '../src/domains/monitoring/monitoring.service.ts';
import { regions } from './factories.ts';
import { clearAlerts, county, fullRun, importMonitoringSources } from './monitoringFactories.ts';
import { AS_OF, csvOf, upload } from './sourcesFactories.ts';
import type { TestApp, TestClient } from './testApp.ts';
import { createTestApp } from './testApp.ts';

/** Alerts of these households as a caseworker reads them (raise_count aside: runs count). */
async function alertsOf(t: TestApp, households: readonly string[]) {
  const r = await t.db.query<Record<string, unknown>>(
    `SELECT subject_key, cause, status, colour, score::text AS score, summary_zh, evidence
       FROM monitoring_alert WHERE subject_key = ANY($1::text[]) AND status <> 'closed'
      ORDER BY subject_key, cause`,
    [households],
  );
  return r.rows;
}

describe('incremental run after an import', () => {
  let t: TestApp;
  let verify: TestClient;
  let dir: string;

  beforeAll(async () => {
    t = await createTestApp();
    ({ verify, dir } = await importMonitoringSources(t, makeIdNumber('420921', '1979-03-04', 991)));
  }, 120_000);
  afterAll(() => t.drop());

  it('scores only changed households and gives what a full run gives for every touched one', async () => {
    await clearAlerts(t);
    const first = await fullRun(t);
    expect(first.outcome.scored).toBe(first.outcome.done);
    // The full run leaves statistics of what it grew (never analysed: -1), so this incremental run
    // plans on counts, not guesses (monitoring.repo analyzeRunTables; at 1M: 24 s → 2.5 s).
    const stats = await t.db.query<{ relname: string; n: number }>(
      `SELECT relname, reltuples::int AS n FROM pg_class
        WHERE relname IN ('monitoring_alert', 'monitoring_scoring') ORDER BY relname`,
    );
    const counts = await t.db.query<{ alerts: number; scorings: number }>(
      `SELECT (SELECT count(*) FROM monitoring_alert)::int AS alerts,
              (SELECT count(*) FROM monitoring_scoring)::int AS scorings`,
    );
    expect(stats.rows).toEqual([
      { relname: 'monitoring_alert', n: counts.rows[0]?.alerts },
      { relname: 'monitoring_scoring', n: counts.rows[0]?.scorings },
    ]);

    // New claims (new record numbers) of the persons of the first 40 claims of the county file.
    const lines = (await csvOf(dir, 'medical-claims.csv')).trim().split('\n');
    const header = (lines[0] as string).replace(/^\uFEFF/, '');
    const rows = lines.slice(1, 41).map((l) => `N-${l}`);
    const response = await upload(t, verify, 'medicalClaim', [header, ...rows].join('\n'), {
      fileName: 'new-claims.csv',
    });
    expect(response.json().status).toBe('done');
    const importId = response.json().id as string;
    const touched = (
      await t.db.query<{ household_id: string }>(
        `SELECT DISTINCT p.household_id FROM source_record r JOIN person p ON p.id = r.person_id
          WHERE r.import_id = $1 ORDER BY 1`,
        [importId],
      )
    ).rows.map((r) => r.household_id);
    expect(touched.length).toBeGreaterThan(5);

    // One touched household's indicator alert closed since (a full run raises a new one), and
    // another's facts changed (a member 90 years old): both must be scored again.
    const closed = (
      await t.db.query<{ id: string; subject_key: string }>(
        `SELECT id, subject_key FROM monitoring_alert
          WHERE cause = 'indicator:xiaochang' AND subject_key = ANY($1::text[]) ORDER BY subject_key LIMIT 1`,
        [touched],
      )
    ).rows[0] as { id: string; subject_key: string };
    expect(closed).toBeDefined();
    await t.db.query(
      "UPDATE monitoring_alert SET status = 'closed', closed_at = now(), outcome = 'helped' WHERE id = $1",
      [closed.id],
    );
    const changed = touched.find((h) => h !== closed.subject_key) as string;
    await t.db.query(
      `UPDATE person SET birth_date = '1935-02-01'
        WHERE id = (SELECT id FROM person WHERE household_id = $1 ORDER BY id LIMIT 1)`,
      [changed],
    );

    const { row } = await createRun(t.db, county, {
      kind: 'incremental',
      regionCode: regions.county,
      asOf: AS_OF,
      sourceImportId: importId,
    });
    const inc = await runMonitoring(t.db, row.id, { batchSize: 7 });
    expect(inc.status).toBe('completed');
    expect(inc.done).toBe(touched.length);
    expect(inc.scored).toBe(2);
    const afterIncremental = await alertsOf(t, touched);
    expect(
      afterIncremental.some((a) => a.subject_key === closed.subject_key && a.cause === 'indicator:xiaochang'),
    ).toBe(true);
    expect(afterIncremental.some((a) => String(a.cause).startsWith('trigger:'))).toBe(true);

    // What a full run gives for the touched households: the same alerts, to the evidence.
    const full = await fullRun(t);
    expect(full.outcome.scored).toBe(full.outcome.done);
    expect(await alertsOf(t, touched)).toEqual(afterIncremental);
  });
});
