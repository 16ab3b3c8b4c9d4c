/**
 * One batch of a monitoring run, computed: the indicator model's drafts for the households whose
 * colour raises an alert (with the fired items as evidence), and the event triggers' drafts for
 * households and for candidates (persons not in the registry). No writes here (monitoring.run.ts).
 */
import {
  ALERT_COLORS,
  type AlertColor,
  type CompiledCatalog,
  type CompiledIndicatorModel,
  evaluateIndicatorsBatch,
  type IndicatorBatchResult,
  type IndicatorWorkerPool,
  type TriggerSet,
} from '@doudi/rules';
import {
  categoriesOn,
  householdRecords,
  type SnapshotRow,
  snapshotItem,
} from '../householdFacts/snapshotFacts.ts';
import { townshipOf } from '../regions/regionCode.ts';
import type * as repo from './monitoring.repo.ts';
import type { Scoring } from './monitoring.scoring.ts';
import type { TriggerInputs } from './monitoring.triggerInputs.ts';
import { applyTriggers, type RecordWindow, type Subject, trimEvidence } from './triggers.ts';

export interface Context {
  catalog: CompiledCatalog;
  models: { model: CompiledIndicatorModel; raise: readonly string[] }[];
  triggers: TriggerSet;
  /** The records the triggers can count on the run's date (triggers.ts recordWindows). */
  windows: RecordWindow[];
  asOf: string;
  /** Worker threads for the models (full runs of a large region); undefined: this thread. */
  pool?: IndicatorWorkerPool;
  /** Full runs: the persons with any record in the trigger sources (repo.personsWithRecords); the
   *  records of the others are not looked up. Undefined (incremental runs): every member is. */
  personsWithRecords?: Promise<Set<number>>;
}

function topItems(fired: { label: string; points: number }[]): string {
  return [...fired]
    .sort((a, b) => b.points - a.points)
    .slice(0, 4)
    .map((f) => f.label)
    .join('、');
}

/** A township's households of a batch and their scores (parameters differ by township). */
export interface Scored {
  group: repo.PageRow[];
  batch: IndicatorBatchResult;
}

/** What the models are asked for: colours, and the evidence of the colours that raise an alert. */
export function scoreOptions(ctx: Context) {
  return {
    models: ctx.models.map((m) => m.model.id),
    detailColours: Object.fromEntries(ctx.models.map((m) => [m.model.id, m.raise as AlertColor[]])),
    // Colours and evidence are stored, never statuses: items worth 0 points need not run.
    colourOnly: true,
  };
}

/**
 * Scores one batch with the models, one request per township: on the worker pool when the run has
 * one (a full re-screen; the snapshot JSON is decoded there), else on this thread. Households whose
 * colour raises an alert are scored again with their groups and fired items (the evidence).
 * `tagged`: each household's members on the date come back too (`batch.tags`, read by
 * `recordsOfScored`), decoded once for the model and the triggers.
 */
export function scoreRows(ctx: Context, rows: readonly repo.FactsRow[], tagged = false): Promise<Scored[]> {
  const byTownship = new Map<string, repo.FactsRow[]>();
  for (const row of rows) {
    const key = townshipOf(row.region_code);
    const list = byTownship.get(key);
    if (list) list.push(row);
    else byTownship.set(key, [row]);
  }
  const options = scoreOptions(ctx);
  const pool = ctx.pool;
  return Promise.all(
    [...byTownship].map(async ([township, group]) => ({
      group,
      batch: pool
        ? await pool.evaluateItems(
            group.map((row) => snapshotItem(row, tagged)),
            ctx.asOf,
            township,
            options,
          )
        : evaluateIndicatorsBatch(
            ctx.catalog,
            {
              length: group.length,
              records: (h) =>
                householdRecords(
                  snapshotItem(group[h] as repo.FactsRow, tagged),
                  ctx.asOf,
                  ctx.catalog.facts,
                ),
            },
            ctx.asOf,
            township,
            options,
          ),
    })),
  );
}

/**
 * Drafts for the scored households whose colour raises an alert; colours counted; each household's
 * scoring (snapshot version read, models that raised) pushed to `scorings`.
 */
