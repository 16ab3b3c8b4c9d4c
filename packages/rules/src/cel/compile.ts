/**
 * Compiles a type-checked cel-js AST into nested JavaScript closures. No `eval` and no
 * `new Function`: every node becomes a closure over its children, so user text never reaches the
 * JavaScript parser. The cel-js interpreter stays the reference; `compile.property.test.ts` proves
 * both agree on random expressions.
 */
import type { ASTNode } from '@marcbachmann/cel-js';
import { combineErrors, MissingFactError } from '../errors.ts';
import { MACROS } from './compileMacros.ts';
import { OVERLOADS_BY_NAME } from './functions.ts';
import * as rt from './runtime.ts';

/** Mutable evaluation state: root variables, macro iteration slots, and the iteration budget. */
export interface Scope {
  root: Record<string, unknown>;
  locals: unknown[];
  budget: number;
}

export type Compiled = (scope: Scope) => unknown;

/** Raised for valid CEL the compiler deliberately does not support (bytes, uint, regex...). */
export class CompileError extends Error {
  override readonly name = 'CompileError';
  constructor(
    readonly code: string,
    message: string,
    readonly start: number,
  ) {
    super(message);
  }
}

interface Lexical {
  locals: Map<string, number>;
  slots: { count: number };
}

export interface CompiledExpression {
  run: Compiled;
  /** Number of macro iteration slots a `Scope.locals` array needs. */
  localSlots: number;
}

export function compileAst(ast: ASTNode): CompiledExpression {
  const slots = { count: 0 };
  const run = compileNode(ast, { locals: new Map(), slots });
  return { run, localSlots: slots.count };
}

function unsupported(node: ASTNode, what: string): CompileError {
  return new CompileError(
    'unsupported_expression',
    `${what} is not supported by the Doudi rules compiler`,
    node.start,
  );
}

function constant(value: unknown): Compiled {
  return () => value;
}

function compileNode(node: ASTNode, lex: Lexical): Compiled {
  switch (node.op) {
    case 'value':
      return compileLiteral(node);
    case 'id':
      return compileIdentifier(node.args, lex);
    case '.':
      return compileSelect(node.args[0], node.args[1], lex);
    case '[]': {
      const t = compileNode(node.args[0], lex);
      const k = compileNode(node.args[1], lex);
      return (s) => rt.index(t(s), k(s));
    }
    case 'list':
      return compileList(node.args, lex);
    case 'map':
      return compileMap(node.args, lex);
    case '?:': {
      const [c, a, b] = node.args.map((child) => compileNode(child, lex)) as [Compiled, Compiled, Compiled];
      return (s) => (rt.requireBool(c(s), 'ternary condition') ? a(s) : b(s));
    }
    case '&&':
      return compileLogical(node.args, lex, false);
    case '||':
      return compileLogical(node.args, lex, true);
    case '!_': {
      const a = compileNode(node.args, lex);
      return (s) => rt.not(a(s));
    }
    case '-_': {
      const a = compileNode(node.args, lex);
      return (s) => rt.negate(a(s));
    }
    case 'call':
      return compileCall(node, node.args[0], node.args[1], lex);
    case 'rcall':
      return compileReceiverCall(node, node.args[0], node.args[1], node.args[2], lex);
    case '.?':
    case '[?]':
      throw unsupported(node, 'optional selection');
    default:
      return compileBinary(node, lex);
  }
}

function compileLiteral(node: ASTNode & { op: 'value' }): Compiled {
  const value = node.args;
  if (value === null || ['bigint', 'number', 'string', 'boolean'].includes(typeof value))
    return constant(value);
  throw unsupported(node, 'this literal type (bytes, uint)');
}

function compileIdentifier(name: string, lex: Lexical): Compiled {
  const slot = lex.locals.get(name);
  if (slot !== undefined) return (s) => s.locals[slot];
  return (s) => rootValue(s, name);
}

function rootValue(s: Scope, name: string): unknown {
  const value = s.root[name];
  if (value === undefined) throw rt.evaluationError('unknown_variable', `Unknown variable: ${name}`);
  // A root that could not be supplied (e.g. no member list) re-raises why.
  if (value instanceof rt.Failure) throw value.error;
  return value;
}

/**
 * Field selection, the most frequent node (`household.x`, `m.age`, `param.y`). Selections on a
 * root or macro variable are fused into one closure with the common case (a record field that is
 * present) inline; everything else goes through `selectField`.
 */
