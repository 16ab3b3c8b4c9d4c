/**
 * Function calls and methods in generated code: has(), size(), the conversions, Doudi's functions
 * (overload chosen from the checked argument types, implementation called as `$F[i]`), the string
 * methods and the list macros.
 */
import type { ASTNode } from '@marcbachmann/cel-js';
import { type Generator, type Lexical, type Piece, stringLiteral, unsupported } from './codegen.ts';
import { generate } from './compile.ts';
import { emitMacro, MACRO_NAMES } from './compileMacros.ts';
import { emitSequence, typeOf, unknownType } from './compileOperators.ts';
import { OVERLOADS_BY_NAME } from './functions.ts';

export function emitCall(g: Generator, node: ASTNode, name: string, args: ASTNode[], lex: Lexical): string {
  if (name === 'has') {
    const [field] = args;
    if (args.length !== 1 || field?.op !== '.') throw unsupported(node, 'has() without a field selection');
    const target = generate(g, field.args[0], lex);
    return g.guarded([target], () => g.assign(`$hasField(${target}, ${stringLiteral(field.args[1])})`));
  }
  const pieces = args.map((a) => g.piece(() => generate(g, a, lex)));
  if (pieces.length === 1) {
    const argumentType = typeOf(args[0] as ASTNode);
    const one = () => g.place(pieces[0] as Piece);
    // The argument's atom, then the call unless it is missing (lenient form).
    const call = (template: (a: string) => string) => {
      const a = one();
      return g.guarded([a], () => g.assign(template(a)));
    };
    if (name === 'size') return call((a) => `$size(${a})`);
    if (name === 'int') {
      // An int is its own int(); a double truncates; a string parses.
      if (argumentType === 'int') return one();
      if (argumentType === 'double') return call((a) => `$intFromDouble(${a})`);
      if (argumentType === 'string') return call((a) => `$intFromString($requireString(${a}, "int()"))`);
      throw unknownType(node, 'int()');
    }
    if (name === 'double') {
      if (argumentType === 'int' || argumentType === 'double') return one();
      if (argumentType === 'string') return call((a) => `$toDouble($requireString(${a}, "double()"))`);
      throw unknownType(node, 'double()');
    }
    if (name === 'string') return call((a) => `$toCelString(${a})`);
  }
  const candidates = (OVERLOADS_BY_NAME.get(name) ?? []).filter(
    (o) => o.argumentTypes.length === args.length,
  );
  if (candidates.length === 0) throw unsupported(node, `function ${name}()`);
  // The type checker annotated each argument: pick the overload now when the types decide it.
  const argumentTypes = args.map(typeOf);
  const chosen = candidates.filter((o) => o.argumentTypes.every((t, i) => t === argumentTypes[i]));
  if (chosen.length !== 1) {
    // Without checked argument types an int could not be told from a double at run time.
    throw unknownType(node, `${name}()`);
  }
  const implementation = g.fn((chosen[0] as (typeof chosen)[number]).compiled);
  // One argument: nothing to collect. More: every argument's missing facts are reported.
  const atoms = pieces.length === 1 ? [g.place(pieces[0] as Piece)] : emitSequence(g, pieces, args, lex);
  return g.guarded(atoms, () => g.assign(`${implementation}(${atoms.join(', ')})`));
}

const STRING_METHODS: Record<string, string> = {
  startsWith: 'startsWith',
  endsWith: 'endsWith',
  contains: 'includes',
};

export function emitReceiverCall(
  g: Generator,
  node: ASTNode,
  name: string,
  receiver: ASTNode,
  args: ASTNode[],
  lex: Lexical,
): string {
  if (MACRO_NAMES.has(name) && (args.length === 2 || (name === 'map' && args.length === 3))) {
    const iterator = args[0] as ASTNode;
    if (iterator.op !== 'id') throw unsupported(iterator, 'a macro iteration variable that is not a name');
    const items = g.piece(() => generate(g, receiver, lex));
    const local = g.local();
    const inner: Lexical = { locals: new Map(lex.locals).set(iterator.args, local) };
    const bodies = args.slice(1).map((a) => g.piece(() => generate(g, a, inner)));
    return emitMacro(g, name, g.place(items), local, bodies);
  }
  const target = g.piece(() => generate(g, receiver, lex));
  if (name === 'size' && args.length === 0) {
    const r = g.place(target);
    return g.guarded([r], () => g.assign(`$size(${r})`));
  }
  const method = Object.hasOwn(STRING_METHODS, name) ? STRING_METHODS[name] : undefined;
  if (method && args.length === 1) {
    const argument = g.piece(() => generate(g, args[0] as ASTNode, lex));
    const r = g.place(target);
    const v = g.place(argument);
    return g.guarded([r, v], () => {
      g.emit(
        `if (typeof ${r} !== "string" || typeof ${v} !== "string") throw $noOverload(${stringLiteral(name)}, ${r}, ${v});`,
      );
      return g.assign(`${r}.${method}(${v})`);
    });
  }
  throw unsupported(node, `method .${name}()`);
}
