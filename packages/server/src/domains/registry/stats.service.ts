/** Counts for the region browser: households, persons and categories in force, per child region. */
import { asActor } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { isWithin, type RegionLevel, regionLevel } from '../regions/regionCode.ts';
import { findRegion, listChildren } from '../regions/regions.repo.ts';
import { Categories, today } from './registry.model.ts';
import { type RegistryDeps, regionRange } from './registry.views.ts';

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
  return asActor(deps.db, actor, requestId, async (tx) => {
    const region = await findRegion(tx, code);
    if (!region) throw errors.notFound('地区');
    const level = regionLevel(code);
    const digits = DIGITS[Math.min(level + 1, 5) as RegionLevel];
    const { low, high } = regionRange(code);
    const key = `rpad(left(region_code, ${digits}), 12, '0')`;
    const byKey = new Map<string, Counts>();
    const get = (k: string) => {
      const found = byKey.get(k);
      if (found) return found;
      const created = empty();
      byKey.set(k, created);
      return created;
    };
    const households = await tx.query<{ k: string; n: number }>(
      `SELECT ${key} AS k, count(*)::int AS n FROM household WHERE region_code BETWEEN $1 AND $2 GROUP BY 1`,
      [low, high],
    );
    for (const r of households.rows) get(r.k).households = r.n;
    const persons = await tx.query<{ k: string; n: number }>(
      `SELECT ${key} AS k, count(*)::int AS n FROM person
        WHERE region_code BETWEEN $1 AND $2 AND merged_into IS NULL AND death_date IS NULL GROUP BY 1`,
      [low, high],
    );
    for (const r of persons.rows) get(r.k).persons = r.n;
    const categories = await tx.query<{ k: string; category: string; n: number }>(
      `SELECT ${key} AS k, category, count(DISTINCT household_id)::int AS n FROM household_category
        WHERE region_code BETWEEN $1 AND $2 AND valid_from <= $3 AND (valid_to IS NULL OR valid_to > $3)
        GROUP BY 1, 2`,
      [low, high, on],
    );
    for (const r of categories.rows) get(r.k).categories[r.category] = r.n;
    const total = empty();
    for (const c of byKey.values()) {
      total.households += c.households;
      total.persons += c.persons;
      for (const [k, n] of Object.entries(c.categories)) total.categories[k] = (total.categories[k] ?? 0) + n;
    }
    const children = level < 5 ? await listChildren(tx, code) : [];
    return {
      code,
      name: region.name,
      asOf: on,
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
