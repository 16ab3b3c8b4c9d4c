/**
 * Trigger conditions run compiled (rules/cel/compile.ts), not through the cel-js interpreter: a
 * full monitoring run tests millions of records. The interpreter stays the reference: on random
 * records, people and households (enumeration codes the conditions name, ICD-10 prefixes, ages at
 * the bounds, absent and wrongly typed fields) every built-in trigger gives the same answer both
 * ways, or fails both ways.
 */
import type { TriggerInput } from '@doudi/rules';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadTriggers, sourceFieldTypes } from '../src/domains/monitoring/triggers.ts';
import { SOURCES } from '../src/domains/sources/catalogue/index.ts';

const TYPES = sourceFieldTypes();

/** A value for one field: mostly of its type (enum codes, ICD-10 codes, dates), sometimes not. */
function fieldValue(source: string, name: string): fc.Arbitrary<unknown> {
  const spec = SOURCES.find((s) => s.id === source)?.fields.find((f) => f.name === name);
  const type = TYPES[source]?.[name];
  const wrong = fc.oneof(fc.constant(null), fc.string({ maxLength: 4 }), fc.double(), fc.boolean());
  let right: fc.Arbitrary<unknown>;
  if (type === 'int')
    right = fc.oneof(
      fc.integer({ min: -10, max: 10 }),
      fc.constantFrom(999_999, 1_000_000, 1_999_999, 2_000_000, 5_000_000, 5_000_001),
      fc.integer({ min: 0, max: 20_000_000 }),
      fc.integer({ min: 0, max: 20_000_000 }).map(String),
    );
  else if (type === 'bool') right = fc.boolean();
  else if (spec?.type === 'enum' && spec.values) right = fc.constantFrom(...Object.keys(spec.values));
  else if (name === 'icd10')
    right = fc.constantFrom('C34.9', 'N18.5', 'N18.4', 'I63.9', 'J18.9', 'Q24', 'c34');
  else right = fc.oneof(fc.constantFrom('2025-03-01', '2024-12-31'), fc.string({ maxLength: 6 }));
  return fc.oneof({ weight: 6, arbitrary: right }, { weight: 1, arbitrary: wrong });
}

function recordOf(source: string): fc.Arbitrary<Record<string, unknown>> {
  const names = Object.keys(TYPES[source] ?? {});
  return fc.record(Object.fromEntries(names.map((n) => [n, fieldValue(source, n)])), { requiredKeys: [] });
}

function inputFor(source: string): fc.Arbitrary<TriggerInput> {
  return fc.record({
    record: recordOf(source),
    previous: fc.option(recordOf(source), { nil: null }),
    person: fc.record({
      age: fc.oneof(fc.constantFrom(-1, 5, 6, 15, 16, 17, 18, 59, 60, 61), fc.integer({ min: -1, max: 110 })),
      relationship: fc.constantFrom('head', 'spouse', 'child', 'parent', ''),
      inRegistry: fc.boolean(),
      sex: fc.constantFrom('male', 'female', ''),
    }),
    household: fc.record({
      categories: fc.subarray(['dibao', 'tekun', 'nearDibao', 'relapseWatch', 'other']),
      size: fc.integer({ min: 0, max: 12 }),
      inRegistry: fc.boolean(),
    }),
    window: fc.record({
      sum: fc.integer({ min: 0, max: 10_000_000 }),
      count: fc.integer({ min: 0, max: 50 }),
    }),
  });
}

/** The answer, or 'error' when the condition fails at run time (the run counts it, fires nothing). */
function outcome(run: () => boolean): boolean | 'error' {
  try {
    return run();
  } catch {
    return 'error';
  }
}

describe('compiled trigger conditions', () => {
  const set = loadTriggers();

  it.each(set.triggers.map((t) => [t.id, t] as const))(
    '%s: compiled and interpreted agree',
    (_id, trigger) => {
      let fires = 0;
      fc.assert(
        fc.property(inputFor(trigger.source), (input) => {
          const compiled = outcome(() => trigger.test(input));
          if (compiled === true) fires += 1;
          expect(compiled).toBe(outcome(() => trigger.interpret(input)));
        }),
        { numRuns: 400, seed: 20261124 },
      );
      // The inputs reach both answers: a property that never fires would prove little.
      expect(fires).toBeGreaterThan(0);
    },
  );
});
