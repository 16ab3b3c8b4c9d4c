/**
 * Compiles a type-checked cel-js AST into JavaScript source, one function per expression, built
 * with `new Function`. The source is generated only from the checked AST, never from user text:
 * field names, root names and string literals enter it through JSON.stringify as string data
 * (`r["x"]`), numbers as exact number texts, macro variables as generated names (`l0`), and every
 * operator, helper and method name comes from this compiler's own tables. The run-time semantics
 * are the helpers' in runtime.ts, ints.ts and functions.ts, handed to the generated code as
 * parameters of the outer function (`$selectField`, `$F[i]`...). The cel-js interpreter stays the
 * reference; `compile.property.test.ts` proves both agree on random expressions.
 *
 * Ints are JavaScript numbers here (see `ints.ts`), so int and double values look alike at run
 * time: every operator picks its int or double version now, from the types the checker annotated
 * on the AST. An operand whose type the checker could not pin down (`dyn`) is refused at load.
 */
import type { ASTNode } from '@marcbachmann/cel-js';
import { combineErrors, MissingFactError } from '../errors.ts';
import {
  CompileError,
  Generator,
  indent,
  type Lexical,
  numberLiteral,
  stringLiteral,
  unsupported,
} from './codegen.ts';
import { emitCall, emitReceiverCall } from './compileCalls.ts';
import { budgetExhausted, iterate } from './compileMacros.ts';
import { emitBinary, logical, numericType, unknownType } from './compileOperators.ts';
import * as ints from './ints.ts';
import * as rt from './runtime.ts';

export { CompileError, unsupported };

/** Mutable evaluation state: root variables, macro iteration slots, and the iteration budget. */
export interface Scope {
  root: Record<string, unknown>;
  /** Kept for callers that size it from `localSlots`; generated code keeps macro variables in locals. */
  locals: unknown[];
  budget: number;
}

export type Compiled = (scope: Scope) => unknown;

export interface CompiledExpression {
  run: Compiled;
  /** Number of macro iteration variables (a `Scope.locals` array of this size is always enough). */
  localSlots: number;
  /** The generated JavaScript, for reading and for tests. */
  source: string;
}

/** Thrown by the fast form to hand over to the exact form; never seen outside `compileAst`. */
const BAIL = Object.freeze({ handOver: true });
function bail(): never {
  throw BAIL;
}

function checkRoot(value: unknown, name: string): unknown {
  if (value === undefined) throw rt.evaluationError('unknown_variable', `Unknown variable: ${name}`);
  // A root that could not be supplied (e.g. no member list) re-raises why.
  if (value instanceof rt.Failure) throw value.error;
  return value;
}

/** What generated code may call: the only names it uses besides its own `s`, `R`, `t…`, `l…`. */
const HELPERS = {
  $FactRecord: rt.FactRecord,
  $Failure: rt.Failure,
  $MissingFactError: MissingFactError,
  $combineErrors: combineErrors,
  $checkRoot: checkRoot,
  $selectField: rt.selectField,
  $ownField: rt.ownField,
  $hasField: rt.hasField,
  $index: rt.index,
  $contains: rt.contains,
  $equals: rt.equals,
  $compare: rt.compare,
  $add: rt.add,
  $size: rt.size,
  $noOverload: rt.noOverload,
  $requireBool: rt.requireBool,
  $requireString: rt.requireString,
  $checkDouble: rt.checkDouble,
  $divideDouble: rt.divideDouble,
  $toDouble: rt.toDouble,
  $toCelString: rt.toCelString,
  $outsideSafeRange: ints.outsideSafeRange,
  $divideInt: ints.divideInt,
  $moduloInt: ints.moduloInt,
  $intFromDouble: ints.intFromDouble,
  $intFromString: ints.intFromString,
  $iterate: iterate,
  $budgetExhausted: budgetExhausted,
  $newMap: (): Record<string, unknown> => Object.create(null),
  $bail: bail,
  $M: rt.MISSING,
  $selectFieldL: rt.selectFieldLenient,
  $indexL: rt.indexLenient,
};
const HELPER_NAMES = Object.keys(HELPERS);
const HELPER_VALUES = Object.values(HELPERS);

