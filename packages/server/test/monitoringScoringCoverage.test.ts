/**
 * A full run leaves alone the scoring of a household whose result it finds unchanged, and, once
 * completed, vouches for it (migration 039, monitoring.scoring.ts): an incremental run at that
 * run's date then need not score it again. It vouches only for what it compared: rows of its own
 * region, written before it began comparing, and only when it completed.
 */
import { makeIdNumber } from '@doudi/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSystem } from '../src/db/scope.ts';
import * as repo from '../src/domains/monitoring/monitoring.repo.ts';
import { runMonitoring } from '../src/domains/monitoring/monitoring.run.ts';
import { stillScored } from '../src/domains/monitoring/monitoring.scoring.ts';
import { createRun } from '../src/domains/monitoring/monitoring.service.ts';
import { regions } from './factories.ts';
import { clearAlerts, county, fullRun, importMonitoringSources } from './monitoringFactories.ts';
import { createTestApp, type TestApp } from './testApp.ts';

const LATER = '2025-07-31';

describe('scorings a full run vouches for', () => {
  let t: TestApp;
  let first: string;
  let later: string;
  let households: string[];

  /** The households still scored for the basis of this run (its catalogue, trigger file and date). */
  const still = async (runId: string) =>
    asSystem(t.db, async (tx) => {
      const run = (await repo.findRun(tx, runId)) as repo.RunRow;
      const rows = await repo.snapshotRows(tx, households);
      const basis = {
        catalogVersion: run.catalog_version,
        triggersVersion: run.triggers_version,
        asOf: run.as_of,
      };
      return stillScored(tx, rows, basis);
    });
  const scorings = async () =>
    (
      await t.db.query<{ household_id: string; run_id: string; scored_at: string }>(
        'SELECT household_id, run_id, scored_at::text AS scored_at FROM monitoring_scoring ORDER BY household_id',
      )
    ).rows;

  beforeAll(async () => {
    t = await createTestApp();
    await importMonitoringSources(t, makeIdNumber('420921', '1981-05-06', 993));
    await clearAlerts(t);
    await t.db.query('TRUNCATE monitoring_scoring');
    first = (await fullRun(t)).id;
    const { row } = await createRun(t.db, county, {
      kind: 'full',
      regionCode: regions.county,
      asOf: LATER,
      sourceImportId: null,
    });
    later = row.id;
    const before = await scorings();
    households = before.map((s) => s.household_id);
    await runMonitoring(t.db, later);
    const after = await scorings();
    // Rewritten only where the result changed: the rest keep the first run's row, untouched.
    const kept = after.filter((s, i) => s.run_id === first && s.scored_at === before[i]?.scored_at);
    expect(kept.length).toBeGreaterThan(households.length / 2);
    expect(after.every((s) => s.run_id === first || s.run_id === later)).toBe(true);
  }, 180_000);
  afterAll(() => t?.drop());

  it('every household is scored for the later run, none any longer for the first', async () => {
    expect(households.length).toBeGreaterThan(10);
    expect((await still(later)).size).toBe(households.length);
    expect((await still(first)).size).toBe(0);
  });

  it('a scoring written after the full run began comparing is not vouched for', async () => {
    const kept = (await scorings()).find((s) => s.run_id === first) as { household_id: string };
    await t.db.query('UPDATE monitoring_scoring SET scored_at = clock_timestamp() WHERE household_id = $1', [
      kept.household_id,
    ]);
    expect((await still(later)).has(kept.household_id)).toBe(false);
    expect((await still(first)).has(kept.household_id)).toBe(true);
    await t.db.query('UPDATE monitoring_scoring SET scored_at = $2::timestamptz WHERE household_id = $1', [
      kept.household_id,
      '2000-01-01',
    ]);
    expect((await still(later)).has(kept.household_id)).toBe(true);
  });

  it("vouches only within the run's region, and only once completed", async () => {
    const own = new Set((await scorings()).filter((s) => s.run_id === later).map((s) => s.household_id));
    const inTownship = (
      await t.db.query<{ household_id: string }>(
        'SELECT household_id FROM household_facts WHERE region_code BETWEEN $1 AND $2',
        [regions.huayuan.slice(0, 9).padEnd(12, '0'), regions.huayuan.slice(0, 9).padEnd(12, '9')],
      )
    ).rows.map((r) => r.household_id);
    expect(inTownship.length).toBeGreaterThan(0);
    expect(inTownship.length).toBeLessThan(households.length);
    await t.db.query('UPDATE monitoring_run SET region_code = $2 WHERE id = $1', [later, regions.huayuan]);
    expect([...(await still(later))].sort()).toEqual([...new Set([...inTownship, ...own])].sort());
    await t.db.query("UPDATE monitoring_run SET region_code = $2, status = 'failed' WHERE id = $1", [
      later,
      regions.county,
    ]);
    expect([...(await still(later))].sort()).toEqual([...own].sort());
    await t.db.query("UPDATE monitoring_run SET status = 'completed' WHERE id = $1", [later]);
  });
});
