/** The what-if catalogue: which dated values a change touches, at which region levels (pure). */
import { lookupParameter, parseParameter } from '@doudi/rules';
import { describe, expect, it } from 'vitest';
import { diskCatalog } from '../src/domains/rules/activeCatalog.ts';
import { changedParameter, checkChanges, scenarioCatalog } from '../src/domains/whatIf/whatIf.changes.ts';

const standard = parseParameter(
  'parameters/standard.yaml',
  `description: 测试标准
unit: fen/month
reference: 测试
values:
  2020-01-01: 50000
  2026-01-01: 52000
regions:
  "42":
    2024-01-01: 54000
  "420921":
    2025-01-01: 59000
  "420921100":
    2025-01-01: 61000
  "420921101":
    2024-01-01: 60000
    2025-03-01: null
  "11":
    2025-01-01: 90000
`,
);
const ON = '2025-07-01';
const value = (p: typeof standard, region: string, date = ON) => lookupParameter(p, date, region).value;

describe('changedParameter', () => {
  it('scales the value in force at every level on the path and inside the region, nowhere else', () => {
    const raised = changedParameter(standard, { scalePercent: 5 }, ON, '420921');
    expect(value(raised, '420921100001')).toBe(64050); // township override 61000 → 64050
    expect(value(raised, '420921102001')).toBe(61950); // county 59000 → 61950
    // An override ended by null stays ended: the (raised) county value decides there.
    expect(value(raised, '420921101001')).toBe(61950);
    expect(value(raised, '420922000001')).toBe(56700); // province level, on the path: 54000 → 56700
    expect(value(raised, '110101000001')).toBe(90000); // another province: untouched
    // Other dates keep their values: only the one in force on the run's date changed.
    expect(value(raised, '420921102001', '2026-02-01')).toBe(61950); // county 2025 value, changed
    // The dated entry in force is replaced for its whole period (the run asks about one date only).
    expect(value(raised, '420921102001', '2024-06-01')).toBe(56700);
    expect(value(raised, '330100000001', '2026-02-01')).toBe(52000);
    expect(value(standard, '420921100001')).toBe(61000); // the original is not mutated
  });

  it('sets one value everywhere in the region, and rounds integers half up', () => {
    const set = changedParameter(standard, { set: 70000 }, ON, '420921');
    for (const region of ['420921100001', '420921101001', '420921102001'])
      expect(value(set, region)).toBe(70000);
    const odd = changedParameter(standard, { scalePercent: 0.001 }, ON, '420921100');
    expect(value(odd, '420921100001')).toBe(61001); // 61000.61 → 61001
    expect(value(changedParameter(standard, { scalePercent: -100 }, ON, '420921'), '420921100001')).toBe(0);
  });

  it('builds a scenario catalogue without touching the baseline', () => {
    const { catalog } = diskCatalog();
    const changes = checkChanges(catalog, [
      { parameter: 'dibaoStandardRural', change: { scalePercent: 10 } },
    ]);
    const scenario = scenarioCatalog(catalog, changes, ON, '420921');
    const county = '420921100001';
    const before = lookupParameter(
      catalog.parameters.get('dibaoStandardRural') as typeof standard,
      ON,
      county,
    );
    const after = lookupParameter(
      scenario.parameters.get('dibaoStandardRural') as typeof standard,
      ON,
      county,
    );
    expect(after.value).toBe(Math.floor(Number(before.value) * 1.1 + 0.5));
    expect(scenario.policies).toBe(catalog.policies);
  });
});
