/**
 * Evaluating indicator models: `evaluateIndicators` for one household (groups, fired items, missing
 * facts, band, Chinese trace) and `evaluateIndicatorsBatch` for a full re-screen (flat typed arrays,
 * variables computed on first read, no trace). Parameters are resolved once per (date, region).
 */
import type { CompiledCatalog, CompiledVariable } from '../catalog/types.ts';
import { Failure } from '../cel/runtime.ts';
import { computeVariables, createEvaluationContext, type EvaluationContext } from '../evaluate/engine.ts';
import { buildRecords, type HouseholdFacts, type HouseholdRecords } from '../evaluate/facts.ts';
import { withLazyVariables } from '../evaluate/lazyVariables.ts';
import { ALERT_COLORS, type AlertColor } from './parseModel.ts';
import { renderIndicatorZh } from './renderIndicatorZh.ts';
import { newSink, type ScoreSink, scoreModel } from './score.ts';
import type { CompiledIndicatorModel, FiredItem, GroupScore, IndicatorResult } from './types.ts';

interface ResolvedBand {
  alertColor: AlertColor;
  label: string;
  min: number;
  below: number;
}

interface IndicatorContext {
  engine: EvaluationContext;
  models: readonly CompiledIndicatorModel[];
  /** Per model: its bands with bounds resolved, lowest first, or the reason they cannot be. */
  bands: (ResolvedBand[] | string)[];
}

function resolveBound(
  ctx: EvaluationContext,
  b: { value: number } | { parameter: string } | undefined,
  open: number,
) {
  if (b === undefined) return open;
  if ('value' in b) return b.value;
  const resolved = ctx.parameterValues.get(b.parameter);
  if (resolved === undefined || resolved instanceof Failure)
    throw new Error(
      `band bound ${b.parameter}: ${resolved ? (resolved.error as Error).message : 'unknown parameter'}`,
    );
  return Number(resolved.value);
}

/** Bands with numbers, checked again here because parameter bounds are only known now. */
function resolveBands(ctx: EvaluationContext, model: CompiledIndicatorModel): ResolvedBand[] | string {
  try {
    const bands = model.bands
      .map((b) => ({
        alertColor: b.alertColor,
        label: b.label,
        min: resolveBound(ctx, b.min, Number.NEGATIVE_INFINITY),
        below: resolveBound(ctx, b.below, Number.POSITIVE_INFINITY),
      }))
      .sort((a, b) => a.min - b.min);
    for (let i = 0; i < bands.length; i++) {
      const band = bands[i] as ResolvedBand;
      if (band.min >= band.below) return `band ${band.label}: ${band.min} is not below ${band.below}`;
      const next = bands[i + 1];
      if (next && next.min !== band.below)
        return `bands ${band.label} and ${next.label} leave a gap or overlap`;
    }
    return bands;
  } catch (error) {
    return (error as Error).message;
  }
}

const contexts = new WeakMap<CompiledCatalog, Map<string, IndicatorContext>>();

function indicatorContext(
  catalog: CompiledCatalog,
  date: string,
  regionCode: string,
  modelIds?: readonly string[],
): IndicatorContext {
  let byKey = contexts.get(catalog);
  if (!byKey) {
    byKey = new Map();
    contexts.set(catalog, byKey);
  }
  const key = `${date}|${regionCode}|${modelIds ? modelIds.join(',') : '*'}`;
  const hit = byKey.get(key);
  if (hit) return hit;
  const all = catalog.indicators ?? [];
  const models = modelIds ? all.filter((m) => modelIds.includes(m.id)) : all;
  if (modelIds && models.length !== modelIds.length) {
    const unknown = modelIds.filter((id) => !all.some((m) => m.id === id));
    throw new RangeError(`unknown indicator models: ${unknown.join(', ')}`);
  }
  // The engine's context with no policies, given the variables the models need instead.
  const base = createEvaluationContext(catalog, date, regionCode, []);
  const needed = new Set(models.flatMap((m) => m.variables));
  const variableNames = catalog.variableOrder.filter((n) => needed.has(n));
  const engine: EvaluationContext = {
    ...base,
    variableNames,
    variables: variableNames.map((n) => catalog.variables.get(n) as CompiledVariable),
  };
  const ctx = { engine, models, bands: models.map((m) => resolveBands(engine, m)) };
  if (byKey.size >= 64) byKey.delete(byKey.keys().next().value as string);
  byKey.set(key, ctx);
  return ctx;
}