export function indicatorDrafts(
  ctx: Context,
  scored: readonly Scored[],
  counts: Record<string, number>,
  scorings: Scoring[],
) {
  const drafts: repo.AlertDraft[] = [];
  const ids = ctx.models.map((m) => m.model.id);
  for (const { group, batch } of scored) {
    for (let h = 0; h < group.length; h++) {
      const scoring: Scoring = {
        householdId: (group[h] as repo.PageRow).household_id,
        regionCode: (group[h] as repo.PageRow).region_code,
        factsAt: (group[h] as repo.PageRow).facts_at,
        raised: [],
      };
      scorings.push(scoring);
      for (let m = 0; m < ids.length; m++) {
        const slot = h * ids.length + m;
        const colour = ALERT_COLORS[batch.alertColors[slot] as number] ?? 'unknown';
        counts[colour] = (counts[colour] ?? 0) + 1;
        const { model, raise } = ctx.models[m] as Context['models'][number];
        if (!raise.includes(colour) || colour === 'none') continue;
        // Raised households were scored a second time with their groups and fired items: the
        // evidence a caseworker reads (the traced path's, without the Chinese trace).
        const result = batch.details.get(slot);
        if (!result) continue;
        const row = group[h] as repo.PageRow;
        scoring.raised.push(model.id);
        const score = Math.round(result.score * 100) / 100;
        const evidence = [
          {
            kind: 'indicator',
            model: model.id,
            version: model.version,
            asOf: ctx.asOf,
            score,
            band: result.bandLabel,
            groups: result.groups
              .filter((g) => g.score !== 0)
              .map((g) => ({ label: g.label, score: g.score })),
          },
          ...result.fired.map((f) => ({
            kind: 'indicatorItem',
            group: f.group,
            item: f.item,
            label: f.label,
            points: f.points,
            ...(f.members ? { members: f.members.length } : {}),
          })),
        ];
        drafts.push({
          householdId: row.household_id,
          subjectKey: row.household_id,
          regionCode: row.region_code,
          cause: `indicator:${model.id}`,
          colour: colour as repo.AlertDraft['colour'],
          score,
          modelVersion: model.version,
          evidence: trimEvidence(evidence),
          summaryZh: `${model.name.zh}人均得分${score}，${result.bandLabel}；主要因素：${topItems(result.fired)}`,
          asOf: ctx.asOf,
        });
      }
    }
  }
  return drafts;
}

/** Trigger drafts for a batch of households (their members' records). */
export function householdTriggerDrafts(
  ctx: Context,
  rows: readonly Pick<SnapshotRow, 'household_id' | 'region_code' | 'categories'>[],
  { members, records }: TriggerInputs,
) {
  const memberById = new Map(members.map((m) => [m.id, m]));
  const recordsByHousehold = new Map<string, repo.RecordRow[]>();
  for (const r of records) {
    const hh = memberById.get(r.person_id as string)?.household_id;
    if (!hh) continue;
    const list = recordsByHousehold.get(hh);
    if (list) list.push(r);
    else recordsByHousehold.set(hh, [r]);
  }
  const drafts: repo.AlertDraft[] = [];
  let hits = 0;
  const membersByHousehold = new Map<string, Map<string, repo.MemberRow>>();
  for (const m of members) {
    const own = membersByHousehold.get(m.household_id) ?? new Map<string, repo.MemberRow>();
    own.set(m.id, m);
    membersByHousehold.set(m.household_id, own);
  }
  for (const row of rows) {
    const list = recordsByHousehold.get(row.household_id);
    if (!list) continue;
    const own = membersByHousehold.get(row.household_id) ?? new Map<string, repo.MemberRow>();
    const subject: Subject = {
      householdId: row.household_id,
      subjectKey: row.household_id,
      regionCode: row.region_code,
      categories: categoriesOn(row.categories, ctx.asOf),
      size: own.size,
      members: own,
    };
    const outcome = applyTriggers(ctx.triggers, subject, list, ctx.asOf);
    drafts.push(...outcome.drafts);
    hits += outcome.hits;
  }
  return { drafts, hits };
}

export function candidateDrafts(ctx: Context, records: readonly repo.RecordRow[]) {
  const byKey = new Map<string, repo.RecordRow[]>();
  for (const r of records) {
    const list = byKey.get(r.index_hex);
    if (list) list.push(r);
    else byKey.set(r.index_hex, [r]);
  }
  const drafts: repo.AlertDraft[] = [];
  let hits = 0;
  for (const [key, list] of byKey) {
    const subject: Subject = {
      householdId: null,
      subjectKey: key,
      regionCode: (list.at(-1) as repo.RecordRow).region_code,
      categories: [],
      size: 0,
      members: new Map(),
    };
    const outcome = applyTriggers(ctx.triggers, subject, list, ctx.asOf);
    drafts.push(...outcome.drafts);
    hits += outcome.hits;
  }
  return { drafts, hits, lastKey: [...byKey.keys()].at(-1) };
}
