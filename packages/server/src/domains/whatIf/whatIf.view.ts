/** What a what-if run looks like on the wire (shape fixed by whatIf.schemas.ts). */

import type { Cell } from './whatIf.run.ts';
import type { WhatIfEntry } from './whatIf.store.ts';

const sumCells = (cells: readonly Cell[]): Cell =>
  cells.reduce(
    (a, c) => ({
      baselineEligible: a.baselineEligible + c.baselineEligible,
      scenarioEligible: a.scenarioEligible + c.scenarioEligible,
      newlyEligible: a.newlyEligible + c.newlyEligible,
      newlyIneligible: a.newlyIneligible + c.newlyIneligible,
      baselineAmountFen: a.baselineAmountFen + c.baselineAmountFen,
      scenarioAmountFen: a.scenarioAmountFen + c.scenarioAmountFen,
      needsInformation: a.needsInformation + c.needsInformation,
    }),
    {
      baselineEligible: 0,
      scenarioEligible: 0,
      newlyEligible: 0,
      newlyIneligible: 0,
      baselineAmountFen: 0,
      scenarioAmountFen: 0,
      needsInformation: 0,
    },
  );

const withChange = (c: Cell) => ({ ...c, changeFen: c.scenarioAmountFen - c.baselineAmountFen });

function resultOf(entry: WhatIfEntry) {
  const tally = entry.tally;
  if (!tally) return null;
  const codes = [...tally.townships.keys()].sort();
  const policies = tally.policyIds.map((policyId, p) => ({
    policyId,
    name: tally.names[p]?.zh ?? policyId,
    nameEn: tally.names[p]?.en ?? policyId,
    unit: tally.units[p] ?? '',
    ...withChange(sumCells(codes.map((code) => (tally.cells.get(code) as Cell[])[p] as Cell))),
    townships: codes.map((code) => ({
      regionCode: code,
      ...withChange((tally.cells.get(code) as Cell[])[p] as Cell),
    })),
  }));
  const townships = codes.map((code) => {
    const t = tally.townships.get(code) as NonNullable<ReturnType<typeof tally.townships.get>>;
    const cells = sumCells(tally.cells.get(code) as Cell[]);
    return {
      regionCode: code,
      name: entry.townshipNames.get(code) ?? code,
      households: t.households,
      householdsGaining: t.householdsGaining,
      householdsLosing: t.householdsLosing,
      householdsNeedingInformation: t.householdsNeedingInformation,
      newlyEligible: cells.newlyEligible,
      newlyIneligible: cells.newlyIneligible,
      monthlyBaselineFen: t.monthlyBaselineFen,
      monthlyScenarioFen: t.monthlyScenarioFen,
      monthlyChangeFen: t.monthlyScenarioFen - t.monthlyBaselineFen,
    };
  });
  const total = (
    key:
      | 'households'
      | 'householdsGaining'
      | 'householdsLosing'
      | 'householdsNeedingInformation'
      | 'newlyEligible'
      | 'newlyIneligible'
      | 'monthlyBaselineFen'
      | 'monthlyScenarioFen',
  ) => townships.reduce((n, t) => n + t[key], 0);
  return {
    summary: {
      households: total('households'),
      householdsGaining: total('householdsGaining'),
      householdsLosing: total('householdsLosing'),
      householdsNeedingInformation: total('householdsNeedingInformation'),
      newlyEligible: total('newlyEligible'),
      newlyIneligible: total('newlyIneligible'),
      monthlyBaselineFen: total('monthlyBaselineFen'),
      monthlyScenarioFen: total('monthlyScenarioFen'),
      monthlyChangeFen: total('monthlyScenarioFen') - total('monthlyBaselineFen'),
    },
    policies,
    townships,
  };
}

export function whatIfView(entry: WhatIfEntry) {
  return {
    id: entry.id,
    regionCode: entry.regionCode,
    onDate: entry.onDate,
    catalogVersion: entry.catalogVersion,
    startedBy: entry.ownerName,
    changes: entry.changes.map((c) => ({
      parameter: c.parameter,
      description: c.description,
      unit: c.unit,
      change:
        'set' in c.change
          ? { set: typeof c.change.set === 'bigint' ? Number(c.change.set) : c.change.set }
          : { scalePercent: c.change.scalePercent },
    })),
    status: entry.status,
    total: entry.total,
    processed: entry.processed,
    createdAt: entry.createdAt.toISOString(),
    finishedAt: entry.finishedAt?.toISOString() ?? null,
    durationMs: entry.finishedAt ? entry.finishedAt.getTime() - entry.createdAt.getTime() : null,
    error: entry.error,
    result: resultOf(entry),
  };
}
