import { checkIdNumber } from '@doudi/rules';
import { beforeAll, describe, expect, it } from 'vitest';
import { ageOn } from './dates.ts';
import { CATEGORY_SHARES } from './enrolment.ts';
import { generateCounty, HIDDEN_ASSET_SHARE } from './generate.ts';
import { loadVillagesFromChinaDivision } from './loadVillages.ts';
import { ALL_BIRTH_REGION_CODES, inProvinceMigrantShare } from './regions.ts';
import type { AssistanceCategory, CountyHousehold, SourceRecord } from './types.ts';

/**
 * One pass over a 20,000-household county collects counters and every violation found; the tests
 * below assert on them. Tolerances are about four standard errors of each rate at this size.
 */
const HOUSEHOLDS = 20_000;
const ASOF = '2025-06-30';

const problems: Record<string, string[]> = {
  id: [],
  membership: [],
  head: [],
  truth: [],
  hidden: [],
  events: [],
  tax: [],
};
const note = (kind: string, message: string) => {
  const list = problems[kind] as string[];
  if (list.length < 20) list.push(message);
};
const n = {
  persons: 0,
  living: 0,
  disabled: 0,
  seriouslyIll: 0,
  workingAge: 0,
  migrants: 0,
  migrantsAway: 0,
  migrantsInHubei: 0,
  hiddenHouseholds: 0,
  duplicateIds: 0,
  duplicatePersonIds: 0,
};
const sizes = new Map<number, number>();
const categories = new Map<AssistanceCategory, number>();
const eventKinds = new Map<string, number>();

beforeAll(async () => {
  const villages = await loadVillagesFromChinaDivision('420921');
  const seenIds = new Set<string>();
  const seenPersons = new Set<string>();
  for (const { household, records, truth } of generateCounty({
    seed: 2025,
    households: HOUSEHOLDS,
    villages,
    asOf: ASOF,
  })) {
    const living = household.members.filter((p) => p.deathDate === null);
    sizes.set(living.length, (sizes.get(living.length) ?? 0) + 1);
    for (const e of household.enrolments) categories.set(e.category, (categories.get(e.category) ?? 0) + 1);
    if (truth.hidden.length > 0) n.hiddenHouseholds++;

    const heads = household.members.filter((p) => p.relationship === 'head');
    const head = heads[0];
    if (
      heads.length !== 1 ||
      !head ||
      head.deathDate !== null ||
      ageOn(head.birthDate, ASOF) < 18 ||
      household.members[0] !== head
    ) {
      note('head', `${household.id}: heads ${heads.map((h) => `${h.name} ${h.birthDate}`).join(', ')}`);
    }

    for (const p of household.members) {
      n.persons++;
      if (seenPersons.has(p.id)) n.duplicatePersonIds++;
      seenPersons.add(p.id);
      if (
        p.householdId !== household.id ||
        !p.id.startsWith(`${household.id}-`) ||
        p.hukouRegion !== household.villageCode
      ) {
        note('membership', `${p.id} in ${household.id}`);
      }
      if (seenIds.has(p.idNumber)) n.duplicateIds++;
      seenIds.add(p.idNumber);
      const check = checkIdNumber(p.idNumber, ASOF);
      if (
        !check.valid ||
        check.birthDate !== p.birthDate ||
        check.sex !== p.sex ||
        !ALL_BIRTH_REGION_CODES.includes(check.regionCode)
      ) {
        note('id', `${p.idNumber} ${p.birthDate} ${p.sex}`);
      }
      if (p.disability && !p.disability.certificateNumber.startsWith(p.idNumber))
        note('id', `certificate ${p.disability.certificateNumber}`);
      if (p.deathDate !== null) continue;
      n.living++;
      if (p.disability) n.disabled++;
      if (p.health === 'seriousIllness') n.seriouslyIll++;
      const age = ageOn(p.birthDate, ASOF);
      if (age >= 16 && age < 60 && p.schooling === null) {
        n.workingAge++;
        if (p.employment === 'migrantWorker') {
          n.migrants++;
          if (!p.residenceRegion.startsWith(household.countyCode) && p.residenceRegion.length === 6)
            n.migrantsAway++;
          if (p.residenceRegion.startsWith('42')) n.migrantsInHubei++;
        }
      }
    }
    checkTruth(household.id, records, truth, household);
  }
}, 120_000);

