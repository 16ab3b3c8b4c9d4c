/**
 * The building blocks of the CEL → JavaScript code generator (`compile.ts`): a buffer of generated
 * statements, fresh names, and the only two ways text from a catalogue reaches the generated source:
 * `stringLiteral` (JSON.stringify) and `numberLiteral` (an exact number text). Field names, string
 * literals and root names go through the first; CEL identifiers never become JavaScript identifiers
 * (macro variables are renamed `l0, l1…`, temporaries are `t0, t1…`, helpers are `$name`).
 */
import type { ASTNode } from '@marcbachmann/cel-js';

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

export function unsupported(node: ASTNode, what: string): CompileError {
  return new CompileError(
    'unsupported_expression',
    `${what} is not supported by the Doudi rules compiler`,
    node.start,
  );
}

/** Names in scope: a CEL macro variable → its generated JavaScript local (`l3`). */
export interface Lexical {
  locals: ReadonlyMap<string, string>;
}

/**
 * The generated statements of one subtree and the atom holding its value: a temporary, a macro
 * local, a literal or a constant — something that can be read again without evaluating anything.
 */
export interface Piece {
  lines: string[];
  atom: string;
}

/** A JavaScript string literal for any string: JSON text, with U+2028/U+2029 escaped as well. */
export function stringLiteral(value: string): string {
  return JSON.stringify(value)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * A number as JavaScript source, exactly: `String(n)` is the shortest text that reads back as the
 * same double. Negative numbers are parenthesised (`a - (-1)`); -0 and non-finite values are not
 * literals and go through the constant table instead (returns undefined).
 */
export function numberLiteral(value: number): string | undefined {
  if (!Number.isFinite(value) || Object.is(value, -0)) return undefined;
  return value < 0 ? `(${String(value)})` : String(value);
}

export class Generator {
  /**
   * @param exact true for the exact form (CEL's error absorption, every missing fact collected);
   *   false for the fast form, which has no try/catch of its own: any throw in it (an error, a
   *   missing fact, a non-boolean where a boolean is needed: `$bail()`) makes the caller run the
   *   exact form instead. See `compileAst`.
   * @param lenient (with exact false) the lenient form: like the fast form, but a missing fact is
   *   the value `$M` (runtime.ts `MISSING`), carried through the operators instead of thrown, so
   *   a household that lacks a fact costs no exception and no second run. See `compileAst`.
   */
  constructor(
    readonly exact = true,
    readonly lenient = false,
  ) {}

  /** Statements of the block being generated. */
  lines: string[] = [];
  private temps = 0;
  /** Macro variables: one generated local each (also `CompiledExpression.localSlots`). */
  localCount = 0;
  /** Values the generated code reads as `$K[i]` (frozen list literals, non-literal numbers). */
  readonly constants: unknown[] = [];
  /** Function implementations the generated code calls as `$F[i]` (Doudi's functions). */
  readonly functions: unknown[] = [];
  /** Statements at the top of the function: the root record views. */
  readonly head: string[] = [];
  private readonly rootValues = new Map<string, string>();
  private readonly rootRecordTests = new Set<string>();
  /** Macro locals whose record view (`l0r`) the loop must set on each iteration. */
  readonly localViews = new Set<string>();

  temp(): string {
    return `t${this.temps++}`;
  }

  local(): string {
    return `l${this.localCount++}`;
  }

  /** Whether any try/catch was emitted (the exact form then gets a fast form, see compileAst). */
  usesTry = false;

  emit(...lines: string[]): void {
    for (const line of lines) {
      // Only the generator's own lines are exactly `try {`: catalogue text sits inside literals.
      if (line.trimStart() === 'try {') this.usesTry = true;
      this.lines.push(line);
    }
  }

  /** Assigns `expression` to a fresh temporary and returns its name. */
  assign(expression: string): string {
    const t = this.temp();
    this.emit(`${t} = ${expression};`);
    return t;
  }

  constant(value: unknown): string {
    this.constants.push(value);
    return `$K[${this.constants.length - 1}]`;
  }

  fn(implementation: unknown): string {
    let index = this.functions.indexOf(implementation);
    if (index < 0) index = this.functions.push(implementation) - 1;
    return `$F[${index}]`;
  }

  /** Generates a subtree into its own buffer (to be placed in a try, a branch or a loop). */
  piece(generate: () => string): Piece {
    const outer = this.lines;
    this.lines = [];
    try {
      const atom = generate();
      return { lines: this.lines, atom };
    } finally {
      this.lines = outer;
    }
  }

  /** Places a piece's statements in the current block; returns its atom. */
  place(piece: Piece): string {
    for (const line of piece.lines) this.lines.push(line);
    return piece.atom;
  }

  /**
   * A root variable read once at the top of the function: the roots cannot change while one
   * expression runs (a lazily computed variable runs in its own scope). `load` is a fixed property
   * read of `s.root`, which has no side effects.
   */
  rootValue(name: string, load: string): string {
    let value = this.rootValues.get(name);
    if (value === undefined) {
      value = `r${this.rootValues.size}`;
      this.head.push(`const ${value} = ${load};`);
      this.rootValues.set(name, value);
    }
    return value;
  }

  /** The root and whether it is a fact record, tested once: `household.x` then costs one load. */
  rootView(name: string, load: string): RecordView {
    const value = this.rootValue(name, load);
    const isRecord = `${value}f`;
    if (!this.rootRecordTests.has(name)) {
      this.head.push(`const ${isRecord} = typeof ${value} === "object" && ${value} instanceof $FactRecord;`);
      this.rootRecordTests.add(name);
    }
    return { value, isRecord };
  }

  /** The record view of a macro local, set by its loop on each iteration. */
  localView(local: string): RecordView {
    this.localViews.add(local);
    return { value: local, isRecord: `${local}r` };
  }

  /**
   * Lenient form: `compute`'s code runs only when none of `atoms` is the missing-fact marker;
   * otherwise the result is the marker. Only temporaries can hold it (literals, constants, roots
   * and macro locals never do: a list holding it is itself the marker). Other forms: `compute()`.
   */
  guarded(atoms: readonly string[], compute: () => string): string {
    if (!this.lenient) return compute();
    const test = atoms.filter((a) => /^t\d+$/.test(a)).map((a) => `${a} === $M`);
    if (test.length === 0) return compute();
    const piece = this.piece(compute);
    const t = this.temp();
    this.emit(
      `if (${test.join(' || ')}) ${t} = $M;`,
      'else {',
      ...indent(piece.lines),
      `  ${t} = ${piece.atom};`,
      '}',
    );
    return t;
  }

  /** `let t0, t1, …, l0, …;` for the function's head (every temporary is function-wide). */
  declarations(): string {
    const names = [
      ...Array.from({ length: this.temps }, (_, i) => `t${i}`),
      ...Array.from({ length: this.localCount }, (_, i) => `l${i}`),
      ...[...this.localViews].map((local) => `${local}r`),
    ];
    return names.length === 0 ? '' : `let ${names.join(', ')};`;
  }
}

/** A value and the name of a boolean saying whether it is a `FactRecord`. */
export interface RecordView {
  value: string;
  isRecord: string;
}

/** Indents a block's lines one level, for readable generated source (tests print it). */
export function indent(lines: readonly string[]): string[] {
  return lines.map((line) => `  ${line}`);
}
