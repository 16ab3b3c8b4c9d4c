/**
 * Columns must rebuild exactly the records `buildRecords` builds from the objects, for every kind of
 * fact and for hostile input (wrong types, unsafe or non-finite numbers, nulls, holes, no members).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFactFiles } from '../catalog/facts.ts';
import { type FactRecord, Failure, recordPath } from '../cel/runtime.ts';
import { columnarRecords, encodeHouseholds, transferables } from './columnar.ts';
import { buildRecords, type HouseholdFacts, type HouseholdRecords } from './facts.ts';

const schema = parseFactFiles({
  'facts/all.yaml': `
household:
  income: { type: int, unit: fen/month, label: 收入 }
  ratio: { type: double, unit: ratio, label: 比例 }
  village: { type: string, label: 村 }
  urban: { type: bool, label: 城镇 }
  categories: { type: list<string>, label: 类别 }
  amounts: { type: list<int>, unit: fen, label: 金额 }
member:
  age: { type: int, unit: year, label: 年龄 }
  health: { type: string, label: 健康 }
  disabled: { type: bool, label: 残疾 }
  scores: { type: list<double>, label: 分数 }
`,
});

/** Plain data for comparison: own fields, path, and failures by message. */
function plain(records: HouseholdRecords): unknown {
  const record = (r: FactRecord) => ({ path: recordPath(r), ...r });
  return {
    household: record(records.household),
    members:
      records.members instanceof Failure
        ? `failure: ${(records.members.error as Error).message}`
        : records.members.map(record),
  };
}

function outcome(fn: () => HouseholdRecords): unknown {
  try {
    return plain(fn());
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

// Mostly well-typed values, with every kind of bad value mixed in.
const anyValue = fc.oneof(
  fc.constantFrom(null, undefined, Number.NaN, Number.POSITIVE_INFINITY, -0, 2 ** 53, 1.5, 'x', true),
  fc.constantFrom(2n ** 60n, 12n, [], [null], [1, 'a'], { a: 1 }),
);
const value = (good: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 6, arbitrary: good }, { weight: 1, arbitrary: anyValue });
const money = fc.integer({ min: -1_000_000, max: 10_000_000 });
const member = fc.record(
  {
    age: value(fc.integer({ min: 0, max: 110 })),
    health: value(fc.constantFrom('healthy', 'ill', '')),
    disabled: value(fc.boolean()),
    scores: value(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 3 })),
    undeclared: fc.anything(),
  },
  { requiredKeys: [] },
);
const household = fc.record(
  {
    household: fc.record(
      {
        income: value(money),
        ratio: value(fc.double({ min: -2, max: 2, noNaN: true })),
        village: value(fc.constantFrom('东村', '西村', 'a"b')),
        urban: value(fc.boolean()),
        categories: value(fc.array(fc.constantFrom('dibao', 'tekun'), { maxLength: 2 })),
        amounts: value(fc.array(money, { maxLength: 3 })),
      },
      { requiredKeys: [] },
    ),
    members: fc.oneof(
      {
        weight: 8,
        arbitrary: fc.array(
          fc.oneof({ weight: 9, arbitrary: member }, { weight: 1, arbitrary: fc.constant(null) }),
          { maxLength: 5 },
        ),
      },
      { weight: 1, arbitrary: fc.constantFrom(undefined, null, 'none') },
    ),
  },
  { requiredKeys: [] },
);

describe('columnar households', () => {
  it('rebuild exactly the records buildRecords builds, bad input included', () => {
    fc.assert(
      fc.property(fc.array(household, { maxLength: 12 }), (input) => {
        const households = input as HouseholdFacts[];
        if (households.length > 2) households[1] = null as unknown as HouseholdFacts;
        const columns = encodeHouseholds(schema, households);
        const recordsOf = columnarRecords(schema, columns);
        households.forEach((facts, h) => {
          expect(outcome(() => recordsOf(h))).toEqual(outcome(() => buildRecords(schema, facts)));
        });
      }),
      { numRuns: 400 },
    );
  });

  it('sends well-typed households as columns only, and bad ones as they are', () => {
    const households: HouseholdFacts[] = [
      { household: { income: 100, village: '东村', categories: ['dibao'] }, members: [{ age: 70 }] },
      { household: { income: 12.5 }, members: [] },
      null as unknown as HouseholdFacts,
    ];
    const columns = encodeHouseholds(schema, households);
    expect(columns.fallback.map(([h]) => h)).toEqual([1, 2]);
    expect(columns.strings).toEqual(['东村']);
    // Typed columns are transferable; list columns are plain arrays.
    expect(transferables(columns).length).toBe(2 + 4 + 3);
  });
});
