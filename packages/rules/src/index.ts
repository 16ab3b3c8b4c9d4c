export { DependencyCycleError, topologicalOrder } from './catalog/dependencies.ts';
export type { Entity, FactDeclaration, FactSchema, ValueType } from './catalog/facts.ts';
export { loadCatalog, loadParameters } from './catalog/loadCatalog.ts';
export type {
  CatalogSources,
  CompiledCatalog,
  CompiledCondition,
  CompiledPolicy,
  CompiledVariable,
  ConditionExplanation,
} from './catalog/types.ts';
export { type Compiled, CompileError, compileAst, lenientForm, type Scope } from './cel/compile.ts';
export { type CelDeclarations, createCelEnvironment } from './cel/environment.ts';
export { inlineSource, type PreparedExpression, prepareExpression } from './cel/expression.ts';
export { FUNCTION_OVERLOADS } from './cel/functions.ts';
export { DEFAULT_LIMITS, type ExpressionLimits } from './cel/limits.ts';
export { FactRecord, MISSING } from './cel/runtime.ts';
export {
  CelEvaluationError,
  InvalidFactError,
  MissingFactError,
  ParameterValueMissingError,
  RuleLoadError,
  type SourcePosition,
} from './errors.ts';
export {
  type BatchDetail,
  type BatchOptions,
  type BatchResult,
  batchOutcome,
  concatBatchResults,
  evaluateBatch,
  evaluateRecords,
  STATUS_CODES,
} from './evaluate/batch.ts';
export { type ConditionOutcome, evaluationContext, type PolicyStatus } from './evaluate/engine.ts';
export { type EvaluateOptions, evaluate, type PolicyResult } from './evaluate/evaluate.ts';
export { buildRecords, type HouseholdFacts, type HouseholdRecords, setFact } from './evaluate/facts.ts';
export { formatValueZh, renderTraceZh } from './evaluate/renderTraceZh.ts';
export type {
  ConditionTrace,
  ParameterTrace,
  PolicyTrace,
  TraceValue,
  VariableTrace,
} from './evaluate/trace.ts';
export { RulesWorkerPool, type WorkerPoolOptions } from './evaluate/workerPool.ts';
export { exampleCatalogSources } from './example/dibaoExample.ts';
export * from './identity/idNumber.ts';
export {
  evaluateIndicators,
  evaluateIndicatorsBatch,
  INDICATOR_STATUS_CODES,
  type IndicatorBatchOptions,
  type IndicatorBatchResult,
  type IndicatorDetail,
  type IndicatorOptions,
  UNKNOWN_ALERT_COLOR,
} from './indicators/evaluateIndicators.ts';
export { IndicatorWorkerPool, type LoadedResult } from './indicators/indicatorPool.ts';
export type { LoadedGroup } from './indicators/indicatorWorker.ts';
export { ALERT_COLORS } from './indicators/parseModel.ts';
export type {
  AlertColor,
  CompiledIndicatorGroup,
  CompiledIndicatorItem,
  CompiledIndicatorModel,
  FiredItem,
  GroupScore,
  IndicatorResult,
  IndicatorStatus,
} from './indicators/types.ts';
export {
  decimalFromDouble,
  divideRoundHalfUp,
  formatFenAsYuan,
  multiplyMoney,
  type RoundingRule,
  roundFen,
} from './money.ts';
export {
  lookupParameter,
  type Parameter,
  type ParameterValue,
  parseParameter,
} from './parameters/parameter.ts';
export {
  ageOnDate,
  parseTriggerSet,
  renderTriggerSummary,
  type TriggerDefinition,
  type TriggerFieldTypes,
  type TriggerInput,
  type TriggerSet,
} from './triggers/triggers.ts';
