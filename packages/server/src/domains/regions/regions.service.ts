/** The region tree as users see it: anyone signed in may read it; scope decides what they may open. */
import type { Database } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { isRegionCode, isWithin, type RegionLevel, regionLevelNames, regionPrefix } from './regionCode.ts';
import * as repo from './regions.repo.ts';

export interface RegionView {
  code: string;
  originalCode: string;
  name: string;
  level: number;
  levelName: string;
  parentCode: string | null;
  urban: boolean | null;
  childCount: number;
  inScope: boolean;
}

function toView(row: repo.RegionRow, actor: Actor): RegionView {
  return {
    code: row.code,
    originalCode: row.original_code,
    name: row.name,
    level: row.level,
    levelName: regionLevelNames[row.level as RegionLevel].zh,
    parentCode: row.parent_code,
    urban: row.urban,
    childCount: row.child_count,
    inScope: isWithin(row.code, actor.regionCode),
  };
}

function checkCode(code: string) {
  if (!isRegionCode(code))
    throw errors.validation('code', '行政区划代码应为12位数字', 'a region code has 12 digits');
}

/** Opening a region's page is limited to the actor's own subtree (and the chain above it). */
export async function getRegion(db: Database, actor: Actor | undefined, code: string, requestId?: string) {
  authorize(actor, Permission.regionRead);
  checkCode(code);
  if (!isWithin(code, actor.regionCode)) throw errors.outOfScope('该地区');
  return asActor(db, actor, requestId, async (tx) => {
    const row = await repo.findRegion(tx, code);
    if (!row) throw errors.notFound('地区');
    const [ancestors, children, counts] = await Promise.all([
      repo.listAncestors(tx, code),
      repo.listChildren(tx, code),
      repo.countRegions(tx, regionPrefix(code)),
    ]);
    return {
      region: toView(row, actor),
      ancestors: ancestors.map((r) => toView(r, actor)),
      children: children.map((r) => toView(r, actor)),
      countsByLevel: counts,
    };
  });
}

/** Children for the region tree picker, limited to the actor's subtree. */
export async function getChildren(db: Database, actor: Actor | undefined, code: string, requestId?: string) {
  authorize(actor, Permission.regionRead);
  checkCode(code);
  if (!isWithin(code, actor.regionCode)) throw errors.outOfScope('该地区');
  const rows = await asActor(db, actor, requestId, (tx) => repo.listChildren(tx, code));
  return rows.map((r) => toView(r, actor));
}

export async function searchRegions(
  db: Database,
  actor: Actor | undefined,
  name: string,
  requestId?: string,
) {
  authorize(actor, Permission.regionRead);
  const rows = await asActor(db, actor, requestId, (tx) =>
    repo.searchRegions(tx, regionPrefix(actor.regionCode), name, 50),
  );
  return rows.map((r) => toView(r, actor));
}

/** The actor's own region and its ancestors: the root of their tree picker. */
export async function getScopeRoot(db: Database, actor: Actor | undefined, requestId?: string) {
  authorize(actor, Permission.regionRead);
  const rows = await asActor(db, actor, requestId, (tx) => repo.listAncestors(tx, actor.regionCode));
  return rows.map((r) => toView(r, actor));
}
