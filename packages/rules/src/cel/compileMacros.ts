/**
 * The list macros (exists, all, exists_one, filter, map) as generated loops. The iteration
 * variable is a generated local; each iteration spends from the evaluation's budget
 * (`s.budget`), so nested macros over long lists stop with an error instead of hanging.
 */
import { type Generator, indent, type Piece, stringLiteral } from './codegen.ts';
import * as rt from './runtime.ts';

/** Lists iterate their elements, maps their keys, as in CEL. */
export function iterate(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (rt.kindOf(value) === 'map') return Object.keys(value as object);
  throw rt.evaluationError('no_such_overload', `cannot iterate over ${rt.kindOf(value)}`);
}

export function budgetExhausted(): never {
  throw rt.evaluationError('budget_exhausted', 'the expression used up its iteration budget');
}

export const MACRO_NAMES = new Set(['exists', 'all', 'exists_one', 'filter', 'map']);

/** `if (typeof x !== "boolean") $requireBool(x, what)`: the check, with the helper's error. */
function requireBool(atom: string, what: string): string {
  return `if (typeof ${atom} !== "boolean") $requireBool(${atom}, ${stringLiteral(what)});`;
}

/**
 * Emits one macro over the already generated `items`, with the iteration variable in `local`.
 * `bodies` are the predicate (exists, all, exists_one, filter), the transform (map), or the
 * filter and the transform (map with three arguments).
 */
export function emitMacro(g: Generator, name: string, items: string, local: string, bodies: Piece[]): string {
  // Lenient form: over a missing list the macro is missing (the exact form raises before the loop).
  return g.guarded([items], () => emitLoop(g, name, items, local, bodies));
}

/**
 * In the lenient form a missing predicate or transform: exists/all absorb it like an error when
 * another iteration decides (else the result is missing); the other macros stop, missing, as the
 * exact form raises at once.
 */
function emitLoop(g: Generator, name: string, items: string, local: string, bodies: Piece[]): string {
  const list = g.assign(`$iterate(${items})`);
  const i = g.temp();
  const head = [
    `for (${i} = 0; ${i} < ${list}.length; ${i}++) {`,
    `  if (--s.budget < 0) $budgetExhausted();`,
    `  ${local} = ${list}[${i}];`,
    // Read by the body's field selections on the variable (see Generator.localView).
    ...(g.localViews.has(local)
      ? [`  ${local}r = typeof ${local} === "object" && ${local} instanceof $FactRecord;`]
      : []),
  ];
  if (name === 'exists' || name === 'all') {
    // Errors in single iterations are absorbed when another iteration decides, as in CEL.
    const decisive = String(name === 'exists');
    const other = String(name !== 'exists');
    const [p] = bodies as [Piece];
    const result = g.temp();
    if (g.lenient) {
      const missed = g.temp();
      g.emit(
        `${result} = ${other};`,
        `${missed} = false;`,
        ...head,
        ...indent(p.lines),
        `  if (${p.atom} === $M) { ${missed} = true; continue; }`,
        `  if (typeof ${p.atom} !== "boolean") $bail();`,
        `  if (${p.atom} === ${decisive}) { ${result} = ${decisive}; break; }`,
        '}',
        `if (${missed} && ${result} === ${other}) ${result} = $M;`,
      );
      return result;
    }
    if (!g.exact) {
      // Fast form: an error or a non-boolean in any iteration hands over to the exact form.
      g.emit(
        `${result} = ${other};`,
        ...head,
        ...indent(p.lines),
        `  if (typeof ${p.atom} !== "boolean") $bail();`,
        `  if (${p.atom} === ${decisive}) { ${result} = ${decisive}; break; }`,
        '}',
      );
      return result;
    }
    const error = g.temp();
    const body =
      p.lines.length === 0
        ? []
        : [
            'try {',
            ...indent(p.lines),
            `} catch (e) { ${error} = ${error} === undefined ? e : $combineErrors(${error}, e); continue; }`,
          ];
    g.emit(
      `${error} = undefined;`,
      `${result} = undefined;`,
      ...head,
      ...indent(body),
      `  if (${p.atom} === ${decisive}) { ${result} = ${decisive}; break; }`,
      `  if (${p.atom} !== ${other} && ${error} === undefined) ${error} = $noOverload("predicate", ${p.atom});`,
      '}',
      `if (${result} === undefined) {`,
      `  if (${error} !== undefined) throw ${error};`,
      `  ${result} = ${other};`,
      '}',
    );
    return result;
  }
  if (name === 'exists_one') {
    const [p] = bodies as [Piece];
    const count = g.temp();
    g.emit(
      `${count} = 0;`,
      ...head,
      ...indent(p.lines),
      ...missingStops(g, p.atom, `${count} = -1; break;`),
      `  ${requireBool(p.atom, 'exists_one() predicate')}`,
      `  if (${p.atom}) ${count}++;`,
      '}',
    );
    return g.assign(g.lenient ? `${count} === -1 ? $M : ${count} === 1` : `${count} === 1`);
  }
  const out = g.temp();
  if (name === 'filter') {
    const [p] = bodies as [Piece];
    g.emit(
      `${out} = [];`,
      ...head,
      ...indent(p.lines),
      ...missingStops(g, p.atom, `${out} = $M; break;`),
      `  ${requireBool(p.atom, 'filter() predicate')}`,
      `  if (${p.atom}) ${out}.push(${list}[${i}]);`,
      '}',
    );
    return out;
  }
  // map, with an optional filter before the transform.
  const transform = bodies[bodies.length - 1] as Piece;
  const filter = bodies.length === 2 ? (bodies[0] as Piece) : undefined;
  g.emit(
    `${out} = [];`,
    ...head,
    ...(filter
      ? [
          ...indent(filter.lines),
          ...missingStops(g, filter.atom, `${out} = $M; break;`),
          `  ${requireBool(filter.atom, 'map() filter')}`,
          `  if (!${filter.atom}) continue;`,
        ]
      : []),
    ...indent(transform.lines),
    ...missingStops(g, transform.atom, `${out} = $M; break;`),
    `  ${out}.push(${transform.atom});`,
    '}',
  );
  return out;
}

/** Lenient form: the loop line that stops on a missing body value (none in other forms). */
function missingStops(g: Generator, atom: string, stop: string): string[] {
  return g.lenient && /^t\d+$/.test(atom) ? [`  if (${atom} === $M) { ${stop} }`] : [];
}