function compileSelect(target: ASTNode, field: string, lex: Lexical): Compiled {
  if (target.op === 'id') {
    const name = target.args;
    const slot = lex.locals.get(name);
    if (slot !== undefined) {
      return (s) => {
        const record = s.locals[slot];
        if (record instanceof rt.FactRecord) {
          const value = record[field];
          if (value !== undefined && !(value instanceof rt.Failure)) return value;
        }
        return rt.selectField(record, field);
      };
    }
    return (s) => {
      const record = s.root[name];
      if (record instanceof rt.FactRecord) {
        const value = record[field];
        if (value !== undefined && !(value instanceof rt.Failure)) return value;
      }
      return rt.selectField(rootValue(s, name), field);
    };
  }
  const t = compileNode(target, lex);
  return (s) => rt.selectField(t(s), field);
}

function compileList(elements: ASTNode[], lex: Lexical): Compiled {
  if (elements.every((e) => e.op === 'value')) {
    // A literal list is built once; frozen so no caller can change it for the next evaluation.
    const items = Object.freeze(
      elements.map((e) => compileLiteral(e as ASTNode & { op: 'value' })(undefined as never)),
    );
    return constant(items);
  }
  const parts = elements.map((e) => compileNode(e, lex));
  return (s) => {
    const out = new Array(parts.length);
    for (let i = 0; i < parts.length; i++) out[i] = (parts[i] as Compiled)(s);
    return out;
  };
}

function compileMap(entries: [ASTNode, ASTNode][], lex: Lexical): Compiled {
  const parts = entries.map(([k, v]) => {
    if (k.op === 'value' && typeof k.args !== 'string')
      throw unsupported(k, 'a map key that is not a string');
    return [compileNode(k, lex), compileNode(v, lex)] as const;
  });
  return (s) => {
    // Null prototype: a key such as "__proto__" stays an ordinary key.
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, v] of parts) out[rt.requireString(k(s), 'map key')] = v(s);
    return out;
  };
}

/**
 * CEL's commutative `&&`/`||`: an error on one side is absorbed when the other side decides the
 * result (false for `&&`, true for `||`); a missing fact therefore never hides a decisive veto.
 */
function compileLogical(args: [ASTNode, ASTNode], lex: Lexical, isOr: boolean): Compiled {
  const l = compileNode(args[0], lex);
  const r = compileNode(args[1], lex);
  const decisive = isOr;
  const operator = isOr ? '_||_' : '_&&_';
  return (s) => {
    let leftError: unknown;
    let left: unknown;
    try {
      left = l(s);
    } catch (error) {
      leftError = error;
    }
    if (left === decisive) return decisive;
    if (leftError === undefined && left !== !decisive) leftError = rt.noOverload(operator, left);
    let right: unknown;
    try {
      right = r(s);
    } catch (error) {
      throw leftError === undefined ? error : combineErrors(leftError, error);
    }
    if (right === decisive) return decisive;
    if (leftError !== undefined) throw leftError;
    if (right !== !decisive) throw rt.noOverload(operator, left, right);
    return right;
  };
}

/**
 * When the left operand lacks a fact, the right operand is still tried so that every missing fact
 * of the expression is reported at once (an applicant is asked for everything in one go). Only
 * missing facts get this treatment; CEL errors propagate as usual.
 */
function alsoMissing(error: unknown, other: Compiled, s: Scope): unknown {
  if (!(error instanceof MissingFactError)) return error;
  try {
    other(s);
  } catch (second) {
    return combineErrors(error, second);
  }
  return error;
}

function strictBinary(a: Compiled, b: Compiled, op: (x: unknown, y: unknown) => unknown): Compiled {
  return (s) => {
    let x: unknown;
    try {
      x = a(s);
    } catch (error) {
      throw alsoMissing(error, b, s);
    }
    return op(x, b(s));
  };
}

/**
 * One closure literal per operator, so that each literal's call to its runtime helper stays
 * monomorphic and V8 can inline it (a shared closure calling `op(x, y)` would not).
 */
function compileBinary(node: ASTNode, lex: Lexical): Compiled {
  const [leftNode, rightNode] = node.args as [ASTNode, ASTNode];
  const a = compileNode(leftNode, lex);
  const b = compileNode(rightNode, lex);
  const left = (s: Scope) => {
    try {
      return a(s);
    } catch (error) {
      throw alsoMissing(error, b, s);
    }
  };
  switch (node.op) {
    case '+':
      return (s) => rt.add(left(s), b(s));
    case '-':
      return (s) => rt.subtract(left(s), b(s));
    case '*':
      return (s) => rt.multiply(left(s), b(s));
    case '/':
      return (s) => rt.divide(left(s), b(s));
    case '%':
      return (s) => rt.modulo(left(s), b(s));
    case '==':
      return (s) => rt.equals(left(s), b(s));
    case '!=':
      return (s) => !rt.equals(left(s), b(s));
    case '<':
      return (s) => rt.compare(left(s), b(s), '_<_') < 0;
    case '<=':
      return (s) => rt.compare(left(s), b(s), '_<=_') <= 0;
    case '>':
      return (s) => rt.compare(left(s), b(s), '_>_') > 0;
    case '>=':
      return (s) => rt.compare(left(s), b(s), '_>=_') >= 0;
    case 'in':
      return (s) => rt.contains(b(s), left(s));
    default:
      throw unsupported(node, `operator ${node.op}`);
  }
}

