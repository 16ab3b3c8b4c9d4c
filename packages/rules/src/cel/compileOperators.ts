/**
 * Operators of the generated code, and the checked-type helpers that choose them. Ints and doubles
 * are both JavaScript numbers at run time (see `ints.ts`), so each operator's int or double version
 * is chosen here, at compile time, from the types the cel-js checker annotated.
 */
import type { ASTNode } from '@marcbachmann/cel-js';
import {
  CompileError,
  type Generator,
  indent,
  type Lexical,
  type Piece,
  stringLiteral,
  unsupported,
} from './codegen.ts';
import { generate } from './compile.ts';

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
 * Evaluates operands left to right so that, when one lacks a fact, the later ones are still tried
 * and every missing fact of the expression is reported at once (an applicant is asked for
 * everything in one go). Only missing facts get this treatment: any other error stops at once.
 * This is the closure compiler's `alsoMissing` / `evaluateArguments`, as code: one error slot `ce`;
 * an operand is wrapped in try/catch only where that can change what is reported — it can lack a
 * fact and a later operand could too, or an earlier one may already have failed. An operand that
 * can never lack a fact is skipped once an error is held: it could add no fact, and reads nothing.
 * Each operand's code appears once, so nesting cannot multiply the generated code.
 */
export function emitSequence(
  g: Generator,
  pieces: readonly Piece[],
  nodes: readonly ASTNode[],
  lex: Lexical,
) {
  // The fast form: in order, no collection (any throw hands over to the exact form).
  if (!g.exact) return pieces.map((p) => g.place(p));
  const canMiss = nodes.map((n) => !neverMissing(n, lex.locals));
  let ce: string | undefined;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i] as Piece;
    const laterCanMiss = canMiss.slice(i + 1).some(Boolean);
    if (ce === undefined) {
      if (canMiss[i] && laterCanMiss && piece.lines.length > 0) {
        ce = g.temp();
        g.emit(`${ce} = undefined;`);
        g.emit('try {', ...indent(piece.lines), `} catch (e) { ${ce} = e; }`);
      } else {
        g.place(piece);
      }
    } else if (piece.lines.length === 0) {
      // A literal or a local: nothing to evaluate, nothing to fail.
    } else if (!canMiss[i]) {
      g.emit(`if (${ce} === undefined) {`, ...indent(piece.lines), '}');
    } else {
      g.emit(
        `if (${ce} === undefined || ${ce} instanceof $MissingFactError) {`,
        '  try {',
        ...indent(indent(piece.lines)),
        `  } catch (e) { ${ce} = ${ce} === undefined ? e : $combineErrors(${ce}, e); }`,
        '}',
      );
    }
  }
  if (ce !== undefined) g.emit(`if (${ce} !== undefined) throw ${ce};`);
  return pieces.map((p) => p.atom);
}

const MAX = String(Number.MAX_SAFE_INTEGER);

/** `+ - *` on ints, inline: the double result checked once against ±(2^53 − 1) (see ints.ts). */
function intArithmetic(g: Generator, a: string, op: string, b: string): string {
  // `+ 0` turns -0 (from 0 × negative) into 0: ints have no negative zero.
  const t = g.assign(op === '*' ? `${a} * ${b} + 0` : `${a} ${op} ${b}`);
  g.emit(`if (${t} > ${MAX} || ${t} < -${MAX}) $outsideSafeRange(${t});`);
  return t;
}

/**
 * Emits a binary operator over two generated operands. Each operator's int or double version is
 * chosen here from the checked types; the checks that refuse an operand of unknown type (`dyn`)
 * are the closure compiler's, at the same point (after both operands compiled).
 */
export function emitBinary(
  g: Generator,
  node: ASTNode,
  leftNode: ASTNode,
  rightNode: ASTNode,
  left: Piece,
  right: Piece,
  lex: Lexical,
): string {
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
  const op = node.op;
  if (op === 'in') {
    // As the closures did: the container first, then the element, with no missing facts collected
    // past a failing container (the element's would be reported only after the container's).
    const b = g.place(right);
    // Lenient form: a missing container is the result; the element is not evaluated.
    return g.guarded([b], () => {
      const a = g.place(left);
      const kind = literalListKind(rightNode);
      if (kind !== undefined) {
        // `x in ['a', 'b']`: a literal list of one primitive kind and an element of that kind
        // compare with ===, which `includes` does (it differs only on NaN, never a literal); any
        // other element goes through contains() and its errors.
        return g.guarded([a], () =>
          g.assign(`typeof ${a} === "${kind}" ? ${b}.includes(${a}) : $contains(${b}, ${a})`),
        );
      }
      return g.guarded([a], () => g.assign(`$contains(${b}, ${a})`));
    });
  }
  const checkTypes = () => {
    switch (op) {
      case '+':
        if (!isInt && !isDouble) arithmetic('+');
        return;
      case '-':
      case '*':
      case '/':
        if (!isInt && !isDouble) throw unknownType(node, op);
        return;
      case '%':
        if (!isInt) throw unknownType(node, op);
        return;
      case '==':
      case '!=':
        return;
      case '<':
      case '<=':
      case '>':
      case '>=':
        if (!scalar) arithmetic(op);
        return;
      default:
        throw unsupported(node, `operator ${op}`);
    }
  };
  checkTypes();
  const [a, b] = emitSequence(g, [left, right], [leftNode, rightNode], lex) as [string, string];
  return g.guarded([a, b], () => binaryOperation(g, op, a, b, isInt, isDouble, scalar));
}

