/**
 * The what-if run (政策测算): every household of a region subtree evaluated twice on one date, with
 * the catalogue in force (baseline) and with the changed parameters (scenario), then counted per
 * policy and township. Reads only (registry and economy through `streamHouseholdFacts`, in the
 * starter's scope); nothing is written anywhere, the result lives in memory (whatIf.store.ts).
 *
 * Only the policies that read a changed parameter (directly or through variables: `policy.parameters`
 * is transitive) are evaluated: the others cannot change, so their counts would be noise and their
 * evaluation wasted time. "Eligible" is the engine's status whatever the household already receives:
 * a what-if estimates the caseload and the money, not the households still to be found.
 */
import { type CompiledCatalog, evaluateBatch, STATUS_CODES } from '@doudi/rules';
import type { Database } from '../../db/database.ts';
import type { Actor } from '../access/permissions.ts';
import { streamHouseholdFacts } from '../householdFacts/householdFacts.ts';

const ELIGIBLE = STATUS_CODES.indexOf('eligible');
const NEEDS_INFORMATION = STATUS_CODES.indexOf('needsInformation');

export interface Cell {
  baselineEligible: number;
  scenarioEligible: number;
  newlyEligible: number;
  newlyIneligible: number;
  /** Sums of the amounts of the eligible households, in fen (per the policy's unit). */
  baselineAmountFen: number;
  scenarioAmountFen: number;
  /**
   * Households the baseline could not decide for lack of facts (e.g. veto questions never asked):
   * the scenario cannot decide them either, so the counts above leave them out; the page says so.
   */
  needsInformation: number;
}

export interface TownshipTotals {
  households: number;
  /** Households eligible for at least one more (fewer) policy under the scenario. */
  householdsGaining: number;
  householdsLosing: number;
  /** Households undecided (needsInformation) for at least one policy in the baseline. */
  householdsNeedingInformation: number;
  /** Sums over the policies paid monthly (unit fen/month). */
  monthlyBaselineFen: number;
  monthlyScenarioFen: number;
}

export interface WhatIfTally {
  policyIds: string[];
  names: { zh: string; en: string }[];
  units: string[];
  /** Township code → policy index → cell. */
  cells: Map<string, Cell[]>;
  townships: Map<string, TownshipTotals>;
  processed: number;
}

const emptyCell = (): Cell => ({
  baselineEligible: 0,
  scenarioEligible: 0,
  newlyEligible: 0,
  newlyIneligible: 0,
  baselineAmountFen: 0,
  scenarioAmountFen: 0,
  needsInformation: 0,
});

/** Parameters are overridden down to township level: one evaluation context per township. */
export const townshipOf = (regionCode: string) => `${regionCode.slice(0, 9)}000`;

/**
 * Policies whose result can depend on one of the changed parameters: those reading one, and those
 * linked to such a policy by `supersedes` (tekun's result decides whether dibao is paid, and the
 * other way round dibao must be evaluated beside tekun to be superseded).
 */
export function affectedPolicies(catalog: CompiledCatalog, changed: readonly string[]): string[] {
  const affected = new Set(
    catalog.policies.filter((p) => p.parameters.some((name) => changed.includes(name))).map((p) => p.id),
  );
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of catalog.policies) {
      const linked = affected.has(p.id) ? p.supersedes.filter((id) => !affected.has(id)) : [];
      if (!affected.has(p.id) && p.supersedes.some((id) => affected.has(id))) linked.push(p.id);
      for (const id of linked) {
        affected.add(id);
        grew = true;
      }
    }
  }
  return catalog.policies.filter((p) => affected.has(p.id)).map((p) => p.id);
}

export function newTally(catalog: CompiledCatalog, policyIds: string[]): WhatIfTally {
  const policies = policyIds.map((id) => catalog.policies.find((p) => p.id === id));
  return {
    policyIds,
    names: policies.map((p, i) => p?.name ?? { zh: policyIds[i] as string, en: policyIds[i] as string }),
    units: policies.map((p) => p?.amount?.unit ?? ''),
    cells: new Map(),
    townships: new Map(),
    processed: 0,
  };
}

