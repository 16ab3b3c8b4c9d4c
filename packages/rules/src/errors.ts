/**
 * Error classes shared by loading and evaluation. Load-time errors carry a file, line and column
 * so a policy author can find the mistake in the catalogue; evaluation errors carry a stable
 * `code` so callers can tell a missing fact (ask the applicant) from a rule bug (fix the catalogue).
 */

export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/** A catalogue file that cannot be loaded: bad YAML, bad CEL, a type error, a cycle, a bad value. */
export class RuleLoadError extends Error {
  override readonly name = 'RuleLoadError';
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly code: string;
  /** The message without the position prefix. */
  readonly summary: string;

  constructor(code: string, summary: string, position: SourcePosition) {
    super(`${position.file}:${position.line}:${position.column}: ${summary}`);
    this.code = code;
    this.summary = summary;
    this.file = position.file;
    this.line = position.line;
    this.column = position.column;
  }
}

/**
 * Evaluation errors are values that travel through `&&`, `||` and macros, thrown and caught many
 * times per household in a batch; capturing a stack trace for each cost ten times the throw itself,
 * and nobody reads it (the message and code are the report). Returns the limit to restore.
 */
function withoutStack(): number {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  return limit;
}

/** A CEL expression failed at run time (division by zero, overflow, no such key, budget...). */
export class CelEvaluationError extends Error {
  override readonly name = 'CelEvaluationError';
  readonly code: string;
  /**
   * True where Doudi is deliberately stricter than the cel-js interpreter (double division by
   * zero, non-finite doubles, ints outside ±(2^53 − 1)). The property test uses it to accept those
   * differences and nothing else (the last one only where an int really left the range).
   */
  readonly stricterThanReference: boolean;

  constructor(code: string, message: string, stricterThanReference = false) {
    const limit = withoutStack();
    super(message);
    Error.stackTraceLimit = limit;
    this.code = code;
    this.stricterThanReference = stricterThanReference;
  }
}

/**
 * Facts the expression needed but the household did not supply. Thrown like a CEL error so that
 * `&&`, `||` and the quantifier macros can absorb it when the other side decides the result, and
 * caught by the evaluator to answer `needsInformation` instead of crashing or a silent false.
 */
export class MissingFactError extends Error {
  override readonly name = 'MissingFactError';
  readonly facts: readonly string[];

  constructor(facts: readonly string[]) {
    const limit = withoutStack();
    super(`missing facts: ${facts.join(', ')}`);
    Error.stackTraceLimit = limit;
    this.facts = facts;
  }
}

/** No value of a parameter is in force for this date and region. */
export class ParameterValueMissingError extends Error {
  override readonly name = 'ParameterValueMissingError';
  readonly parameter: string;
  readonly date: string;
  readonly regionCode: string;

  constructor(parameter: string, date: string, regionCode: string) {
    super(`parameter ${parameter} has no value in force on ${date} for region ${regionCode}`);
    this.parameter = parameter;
    this.date = date;
    this.regionCode = regionCode;
  }
}

/** A fact handed to the engine has the wrong type (e.g. 12.5 for an int fact in fen). */
export class InvalidFactError extends Error {
  override readonly name = 'InvalidFactError';
}

/**
 * Combines two errors raised on both sides of `&&`/`||` or across macro iterations: missing facts
 * are merged so the applicant is asked for everything at once; a missing fact wins over a rule
 * error because supplying it is the next useful step either way.
 */
export function combineErrors(first: unknown, second: unknown): unknown {
  if (first instanceof MissingFactError && second instanceof MissingFactError) {
    // Nothing is allocated when the second adds no fact (the usual case: the same fact missing
    // on both sides, or the very same shared error); the lists are a few names long.
    if (first === second) return first;
    let extra: string[] | undefined;
    for (const fact of second.facts) {
      if (first.facts.includes(fact) || extra?.includes(fact)) continue;
      extra ??= [];
      extra.push(fact);
    }
    return extra === undefined ? first : new MissingFactError([...first.facts, ...extra]);
  }
  if (second instanceof MissingFactError) return second;
  return first;
}
