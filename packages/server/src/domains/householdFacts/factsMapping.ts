/**
 * The pure half of the facts assembler: one assembled row → the rules engine's `HouseholdFacts`
 * (member facts from dated attributes, economic facts by catalogue name). No database imports, so
 * that worker threads can load it (snapshotFacts.ts applies it on the worker side of a run).
 * The rules themselves are described in householdFacts.ts.
 */
import type { HouseholdFacts } from '@doudi/rules';
import { ageOn } from '../registry/registry.model.ts';

export interface AssembledHousehold {
  householdId: string;
  householdNumber: string;
  /** The household's village. */
  regionCode: string;
  facts: HouseholdFacts;
  /** Person ids in the order of `facts.members`. */
  memberIds: string[];
  /** Where the economic facts came from, or null when the household has none on the date. */
  economySource: 'declared' | 'approved' | null;
  economyAsOf: string | null;
}

export interface FactsBatch {
  households: AssembledHousehold[];
  /** Id of the last household in the batch (the keyset cursor for the next one). */
  lastId: string;
}

/** One row of the assembling query (exported for tests of the pure mapping). */
export interface FactsRow {
  id: string;
  household_number: string;
  region_code: string;
  urban: boolean;
  categories: string[] | null;
  economy: Record<string, unknown> | null;
  economy_source: 'declared' | 'approved' | null;
  economy_as_of: string | null;
  members: MemberRow[] | null;
}

export interface MemberRow {
  id: string;
  birth_date: string;
  sex: string;
  attrs: Record<string, Record<string, unknown>> | null;
}

/** Economic facts the assembler takes from household_economy (catalog/facts/household.yaml). */
export const ECONOMY_FACTS = [
  'wageIncome',
  'businessIncome',
  'agriculturalIncome',
  'propertyIncome',
  'remittanceIncome',
  'pensionIncome',
  'transferIncome',
  'exemptIncome',
  'medicalExpenseAnnual',
  'educationExpenseAnnual',
  'pensionContributionAnnual',
  'financialAssets',
  'housingUnits',
  'vehicleCount',
  'businessCount',
  'publicEmployee',
  'luxuryConsumption',
  'recentHousePurchase',
  'refusedVerification',
  'tekunPlacement',
  'ownsHome',
  'dilapidatedHouse',
  'suddenHardship',
  'suddenLoss',
  'disasterAffected',
  'houseCollapsed',
  'onlyChildLostOrDisabled',
  'unionMemberHardship',
] as const;
const ECONOMY_FACT_SET: ReadonlySet<string> = new Set(ECONOMY_FACTS);

const CARE_TASKS: [string, string][] = [
  ['eating', 'careEating'],
  ['dressing', 'careDressing'],
  ['bedTransfer', 'careBedTransfer'],
  ['toilet', 'careToilet'],
  ['walkingIndoors', 'careWalkingIndoors'],
  ['bathing', 'careBathing'],
];

/**
 * A member's facts from their attributes, handed to `put` one by one: into an object here, straight
 * into the engine's record on a screening worker (snapshotFacts.ts `householdRecords`).
 */
export function memberFactsInto(m: MemberRow, onDate: string, put: (name: string, value: unknown) => void) {
  const a = m.attrs ?? {};
  put('age', ageOn(m.birth_date, onDate));
  put('sex', m.sex);
  if (a.seriousIllness) put('health', 'seriousIllness');
  else if (typeof a.healthCondition?.status === 'string') put('health', a.healthCondition.status);
  const disability = a.disability;
  if (disability && typeof disability.grade === 'number') {
    put('disabilityType', typeof disability.type === 'string' ? disability.type : 'multiple');
    put('disabilityGrade', disability.grade);
  } else {
    put('disabilityType', 'none');
    put('disabilityGrade', 0);
  }
  if (typeof a.workCapacity?.capacity === 'string') put('workCapacity', a.workCapacity.capacity);
  if (typeof a.employment?.status === 'string') put('employment', a.employment.status);
  put('schoolingStage', typeof a.schooling?.stage === 'string' ? a.schooling.stage : 'none');
  const care = a.careDependency;
  if (care) {
    for (const [task, fact] of CARE_TASKS) if (typeof care[task] === 'boolean') put(fact, care[task]);
  }
}

function memberFacts(m: MemberRow, onDate: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  memberFactsInto(m, onDate, (name, value) => {
    out[name] = value;
  });
  return out;
}

/** Pure mapping of one assembled row to the engine's input. */
export function buildFacts(row: FactsRow, onDate: string): AssembledHousehold {
  const household: Record<string, unknown> = {
    urban: row.urban,
    currentCategories: row.categories ?? [],
  };
  for (const [name, value] of Object.entries(row.economy ?? {})) {
    // Only catalogue economic facts; never let stored JSON override registry facts.
    if (ECONOMY_FACT_SET.has(name) && value !== null && value !== undefined) household[name] = value;
  }
  const members = row.members ?? [];
  return {
    householdId: row.id,
    householdNumber: row.household_number,
    regionCode: row.region_code,
    facts: { household, members: members.map((m) => memberFacts(m, onDate)) },
    memberIds: members.map((m) => m.id),
    economySource: row.economy_source,
    economyAsOf: row.economy_as_of,
  };
}