function bandIndex(bands: ResolvedBand[], score: number): number {
  for (let i = 0; i < bands.length; i++) if (score < (bands[i] as ResolvedBand).below) return i;
  return bands.length - 1;
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function resultOf(
  model: CompiledIndicatorModel,
  bands: ResolvedBand[] | string,
  sink: ScoreSink,
): IndicatorResult {
  const missingFacts = sink.missing ? [...sink.missing].sort() : [];
  const base = {
    modelId: model.id,
    version: model.version,
    score: sink.score,
    scoreRange: { min: sink.lower, max: sink.upper },
    groups: sink.groups,
    fired: sink.fired,
    missingItems: sink.missingItems,
    missingFacts,
  };
  const error =
    typeof bands === 'string' ? bands : sink.error !== undefined ? errorText(sink.error) : undefined;
  if (error !== undefined || typeof bands === 'string')
    return { ...base, status: 'error', alertColor: null, bandLabel: null, possibleAlertColors: [], error };
  const low = bandIndex(bands, sink.lower);
  const high = bandIndex(bands, sink.upper);
  const possibleAlertColors = [...new Set(bands.slice(low, high + 1).map((b) => b.alertColor))];
  const certain = low === high;
  const band = bands[bandIndex(bands, sink.score)] as ResolvedBand;
  return {
    ...base,
    status: missingFacts.length > 0 ? 'incomplete' : 'scored',
    alertColor: certain ? band.alertColor : null,
    bandLabel: certain ? band.label : null,
    possibleAlertColors,
  };
}

export interface IndicatorOptions {
  /** Only these models (by id); default all. */
  models?: readonly string[];
}

/**
 * Scores one household with every indicator model (or those named) on `date` in the region, with
 * groups, fired items, missing facts and a Chinese trace.
 */
export function evaluateIndicators(
  catalog: CompiledCatalog,
  facts: HouseholdFacts,
  date: string,
  regionCode: string,
  options: IndicatorOptions = {},
): IndicatorResult[] {
  const ctx = indicatorContext(catalog, date, regionCode, options.models);
  const engine = ctx.engine;
  const records = computeVariables(engine, buildRecords(catalog.facts, facts));
  return ctx.models.map((model, i) => {
    const sink = newSink(true);
    setRoot(engine, records);
    scoreModel(model, engine.scope, catalog.limits.iterationBudget, sink);
    const result = resultOf(model, ctx.bands[i] as ResolvedBand[] | string, sink);
    result.traceZh = renderIndicatorZh(
      model,
      result,
      Array.isArray(records.members) ? records.members.length : 0,
    );
    return result;
  });
}

function setRoot(engine: EvaluationContext, records: HouseholdRecords): void {
  const root = engine.scope.root;
  root.household = records.household;
  root.members = records.members;
  root.member = undefined;
}

/** AlertColor codes in batch results: index into `ALERT_COLORS`; `UNKNOWN_ALERT_COLOR` when not certain or an error. */
export const UNKNOWN_ALERT_COLOR = 255;
export const INDICATOR_STATUS_CODES = ['scored', 'incomplete', 'error'] as const;

/** What a caseworker reads for one scored household: the band, the groups and the fired items. */
export interface IndicatorDetail {
  score: number;
  bandLabel: string;
  groups: GroupScore[];
  fired: FiredItem[];
}

export interface IndicatorBatchResult {
  modelIds: string[];
  householdCount: number;
  /** Row-major `[household * modelIds.length + model]`: score (missing items as 0), NaN on error. */
  scores: Float64Array;
  alertColors: Uint8Array;
  /** Index into `INDICATOR_STATUS_CODES`. */
  statuses: Uint8Array;
  /** By slot, for the households whose certain colour is one of `detailColours` (that model's). */
  details: Map<number, IndicatorDetail>;
  /** By household, the `tag` its records carried (undefined when none did). */
  tags?: (string | undefined)[];
}

export interface IndicatorBatchOptions extends IndicatorOptions {
  /**
   * Per model id, the colours whose households also get their detail (groups, fired items): they
   * are scored a second time with a collecting sink on the same records (variables already
   * computed), the same `scoreModel` as the traced path, so the evidence is the traced path's.
   */
  detailColours?: Readonly<Record<string, readonly AlertColor[]>>;
  /**
   * For callers that read the colours and scores only (a monitoring run): items worth 0 points
   * (kept in a model for the record, e.g. zeroed by calibration) are not evaluated. The scores,
   * ranges, colours and details are the same; `statuses` may say scored where only such an item
   * lacked a fact, and a rule error inside one goes unreported (the traced path reports both).
   */
  colourOnly?: boolean;
}

/** Scores many households with the models, without trace; variables are computed on first read. */
/**
 * Households as facts objects, or as a count and a function that builds each one's engine records
 * (a worker's decoder straight from the snapshot, as screening does: the same records
 * `buildRecords` gives, without the objects in between; a throw fails that household only).
 */
export type IndicatorHouseholds =
  | readonly HouseholdFacts[]
  | { readonly length: number; records(h: number): HouseholdRecords };

export function evaluateIndicatorsBatch(
  catalog: CompiledCatalog,
  households: IndicatorHouseholds,
  date: string,
  regionCode: string,
  options: IndicatorBatchOptions = {},
): IndicatorBatchResult {
  const recordsOf = Array.isArray(households)
    ? (h: number) => buildRecords(catalog.facts, households[h] as HouseholdFacts)
    : (households as Exclude<IndicatorHouseholds, readonly HouseholdFacts[]>).records;
  const ctx = indicatorContext(catalog, date, regionCode, options.models);
  const engine = ctx.engine;
  const modelCount = ctx.models.length;
  const size = households.length * modelCount;
  const scores = new Float64Array(size);
  const alertColors = new Uint8Array(size);
  const statuses = new Uint8Array(size);
  // Lenient conditions: the batch reports colours and statuses, never the names of missing facts.
  const sink = newSink(false, true);
  sink.skipInert = options.colourOnly === true;
  const budget = catalog.limits.iterationBudget;
  const details = new Map<number, IndicatorDetail>();
  let tags: (string | undefined)[] | undefined;
  // Per model, colour code → wanted; undefined when no detail is asked for that model.
  const wanted = ctx.models.map((model) => {
    const colours = options.detailColours?.[model.id];
    return colours && colours.length > 0 ? ALERT_COLORS.map((c) => colours.includes(c)) : undefined;
  });
  withLazyVariables(engine, () => {
    for (let h = 0; h < households.length; h++) {
      let records: HouseholdRecords | undefined;
      try {
        records = recordsOf(h);
      } catch {
        records = undefined; // bad input fails this household only
      }
      if (records?.tag !== undefined) {
        tags ??= new Array<string | undefined>(households.length);
        tags[h] = records.tag;
      }
      for (let m = 0; m < modelCount; m++) {
        const slot = h * modelCount + m;
        const bands = ctx.bands[m] as ResolvedBand[] | string;
        if (!records || typeof bands === 'string') {
          scores[slot] = Number.NaN;
          alertColors[slot] = UNKNOWN_ALERT_COLOR;
          statuses[slot] = 2;
          continue;
        }
        setRoot(engine, records);
        scoreModel(ctx.models[m] as CompiledIndicatorModel, engine.scope, budget, sink);
        if (sink.error !== undefined) {
          scores[slot] = Number.NaN;
          alertColors[slot] = UNKNOWN_ALERT_COLOR;
          statuses[slot] = 2;
          continue;
        }
        scores[slot] = sink.score;
        const low = bandIndex(bands, sink.lower);
        const certain = sink.missing === undefined || low === bandIndex(bands, sink.upper);
        const colour = certain
          ? ALERT_COLORS.indexOf((bands[low] as ResolvedBand).alertColor)
          : UNKNOWN_ALERT_COLOR;
        alertColors[slot] = colour;
        statuses[slot] = sink.missing === undefined ? 0 : 1;
        if (certain && wanted[m]?.[colour]) {
          // Lenient too: a detail holds the fired items and groups, never the missing facts' names.
          const full = newSink(true, true);
          scoreModel(ctx.models[m] as CompiledIndicatorModel, engine.scope, budget, full);
          if (full.error === undefined)
            details.set(slot, {
              score: full.score,
              bandLabel: (bands[low] as ResolvedBand).label,
              groups: full.groups,
              fired: full.fired,
            });
        }
      }
    }
  });
  return {
    modelIds: ctx.models.map((m) => m.id),
    householdCount: households.length,
    scores,
    alertColors,
    statuses,
    details,
    ...(tags ? { tags } : {}),
  };
}
