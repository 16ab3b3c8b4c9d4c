/** Shapes of a loaded, compiled catalogue. */
import type { PreparedExpression } from '../cel/expression.ts';
import type { ExpressionLimits } from '../cel/limits.ts';
import type { CompiledIndicatorModel } from '../indicators/types.ts';
import type { RoundingRule } from '../money.ts';
import type { Parameter } from '../parameters/parameter.ts';
import type { Entity, FactDeclaration, FactSchema, ValueType } from './facts.ts';

/** Catalogue texts keyed by file name. The package never reads files itself. */
export interface CatalogSources {
  facts: Record<string, string>;
  parameters: Record<string, string>;
  variables: Record<string, string>;
  policies: Record<string, string>;
  /** Indicator models (`indicators/<id>.yaml`); optional so older callers need not name it. */
  indicators?: Record<string, string>;
}

export interface CompiledVariable {
  name: string;
  entity: Entity;
  type: ValueType;
  unit: string;
  label: string;
  reference?: string;
  file: string;
  formula: PreparedExpression;
  /** Variables this one reads, directly. */
  dependencies: string[];
}

/**
 * A condition's Chinese explanation: one text, or one for each outcome. `{household.x}` and
 * `{param.x}` placeholders are filled with values (and parameter provenance) by `renderTraceZh`.
 */
export interface ConditionExplanation {
  text?: string;
  whenTrue?: string;
  whenFalse?: string;
}

export interface CompiledCondition {
  id: string;
  /** A veto (一票否决) describes a disqualifying situation: true rules the household out on its own. */
  veto: boolean;
  explanation: ConditionExplanation;
  expression: PreparedExpression;
}

export type RoundingSource = { rule: RoundingRule } | { parameter: string };

export interface CompiledAmount {
  formula: PreparedExpression;
  unit: string;
  rounding: RoundingSource;
}

export interface CompiledPolicy {
  id: string;
  name: { zh: string; en: string };
  reference: string;
  file: string;
  conditions: CompiledCondition[];
  amount?: CompiledAmount;
  requiredFacts: FactDeclaration[];
  /** Every variable the policy reads, transitively, in evaluation order. */
  variables: string[];
  /** Every parameter the policy reads, transitively (and its rounding parameter). */
  parameters: string[];
  /**
   * Policies this one replaces: when a household qualifies for both, the other is reported
   * ineligible with this one named (tekun supersedes dibao: one person is not supported twice).
   */
  supersedes: string[];
}

export interface CompiledCatalog {
  facts: FactSchema;
  parameters: ReadonlyMap<string, Parameter>;
  variables: ReadonlyMap<string, CompiledVariable>;
  /** All variable names in dependency order. */
  variableOrder: readonly string[];
  policies: readonly CompiledPolicy[];
  /** Indicator models (catalog/indicators), in file order. */
  indicators: readonly CompiledIndicatorModel[];
  limits: ExpressionLimits;
  /** Largest number of macro slots any expression needs (sizes the shared `Scope.locals`). */
  localSlots: number;
}