function binaryOperation(
  g: Generator,
  op: string,
  a: string,
  b: string,
  isInt: boolean,
  isDouble: boolean,
  scalar: boolean,
): string {
  switch (op) {
    case '+':
      if (isInt) return intArithmetic(g, a, '+', b);
      if (isDouble) return g.assign(`$checkDouble(${a} + ${b})`);
      return g.assign(`$add(${a}, ${b})`);
    case '-':
      if (isInt) return intArithmetic(g, a, '-', b);
      return g.assign(`$checkDouble(${a} - ${b})`);
    case '*':
      if (isInt) return intArithmetic(g, a, '*', b);
      return g.assign(`$checkDouble(${a} * ${b})`);
    case '/':
      return g.assign(isInt ? `$divideInt(${a}, ${b})` : `$divideDouble(${a}, ${b})`);
    case '%':
      return g.assign(`$moduloInt(${a}, ${b})`);
    case '==':
      return g.assign(scalar ? `${a} === ${b}` : `$equals(${a}, ${b})`);
    case '!=':
      return g.assign(scalar ? `${a} !== ${b}` : `!$equals(${a}, ${b})`);
    default:
      // < <= > >=: scalars inline, anything else through compare() (strings, bools, errors).
      if (scalar) return g.assign(`${a} ${op} ${b}`);
      return g.assign(`$compare(${a}, ${b}, ${stringLiteral(`_${op}_`)}) ${op} 0`);
  }
}

/** 'string', 'number' or 'boolean' when `node` is a non-empty list literal of that one kind. */
function literalListKind(node: ASTNode): string | undefined {
  if (node.op !== 'list' || node.args.length === 0) return undefined;
  const kinds = new Set(
    node.args.map((e) => (e.op === 'value' ? typeof (typeof e.args === 'bigint' ? 0 : e.args) : 'other')),
  );
  const [kind] = kinds;
  return kinds.size === 1 && (kind === 'string' || kind === 'number' || kind === 'boolean')
    ? kind
    : undefined;
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
export function neverMissing(node: ASTNode, locals: ReadonlyMap<string, unknown>): boolean {
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

/**
 * CEL's commutative `&&`/`||`: an error on one side is absorbed when the other side decides the
 * result (false for `&&`, true for `||`); a missing fact therefore never hides a decisive veto,
 * and missing facts on both sides are reported together.
 */
export function logical(g: Generator, [l, r]: [ASTNode, ASTNode], lex: Lexical, isOr: boolean): string {
  const left = g.piece(() => generate(g, l, lex));
  const right = g.piece(() => generate(g, r, lex));
  const decisive = String(isOr);
  const other = String(!isOr);
  const operator = stringLiteral(isOr ? '_||_' : '_&&_');
  const t = g.temp();
  const a = left.atom;
  const b = right.atom;
  if (g.lenient) {
    // Lenient form: a missing side is absorbed when the other side decides, as the exact form
    // absorbs the error; otherwise the result is missing. A non-boolean, or an error (thrown),
    // hands over to the exact form. Each side's code appears once (nesting must not multiply it).
    g.emit(
      ...left.lines,
      `if (${a} === ${decisive}) ${t} = ${decisive};`,
      'else {',
      `  if (${a} !== $M && typeof ${a} !== "boolean") $bail();`,
      ...indent(right.lines),
      `  if (${b} === ${decisive}) ${t} = ${decisive};`,
      `  else if (${a} === $M || ${b} === $M) ${t} = $M;`,
      `  else if (typeof ${b} !== "boolean") $bail();`,
      `  else ${t} = ${b};`,
      '}',
    );
    return t;
  }
  if (!g.exact) {
    // Fast form: JavaScript's own short circuit over booleans. An error on either side, or a
    // non-boolean, hands over to the exact form, which absorbs or reports it as CEL does.
    g.emit(
      ...left.lines,
      `if (typeof ${a} !== "boolean") $bail();`,
      `if (${a} === ${decisive}) ${t} = ${decisive};`,
      'else {',
      ...indent(right.lines),
      `  if (typeof ${b} !== "boolean") $bail();`,
      `  ${t} = ${b};`,
      '}',
    );
    return t;
  }
  const error = g.temp();
  g.emit(`${error} = undefined;`);
  if (left.lines.length > 0) g.emit('try {', ...indent(left.lines), `} catch (e) { ${error} = e; }`);
  g.emit(
    `if (${error} === undefined && ${a} === ${decisive}) ${t} = ${decisive};`,
    'else {',
    `  if (${error} === undefined && ${a} !== ${other}) ${error} = $noOverload(${operator}, ${a});`,
    ...(right.lines.length > 0
      ? [
          '  try {',
          ...indent(indent(right.lines)),
          `  } catch (e) { throw ${error} === undefined ? e : $combineErrors(${error}, e); }`,
        ]
      : []),
    `  if (${b} === ${decisive}) ${t} = ${decisive};`,
    `  else if (${error} !== undefined) throw ${error};`,
    `  else if (${b} !== ${other}) throw $noOverload(${operator}, ${a}, ${b});`,
    `  else ${t} = ${b};`,
    '}',
  );
  return t;
}