/**
 * Two forms of each expression. The exact form is CEL's semantics to the letter: `&&`/`||` and
 * exists/all absorb an error when the other side decides, and every missing fact of an operator's
 * operands is collected — which takes a try/catch around most operands. That bookkeeping is only
 * needed when something fails, and in a batch almost nothing does; the try/catch blocks and error
 * slots also made each function too large for V8 to inline. So the expression runs first in a fast
 * form without them, inside one try: if it completes, its value is the exact form's (without
 * errors both compute the same things in the same order). If anything throws, the exact form runs
 * again from the start with the iteration budget restored; what the fast form did before the
 * throw was reading (a lazily computed variable it read is stored with the same value or failure
 * the exact form will read), so the answer — value, error or missing facts — is the exact form's.
 * An expression whose exact form needs no try/catch is its own fast form.
 *
 * A third form, the lenient one (`lenientForm(run)`), is for callers that only need to know
 * *that* a fact is missing, not which (a screening run stores statuses only): a missing fact is
 * the value `MISSING`, carried through operators, and `&&`/`||`/exists/all absorb it as CEL absorbs
 * the error, so a household lacking a fact costs neither an exception nor a second run. Anything
 * else that fails (a rule error, a non-boolean) hands over to the exact form as in the fast form.
 * It returns the exact form's value, or `MISSING` exactly where the exact form raises
 * `MissingFactError` (or raises what the exact form raises); the property test checks this.
 */
export function compileAst(ast: ASTNode): CompiledExpression {
  const g = new Generator(true);
  const exact = build(g, ast);
  const lenient = build(new Generator(false, true), ast, exact.run);
  if (!g.usesTry) {
    lenientForms.set(exact.run, lenient.run);
    return { ...exact, source: `${exact.source}\n${lenient.source}` };
  }
  const fast = build(new Generator(false), ast, exact.run);
  lenientForms.set(fast.run, lenient.run);
  return {
    run: fast.run,
    localSlots: exact.localSlots,
    source: `${fast.source}\n${exact.source}\n${lenient.source}`,
  };
}

// Keyed by the compiled function rather than a property of the expression: objects that wrap
// another `run` (an indicator model's score variable spreads its first item's expression) must
// not inherit a lenient form that is not theirs.
const lenientForms = new WeakMap<Compiled, Compiled>();

/**
 * The lenient form of a compiled expression's `run` (see `compileAst`), or undefined for a `run`
 * that this compiler did not build. Its value is `MISSING` where `run` raises MissingFactError.
 */
export function lenientForm(run: Compiled): Compiled | undefined {
  return lenientForms.get(run);
}

function build(g: Generator, ast: ASTNode, exactForm?: Compiled): CompiledExpression {
  const result = generate(g, ast, { locals: new Map() });
  const lines = [...g.head, ...g.lines, `return ${result};`];
  const body = exactForm
    ? [
        g.declarations(),
        'const R = s.root;',
        'const budget = s.budget;',
        'try {',
        ...indent(lines),
        '} catch {',
        '  s.budget = budget;',
        '  return $exact(s);',
        '}',
      ]
    : [g.declarations(), 'const R = s.root;', ...lines];
  const name = g.lenient ? 'celLenient' : exactForm ? 'celFast' : 'celExact';
  const source = `return function ${name}(s) {\n${indent(body).join('\n')}\n};`;
  // Parameters: the helpers, the constant and function tables, the exact form. Strict mode.
  const factory = new Function(...HELPER_NAMES, '$K', '$F', '$exact', `"use strict";\n${source}`);
  const constants = Object.freeze(g.constants);
  const run = factory(...HELPER_VALUES, constants, Object.freeze(g.functions), exactForm) as Compiled;
  return { run, localSlots: g.localCount, source };
}

