/**
 * The list macros (exists, all, exists_one, filter, map) as closures. Each iteration spends from
 * the evaluation's budget, so nested macros over long lists stop with an error instead of hanging.
 */
import { combineErrors } from '../errors.ts';
import type { Compiled, Scope } from './compile.ts';
import * as rt from './runtime.ts';

export type MacroCompiler = (items: Compiled, slot: number, bodies: Compiled[]) => Compiled;

/** Lists iterate their elements, maps their keys, as in CEL. */
function iterate(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (rt.kindOf(value) === 'map') return Object.keys(value as object);
  throw rt.evaluationError('no_such_overload', `cannot iterate over ${rt.kindOf(value)}`);
}

function spend(s: Scope): void {
  if (--s.budget < 0) {
    throw rt.evaluationError('budget_exhausted', 'the expression used up its iteration budget');
  }
}

/** exists/all: errors in single iterations are absorbed when another iteration decides. */
function quantifier(decisive: boolean): MacroCompiler {
  return (items, slot, [predicate]) => {
    const p = predicate as Compiled;
    return (s) => {
      const list = iterate(items(s));
      let error: unknown;
      for (let i = 0; i < list.length; i++) {
        spend(s);
        s.locals[slot] = list[i];
        let value: unknown;
        try {
          value = p(s);
        } catch (e) {
          error = error === undefined ? e : combineErrors(error, e);
          continue;
        }
        if (value === decisive) return decisive;
        if (value !== !decisive) error ??= rt.noOverload('predicate', value);
      }
      if (error !== undefined) throw error;
      return !decisive;
    };
  };
}

export const MACROS: Record<string, MacroCompiler> = {
  exists: quantifier(true),
  all: quantifier(false),
  exists_one: (items, slot, [predicate]) => {
    const p = predicate as Compiled;
    return (s) => {
      const list = iterate(items(s));
      let count = 0;
      for (let i = 0; i < list.length; i++) {
        spend(s);
        s.locals[slot] = list[i];
        if (rt.requireBool(p(s), 'exists_one() predicate')) count++;
      }
      return count === 1;
    };
  },
  filter: (items, slot, [predicate]) => {
    const p = predicate as Compiled;
    return (s) => {
      const list = iterate(items(s));
      const out: unknown[] = [];
      for (let i = 0; i < list.length; i++) {
        spend(s);
        s.locals[slot] = list[i];
        if (rt.requireBool(p(s), 'filter() predicate')) out.push(list[i]);
      }
      return out;
    };
  },
  map: (items, slot, bodies) => {
    const transform = bodies[bodies.length - 1] as Compiled;
    const predicate = bodies.length === 2 ? (bodies[0] as Compiled) : undefined;
    return (s) => {
      const list = iterate(items(s));
      const out: unknown[] = [];
      for (let i = 0; i < list.length; i++) {
        spend(s);
        s.locals[slot] = list[i];
        if (predicate && !rt.requireBool(predicate(s), 'map() filter')) continue;
        out.push(transform(s));
      }
      return out;
    };
  },
};
