/**
 * The compiler generates JavaScript source from the checked AST. Text from a catalogue — field
 * names, string literals, map keys, root names — must enter that source only as string data. These
 * expressions try to break out of a string literal or to reach a prototype; they must compile and
 * behave as data.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MissingFactError } from '../errors.ts';
import { compileAst } from './compile.ts';
import { createCelEnvironment } from './environment.ts';
import { inlineSource, prepareExpression } from './expression.ts';
import { FactRecord } from './runtime.ts';

const BREAKOUTS = [
  '"); globalThis.celPwned = 1; ("',
  "'); globalThis.celPwned = 1; ('",
  '\\"); globalThis.celPwned = 1; //',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the point is a template placeholder as data
  '`${globalThis.celPwned = 1}`',
  '*/ globalThis.celPwned = 1; /*',
  '\u2028globalThis.celPwned = 1;\u2029',
  '</script><script>globalThis.celPwned = 1</script>',
  '__proto__',
  'constructor',
  'toString',
  '\\',
  '\\u0022',
  '\0',
];

/** A CEL string literal (CEL takes JSON's escapes); U+2028/2029 kept raw to reach the generator raw. */
const cel = (text: string) =>
  JSON.stringify(text)
    .replace(/\\u2028/g, '\u2028')
    .replace(/\\u2029/g, '\u2029');

// Declared field names are free text to the compiler (the catalogue's own loader refuses these).
const env = createCelEnvironment({
  types: { Household: { constructor: 'int', toString: 'string', valueOf: 'int', income: 'int' } },
  variables: { household: 'Household', m: 'map<string, int>', s: 'string' },
});

function run(source: string, root: Record<string, unknown>): unknown {
  const prepared = prepareExpression(env, inlineSource(source), undefined);
  return prepared.run({ root, locals: [], budget: 1000 });
}

function failure(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

afterEach(() => {
  expect((globalThis as Record<string, unknown>).celPwned).toBeUndefined();
});

describe('generated code keeps catalogue text as data', () => {
  const household = () => Object.assign(new FactRecord('household'), { income: 5 });

  it('string literals that try to leave the literal are ordinary strings', () => {
    for (const text of BREAKOUTS) {
      expect(run(cel(text), {})).toBe(text);
      expect(run(`s + ${cel(text)}`, { s: 'a' })).toBe(`a${text}`);
      expect(run(`s == ${cel(text)}`, { s: text })).toBe(true);
      expect(run(`${cel(text)}.startsWith(s)`, { s: text.slice(0, 2) })).toBe(true);
    }
  });

  it('map keys, indexes and has() on such names are data', () => {
    for (const text of BREAKOUTS) {
      const literal = cel(text);
      expect(run(`{${literal}: 7}[${literal}]`, {})).toBe(7);
      expect(run(`${literal} in {${literal}: 7}`, {})).toBe(true);
      expect(run(`m[${literal}]`, { m: { [text]: 3 } })).toBe(3);
      expect(String(failure(() => run(`m[${literal}]`, { m: {} })))).toMatch(/No such key/);
      expect(run(`{${literal}: 1}.size()`, {})).toBe(1);
    }
    // A key named __proto__ is an own key of a null-prototype map, not the prototype.
    expect(run('{"__proto__": 1, "constructor": 2}["constructor"]', {})).toBe(2);
    expect(run('has(m.constructor) || has(m.toString)', { m: {} })).toBe(false);
  });

  it('record fields named like inherited properties are facts, missing when absent', () => {
    const h = household();
    for (const source of ['household.constructor', 'household.valueOf + 1', 'household.toString']) {
      const error = failure(() => run(source, { household: h }));
      expect(error).toBeInstanceOf(MissingFactError);
    }
    expect((failure(() => run('household.constructor', { household: h })) as MissingFactError).facts).toEqual(
      ['household.constructor'],
    );
    expect(run('has(household.constructor)', { household: h })).toBe(false);
    Object.defineProperty(h, 'constructor', { value: 41, enumerable: true });
    expect(run('household.constructor + 1', { household: h })).toBe(42);
    expect(run('has(household.constructor) && !has(household.toString)', { household: h })).toBe(true);
  });

  it('emits catalogue text only inside JSON string literals', () => {
    for (const text of BREAKOUTS) {
      const prepared = prepareExpression(env, inlineSource(`s == ${cel(text)}`), undefined);
      const source = compileAst(prepared.ast).source;
      expect(source).toContain(
        JSON.stringify(text)
          .replace(/\u2028/g, '\\u2028')
          .replace(/\u2029/g, '\\u2029'),
      );
      expect(source).not.toMatch(/[\u2028\u2029]/);
    }
  });

  it('numbers round-trip exactly, -0 and extremes included', () => {
    expect(Object.is(run('-0.0', {}), -0)).toBe(true);
    expect(run('1.7976931348623157e308', {})).toBe(Number.MAX_VALUE);
    expect(run('5e-324 * 1.0', {})).toBe(5e-324);
    expect(run('0.1 + 0.2', {})).toBe(0.1 + 0.2);
    expect(run('-9007199254740991 - 0', {})).toBe(-Number.MAX_SAFE_INTEGER);
    expect(run('3 - -2', {})).toBe(5);
  });
});
