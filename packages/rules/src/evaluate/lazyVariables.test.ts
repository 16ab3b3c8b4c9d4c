import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/loadCatalog.ts';
import { exampleCatalogSources } from '../example/dibaoExample.ts';
import { type BatchResult, evaluateBatch } from './batch.ts';
import type { HouseholdFacts } from './facts.ts';

// Variables that stress first-read computation: one read inside a macro whose own formula uses a
// macro (slot numbers clash unless it runs in its own scope), one that always fails (division by
// zero) and is read twice, one read only through has(), chains of variables.
const lazyVariables = `
olderCount:
  entity: household
  type: int
  unit: count
  label: 60 岁以上成员数
  formula: size(members.filter(m, m.age >= 60))
brokenRatio:
  entity: household
  type: int
  unit: ratio
  label: 必然出错的比值
  formula: household.monthlyIncome / (household.vehicleCount - household.vehicleCount)
memberShare:
  entity: member
  type: int
  unit: fen/month
  label: 人均分摊收入
  formula: household.perCapitaIncome + member.age * 0
`;

const lazyPolicy = `
id: lazyProbe
name: { zh: 惰性变量测试, en: Lazy variable probe }
reference: test
conditions:
  - id: vehicleVeto
    veto: true
    expression: household.vehicleCount > 0
    explanation: 有车
  - id: olderInMacro
    expression: members.exists(x, x.age + household.olderCount > 60 && x.memberShare >= 0)
    explanation: 宏里读取变量
  - id: brokenTwice
    expression: household.brokenRatio > 0 || household.brokenRatio <= 0
    explanation: 出错两次
amount:
  formula: household.olderCount * 100
  unit: fen
  rounding: fen
`;

const hasPolicy = `
id: hasProbe
name: { zh: has 测试, en: has probe }
reference: test
conditions:
  - id: hasBroken
    expression: "!has(household.brokenRatio) && has(household.olderCount)"
    explanation: has
`;

const catalog = loadCatalog({
  ...exampleCatalogSources,
  variables: { ...exampleCatalogSources.variables, 'variables/lazy.yaml': lazyVariables },
  policies: {
    ...exampleCatalogSources.policies,
    'policies/lazyProbe.yaml': lazyPolicy,
    'policies/hasProbe.yaml': hasPolicy,
  },
});

function households(count: number): HouseholdFacts[] {
  return Array.from({ length: count }, (_, i) => {
    const members = Array.from({ length: i % 5 }, (_, j) => ({
      age: (i * 13 + j * 29) % 95,
      severeDisability: (i + j) % 7 === 0,
      severeIllness: false,
      student: (i + j) % 4 === 0,
    }));
    const household: Record<string, unknown> = {
      monthlyIncome: (i * 7919) % 200000,
      vehicleCount: i % 6 === 0 ? 1 : 0,
      registeredBusiness: i % 23 === 0,
      financialAssets: (i * 104729) % 3000000,
    };
    if (i % 8 === 5) delete household.monthlyIncome;
    return i % 31 === 30 ? { household } : { household, members };
  });
}

// A trace evaluates every condition, so it also lists missing facts of households a veto already
// ruled out; the batch stops at the veto. Details are compared for the other cells.
const cells = (r: BatchResult) => ({
  statuses: Array.from(r.statuses),
  amounts: Array.from(r.amountsFen),
  details: [...r.details.entries()].filter(([cell]) => r.statuses[cell] !== 1),
});

describe('variables computed on first read (batch without trace)', () => {
  const input = households(400);
  const lazy = evaluateBatch(catalog, input, '2025-03-01', '420902002000');
  // With a trace every variable is computed up front: the reference.
  const eager = evaluateBatch(catalog, input, '2025-03-01', '420902002000', { trace: true });

  it('gives the same statuses, amounts, missing facts and errors as computing them all first', () => {
    expect(cells(lazy)).toEqual(cells(eager));
  });

  it('covers every outcome of the probe policies', () => {
    const probe = lazy.policyIds.indexOf('lazyProbe');
    const codes = new Set(input.map((_, h) => lazy.statuses[h * lazy.policyIds.length + probe]));
    // ineligible (vehicle veto), needsInformation (no members), error (division by zero)
    expect([...codes].sort()).toEqual([1, 2, 3]);
    const errors = [...lazy.details.values()].map((d) => d.error);
    expect(errors).toContain('CelEvaluationError: division by zero');
    const hasProbe = lazy.policyIds.indexOf('hasProbe');
    expect(lazy.statuses[1 * lazy.policyIds.length + hasProbe]).toBe(0);
  });

  it('gives the same answer for one household alone as inside a batch (no state left behind)', () => {
    input.slice(0, 40).forEach((facts, h) => {
      const alone = evaluateBatch(catalog, [facts], '2025-03-01', '420902002000');
      const n = alone.policyIds.length;
      expect(Array.from(alone.statuses)).toEqual(Array.from(lazy.statuses.slice(h * n, h * n + n)));
    });
  });
});