function checkTruth(
  id: string,
  records: SourceRecord[],
  truth: CountyHousehold['truth'],
  household: CountyHousehold['household'],
): void {
  const byId = new Map(household.members.map((p) => [p.id, p]));
  // Household income is the sum of its members' incomes.
  const sum = truth.personIncome.reduce(
    (s, x) => s + Object.values(x.monthlyIncomeFen).reduce((a, b) => a + b, 0),
    0,
  );
  const total = Object.values(truth.monthlyIncomeFen).reduce((a, b) => a + b, 0);
  if (sum !== total) note('truth', `${id}: income ${sum} != ${total}`);
  // Every true asset has exactly one source record, held by its owner.
  const assetRecords = new Map<string, SourceRecord[]>();
  for (const r of records) {
    if ('assetId' in r) assetRecords.set(r.assetId, [...(assetRecords.get(r.assetId) ?? []), r]);
  }
  const assets = [
    ...truth.assets.deposits,
    ...truth.assets.properties,
    ...truth.assets.vehicles,
    ...truth.assets.businesses,
  ];
  for (const a of assets) {
    const found = assetRecords.get(a.id) ?? [];
    if (found.length !== 1 || found[0]?.idNumber !== byId.get(a.personId)?.idNumber)
      note('truth', `${id}: asset ${a.id} has ${found.length} records`);
  }
  if (assetRecords.size !== assets.length)
    note('truth', `${id}: ${assetRecords.size} asset records for ${assets.length} assets`);
  // Hidden items are in the records and missing from the declaration.
  const hiddenIds = new Set(truth.hidden.map((h) => h.assetId));
  for (const h of truth.hidden)
    if (!assetRecords.has(h.assetId)) note('hidden', `${id}: hidden ${h.assetId} not in records`);
  const visible = <T extends { id: string }>(xs: T[]) => xs.filter((x) => !hiddenIds.has(x.id)).length;
  const d = household.declared;
  if (
    d.vehicles !== visible(truth.assets.vehicles) ||
    d.properties !== visible(truth.assets.properties) ||
    d.businesses !== visible(truth.assets.businesses)
  ) {
    note('hidden', `${id}: declared counts include a hidden item`);
  }
  const declaredMoney = d.depositsFen + d.securitiesFen;
  const hiddenDeposit = truth.hidden.find((h) => h.kind === 'largeDeposit');
  const trueMoney = truth.assets.deposits.reduce((s, x) => s + x.balanceFen, 0);
  if (
    hiddenDeposit &&
    declaredMoney >
      trueMoney - (truth.assets.deposits.find((x) => x.id === hiddenDeposit.assetId)?.balanceFen ?? 0)
  ) {
    note('hidden', `${id}: hidden deposit declared`);
  }
  // Each hardship event leaves the trace its department would record.
  for (const e of truth.hardshipEvents) {
    eventKinds.set(e.kind, (eventKinds.get(e.kind) ?? 0) + 1);
    const p = byId.get(e.personId);
    const mine = records.filter((r) => r.idNumber === p?.idNumber);
    const ok =
      e.kind === 'earnerDeath'
        ? mine.some((r) => r.source === 'death' && r.deathDate === e.date) &&
          mine.some((r) => r.source === 'hukou' && r.event === 'deregistration' && r.eventDate === e.date) &&
          p?.deathDate === e.date &&
          ageOn(p.birthDate, e.date) >= 18 &&
          ageOn(p.birthDate, e.date) <= 61
        : e.kind === 'seriousIllness'
          ? mine.some(
              (r) =>
                r.source === 'medicalClaim' &&
                r.icd10 === p?.seriousIllness?.icd10 &&
                r.admissionDate === e.date,
            )
          : e.kind === 'disability'
            ? mine.some((r) => r.source === 'disabilityCertificate' && r.issuedOn === e.date)
            : mine.some(
                (r) => r.source === 'socialInsurance' && r.status === 'suspended' && r.statusSince === e.date,
              );
    if (!ok || e.date > ASOF) note('events', `${id}: ${e.kind} of ${e.personId} on ${e.date}`);
  }
  // Tax records report about a year of the true monthly wage (job losers and the dead excepted).
  const jobless = new Set(
    truth.hardshipEvents
      .filter((e) => e.kind !== 'disability' && e.kind !== 'seriousIllness')
      .map((e) => e.personId),
  );
  for (const r of records) {
    if (r.source !== 'tax') continue;
    const p = household.members.find((m) => m.idNumber === r.idNumber);
    if (!p || jobless.has(p.id)) continue;
    const wages = truth.personIncome.find((x) => x.personId === p.id)?.monthlyIncomeFen.wages ?? 0;
    if (r.wageIncomeFen < wages * 12 * 0.94 || r.wageIncomeFen > wages * 12 * 1.09)
      note('tax', `${id}: ${r.wageIncomeFen} vs ${wages}/month`);
  }
}

