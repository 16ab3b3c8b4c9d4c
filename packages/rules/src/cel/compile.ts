/**
 * Compiles a type-checked cel-js AST into nested JavaScript closures. No `eval` and no
 * `new Function`: every node becomes a closure over its children, so user text never reaches the
 * JavaScript parser. The cel-js interpreter stays the reference; `compile.property.test.ts` proves
 * both agree on random expressions.
 *
 * Ints are JavaScript numbers here (see `ints.ts`), so int and double values look alike at run
 * time: every operator picks its int or double version now, from the types the checker annotated
 * on the AST. An operand whose type the checker could not pin down (`dyn`) is refused at load.
 */
import type { ASTNode } from '@marcbachmann/cel-js';
import { combineErrors, MissingFactError } from '../errors.ts';
import { MACROS } from './compileMacros.ts';
import {
  alsoMissing,
  binaryOperator,
  neverMissing,
  numericType,
  typeOf,
  unknownType,
} from './compileOperators.ts';
import { OVERLOADS_BY_NAME } from './functions.ts';
import * as ints from './ints.ts';
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

export function unsupported(node: ASTNode, what: string): CompileError {
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
      const type = numericType(node.args);
      if (type === 'int') return (s) => ints.negateInt(a(s) as number);
      if (type === 'double') return (s) => -(a(s) as number);
      throw unknownType(node, 'negation');
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

function literalValue(node: ASTNode & { op: 'value' }): unknown {
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

function compileLiteral(node: ASTNode & { op: 'value' }): Compiled {
  return constant(literalValue(node));
}

function compileIdentifier(name: string, lex: Lexical): Compiled {
  const slot = lex.locals.get(name);
  if (slot !== undefined) return (s) => s.locals[slot];
  const read = rootReader(name);
  return (s) => checkRoot(read(s), name);
}

/**
 * Reads a root variable. The engine's roots get a named property load each (monomorphic, fast);
 * `s.root[name]` in one shared closure would be a megamorphic keyed load on every evaluation.
 */
function rootReader(name: string): (s: Scope) => unknown {
  switch (name) {
    case 'household':
      return (s) => s.root.household;
    case 'members':
      return (s) => s.root.members;
    case 'member':
      return (s) => s.root.member;
    case 'param':
      return (s) => s.root.param;
    default:
      return (s) => s.root[name];
  }
}

function checkRoot(value: unknown, name: string): unknown {
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
    const read = rootReader(name);
    return (s) => {
      const record = read(s);
      if (record instanceof rt.FactRecord) {
        const value = record[field];
        if (value !== undefined && !(value instanceof rt.Failure)) return value;
      }
      return rt.selectField(checkRoot(record, name), field);
    };
  }
  const t = compileNode(target, lex);
  return (s) => rt.selectField(t(s), field);
}

function compileList(elements: ASTNode[], lex: Lexical): Compiled {
  if (elements.every((e) => e.op === 'value')) {
    // A literal list is built once; frozen so no caller can change it for the next evaluation.
    const items = Object.freeze(elements.map((e) => literalValue(e as ASTNode & { op: 'value' })));
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

function compileBinary(node: ASTNode, lex: Lexical): Compiled {
  const [leftNode, rightNode] = node.args as [ASTNode, ASTNode];
  const a = compileNode(leftNode, lex);
  const b = compileNode(rightNode, lex);
  return binaryOperator(node, leftNode, rightNode, a, b, neverMissing(rightNode, lex.locals));
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
    const argumentType = typeOf(args[0] as ASTNode);
    if (name === 'size') return (s) => rt.size(a(s));
    if (name === 'int') {
      // An int is its own int(); a double truncates; a string parses.
      if (argumentType === 'int') return a;
      if (argumentType === 'double') return (s) => ints.intFromDouble(a(s) as number);
      if (argumentType === 'string') return (s) => ints.intFromString(rt.requireString(a(s), 'int()'));
      throw unknownType(node, 'int()');
    }
    if (name === 'double') {
      if (argumentType === 'int' || argumentType === 'double') return a;
      if (argumentType === 'string') return (s) => rt.toDouble(rt.requireString(a(s), 'double()'));
      throw unknownType(node, 'double()');
    }
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
    const implementation = (chosen[0] as (typeof chosen)[number]).compiled as (...v: unknown[]) => unknown;
    if (compiled.length === 1) {
      const a = compiled[0] as Compiled;
      return (s) => implementation(a(s));
    }
    if (compiled.length === 2) {
      const [a, b] = compiled as [Compiled, Compiled];
      // No missing facts to add to the first argument's: no try/catch on the hot path.
      if (neverMissing(args[1] as ASTNode, lex.locals)) return (s) => implementation(a(s), b(s));
      return strictBinary(a, b, implementation);
    }
    return (s) => implementation(...evaluateArguments(compiled, s));
  }
  // Without checked argument types an int could not be told from a double at run time.
  throw unknownType(node, `${name}()`);
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
