import { describe, expect, it } from 'vitest';
import { CelEvaluationError, type MissingFactError, RuleLoadError } from '../errors.ts';
import { compileAst } from './compile.ts';
import { createCelEnvironment } from './environment.ts';
import { inlineSource, prepareExpression } from './expression.ts';
import { DEFAULT_LIMITS } from './limits.ts';
import { FactRecord } from './runtime.ts';

const env = createCelEnvironment({
  types: { Household: { income: 'int', members: 'int', owner: 'string' } },
  variables: {
    x: 'int',
    d: 'double',
    xs: 'list<int>',
    s: 'string',
    household: 'Household',
    m: 'map<string, int>',
  },
});

function record(values: Record<string, unknown>): FactRecord {
  return Object.assign(new FactRecord('household'), values);
}

const root = {
  x: 7,
  d: 2.5,
  xs: [1, 2, 3],
  s: 'hello',
  household: record({ income: 1000 }),
  m: { a: 1 },
};

function run(source: string, overrides: Record<string, unknown> = {}): unknown {
  const prepared = prepareExpression(env, inlineSource(source), undefined);
  return prepared.run({
    root: { ...root, ...overrides },
    locals: [],
    budget: DEFAULT_LIMITS.iterationBudget,
  });
}

function failure(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('compiled CEL', () => {
  it('computes arithmetic, comparisons, ternaries, selection and literals', () => {
    expect(run('x * 2 + 1')).toBe(15);
    expect(run('x / 2')).toBe(3);
    expect(run('-x % 3')).toBe(-1);
    expect(run('d * 2.0')).toBe(5);
    expect(run('x > d && s.startsWith("he") && s.endsWith("lo") && s.contains("ell")')).toBe(true);
    expect(run('x > 5 ? "big" : "small"')).toBe('big');
    expect(run('{"a": x, "b": 2}.a + [10, 20][1]')).toBe(27);
    expect(run('household.income / 4')).toBe(250);
    expect(run('int(d) + int("5")')).toBe(7);
    expect(run('double(x) / 2.0')).toBe(3.5);
    expect(run('min(x, 3) + max(x, 3)')).toBe(10);
  });

  it('supports in, size, has and the list macros', () => {
    expect(run('2 in xs && "a" in m && !("z" in m)')).toBe(true);
    expect(run('size(xs) + xs.size() + size(s)')).toBe(11);
    expect(run('has(m.a) && !has(m.z) && has(household.income) && !has(household.owner)')).toBe(true);
    expect(run('xs.exists(i, i > 2)')).toBe(true);
    expect(run('xs.all(i, i > 1)')).toBe(false);
    expect(run('xs.exists_one(i, i == 2)')).toBe(true);
    expect(run('xs.filter(i, i != 2)')).toEqual([1, 3]);
    expect(run('xs.map(i, i * 10)')).toEqual([10, 20, 30]);
    expect(run('xs.map(i, i > 1, i * 10)')).toEqual([20, 30]);
    expect(run('sum(xs.map(i, i * x))')).toBe(42);
    expect(run('xs.map(i, xs.map(j, i * j))')).toEqual([
      [1, 2, 3],
      [2, 4, 6],
      [3, 6, 9],
    ]);
  });

  it('fails division by zero with a clear error, never Infinity', () => {
    for (const source of ['x / 0', 'x % 0', 'd / 0.0', 'divideRound(x, 0)']) {
      const error = failure(() => run(source));
      expect(error).toBeInstanceOf(CelEvaluationError);
      expect((error as CelEvaluationError).code).toMatch(/(division|modulo)_by_zero/);
    }
    expect((failure(() => run('d * 1e308 * 10.0')) as CelEvaluationError).code).toBe('double_overflow');
  });

  it('keeps ints exact as numbers and refuses to leave the safe-integer range', () => {
    const limit = 9007199254740991; // 2^53 − 1
    expect(run('x + 9007199254740984')).toBe(limit);
    expect(run('-9007199254740984 - x')).toBe(-limit);
    const code = (source: string, overrides = {}) =>
      (failure(() => run(source, overrides)) as CelEvaluationError).code;
    expect(code('x + 9007199254740985')).toBe('int_outside_safe_range');
    expect(code('-9007199254740985 - x')).toBe('int_outside_safe_range');
    expect(code('x * 4503599627370496')).toBe('int_outside_safe_range');
    expect(code('sum(xs)', { xs: [limit, 1] })).toBe('int_outside_safe_range');
    expect(run('sum(xs)', { xs: [limit, 1, -2] })).toBe(limit - 1);
    expect(code('int(1e16)')).toBe('int_outside_safe_range');
    expect(code('int("9007199254740992")')).toBe('int_outside_safe_range');
    expect(run('moneyTimes(9007199254740991, 0.5)')).toBe(4503599627370496);
    // CEL truncates toward zero; the remainder takes the dividend's sign; no negative zero.
    expect([run('-7 / 2'), run('7 / -2'), run('-7 % 2'), run('7 % -2')]).toEqual([-3, -3, -1, 1]);
    expect(Object.is(run('0 * -5'), 0) && Object.is(run('-1 / 2'), 0) && Object.is(run('-x % 7'), 0)).toBe(
      true,
    );
    expect(run('divideRound(-7, 2) + divideRound(7, 2) * 10 + divideRound(9007199254740991, 2)')).toBe(
      -4 + 40 + 4503599627370496,
    );
    expect(run('x < 7.5 && x > 6.5 && x >= 7.0 && !(x > 7.0)')).toBe(true);
  });

  it('refuses int literals outside the safe range at load time, with the position', () => {
    expect(() =>
      prepareExpression(env, inlineSource('x + 9223372036854775807', 'v.yaml'), undefined),
    ).toThrow(/v\.yaml:1:5: integer literal 9223372036854775807 is outside the supported range/);
  });

  it('absorbs errors in && and || when the other side decides, as CEL does', () => {
    expect(run('x / 0 > 1 && false')).toBe(false);
    expect(run('true || x / 0 > 1')).toBe(true);
    expect(() => run('x / 0 > 1 && true')).toThrow(CelEvaluationError);
    expect(run('xs.exists(i, 6 / (i - 1) > 2)')).toBe(true);
    expect(() => run('xs.all(i, 6 / (i - 1) > 2)')).toThrow(/division by zero/);
  });

  it('turns a missing fact into MissingFactError, absorbed only when the other side decides', () => {
    const empty = { household: record({}) };
    expect(run('household.income > 5 || true', empty)).toBe(true);
    expect(run('false && household.income > 5', empty)).toBe(false);
    const error = failure(() => run('household.income + household.members > x', empty));
    // Every missing fact of the expression is reported, not only the first one met.
    expect((error as MissingFactError).facts).toEqual(['household.income', 'household.members']);
    const merged = failure(() => run('household.income > 1 || household.owner == "a"', empty));
    expect((merged as MissingFactError).facts).toEqual(['household.income', 'household.owner']);
  });

  it('still reports every missing fact where operands that cannot miss skip the wrapper', () => {
    const empty = { household: record({}) };
    const facts = (source: string) => (failure(() => run(source, empty)) as MissingFactError).facts;
    // Right operand a literal, a variable, a macro variable or arithmetic over them: only the left
    // fact can be missing, and it is reported.
    expect(facts('household.income > 5')).toEqual(['household.income']);
    expect(facts('household.income * 2 + x > d')).toEqual(['household.income']);
    expect(facts('xs.exists(i, household.income > i)')).toEqual(['household.income']);
    expect(facts('max(household.income, x + 1) > 0')).toEqual(['household.income']);
    // A right operand that reads facts is still tried after the left one misses.
    expect(facts('household.income < household.members + 1')).toEqual([
      'household.income',
      'household.members',
    ]);
    expect(facts('max(household.income, -household.members) > 0')).toEqual([
      'household.income',
      'household.members',
    ]);
    expect(facts('household.income + (x > 0 ? household.members : 1) > 0')).toEqual([
      'household.income',
      'household.members',
    ]);
  });

  it('keeps map keys such as __proto__ as ordinary keys', () => {
    expect(run('{"__proto__": 1}["__proto__"]')).toBe(1);
    expect(() => run('m.constructor')).toThrow(/No such key/);
  });

  it('runs the exact form with the whole budget when the fast form hands over', () => {
    // The fast form spends one iteration, meets a division by zero and hands over; the exact form
    // absorbs that error and needs both iterations of the budget of 2.
    const prepared = prepareExpression(env, inlineSource('xs.exists(i, 6 / i > 2)'), undefined);
    const scope = { root: { ...root, xs: [0, 1] }, locals: [], budget: 2 };
    expect(prepared.run(scope)).toBe(true);
    expect(scope.budget).toBe(0);
    expect(compileAst(prepared.ast).source).toContain('$exact(s)');
  });

  it('gives macros an iteration budget', () => {
    const big = Array.from({ length: 100 }, (_, i) => i);
    const error = failure(() => run('xs.map(a, xs.map(b, xs.map(c, a + b + c)))', { xs: big }));
    expect((error as CelEvaluationError).code).toBe('budget_exhausted');
  });
});

describe('expression loading', () => {
  const load = (source: string) => () =>
    prepareExpression(env, inlineSource(source, 'policies/x.yaml'), ['bool']);

  it('reports syntax errors with file, line and column', () => {
    expect(load('x > 1 &&\n  (d < )')).toThrow('policies/x.yaml:2:8: syntax error: Unexpected token: RPAREN');
  });

  it('reports type errors with line and column, including unknown names', () => {
    expect(load('x > 1 &&\n  household.incom > 5')).toThrow(
      /policies\/x\.yaml:2:13: type error: No such key: incom/,
    );
    expect(load('s + 1 == "a"')).toThrow(/:1:1: type error: no such overload: string \+ int/);
    expect(load('x + 1')).toThrow(/expression has type int, expected bool/);
  });

  it('refuses CEL the compiler does not support', () => {
    expect(load('s.matches("a+")')).toThrow(/method \.matches\(\) is not supported/);
    expect(load('b"abc" == b"abc"')).toThrow(/literal type/);
  });

  it('refuses hostile expressions at load time', () => {
    const deep = `${'('.repeat(40)}x${')'.repeat(40)} > 1`;
    expect(load(deep)).toThrow(RuleLoadError);
    const chain = `${Array.from({ length: 40 }, () => 'x').join(' + ')} > 1`;
    expect(load(chain)).toThrow(/nests deeper than 32 levels/);
    expect(load(`s == "${'a'.repeat(600)}"`)).toThrow(/string literal longer than 500/);
    expect(load(`x in [${Array.from({ length: 250 }, (_, i) => i).join(', ')}]`)).toThrow(/maxListElements/);
    expect(load(`${Array.from({ length: 150 }, () => '(x > 1)').join(' || ')}`)).toThrow(
      /maxAstNodes|deeper/,
    );
    expect(load(`x > 1 ${' '.repeat(5000)}`)).toThrow(/the limit is 4000/);
  });
});
