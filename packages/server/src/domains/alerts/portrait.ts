/**
 * 一户一画像 for an alert: hardship on seven dimensions (income, health, employment, education,
 * housing, care, social support; Xuhui's multi-dimensional analysis), from a fresh evaluation of the
 * built-in indicator models on the household's facts today, with every item that fired; the alert's
 * own evidence with its data and dates; the assistance already received; and the policies the rules
 * engine finds for the household and it does not receive yet. The engine is pure: this file hands
 * it facts assembled under the reader's scope and maps its answers to dimensions.
 */
import { evaluate, evaluateIndicators, type IndicatorResult } from '@doudi/rules';
import { Type } from 'typebox';
import { asActor } from '../../db/scope.ts';
import { AppError, errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { householdFactsFor } from '../householdFacts/householdFacts.ts';
import { activeCatalog } from '../rules/activeCatalog.ts';
import { receives } from '../screening/screening.run.ts';
import * as repo from './alerts.repo.ts';
import { type AlertDeps, todayOf } from './alerts.service.ts';
import { alertView } from './alerts.views.ts';

export const Dimensions = [
  'income',
  'health',
  'employment',
  'education',
  'housing',
  'care',
  'socialSupport',
] as const;
type Dimension = (typeof Dimensions)[number];
export const dimensionZh: Record<Dimension, string> = {
  income: '收入',
  health: '健康',
  employment: '就业',
  education: '教育',
  housing: '住房',
  care: '照护',
  socialSupport: '社会支持',
};

/**
 * Which dimension an indicator group (or, for mixed groups, an item) speaks to. Groups of models
 * not listed here fall to `income` when they are about money and are otherwise left out.
 */
const GROUP_DIMENSION: Record<string, Dimension> = {
  incomeProperty: 'income',
  income: 'income',
  assets: 'income',
  expenditure: 'income',
  rigidExpense: 'income',
  nearDibao: 'socialSupport',
  medical: 'health',
  health: 'health',
  education: 'education',
  employment: 'employment',
  housing: 'housing',
  family: 'care',
  basic: 'care',
};
const ITEM_DIMENSION: Record<string, Dimension> = {
  orphaned: 'socialSupport',
  singlePerson: 'socialSupport',
  noLabour: 'employment',
  noWorkCapacity: 'employment',
  severeDisability: 'health',
  moderateDisability: 'health',
  needsCare: 'care',
  onDibao: 'socialSupport',
  onTekun: 'socialSupport',
};
const MODELS = ['xiaochang', 'zhejiang'];

export const Portrait = Type.Object({
  alert: Type.Ref('Alert'),
  onDate: Type.String(),
  catalogVersion: Type.Union([Type.String(), Type.Null()]),
  dimensions: Type.Array(
    Type.Object({
      id: Type.String(),
      nameZh: Type.String(),
      /** 0–100: the share of the dimension's possible positive points that fired. */
      score: Type.Number(),
      items: Type.Array(Type.Object({ model: Type.String(), label: Type.String(), points: Type.Number() })),
    }),
  ),
  models: Type.Array(
    Type.Object({
      modelId: Type.String(),
      version: Type.String(),
      status: Type.String(),
      score: Type.Number(),
      alertColor: Type.Union([Type.String(), Type.Null()]),
      bandLabel: Type.Union([Type.String(), Type.Null()]),
      missingFacts: Type.Array(Type.String()),
      traceZh: Type.Array(Type.String()),
    }),
  ),
  evidence: Type.Array(Type.Unknown()),
  economySource: Type.Union([Type.String(), Type.Null()]),
  economyAsOf: Type.Union([Type.String(), Type.Null()]),
  assistance: Type.Array(
    Type.Object({
      category: Type.String(),
      validFrom: Type.String(),
      validTo: Type.Union([Type.String(), Type.Null()]),
      monthlyAmountFen: Type.Union([Type.Integer(), Type.Null()]),
    }),
  ),
  suggestedPolicies: Type.Array(
    Type.Object({
      policyId: Type.String(),
      name: Type.String(),
      nameEn: Type.String(),
      status: Type.String(),
      amountFen: Type.Union([Type.Integer(), Type.Null()]),
      missingFacts: Type.Array(Type.String()),
    }),
  ),
});

function dimensionsOf(
  catalogModels: { id: string; groups: { id: string; items: { id: string; points: number }[] }[] }[],
  results: IndicatorResult[],
) {
  const possible = new Map<Dimension, number>();
  const scored = new Map<Dimension, { model: string; label: string; points: number }[]>();
  const dimensionOf = (group: string, item: string) => ITEM_DIMENSION[item] ?? GROUP_DIMENSION[group];
  for (const model of catalogModels)
    for (const group of model.groups)
      for (const item of group.items) {
        const d = dimensionOf(group.id, item.id);
        if (d && item.points > 0) possible.set(d, (possible.get(d) ?? 0) + item.points);
      }
  for (const result of results)
    for (const fired of result.fired) {
      const d = dimensionOf(fired.group, fired.item);
      if (!d || fired.points <= 0) continue;
      scored.set(d, [
        ...(scored.get(d) ?? []),
        { model: result.modelId, label: fired.label, points: fired.points },
      ]);
    }
  return Dimensions.map((d) => {
    const items = scored.get(d) ?? [];
    const max = possible.get(d) ?? 0;
    const sum = items.reduce((s, i) => s + i.points, 0);
    return {
      id: d,
      nameZh: dimensionZh[d],
      score: max > 0 ? Math.min(100, Math.round((sum / max) * 1000) / 10) : 0,
      items,
    };
  });
}

/**
 * An indicator alert's items name their group by id (the stored evidence, which its digest covers):
 * the portrait adds the group's label from the catalogue in force, for the reader only.
 */
function withGroupLabels(
  evidence: unknown[],
  models: readonly { id: string; groups: readonly { id: string; label: string }[] }[],
  cause: string,
): unknown[] {
  const model = models.find((m) => `indicator:${m.id}` === cause);
  if (!model) return evidence;
  const labels = new Map(model.groups.map((g) => [g.id, g.label]));
  return evidence.map((item) => {
    const e = item as { kind?: unknown; group?: unknown };
    const label =
      e?.kind === 'indicatorItem' && typeof e.group === 'string' ? labels.get(e.group) : undefined;
    return label ? { ...e, groupLabel: label } : item;
  });
}

export async function alertPortrait(
  deps: AlertDeps,
  actor: Actor | undefined,
  alertId: string,
  requestId?: string,
) {
  authorize(actor, Permission.monitoringRead);
  const today = todayOf(deps);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const row = await repo.findAlert(tx, alertId);
    if (!row) throw errors.notFound('该预警');
    const base = {
      alert: alertView(row, today, actor),
      onDate: today,
      evidence: row.evidence ?? [],
    };
    const assembled = row.household_id ? await householdFactsFor(tx, row.household_id, today) : undefined;
    if (!assembled)
      // A self-report not yet linked to a registered household: the evidence is all there is.
      return {
        ...base,
        catalogVersion: null,
        dimensions: Dimensions.map((d) => ({ id: d, nameZh: dimensionZh[d], score: 0, items: [] })),
        models: [],
        economySource: null,
        economyAsOf: null,
        assistance: [],
        suggestedPolicies: [],
      };
    const active = await activeCatalog(tx, today);
    const township = `${assembled.regionCode.slice(0, 9)}000`;
    const modelIds = MODELS.filter((m) => active.catalog.indicators.some((i) => i.id === m));
    let indicators: IndicatorResult[];
    let policies: ReturnType<typeof evaluate>;
    try {
      indicators = evaluateIndicators(active.catalog, assembled.facts, today, township, { models: modelIds });
      policies = evaluate(active.catalog, assembled.facts, today, township);
    } catch (error) {
      throw new AppError(500, 'EVALUATION_FAILED', '画像测算出错，请联系管理员', (error as Error).message);
    }
    const periods = await tx.query<{
      category: string;
      valid_from: string;
      valid_to: string | null;
      monthly_amount_fen: string | null;
    }>(
      `SELECT category, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to,
              monthly_amount_fen::text AS monthly_amount_fen
         FROM household_category WHERE household_id = $1 ORDER BY valid_from DESC`,
      [row.household_id],
    );
    const categories = (assembled.facts.household?.currentCategories as string[] | undefined) ?? [];
    const usedModels = active.catalog.indicators.filter((m) => modelIds.includes(m.id));
    return {
      ...base,
      evidence: withGroupLabels(base.evidence, active.catalog.indicators, row.cause),
      catalogVersion: active.version ?? null,
      dimensions: dimensionsOf(usedModels, indicators),
      models: indicators.map((r) => ({
        modelId: r.modelId,
        version: r.version,
        status: r.status,
        score: r.score,
        alertColor: r.alertColor,
        bandLabel: r.bandLabel,
        missingFacts: r.missingFacts,
        traceZh: r.traceZh ?? [],
      })),
      economySource: assembled.economySource,
      economyAsOf: assembled.economyAsOf,
      assistance: periods.rows.map((p) => ({
        category: p.category,
        validFrom: p.valid_from,
        validTo: p.valid_to,
        monthlyAmountFen: p.monthly_amount_fen === null ? null : Number(p.monthly_amount_fen),
      })),
      suggestedPolicies: policies
        .filter(
          (p) =>
            (p.status === 'eligible' || p.status === 'needsInformation') && !receives(p.policyId, categories),
        )
        .map((p) => ({
          policyId: p.policyId,
          name: p.trace.policyName.zh,
          nameEn: p.trace.policyName.en,
          status: p.status,
          amountFen: p.amountFen,
          missingFacts: p.missingFacts.slice(0, 20),
        })),
    };
  });
}
