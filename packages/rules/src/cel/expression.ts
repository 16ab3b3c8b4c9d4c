/**
 * One catalogue expression from source text to a compiled function: length check, parse, AST
 * bounds, type check against the declared facts/variables/parameters, compile, and the list of
 * names it reads (for dependency order and for the trace). Every failure carries file:line:column.
 */
import type { ASTNode, Environment } from '@marcbachmann/cel-js';
import { RuleLoadError } from '../errors.ts';
import type { ExpressionSource } from '../yaml/yamlFile.ts';
import { type Compiled, CompileError, compileAst } from './compile.ts';
import { checkAstBounds, DEFAULT_LIMITS, type ExpressionLimits, walkAst } from './limits.ts';

export interface PreparedExpression {
  source: string;
  ast: ASTNode;
  /** Type inferred by cel-js, e.g. `bool`, `int`, `list<double>`. */
  type: string;
  run: Compiled;
  localSlots: number;
  /** Field names selected anywhere (`x.name`, `has(x.name)`, `x["name"]`): conservative dependencies. */
  fieldNames: ReadonlySet<string>;
  /** Parameters read as `param.<name>`. */
  parameters: ReadonlySet<string>;
}

interface CelErrorLike {
  code?: string;
  summary?: string;
  message: string;
  range?: { start: number };
  node?: { start?: number; pos?: number };
}

function errorStart(error: CelErrorLike): number {
  return error.range?.start ?? error.node?.start ?? error.node?.pos ?? 0;
}

function loadError(source: ExpressionSource, error: unknown, stage: string): RuleLoadError {
  if (error instanceof RuleLoadError) return error;
  if (error instanceof CompileError)
    return new RuleLoadError(error.code, error.message, source.position(error.start));
  const e = error as CelErrorLike;
  const summary = e.summary ?? e.message.split('\n')[0] ?? String(error);
  return new RuleLoadError(e.code ?? stage, `${stage}: ${summary}`, source.position(errorStart(e)));
}

function references(ast: ASTNode): { fieldNames: Set<string>; parameters: Set<string> } {
  const fieldNames = new Set<string>();
  const parameters = new Set<string>();
  walkAst(ast, (node) => {
    if (node.op === '.') {
      const [target, field] = node.args;
      fieldNames.add(field);
      if (target.op === 'id' && target.args === 'param') parameters.add(field);
    } else if (node.op === '[]') {
      const [target, key] = node.args;
      if (key.op === 'value' && typeof key.args === 'string') {
        fieldNames.add(key.args);
        if (target.op === 'id' && target.args === 'param') parameters.add(key.args);
      }
    }
  });
  return { fieldNames, parameters };
}

/**
 * @param expectedTypes accepted result types (e.g. `['bool']`); `dyn` results are refused too,
 *   because a condition that is only known to be bool at run time is a condition nobody checked.
 */
export function prepareExpression(
  env: Environment,
  source: ExpressionSource,
  expectedTypes: readonly string[] | undefined,
  limits: ExpressionLimits = DEFAULT_LIMITS,
): PreparedExpression {
  if (source.text.length > limits.maxSourceLength) {
    throw new RuleLoadError(
      'limit_exceeded',
      `expression is ${source.text.length} characters, the limit is ${limits.maxSourceLength}`,
      source.position(0),
    );
  }
  let parsed: ReturnType<Environment['parse']>;
  try {
    parsed = env.parse(source.text);
  } catch (error) {
    throw loadError(source, error, 'syntax error');
  }
  const ast = parsed.ast;
  try {
    checkAstBounds(ast, limits);
  } catch (error) {
    throw loadError(source, error, 'limit');
  }
  const checked = parsed.check();
  if (!checked.valid) throw loadError(source, checked.error, 'type error');
  const type = checked.type as string;
  if (expectedTypes && !expectedTypes.includes(type)) {
    throw new RuleLoadError(
      'wrong_type',
      `expression has type ${type}, expected ${expectedTypes.join(' or ')}`,
      source.position(0),
    );
  }
  let compiled: ReturnType<typeof compileAst>;
  try {
    compiled = compileAst(ast);
  } catch (error) {
    throw loadError(source, error, 'compile error');
  }
  return {
    source: source.text,
    ast,
    type,
    run: compiled.run,
    localSlots: compiled.localSlots,
    ...references(ast),
  };
}

/** An `ExpressionSource` for text that does not come from a file (tests, ad-hoc checks). */
export function inlineSource(text: string, file = '<inline>'): ExpressionSource {
  return {
    text,
    position(offset) {
      const before = text.slice(0, offset).split('\n');
      return { file, line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
    },
  };
}