/** Generates code for `node` into the current block; returns the atom holding its value. */
export function generate(g: Generator, node: ASTNode, lex: Lexical): string {
  switch (node.op) {
    case 'value':
      return literal(g, literalValue(node));
    case 'id':
      return identifier(g, node.args, lex);
    case '.':
      return select(g, node.args[0], node.args[1], lex);
    case '[]': {
      const t = generate(g, node.args[0], lex);
      const k = generate(g, node.args[1], lex);
      return g.assign(`${g.lenient ? '$indexL' : '$index'}(${t}, ${k})`);
    }
    case 'list':
      return list(g, node.args, lex);
    case 'map':
      return map(g, node.args, lex);
    case '?:':
      return ternary(g, node.args, lex);
    case '&&':
      return logical(g, node.args, lex, false);
    case '||':
      return logical(g, node.args, lex, true);
    case '!_': {
      const a = generate(g, node.args, lex);
      return g.guarded([a], () => {
        g.emit(`if (typeof ${a} !== "boolean") throw $noOverload("!_", ${a});`);
        return g.assign(`!${a}`);
      });
    }
    case '-_': {
      const a = generate(g, node.args, lex);
      const type = numericType(node.args);
      // The safe range is symmetric, so int negation cannot leave it; `0 - a` never gives -0.
      if (type === 'int') return g.guarded([a], () => g.assign(`0 - ${a}`));
      if (type === 'double') return g.guarded([a], () => g.assign(`-${a}`));
      throw unknownType(node, 'negation');
    }
    case 'call':
      return emitCall(g, node, node.args[0], node.args[1], lex);
    case 'rcall':
      return emitReceiverCall(g, node, node.args[0], node.args[1], node.args[2], lex);
    case '.?':
    case '[?]':
      throw unsupported(node, 'optional selection');
    default: {
      const [leftNode, rightNode] = node.args as [ASTNode, ASTNode];
      const left = g.piece(() => generate(g, leftNode, lex));
      const right = g.piece(() => generate(g, rightNode, lex));
      return emitBinary(g, node, leftNode, rightNode, left, right, lex);
    }
  }
}

export function literalValue(node: ASTNode & { op: 'value' }): unknown {
  const value = node.args;
  if (typeof value === 'bigint') {
    // Refused at load, not at decision time: an int literal the compiled form cannot hold exactly.
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new CompileError(
        'int_outside_safe_range',
        `integer literal ${value} is outside the supported range ±9007199254740991 (2^53 − 1)`,
        node.start,
      );
    }
    return Number(value);
  }
  if (value === null || ['number', 'string', 'boolean'].includes(typeof value)) return value;
  throw unsupported(node, 'this literal type (bytes, uint)');
}