describe('a 20,000-household Xiaochang county', () => {
  it('issues valid, unique identity numbers agreeing with birth date, sex and a Hubei region', () => {
    expect(problems.id).toEqual([]);
    expect(n.duplicateIds).toBe(0);
  });

  it('puts each person in exactly one household, headed by one living adult', () => {
    expect(n.duplicatePersonIds).toBe(0);
    expect(problems.membership).toEqual([]);
    expect(problems.head).toEqual([]);
  });

  it('enrols households at the configured shares', () => {
    for (const [category, share] of Object.entries(CATEGORY_SHARES) as [AssistanceCategory, number][]) {
      const observed = (categories.get(category) ?? 0) / HOUSEHOLDS;
      const se = Math.sqrt((share * (1 - share)) / HOUSEHOLDS);
      expect(Math.abs(observed - share), category).toBeLessThan(4 * se);
    }
    expect((categories.get('dibao') ?? 0) / HOUSEHOLDS).toBeGreaterThan(0.04);
  });

  it('has disability (~6.5%) and serious illness (~2.5%) at realistic rates', () => {
    expect(n.disabled / n.living).toBeGreaterThan(0.058);
    expect(n.disabled / n.living).toBeLessThan(0.072);
    expect(n.seriouslyIll / n.living).toBeGreaterThan(0.02);
    expect(n.seriouslyIll / n.living).toBeLessThan(0.031);
  });

  it('has household sizes 1–7 shaped like rural Hubei hukou households', () => {
    expect([...sizes.keys()].every((s) => s >= 1 && s <= 7)).toBe(true);
    const share = (s: number) => (sizes.get(s) ?? 0) / HOUSEHOLDS;
    expect(share(1)).toBeGreaterThan(0.14);
    expect(share(1)).toBeLessThan(0.23);
    expect(share(2)).toBeGreaterThan(0.22);
    expect(share(2)).toBeLessThan(0.32);
    expect(share(7)).toBeGreaterThan(0);
    const mean = [...sizes].reduce((s, [k, v]) => s + k * v, 0) / HOUSEHOLDS;
    expect(mean).toBeGreaterThan(2.6);
    expect(mean).toBeLessThan(3.3);
  });

  it('sends about a third of the working-age to work elsewhere, and they live there', () => {
    expect(n.migrants / n.workingAge).toBeGreaterThan(0.28);
    expect(n.migrants / n.workingAge).toBeLessThan(0.42);
    expect(n.migrantsAway).toBe(n.migrants);
    expect(Math.abs(n.migrantsInHubei / n.migrants - inProvinceMigrantShare())).toBeLessThan(0.03);
  });

  it('hides an undeclared asset in ~3% of households, each visible in a source record', () => {
    const se = Math.sqrt((HIDDEN_ASSET_SHARE * (1 - HIDDEN_ASSET_SHARE)) / HOUSEHOLDS);
    expect(Math.abs(n.hiddenHouseholds / HOUSEHOLDS - HIDDEN_ASSET_SHARE)).toBeLessThan(4 * se);
    expect(problems.hidden).toEqual([]);
  });

  it('keeps ground truth and source records in agreement', () => {
    expect(problems.truth).toEqual([]);
    expect(problems.events).toEqual([]);
    expect(problems.tax).toEqual([]);
    for (const kind of ['seriousIllness', 'earnerDeath', 'jobLoss', 'disability'])
      expect(eventKinds.get(kind) ?? 0, kind).toBeGreaterThan(0);
  });
});
