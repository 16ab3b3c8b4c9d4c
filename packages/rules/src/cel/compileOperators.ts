/**
 * Operators of the compiled closures, and the checked-type helpers that choose them. Ints and
 * doubles are both JavaScript numbers at run time (see `ints.ts`), so each operator's int or double
 * version is chosen here, at compile time, from the types the cel-js checker annotated.
 */
import type { ASTNode } from '@marcbachmann/cel-js';
import { combineErrors, MissingFactError } from '../errors.ts';
import { type Compiled, CompileError, type Scope, unsupported } from './compile.ts';
import * as ints from './ints.ts';
import * as rt from './runtime.ts';

/** The type the cel-js checker annotated, e.g. `int`, `list<int>`, `Household`, `dyn`. */
export function typeOf(node: ASTNode): string | undefined {
  return (node as ASTNode & { checkedType?: { name: string } }).checkedType?.name;
}

/** `int` or `double` when the checked type says so; otherwise what the operator must not mistake. */
export function numericType(node: ASTNode): 'int' | 'double' | 'other' | 'unknown' {
  const type = typeOf(node);
  if (type === 'int' || type === 'double') return type;
  if (type === undefined || type === 'dyn' || /^[A-Z]$/.test(type)) return 'unknown';
  return 'other';
}

export function unknownType(node: ASTNode, what: string): CompileError {
  return new CompileError(
    'unsupported_expression',
    `${what}: the operand's type is not known when the rule is loaded (dyn); declare it`,
    node.start,
  );
}

/**
 * When the left operand lacks a fact, the right operand is still tried so that every missing fact
 * of the expression is reported at once (an applicant is asked for everything in one go). Only
 * missing facts get this treatment; CEL errors propagate as usual.
 */
export function alsoMissing(error: unknown, other: Compiled, s: Scope): unknown {
  if (!(error instanceof MissingFactError)) return error;
  try {
    other(s);
  } catch (second) {
    return combineErrors(error, second);
  }
  return error;
}

/**
 * One closure literal per operator and operand type, so that each literal's call to its helper
 * stays monomorphic and V8 can inline it (a shared closure calling `op(x, y)` would not).
 */
export function binaryOperator(
  node: ASTNode,
  leftNode: ASTNode,
  rightNode: ASTNode,
  a: Compiled,
  b: Compiled,
  rightNeverMissing = false,
): Compiled {
  // The wrapper only adds the right operand's missing facts to the left's; when the right one can
  // never lack a fact (a literal, a parameter...), the left closure is used as it is.
  const left = rightNeverMissing
    ? a
    : (s: Scope) => {
        try {
          return a(s);
        } catch (error) {
          throw alsoMissing(error, b, s);
        }
      };
  const leftType = numericType(leftNode);
  const rightType = numericType(rightNode);
  const isInt = leftType === 'int' && rightType === 'int';
  const isDouble = leftType === 'double' && rightType === 'double';
  // Numbers, strings and bools of the same type (and int against double, exact as doubles) order
  // and compare with JavaScript's own operators.
  const scalar = isScalarPair(typeOf(leftNode), typeOf(rightNode));
  const arithmetic = (what: string) => {
    if (leftType === 'unknown' || rightType === 'unknown') throw unknownType(node, what);
  };
  switch (node.op) {
    case '+':
      if (isInt) return (s) => ints.addInt(left(s) as number, b(s) as number);
      if (isDouble) return (s) => rt.checkDouble((left(s) as number) + (b(s) as number));
      arithmetic('+');
      return (s) => rt.add(left(s), b(s));
    case '-':
      if (isInt) return (s) => ints.subtractInt(left(s) as number, b(s) as number);
      if (isDouble) return (s) => rt.checkDouble((left(s) as number) - (b(s) as number));
      throw unknownType(node, '-');
    case '*':
      if (isInt) return (s) => ints.multiplyInt(left(s) as number, b(s) as number);
      if (isDouble) return (s) => rt.checkDouble((left(s) as number) * (b(s) as number));
      throw unknownType(node, '*');
    case '/':
      if (isInt) return (s) => ints.divideInt(left(s) as number, b(s) as number);
      if (isDouble) return (s) => rt.divideDouble(left(s) as number, b(s) as number);
      throw unknownType(node, '/');
    case '%':
      if (isInt) return (s) => ints.moduloInt(left(s) as number, b(s) as number);
      throw unknownType(node, '%');
    case '==':
      if (scalar) return (s) => left(s) === b(s);
      return (s) => rt.equals(left(s), b(s));
    case '!=':
      if (scalar) return (s) => left(s) !== b(s);
      return (s) => !rt.equals(left(s), b(s));
    case '<':
      if (scalar) return (s) => (left(s) as number) < (b(s) as number);
      arithmetic('<');
      return (s) => rt.compare(left(s), b(s), '_<_') < 0;
    case '<=':
      if (scalar) return (s) => (left(s) as number) <= (b(s) as number);
      arithmetic('<=');
      return (s) => rt.compare(left(s), b(s), '_<=_') <= 0;
    case '>':
      if (scalar) return (s) => (left(s) as number) > (b(s) as number);
      arithmetic('>');
      return (s) => rt.compare(left(s), b(s), '_>_') > 0;
    case '>=':
      if (scalar) return (s) => (left(s) as number) >= (b(s) as number);
      arithmetic('>=');
      return (s) => rt.compare(left(s), b(s), '_>=_') >= 0;
    case 'in':
      return (s) => rt.contains(b(s), left(s));
    default:
      throw unsupported(node, `operator ${node.op}`);
  }
}

const SCALARS = new Set(['int', 'double', 'string', 'bool']);

/**
 * Both operands of a checked scalar type for which JavaScript's `===` and `<` are CEL's: the same
 * type, or int with double (ordering only: the checker refuses `int == double`). A null operand
 * is not scalar and goes through `rt.equals`.
 */
function isScalarPair(left: string | undefined, right: string | undefined): boolean {
  if (left === undefined || right === undefined || !SCALARS.has(left) || !SCALARS.has(right)) return false;
  if (left === right) return true;
  return (left === 'int' || left === 'double') && (right === 'int' || right === 'double');
}

const ROOTS_NEVER_MISSING = new Set(['param', 'evaluationDate', 'regionCode']);

/**
 * True when evaluating `node` can never raise `MissingFactError`: it reads no fact and no variable
 * (literals, macro variables, parameters, and operators and functions over those). Such an operand
 * has no missing facts to add to its sibling's, so the sibling needs no try/catch wrapper to
 * collect them. Parameters qualify because the engine's `param` record holds every declared
 * parameter, either its value or a `Failure` whose error is never a missing fact; the checker
 * refuses undeclared ones. Anything not listed here (field selections, indexing, macros, has())
 * is treated as possibly missing.
 */
export function neverMissing(node: ASTNode, locals: ReadonlyMap<string, number>): boolean {
  switch (node.op) {
    case 'value':
      return true;
    case 'id':
      return locals.has(node.args) || ROOTS_NEVER_MISSING.has(node.args);
    case '.': {
      const target = node.args[0];
      return target.op === 'id' && target.args === 'param' && !locals.has('param');
    }
    case 'list':
      return node.args.every((e) => neverMissing(e, locals));
    case '!_':
    case '-_':
      return neverMissing(node.args, locals);
    case '?:':
      return node.args.every((e) => neverMissing(e, locals));
    case 'call':
      return node.args[0] !== 'has' && node.args[1].every((e) => neverMissing(e, locals));
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
    case '&&':
    case '||':
      return (node.args as ASTNode[]).every((e) => neverMissing(e, locals));
    default:
      return false;
  }
}
