/**
 * The cel-js environment used to parse and type-check catalogue expressions (and, in tests and
 * benchmarks, to interpret them as the reference). Declared types make a typo such as
 * `household.monthlyIncom` a load-time error with a position instead of a run-time surprise.
 */
import { Environment } from '@marcbachmann/cel-js';
import { FUNCTION_OVERLOADS } from './functions.ts';
import { DEFAULT_LIMITS, type ExpressionLimits } from './limits.ts';

export interface CelDeclarations {
  /** Record types, e.g. `Household: { monthlyIncome: 'int' }`. */
  types?: Record<string, Record<string, string>>;
  /** Root variables, e.g. `household: 'Household'`, `members: 'list<Member>'`. */
  variables: Record<string, string>;
}

export function createCelEnvironment(
  declarations: CelDeclarations,
  limits: ExpressionLimits = DEFAULT_LIMITS,
): Environment {
  const env = new Environment({
    homogeneousAggregateLiterals: true,
    limits: {
      maxAstNodes: limits.maxAstNodes,
      // Parser recursion depth; our own AST depth check in limits.ts also counts operator chains.
      maxDepth: limits.maxDepth,
      maxListElements: limits.maxListElements,
      maxMapEntries: limits.maxMapEntries,
      maxCallArguments: 8,
    },
  });
  for (const [name, fields] of Object.entries(declarations.types ?? {})) {
    env.registerType(name, { fields });
  }
  for (const [name, type] of Object.entries(declarations.variables)) env.registerVariable(name, type);
  for (const fn of FUNCTION_OVERLOADS) {
    env.registerFunction(fn.signature, fn.implementation as (...args: unknown[]) => unknown, {
      description: fn.description,
    });
  }
  return env;
}
