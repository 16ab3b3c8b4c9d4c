/**
 * On a server, a full run's workers read their own pages (monitoring.pageWorker.ts): a range gives
 * the households the page query gives, grouped by township, with the JSON kept for the worker; and
 * the worker's own connection is bounded by the run's region scope, as the run is (row-level
 * security, not the range). PGlite has no second connection: its runs read pages on their thread.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asActor } from '../src/db/scope.ts';
import { regionBounds } from '../src/domains/householdFacts/householdFacts.ts';
import { refreshSnapshot } from '../src/domains/householdFacts/snapshot.repo.ts';
import { snapshotItem } from '../src/domains/householdFacts/snapshotFacts.ts';
import { closeLoader, loadGroups } from '../src/domains/monitoring/monitoring.pageWorker.ts';
import { type PageRow, snapshotPage } from '../src/domains/monitoring/monitoring.snapshot.repo.ts';
import { regions } from './factories.ts';
import { county } from './monitoringFactories.ts';
import { AS_OF, seedSources } from './sourcesFactories.ts';
import { createTestApp, type TestApp } from './testApp.ts';
import { onServer } from './testDb.ts';

describe.skipIf(!onServer)('a worker reads its own page', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    await rm(await seedSources(t), { recursive: true, force: true }); // the households; no files
    await refreshSnapshot(t.db, county, regions.county);
  }, 120_000);
  afterAll(async () => {
    await closeLoader();
    await t.drop();
  });

  it('reads a range as the page query does, by township, and only within its actor’s scope', async () => {
    const url = t.db.url as string;
    const { low, high } = regionBounds(regions.county);
    const page = await asActor(t.db, county, undefined, (tx) =>
      snapshotPage(tx, { low, high, after: null, limit: 100_000 }),
    );
    const first = page[0];
    const last = page.at(-1);
    if (!first || !last) throw new Error('the test county has no households');
    // From after the first household to the last: the range is open below and closed above.
    const after = { regionCode: first.region_code, householdNumber: first.household_number };
    const until = { regionCode: last.region_code, householdNumber: last.household_number };
    const groups = await loadGroups({ url, scope: county, low, high, after, until }, AS_OF);
    const rows = groups.flatMap((g) => g.carry as PageRow[]);
    expect(rows.map((r) => r.household_id)).toEqual(page.slice(1).map((r) => r.household_id));
    expect(groups.flatMap((g) => g.items)).toEqual(page.slice(1).map((r) => snapshotItem(r, true)));
    expect(rows.every((r) => r.members === undefined && !('economy' in r))).toBe(true);
    for (const g of groups)
      for (const r of g.carry as PageRow[]) expect(`${r.region_code.slice(0, 9)}000`).toBe(g.regionCode);
    expect(new Set(groups.map((g) => g.regionCode)).size).toBeGreaterThan(1);

    // A township's officer asks for the whole county's range: the database gives its township only.
    const code = `${last.region_code.slice(0, 9)}000`;
    const township = { ...county, regionCode: code };
    const scoped = (await loadGroups({ url, scope: township, low, high, after, until }, AS_OF)).flatMap(
      (g) => g.carry as PageRow[],
    );
    const own = rows.filter((r) => r.region_code.startsWith(code.slice(0, 9)));
    expect(own.length).toBeGreaterThan(0);
    expect(own.length).toBeLessThan(rows.length);
    expect(scoped.map((r) => r.household_id)).toEqual(own.map((r) => r.household_id));
  });
});
