/**
 * The compiler against its oracle: random well-typed expressions from a small CEL grammar, random
 * inputs, and the claim that the compiled closure and the cel-js interpreter agree (same value, or
 * both fail). The only accepted difference: where Doudi is deliberately stricter (a double divided
 * by zero, a non-finite double, int() out of range), Doudi fails and cel-js may carry on.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CelEvaluationError } from '../errors.ts';
import { createCelEnvironment } from './environment.ts';
import { inlineSource, prepareExpression } from './expression.ts';

type T = 'int' | 'double' | 'bool' | 'string' | 'list<int>';

const VARIABLES = {
  x: 'int',
  y: 'int',
  d: 'double',
  e: 'double',
  s: 'string',
  t: 'string',
  b: 'bool',
  xs: 'list<int>',
  ds: 'list<double>',
  ss: 'list<string>',
  m: 'map<string, int>',
};
const env = createCelEnvironment({ variables: VARIABLES });

const cache = new Map<string, fc.Arbitrary<string>>();

/** Expressions of type `type`, at most `depth` deep, with macro variables `locals` (all int) in scope. */
function expr(type: T, depth: number, locals: readonly string[]): fc.Arbitrary<string> {
  const key = `${type}|${depth}|${locals.join(',')}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const arbitrary = build(type, depth, locals);
  cache.set(key, arbitrary);
  return arbitrary;
}

const intLiteral = fc.oneof(
  fc.integer({ min: -20, max: 20 }).map(String),
  fc.constantFrom('4000000000', '9223372036854775807', '0'),
);
const doubleLiteral = fc.oneof(
  fc.integer({ min: -40, max: 40 }).map((n) => (n / 4).toFixed(2)),
  fc.constantFrom('0.0', '1e300', '0.1'),
);
const stringLiteral = fc.constantFrom('""', '"a"', '"b"', '"ab"', '"ba"', '"汉字"');

function build(type: T, depth: number, locals: readonly string[]): fc.Arbitrary<string> {
  const sub = (t: T) => expr(t, depth - 1, locals);
  const bin = (t: T, ops: string[]) =>
    fc.tuple(sub(t), fc.constantFrom(...ops), sub(t)).map(([a, op, c]) => `(${a} ${op} ${c})`);
  const ternary = (t: T) => fc.tuple(sub('bool'), sub(t), sub(t)).map(([c, a, z]) => `(${c} ? ${a} : ${z})`);
  const next = `i${locals.length}`;
  const inMacro = (t: T) => expr(t, depth - 1, [...locals, next]);
  const macro = (name: string, t: T) => inMacro(t).map((body) => `xs.${name}(${next}, ${body})`);

  const leaves: Record<T, fc.Arbitrary<string>[]> = {
    int: [intLiteral, fc.constantFrom('x', 'y', ...locals)],
    double: [doubleLiteral, fc.constantFrom('d', 'e')],
    bool: [fc.constantFrom('true', 'false', 'b')],
    string: [stringLiteral, fc.constantFrom('s', 't')],
    'list<int>': [fc.constant('xs'), fc.constant('[1, 2, 3]')],
  };
  const last = locals[locals.length - 1];
  if (type === 'bool' && last) {
    // Errors inside macro predicates (a zero element) exercise CEL's error absorption in exists/all.
    leaves.bool.push(
      fc.tuple(fc.constantFrom('<', '>', '=='), intLiteral).map(([op, n]) => `(12 / ${last} ${op} ${n})`),
    );
  }
  if (depth <= 0) return fc.oneof(...leaves[type]);
  const composite: Record<T, fc.Arbitrary<string>[]> = {
    int: [
      bin('int', ['+', '-', '*', '/', '%']),
      sub('int').map((a) => `-${a}`),
      sub('list<int>').map((a) => `size(${a})`),
      sub('string').map((a) => `${a}.size()`),
      fc.tuple(sub('list<int>'), fc.integer({ min: -1, max: 3 })).map(([l, i]) => `${l}[${i}]`),
      sub('double').map((a) => `int(${a})`),
      ternary('int'),
      fc
        .tuple(fc.constantFrom('min', 'max', 'divideRound'), sub('int'), sub('int'))
        .map(([f, a, c]) => `${f}(${a}, ${c})`),
      sub('list<int>').map((l) => `sum(${l})`),
      fc.constantFrom('m.a', 'm["b"]', 'm.k'),
      fc.tuple(sub('int'), sub('double')).map(([a, r]) => `moneyTimes(${a}, ${r})`),
    ],
    double: [
      bin('double', ['+', '-', '*', '/']),
      sub('double').map((a) => `-${a}`),
      sub('int').map((a) => `double(${a})`),
      ternary('double'),
      fc
        .tuple(fc.constantFrom('min', 'max'), sub('double'), sub('double'))
        .map(([f, a, c]) => `${f}(${a}, ${c})`),
      fc.constant('sum(ds)'),
    ],
    bool: [
      bin('bool', ['&&', '||']),
      sub('bool').map((a) => `!${a}`),
      bin('int', ['<', '<=', '>', '>=', '==', '!=']),
      bin('double', ['<', '<=', '>', '>=', '==', '!=']),
      fc
        .tuple(sub('int'), fc.constantFrom('<', '>=', '>'), sub('double'))
        .map(([a, op, c]) => `(${a} ${op} ${c})`),
      bin('string', ['==', '!=', '<']),
      fc.tuple(sub('int'), sub('list<int>')).map(([a, l]) => `(${a} in ${l})`),
      fc.tuple(sub('string')).map(([a]) => `(${a} in ss)`),
      fc.constantFrom('("a" in m)', 'has(m.k)', 'has(m.a)'),
      fc
        .tuple(sub('string'), fc.constantFrom('startsWith', 'endsWith', 'contains'), sub('string'))
        .map(([a, f, c]) => `${a}.${f}(${c})`),
      macro('exists', 'bool'),
      macro('all', 'bool'),
      macro('exists_one', 'bool'),
      ternary('bool'),
      bin('list<int>', ['==', '!=']),
    ],
    string: [bin('string', ['+']), ternary('string'), sub('int').map((a) => `string(${a})`)],
    'list<int>': [
      bin('list<int>', ['+']),
      fc.tuple(sub('int'), sub('int')).map(([a, c]) => `[${a}, ${c}]`),
      macro('map', 'int'),
      macro('filter', 'bool'),
      fc.tuple(inMacro('bool'), inMacro('int')).map(([p, body]) => `xs.map(${next}, ${p}, ${body})`),
    ],
  };
  return fc.oneof({ depthSize: 'small' }, ...leaves[type], ...composite[type]);
}

const bigInts = fc.oneof(
  fc.bigInt({ min: -30n, max: 30n }),
  fc.constantFrom(0n, 1n, 3_000_000_000n, -(2n ** 62n)),
);
const doubles = fc.oneof(
  fc.integer({ min: -40, max: 40 }).map((n) => n / 4),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.constantFrom(0, 0.1, 0.2, 1e200),
);
const strings = fc.constantFrom('', 'a', 'b', 'ab', 'ba', '汉字');
const inputs = fc.record({
  x: bigInts,
  y: bigInts,
  d: doubles,
  e: doubles,
  s: strings,
  t: strings,
  b: fc.boolean(),
  xs: fc.array(bigInts, { maxLength: 4 }),
  ds: fc.array(doubles, { maxLength: 4 }),
  ss: fc.array(strings, { maxLength: 3 }),
  m: fc.dictionary(fc.constantFrom('a', 'b', 'k'), bigInts, { maxKeys: 3 }),
});

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

function attempt(fn: () => unknown): Outcome {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => same(v, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return (
      same(ka, kb) &&
      ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return a === b;
}

const stats = { agreedValue: 0, bothFailed: 0, stricter: 0 };

describe('compiled CEL agrees with the cel-js interpreter', () => {
  for (const type of ['bool', 'int', 'double', 'list<int>', 'string'] as const) {
    it(`on random ${type} expressions`, () => {
      fc.assert(
        fc.property(expr(type, 4, []), inputs, (source, context) => {
          const prepared = prepareExpression(env, inlineSource(source), undefined);
          const compiled = attempt(() => prepared.run({ root: context, locals: [], budget: 100_000 }));
          const reference = attempt(() => env.evaluate(source, context));
          if (
            !compiled.ok &&
            compiled.error instanceof CelEvaluationError &&
            compiled.error.stricterThanReference
          ) {
            stats.stricter++;
            return;
          }
          if (!compiled.ok || !reference.ok) {
            stats.bothFailed++;
            expect({
              source,
              compiledFailed: !compiled.ok,
              referenceFailed: !reference.ok,
              compiled,
              reference,
            }).toMatchObject({
              compiledFailed: true,
              referenceFailed: true,
            });
            return;
          }
          stats.agreedValue++;
          if (!same(compiled.value, reference.value)) {
            expect.fail(
              `${source}\ncompiled: ${String(compiled.value)}\nreference: ${String(reference.value)}`,
            );
          }
        }),
        { numRuns: 1500 },
      );
    });
  }

  it('mostly compares values, not failures', () => {
    // Guards the generator: a grammar that only produced errors would prove nothing.
    expect(stats.agreedValue).toBeGreaterThan(3 * (stats.bothFailed + stats.stricter));
  });
});