/** Adds one township's households, evaluated both ways, to the tally. Synchronous, no trace. */
export function tallyTownship(
  tally: WhatIfTally,
  baseline: CompiledCatalog,
  scenario: CompiledCatalog,
  township: string,
  households: readonly Parameters<typeof evaluateBatch>[1][number][],
  date: string,
): void {
  const options = { policies: tally.policyIds };
  const before = evaluateBatch(baseline, households, date, township, options);
  const after = evaluateBatch(scenario, households, date, township, options);
  const policyCount = tally.policyIds.length;
  let cells = tally.cells.get(township);
  if (!cells) {
    cells = tally.policyIds.map(emptyCell);
    tally.cells.set(township, cells);
  }
  let totals = tally.townships.get(township);
  if (!totals) {
    totals = {
      households: 0,
      householdsGaining: 0,
      householdsLosing: 0,
      householdsNeedingInformation: 0,
      monthlyBaselineFen: 0,
      monthlyScenarioFen: 0,
    };
    tally.townships.set(township, totals);
  }
  for (let h = 0; h < households.length; h++) {
    let gains = false;
    let losses = false;
    let undecided = false;
    for (let p = 0; p < policyCount; p++) {
      const slot = h * policyCount + p;
      const was = before.statuses[slot] === ELIGIBLE;
      const is = after.statuses[slot] === ELIGIBLE;
      const cell = cells[p] as Cell;
      if (before.statuses[slot] === NEEDS_INFORMATION) {
        cell.needsInformation += 1;
        undecided = true;
      }
      if (!was && !is) continue;
      const monthly = tally.units[p] === 'fen/month';
      if (was) {
        const amount = before.amountsFen[slot] as number;
        cell.baselineEligible += 1;
        if (!Number.isNaN(amount)) {
          cell.baselineAmountFen += amount;
          if (monthly) totals.monthlyBaselineFen += amount;
        }
      }
      if (is) {
        const amount = after.amountsFen[slot] as number;
        cell.scenarioEligible += 1;
        if (!Number.isNaN(amount)) {
          cell.scenarioAmountFen += amount;
          if (monthly) totals.monthlyScenarioFen += amount;
        }
      }
      if (is && !was) {
        cell.newlyEligible += 1;
        gains = true;
      } else if (was && !is) {
        cell.newlyIneligible += 1;
        losses = true;
      }
    }
    totals.households += 1;
    if (gains) totals.householdsGaining += 1;
    if (losses) totals.householdsLosing += 1;
    if (undecided) totals.householdsNeedingInformation += 1;
  }
  tally.processed += households.length;
}

export interface WhatIfRunInput {
  scope: Actor;
  regionCode: string;
  onDate: string;
  baseline: CompiledCatalog;
  scenario: CompiledCatalog;
  policyIds: string[];
  batchSize?: number;
  /** After each batch; a run reports progress through it. */
  onProgress?: (processed: number) => void;
  /** Checked between batches: a cancelled or expired run stops reading. */
  cancelled?: () => boolean;
}

/** Walks the region's households and tallies baseline against scenario. */
export async function runWhatIf(db: Database, input: WhatIfRunInput): Promise<WhatIfTally> {
  const tally = newTally(input.baseline, input.policyIds);
  if (input.policyIds.length === 0) return tally;
  for await (const batch of streamHouseholdFacts(db, {
    scope: input.scope,
    regionCode: input.regionCode,
    onDate: input.onDate,
    batchSize: input.batchSize ?? 2000,
  })) {
    if (input.cancelled?.()) break;
    const groups = new Map<string, (typeof batch.households)[number]['facts'][]>();
    for (const h of batch.households) {
      const key = townshipOf(h.regionCode);
      const group = groups.get(key);
      if (group) group.push(h.facts);
      else groups.set(key, [h.facts]);
    }
    for (const [township, facts] of groups)
      tallyTownship(tally, input.baseline, input.scenario, township, facts, input.onDate);
    input.onProgress?.(tally.processed);
  }
  return tally;
}
