import { describe, expect, it } from 'vitest';
import { RuleLoadError } from '../errors.ts';
import { exampleCatalogSources } from '../example/dibaoExample.ts';
import { loadCatalog } from './loadCatalog.ts';

const facts = {
  'facts.yaml': 'household:\n  income: { type: int, unit: fen }\nmember:\n  age: { type: int }\n',
};
const policy = (expression: string) => ({
  'policies/p.yaml': `id: p\nname: { zh: 测试, en: Test }\nreference: r\nconditions:\n  - id: c\n    expression: ${expression}\n    explanation: 说明\n`,
});

describe('loadCatalog', () => {
  it('orders variables after the variables they read', () => {
    const catalog = loadCatalog(exampleCatalogSources);
    const order = catalog.variableOrder;
    const before = (a: string, b: string) => expect(order.indexOf(a)).toBeLessThan(order.indexOf(b));
    before('laborCoefficient', 'imputedWorkIncome');
    before('imputedWorkIncome', 'countedMonthlyIncome');
    before('countedMonthlyIncome', 'perCapitaIncome');
    const dibao = catalog.policies.find((p) => p.id === 'dibao');
    expect(dibao?.variables).toEqual(order.filter((n) => dibao?.variables.includes(n)));
    expect(dibao?.parameters).toContain('dibaoRounding');
    expect(dibao?.parameters).toContain('minimumWage');
  });

  it('reports a cycle naming every variable in it, at the first one', () => {
    const variables = {
      'variables/v.yaml': [
        'a:\n  entity: household\n  type: int\n  formula: household.b + 1',
        'b:\n  entity: household\n  type: int\n  formula: household.c * 2',
        'c:\n  entity: household\n  type: int\n  formula: household.a - household.income',
      ].join('\n'),
    };
    const load = () => loadCatalog({ facts, variables });
    expect(load).toThrow(RuleLoadError);
    expect(load).toThrow('variables/v.yaml:4:12: variables depend on each other in a cycle: a → b → c → a');
  });

  it('reports a type error inside a block formula at its line and column in the file', () => {
    const variables = {
      'variables/v.yaml':
        'perCapita:\n  entity: household\n  type: int\n  formula: |\n    household.income /\n      size(members) + "x"\n',
    };
    expect(() => loadCatalog({ facts, variables })).toThrow(
      /^variables\/v\.yaml:5:5: type error: no such overload: int \+ string/,
    );
    const wrongType = {
      'variables/v.yaml': 'a:\n  entity: member\n  type: int\n  formula: member.age > 3\n',
    };
    expect(() => loadCatalog({ facts, variables: wrongType })).toThrow(
      /v\.yaml:4:12: expression has type bool, expected int/,
    );
  });

  it('reports syntax errors in policy conditions with position', () => {
    expect(() => loadCatalog({ facts, policies: policy('household.income >') })).toThrow(
      /^policies\/p\.yaml:6:35: syntax error: Unexpected token: EOF/,
    );
    expect(() => loadCatalog({ facts, policies: policy('household.salary > 1') })).toThrow(
      /policies\/p\.yaml:6:27: type error: No such key: salary/,
    );
    expect(() => loadCatalog({ facts, policies: policy('household.income') })).toThrow(/expected bool/);
  });

  it('refuses duplicate names, unknown required facts and placeholders', () => {
    const variables = { 'v.yaml': 'income:\n  entity: household\n  type: int\n  formula: "1"\n' };
    expect(() => loadCatalog({ facts, variables })).toThrow(
      /variable income has the same name as fact household.income/,
    );
    const required = {
      'p.yaml':
        'id: p\nname: { zh: a, en: b }\nreference: r\nrequiredFacts: [household.salary]\nconditions: []\n',
    };
    expect(() => loadCatalog({ facts, policies: required })).toThrow(
      /p\.yaml:4:17: required fact "household.salary" is not declared/,
    );
    const template = {
      'p.yaml':
        'id: p\nname: { zh: a, en: b }\nreference: r\nconditions:\n  - id: c\n    expression: "true"\n    explanation: 收入 {household.salary}\n',
    };
    expect(() => loadCatalog({ facts, policies: template })).toThrow(/placeholder \{household.salary\}/);
  });
});
