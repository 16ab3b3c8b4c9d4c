/**
 * A screening worker builds the engine's records straight from a facts-snapshot item
 * (`householdRecords`); they must be the records the facts path builds (`decodeHouseholds`, then
 * `buildRecords`), on items with everything the snapshot holds: moves in and out, deaths, dated
 * attributes and categories, dated economy rows, and values of the wrong type (refused by both,
 * though with two bad values each may name a different one first).
 */
import { randomUUID } from 'node:crypto';
import { buildRecords, type FactRecord, type HouseholdRecords } from '@doudi/rules';
import { describe, expect, it } from 'vitest';
import {
  decodeHouseholds,
  householdRecords,
  readMemberTag,
  type SnapshotItem,
  tagIds,
} from '../src/domains/householdFacts/snapshotFacts.ts';
import { personKey } from '../src/domains/monitoring/monitoring.records.repo.ts';
import { snapshotMembers } from '../src/domains/monitoring/monitoring.triggerInputs.ts';
import { loadCatalogFromDir } from '../src/domains/rules/catalogFiles.ts';

const { catalog } = loadCatalogFromDir();
const ON = '2025-07-01';

let seed = 5;
const random = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
const date = () => pick(['1950-03-01', '1988-07-01', '2010-12-31', '2024-01-15', '2025-07-01', '2025-09-09']);
const maybe = <T>(value: T) => (random() < 0.7 ? value : null);

function item(): SnapshotItem {
  const members = Array.from({ length: Math.floor(random() * 5) }, (_, i) => {
    const events: [string, boolean, string | null][] = [
      [date(), true, i === 0 ? 'head' : pick(['spouse', 'son', 'daughter', 'odd\tone\nout', null])],
    ];
    if (random() < 0.2) events.push(['2025-03-01', false, null]);
    events.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    const attributes = [
      ['healthCondition', { status: pick(['healthy', 'chronicIllness', 7]) }, date(), maybe('2025-08-01')],
      ['disability', { type: pick(['physical', undefined]), grade: pick([1, 2, '3']) }, date(), null],
      ['workCapacity', { capacity: pick(['full', 'partial', 'none']) }, date(), null],
      ['employment', { status: pick(['farming', 'unemployed', 'localEmployee']) }, date(), null],
      ['schooling', { stage: pick(['primary', 'junior', 'university']) }, date(), null],
      ['careDependency', { eating: random() < 0.5, bathing: pick([true, 'no']) }, date(), null],
      ['seriousIllness', { diagnosis: 'x' }, date(), maybe('2026-01-01')],
    ].filter(() => random() < 0.6);
    return [
      `p${i}-${Math.floor(random() * 1000)}`,
      pick(['1940-07-02', '1975-07-01', '2012-01-31', '2020-06-30']),
      pick(['male', 'female']),
      random() < 0.1 ? pick(['2024-05-05', '2026-01-01']) : null,
      events,
      attributes,
    ];
  });
  const categories = random() < 0.3 ? [['dibao', '2024-01-01', maybe('2025-06-30')]] : [];
  const economy = Array.from({ length: Math.floor(random() * 3) }, () => [
    {
      wageIncome: pick([0, 120000, 12.5, null]),
      financialAssets: pick([500000, '600000']),
      vehicleCount: pick([0, 1]),
      publicEmployee: random() < 0.1,
      notAFact: 1,
      urban: 'never from the economy',
    },
    pick(['approved', 'declared']),
    date(),
  ]);
  return [
    random() < 0.5,
    JSON.stringify(members),
    categories.length ? JSON.stringify(categories) : null,
    economy.length ? JSON.stringify(economy) : null,
  ];
}

/** A record as plain data: its path and own fields. */
const plain = (record: FactRecord) => ({ ...record });
const outcome = (build: () => HouseholdRecords) => {
  try {
    const r = build();
    return { household: plain(r.household), members: (r.members as FactRecord[]).map(plain) };
  } catch (error) {
    return { error: String(error) };
  }
};

describe('facts snapshot → records on the worker', () => {
  it('gives the records of the facts path, and the same error for a bad value', () => {
    let errors = 0;
    for (let n = 0; n < 3000; n++) {
      const snapshot = item();
      const direct = outcome(() => householdRecords(snapshot, ON, catalog.facts));
      const viaFacts = outcome(() =>
        buildRecords(
          catalog.facts,
          decodeHouseholds([snapshot], ON)[0] as Parameters<typeof buildRecords>[1],
        ),
      );
      if ('error' in viaFacts) {
        // The same refusal; with two bad values each path may name a different one first.
        expect(direct).toMatchObject({ error: expect.stringMatching(/InvalidFactError: .* must be/) });
        errors++;
      } else {
        expect(direct).toEqual(viaFacts);
      }
    }
    // Both kinds of household were met: most decode, some carry a value of the wrong type.
    expect(errors).toBeGreaterThan(100);
    expect(errors).toBeLessThan(2900);
  });

  it('hands back, tagged, the members on the date that the monitoring run would decode itself', () => {
    let members = 0;
    let odd = 0;
    for (let n = 0; n < 3000; n++) {
      const snapshot = item();
      let tag: string | undefined;
      try {
        tag = householdRecords(
          [snapshot[0], snapshot[1], snapshot[2], snapshot[3], true],
          ON,
          catalog.facts,
        ).tag;
      } catch {
        continue; // a bad value fails the household; the run then decodes its members itself
      }
      expect(typeof tag).toBe('string');
      const row = {
        household_id: 'h',
        household_number: '1',
        region_code: '420921000000',
        urban: snapshot[0],
        members: snapshot[1],
        categories: snapshot[2],
        economy: snapshot[3],
      };
      const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
      const expected = snapshotMembers([row], ON)
        .map((m) => ({
          ...m,
          relationship_to_head: m.relationship_to_head.replace(/[\t\n]/g, ' ') || 'other',
        }))
        .sort(byId);
      const read = readMemberTag(tag as string)
        .map(([id, birth, sex, rel]) => ({
          id,
          household_id: 'h',
          name: '',
          birth_date: birth,
          sex,
          relationship_to_head: rel || 'other',
        }))
        .sort(byId);
      expect(read).toEqual(expected);
      // The ids alone, as a full run reads them off the tag to ask for records.
      const ids: string[] = [];
      tagIds(tag as string, (start, end) => {
        const id = (tag as string).slice(start, end);
        ids.push(id);
        // The persons-with-records key read in place is the id's own.
        expect(personKey(tag as string, start, end)).toBe(personKey(id));
      });
      expect(ids).toEqual(readMemberTag(tag as string).map((m) => m[0]));
      members += read.length;
      odd += read.filter((m) => m.relationship_to_head === 'odd one out').length;
    }
    // Households with members were met, and relationships holding the separators.
    expect(members).toBeGreaterThan(1000);
    expect(odd).toBeGreaterThan(10);
    // Untagged items carry no tag: screening pays nothing for it.
    expect(householdRecords([false, '[]', null, null], ON, catalog.facts).tag).toBeUndefined();
  });
});

describe('personKey', () => {
  it('keeps 100,000 random person ids apart, in either case', () => {
    const keys = new Set<number>();
    for (let i = 0; i < 100_000; i++) {
      const id = randomUUID();
      const key = personKey(id);
      expect(personKey(id.toUpperCase())).toBe(key);
      keys.add(key);
    }
    expect(keys.size).toBe(100_000);
  });
});