/** Evaluates call arguments left to right, collecting missing facts across all of them. */
function evaluateArguments(args: readonly Compiled[], s: Scope): unknown[] {
  const values = new Array(args.length);
  for (let i = 0; i < args.length; i++) {
    try {
      values[i] = (args[i] as Compiled)(s);
    } catch (error) {
      let merged = error;
      for (let j = i + 1; j < args.length && merged instanceof MissingFactError; j++) {
        merged = alsoMissing(merged, args[j] as Compiled, s);
      }
      throw merged;
    }
  }
  return values;
}

function compileCall(node: ASTNode, name: string, args: ASTNode[], lex: Lexical): Compiled {
  if (name === 'has') {
    const [field] = args;
    if (args.length !== 1 || field?.op !== '.') throw unsupported(node, 'has() without a field selection');
    const target = compileNode(field.args[0], lex);
    const fieldName = field.args[1];
    return (s) => rt.hasField(target(s), fieldName);
  }
  const compiled = args.map((a) => compileNode(a, lex));
  if (compiled.length === 1) {
    const a = compiled[0] as Compiled;
    if (name === 'size') return (s) => rt.size(a(s));
    if (name === 'int') return (s) => rt.toInt(a(s));
    if (name === 'double') return (s) => rt.toDouble(a(s));
    if (name === 'string') return (s) => rt.toCelString(a(s));
  }
  const candidates = (OVERLOADS_BY_NAME.get(name) ?? []).filter(
    (o) => o.argumentTypes.length === args.length,
  );
  if (candidates.length === 0) throw unsupported(node, `function ${name}()`);
  // The type checker annotated each argument: pick the overload now when the types decide it.
  const argumentTypes = args.map(
    (a) => (a as ASTNode & { checkedType?: { name: string } }).checkedType?.name,
  );
  const chosen = candidates.filter((o) => o.argumentTypes.every((t, i) => t === argumentTypes[i]));
  if (chosen.length === 1) {
    const implementation = (chosen[0] as (typeof chosen)[number]).implementation as (
      ...v: unknown[]
    ) => unknown;
    if (compiled.length === 1) {
      const a = compiled[0] as Compiled;
      return (s) => implementation(a(s));
    }
    if (compiled.length === 2) {
      const [a, b] = compiled as [Compiled, Compiled];
      return strictBinary(a, b, implementation);
    }
    return (s) => implementation(...evaluateArguments(compiled, s));
  }
  return (s) => {
    const values = evaluateArguments(compiled, s);
    for (const candidate of candidates) {
      if (candidate.argumentKinds.every((kind, i) => rt.kindOf(values[i]) === kind)) {
        return (candidate.implementation as (...v: unknown[]) => unknown)(...values);
      }
    }
    throw rt.noOverload(name, ...values);
  };
}

const STRING_METHODS: Record<string, (receiver: string, argument: string) => boolean> = {
  startsWith: (r, a) => r.startsWith(a),
  endsWith: (r, a) => r.endsWith(a),
  contains: (r, a) => r.includes(a),
};

function compileReceiverCall(
  node: ASTNode,
  name: string,
  receiver: ASTNode,
  args: ASTNode[],
  lex: Lexical,
): Compiled {
  const macro = MACROS[name];
  if (macro && (args.length === 2 || (name === 'map' && args.length === 3))) {
    const iterator = args[0] as ASTNode;
    if (iterator.op !== 'id') throw unsupported(iterator, 'a macro iteration variable that is not a name');
    const items = compileNode(receiver, lex);
    const slot = lex.slots.count++;
    const inner: Lexical = { locals: new Map(lex.locals).set(iterator.args, slot), slots: lex.slots };
    const bodies = args.slice(1).map((a) => compileNode(a, inner));
    return macro(items, slot, bodies);
  }
  const target = compileNode(receiver, lex);
  if (name === 'size' && args.length === 0) return (s) => rt.size(target(s));
  const method = STRING_METHODS[name];
  if (method && args.length === 1) {
    const a = compileNode(args[0] as ASTNode, lex);
    return (s) => {
      const r = target(s);
      const v = a(s);
      if (typeof r !== 'string' || typeof v !== 'string') throw rt.noOverload(name, r, v);
      return method(r, v);
    };
  }
  throw unsupported(node, `method .${name}()`);
}
