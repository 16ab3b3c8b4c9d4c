/** Shapes of a compiled indicator model and of its results. */
import type { FactDeclaration } from '../catalog/facts.ts';
import type { PreparedExpression } from '../cel/expression.ts';
import type { Aggregation, AlertColor, BoundSource, Scoring } from './parseModel.ts';

export type { Aggregation, AlertColor, BoundSource, Scoring };

export interface CompiledIndicatorItem {
  id: string;
  label: string;
  points: number;
  perMember: boolean;
  aggregation: Aggregation;
  condition: PreparedExpression;
  requires: FactDeclaration[];
}

export interface CompiledIndicatorGroup {
  id: string;
  label: string;
  max?: number;
  min?: number;
  items: CompiledIndicatorItem[];
}

export interface CompiledBand {
  alertColor: AlertColor;
  label: string;
  min?: BoundSource;
  below?: BoundSource;
}

export interface CompiledIndicatorModel {
  id: string;
  name: { zh: string; en: string };
  version: string;
  notes?: string;
  reference?: string;
  file: string;
  /** Household variable carrying the score, when the model exports one. */
  variable?: string;
  members?: PreparedExpression;
  scoring: Scoring;
  /** True when every score is a whole number (no averaging): the variable is then an int. */
  integerScore: boolean;
  groups: CompiledIndicatorGroup[];
  bands: CompiledBand[];
  /** Variables the items and the member filter read, transitively, in evaluation order. */
  variables: string[];
  /** Parameters read by items, variables and band bounds. */
  parameters: string[];
}

export interface FiredItem {
  group: string;
  item: string;
  label: string;
  /** Points this item added (after per-member aggregation, before the group cap). */
  points: number;
  /** Per-member items: indexes (0-based) of the members meeting the condition. */
  members?: number[];
}

export interface GroupScore {
  id: string;
  label: string;
  score: number;
  /** True when the group's cap or floor changed its sum. */
  capped: boolean;
}

export type IndicatorStatus = 'scored' | 'incomplete' | 'error';

export interface IndicatorResult {
  modelId: string;
  version: string;
  /**
   * `scored`: every item answered. `incomplete`: some items could not be answered (facts missing);
   * `score` counts them as 0, `scoreRange` is what the answers could make it, and the band is given
   * only when every possible answer falls in the same band. `error`: a rule or parameter problem.
   */
  status: IndicatorStatus;
  score: number;
  scoreRange: { min: number; max: number };
  alertColor: AlertColor | null;
  bandLabel: string | null;
  /** Colours any answer to the missing facts could give (one entry when the band is certain). */
  possibleAlertColors: AlertColor[];
  groups: GroupScore[];
  fired: FiredItem[];
  /** Items not answered, each with the facts it lacks. */
  missingItems: { group: string; item: string; facts: string[] }[];
  missingFacts: string[];
  error?: string;
  /** Chinese explanation, one line per group and a last line for the band. */
  traceZh?: string[];
}
