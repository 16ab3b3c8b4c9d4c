/**
 * 政策测算 (what-if): the parameters one may change, starting a run, following it and reading its
 * result. Permission first; region scope checked here for clear messages and enforced by the
 * database (the run reads in the starter's scope). Runs are kept in memory (whatIf.store.ts).
 */
import { lookupParameter } from '@doudi/rules';
import type { Database } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import { AppError, errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { countHouseholds } from '../householdFacts/householdFacts.ts';
import { isWithin, regionLevel, regionPrefix } from '../regions/regionCode.ts';
import { findRegion } from '../regions/regions.repo.ts';
import { checkDate, today } from '../registry/registry.model.ts';
import { activeCatalog } from '../rules/activeCatalog.ts';
import { checkChanges, type ParameterChange, scenarioCatalog } from './whatIf.changes.ts';
import { affectedPolicies, runWhatIf } from './whatIf.run.ts';
import { MAX_RUNNING, type WhatIfEntry, type WhatIfStore } from './whatIf.store.ts';
import { whatIfView } from './whatIf.view.ts';

export interface WhatIfDeps {
  db: Database;
  store: WhatIfStore;
  log?: { error(object: object, message: string): void };
}

/** The region a request names (default: the user's), checked against the user's scope. */
async function checkedRegion(deps: WhatIfDeps, actor: Actor, requested: string | undefined) {
  const regionCode = requested ?? actor.regionCode;
  if (!isWithin(regionCode, actor.regionCode)) throw errors.outOfScope('所选地区');
  if (regionLevel(regionCode) < 3 || regionLevel(regionCode) > 4)
    throw errors.validation(
      'regionCode',
      '政策测算按县（市、区）或乡镇运行',
      'run over a county or a township',
    );
  const region = await asActor(deps.db, actor, undefined, (tx) => findRegion(tx, regionCode));
  if (!region) throw errors.validation('regionCode', `地区代码${regionCode}不存在`, 'unknown region');
  return region;
}

/** Parameters the policies read, with the value in force for the region on the date. */
export async function listParameters(
  deps: WhatIfDeps,
  actor: Actor | undefined,
  query: { onDate?: string; regionCode?: string },
  requestId?: string,
) {
  authorize(actor, Permission.whatIfRun);
  const onDate = checkDate(query.onDate ?? today(), 'onDate');
  const region = await checkedRegion(deps, actor, query.regionCode);
  const active = await asActor(deps.db, actor, requestId, (tx) => activeCatalog(tx, onDate));
  const usedBy = new Map<string, string[]>();
  for (const p of active.catalog.policies)
    for (const name of p.parameters) usedBy.set(name, [...(usedBy.get(name) ?? []), p.id]);
  const items = [...active.catalog.parameters.values()]
    .filter((p) => usedBy.has(p.name))
    .map((p) => {
      let current: { value: number | string | boolean | null; effectiveDate: string | null } = {
        value: null,
        effectiveDate: null,
      };
      try {
        const v = lookupParameter(p, onDate, region.code);
        current = {
          value: typeof v.value === 'bigint' ? Number(v.value) : v.value,
          effectiveDate: v.effectiveDate,
        };
      } catch {
        // No value in force here on that date: shown as "未设定"; a change then has nothing to act on.
      }
      return {
        name: p.name,
        description: p.description,
        unit: p.unit,
        type: p.type,
        reference: p.reference,
        ...current,
        policies: usedBy.get(p.name) ?? [],
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return { onDate, regionCode: region.code, catalogVersion: active.version, items };
}

export async function startWhatIf(
  deps: WhatIfDeps,
  actor: Actor | undefined,
  body: { onDate?: string; regionCode?: string; changes: ParameterChange[] },
  requestId?: string,
) {
  authorize(actor, Permission.whatIfRun);
  const onDate = checkDate(body.onDate ?? today(), 'onDate');
  const region = await checkedRegion(deps, actor, body.regionCode);
  const active = await asActor(deps.db, actor, requestId, (tx) => activeCatalog(tx, onDate));
  const changes = checkChanges(active.catalog, body.changes);
  if (deps.store.running(actor.userId).length > 0)
    throw errors.conflict(
      'WHAT_IF_ALREADY_RUNNING',
      '您已有一次政策测算正在进行，请等它完成后再发起',
      'you already have a what-if run in progress',
    );
  if (deps.store.running().length >= MAX_RUNNING)
    throw new AppError(
      503,
      'WHAT_IF_BUSY',
      '当前同时进行的政策测算较多，请稍后再试',
      'too many what-if runs at the moment, try again shortly',
    );
  const baseline = active.catalog;
  const scenario = scenarioCatalog(baseline, changes, onDate, regionPrefix(region.code));
  const policyIds = affectedPolicies(
    baseline,
    changes.map((c) => c.parameter),
  );
  // Taken before any await, so two quick requests of one officer cannot both start a run.
  const entry = deps.store.add({
    ownerId: actor.userId,
    ownerName: actor.displayName,
    regionCode: region.code,
    onDate,
    catalogVersion: active.version,
    changes,
    total: 0,
  });
  try {
    // Reading the whole population's figures is recorded, like any bulk read of personal data.
    entry.total = await asActor(deps.db, actor, requestId, async (tx) => {
      const n = await countHouseholds(tx, region.code);
      await appendAudit(tx, {
        action: 'whatIf.run',
        entityType: 'what_if',
        entityId: entry.id,
        regionCode: region.code,
        actorRole: actor.role,
        after: { regionCode: region.code, onDate, changes, policies: policyIds, households: n },
      });
      return n;
    });
  } catch (error) {
    entry.status = 'failed';
    entry.error = '测算未能开始';
    entry.finishedAt = new Date();
    throw error;
  }
  void execute(deps, actor, entry, { baseline, scenario, policyIds });
  return whatIfView(entry);
}

async function execute(
  deps: WhatIfDeps,
  actor: Actor,
  entry: WhatIfEntry,
  run: Pick<Parameters<typeof runWhatIf>[1], 'baseline' | 'scenario' | 'policyIds'>,
): Promise<void> {
  try {
    const tally = await runWhatIf(deps.db, {
      scope: actor,
      regionCode: entry.regionCode,
      onDate: entry.onDate,
      ...run,
      onProgress: (processed) => {
        entry.processed = processed;
      },
      cancelled: () => entry.cancelled,
    });
    if (entry.cancelled) throw new Error('cancelled');
    const codes = [...tally.townships.keys()];
    const names = await asActor(deps.db, actor, undefined, (tx) =>
      tx.query<{ code: string; name: string }>('SELECT code, name FROM region WHERE code = ANY($1::text[])', [
        codes,
      ]),
    );
    entry.townshipNames = new Map(names.rows.map((r) => [r.code, r.name]));
    entry.tally = tally;
    entry.processed = tally.processed;
    entry.status = 'done';
  } catch (error) {
    entry.status = 'failed';
    entry.error = entry.cancelled ? '测算已中止（服务重启）' : '测算失败，请稍后重试或联系管理员';
    if (!entry.cancelled) deps.log?.error({ err: error, whatIfId: entry.id }, 'what-if run failed');
  } finally {
    entry.finishedAt = new Date();
  }
}

export function getWhatIf(deps: WhatIfDeps, actor: Actor | undefined, id: string) {
  authorize(actor, Permission.whatIfRun);
  const entry = deps.store.get(id);
  // Runs are private to whoever started them (they were asked with that officer's scope).
  if (!entry || entry.ownerId !== actor.userId) throw errors.notFound('该次政策测算');
  return whatIfView(entry);
}
