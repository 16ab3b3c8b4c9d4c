/**
 * Counts for the region browser: households, persons and categories in force, per child region,
 * rolled up from the per-village summary (summary.repo.ts). Households and persons are exact at
 * `countedAt`; categories are those in force on `asOf` (recounted when the date moves on).
 */
import { asActor } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { isWithin, type RegionLevel, regionLevel } from '../regions/regionCode.ts';
import { findRegion, listChildren } from '../regions/regions.repo.ts';
import { Categories, today } from './registry.model.ts';
import { type RegistryDeps, regionRange } from './registry.views.ts';
import { ensureCountedFor, rollUp, summaryState } from './summary.repo.ts';

const DIGITS: Record<RegionLevel, number> = { 0: 0, 1: 2, 2: 4, 3: 6, 4: 9, 5: 12 };

type Counts = { households: number; persons: number; categories: Record<string, number> };

const empty = (): Counts => ({
  households: 0,
  persons: 0,
  categories: Object.fromEntries(Categories.map((c) => [c, 0])),
});

export async function registryStats(
  deps: RegistryDeps,
  actor: Actor | undefined,
  code: string,
  requestId?: string,
) {
  authorize(actor, Permission.registryRead);
  // The region must overlap the actor's scope: inside it, or an ancestor of it.
  if (!isWithin(code, actor.regionCode) && !isWithin(actor.regionCode, code))
    throw errors.outOfScope('所选地区');
  const on = today();
  await ensureCountedFor(deps.db, on);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const region = await findRegion(tx, code);
    if (!region) throw errors.notFound('地区');
    const level = regionLevel(code);
    const digits = DIGITS[Math.min(level + 1, 5) as RegionLevel];
    const { low, high } = regionRange(code);
    const byKey = new Map<string, Counts>();
    const get = (k: string) => {
      const found = byKey.get(k);
      if (found) return found;
      const created = empty();
      byKey.set(k, created);
      return created;
    };
    // Row-level security limits the summary to the actor's scope, as it does the rows.
    for (const r of await rollUp(tx, low, high, digits)) {
      const counts = get(r.key);
      if (r.measure === 'households') counts.households = r.n;
      else if (r.measure === 'persons') counts.persons = r.n;
      else counts.categories[r.measure.slice('category:'.length)] = r.n;
    }
    const total = empty();
    for (const c of byKey.values()) {
      total.households += c.households;
      total.persons += c.persons;
      for (const [k, n] of Object.entries(c.categories)) total.categories[k] = (total.categories[k] ?? 0) + n;
    }
    const state = await summaryState(tx);
    const now = await tx.query<{ now: Date }>('SELECT now() AS now');
    const children = level < 5 ? await listChildren(tx, code) : [];
    return {
      code,
      name: region.name,
      asOf: state.categoriesOn,
      countedAt: (now.rows[0]?.now ?? new Date()).toISOString(),
      categoriesCountedAt: state.recountedAt.toISOString(),
      total,
      children: children.map((child) => ({
        code: child.code,
        name: child.name,
        level: child.level,
        inScope: isWithin(child.code, actor.regionCode),
        ...(byKey.get(child.code) ?? empty()),
      })),
    };
  });
}
