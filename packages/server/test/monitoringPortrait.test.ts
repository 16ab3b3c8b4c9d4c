/**
 * The household portrait of a model's alert (issue 7 item 5): its indicator items name their group
 * as the catalogue labels it. The label is added to the view; the stored evidence, which the
 * alert's digest covers, stays as the run wrote it.
 */
import { makeIdNumber } from '@doudi/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullRun, importMonitoringSources } from './monitoringFactories.ts';
import type { TestApp, TestClient } from './testApp.ts';
import { createTestApp } from './testApp.ts';

describe("a model alert's portrait", () => {
  let t: TestApp;
  let officer: TestClient;

  beforeAll(async () => {
    t = await createTestApp();
    ({ officer } = await importMonitoringSources(t, makeIdNumber('420921', '1983-02-03', 995)));
    await fullRun(t);
  }, 120_000);
  afterAll(() => t?.drop());

  it("names each item's group, as the catalogue labels it", async () => {
    const list = (await officer.request('GET', '/api/monitoring/runs/alerts?pageSize=200')).json();
    const alert = list.items.find((a: { cause: string }) => a.cause === 'indicator:xiaochang');
    const p = (await officer.request('GET', `/api/alerts/${alert.id}/portrait`)).json();
    const items = p.evidence.filter((e: { kind: string }) => e.kind === 'indicatorItem');
    expect(items.length).toBeGreaterThan(0);
    const labels: Record<string, string> = { basic: '人口基础信息', incomeProperty: '家庭财产收入情况' };
    for (const { group, groupLabel } of items)
      expect(groupLabel).toEqual(labels[group] ?? expect.any(String));
    // The view adds the label; the stored evidence (which its digest covers) stays as it was.
    const stored = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM monitoring_alert WHERE id = $1 AND evidence::text LIKE '%groupLabel%'",
      [alert.id],
    );
    expect(stored.rows[0]?.n).toBe(0);
    expect(p.alert).toMatchObject({ raiseCount: expect.any(Number), firstRaisedAt: expect.any(String) });
  });
});