/** A literal as an atom: inline source for strings, booleans, null and finite numbers. */
function literal(g: Generator, value: unknown): string {
  if (typeof value === 'string') return stringLiteral(value);
  if (typeof value === 'number') return numberLiteral(value) ?? g.constant(value);
  if (typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  return g.constant(value);
}

/** `R.household`: the engine's roots as named loads; any other root as a string-keyed load. */
function rootLoad(name: string): string {
  switch (name) {
    case 'household':
    case 'members':
    case 'member':
    case 'param':
      return `R.${name}`;
    default:
      return `R[${stringLiteral(name)}]`;
  }
}

/**
 * `undefined`, or a `Failure` (a variable or parameter that could not be computed). The typeof test
 * first: `instanceof` on a number is a full generic check in optimised code (it made a field read
 * four times slower), while a fact's value is nearly always a number, string or boolean.
 */
function absentOrFailure(t: string): string {
  return `${t} === undefined || (typeof ${t} === "object" && ${t} instanceof $Failure)`;
}

function identifier(g: Generator, name: string, lex: Lexical): string {
  const local = lex.locals.get(name);
  if (local !== undefined) return local;
  const root = g.rootValue(name, rootLoad(name));
  g.emit(`if (${absentOrFailure(root)}) $checkRoot(${root}, ${stringLiteral(name)});`);
  return root;
}

/**
 * Field selection, the most frequent node (`household.x`, `m.age`, `param.y`). On a root or macro
 * variable the common case (a record field that is present) is inline; everything else (absent
 * field: a lazy variable or a missing fact; a Failure; a map; an unsupplied root) goes through
 * `selectField`, which raises the right error.
 */
function select(g: Generator, target: ASTNode, field: string, lex: Lexical): string {
  const key = stringLiteral(field);
  if (target.op === 'id') {
    const name = target.args;
    const local = lex.locals.get(name);
    const view = local !== undefined ? g.localView(local) : g.rootView(name, rootLoad(name));
    const record = view.value;
    const checked = local ?? `$checkRoot(${record}, ${stringLiteral(name)})`;
    const read = rt.isInheritedName(field) ? `$ownField(${record}, ${key})` : `${record}[${key}]`;
    const t = g.assign(`${view.isRecord} ? ${read} : undefined`);
    const slow = g.lenient ? '$selectFieldL' : '$selectField';
    g.emit(`if (${absentOrFailure(t)}) ${t} = ${slow}(${checked}, ${key});`);
    return t;
  }
  const t = generate(g, target, lex);
  return g.assign(`${g.lenient ? '$selectFieldL' : '$selectField'}(${t}, ${key})`);
}

function list(g: Generator, elements: ASTNode[], lex: Lexical): string {
  if (elements.every((e) => e.op === 'value')) {
    // A literal list is built once; frozen so no caller can change it for the next evaluation.
    return g.constant(Object.freeze(elements.map((e) => literalValue(e as ASTNode & { op: 'value' }))));
  }
  const atoms = elements.map((e) => generate(g, e, lex));
  return g.guarded(atoms, () => g.assign(`[${atoms.join(', ')}]`));
}

function map(g: Generator, entries: [ASTNode, ASTNode][], lex: Lexical): string {
  // Null prototype: a key such as "__proto__" stays an ordinary key.
  const out = g.assign('$newMap()');
  for (const [k, v] of entries) {
    if (k.op === 'value' && typeof k.args !== 'string')
      throw unsupported(k, 'a map key that is not a string');
    const key = generate(g, k, lex);
    const checked = k.op === 'value' ? key : g.assign(`$requireString(${key}, "map key")`);
    const value = generate(g, v, lex);
    g.emit(`${out}[${checked}] = ${value};`);
    // Lenient form: a missing key fails `$requireString` (the exact form takes over); a missing
    // value makes the whole map missing.
    if (g.lenient && /^t\d+$/.test(value)) g.emit(`if (${value} === $M) ${out} = $M;`);
  }
  return out;
}

function ternary(g: Generator, [c, a, b]: [ASTNode, ASTNode, ASTNode], lex: Lexical): string {
  const condition = generate(g, c, lex);
  const whenTrue = g.piece(() => generate(g, a, lex));
  const whenFalse = g.piece(() => generate(g, b, lex));
  const t = g.temp();
  const branches = [
    `if (typeof ${condition} !== "boolean") $requireBool(${condition}, "ternary condition");`,
    `if (${condition}) {`,
    ...indent(whenTrue.lines),
    `  ${t} = ${whenTrue.atom};`,
    '} else {',
    ...indent(whenFalse.lines),
    `  ${t} = ${whenFalse.atom};`,
    '}',
  ];
  if (g.lenient && /^t\d+$/.test(condition)) {
    g.emit(`if (${condition} === $M) ${t} = $M;`, 'else {', ...indent(branches), '}');
  } else {
    g.emit(...branches);
  }
  return t;
}
