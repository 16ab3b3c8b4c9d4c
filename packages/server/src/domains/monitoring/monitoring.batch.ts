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
import type { Database } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import type { Actor } from '../access/permissions.ts';
import {
  categoriesOn,
  householdRecords,
  readMemberTag,
  type SnapshotRow,
  snapshotItem,
  tagIds,
} from '../householdFacts/snapshotFacts.ts';
import * as repo from './monitoring.repo.ts';
import type { Scoring } from './monitoring.scoring.ts';
import { applyTriggers, type Subject, trimEvidence } from './triggers.ts';

const townshipOf = (regionCode: string) => `${regionCode.slice(0, 9)}000`;

export interface Context {
  catalog: CompiledCatalog;
  models: { model: CompiledIndicatorModel; raise: readonly string[] }[];
  triggers: TriggerSet;
  sources: string[];
  asOf: string;
  /** Worker threads for the models (full runs of a large region); undefined: this thread. */
  pool?: IndicatorWorkerPool;
  /** Full runs: the persons with any record in the trigger sources (repo.personsWithRecords); the
   *  records of the others are not looked up. Undefined: every member is looked up. */
  personsWithRecords?: Set<number>;
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
  group: repo.FactsRow[];
  batch: IndicatorBatchResult;
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
  const options = {
    models: ctx.models.map((m) => m.model.id),
    detailColours: Object.fromEntries(ctx.models.map((m) => [m.model.id, m.raise as AlertColor[]])),
    // Colours and evidence are stored, never statuses: items worth 0 points need not run.
    colourOnly: true,
  };
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
        householdId: (group[h] as repo.FactsRow).household_id,
        regionCode: (group[h] as repo.FactsRow).region_code,
        factsAt: (group[h] as repo.FactsRow).facts_at,
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
        const row = group[h] as repo.FactsRow;
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
        });
      }
    }
  }
  return drafts;
}

/** [person id, birth date, sex, death date, events [moved_on, into, relationship], attributes] */
type SnapshotMember = [string, string, string, string | null, [string, boolean, string | null][], unknown];

/**
 * Members on the run's date, from the snapshot's JSON (the rules of snapshotFacts.ts: the last
 * membership event on or before the date is into this household, and alive on the date), so no
 * query of the person table is needed.
 */
export function snapshotMembers(rows: readonly SnapshotRow[], asOf: string): repo.MemberRow[] {
  const out: repo.MemberRow[] = [];
  for (const row of rows) {
    for (const [id, birth, sex, death, events] of JSON.parse(row.members) as SnapshotMember[]) {
      let last: [string, boolean, string | null] | undefined;
      for (const e of events) {
        if (e[0] > asOf) break;
        last = e;
      }
      if (!last?.[1] || (death !== null && death <= asOf)) continue;
      out.push({
        id,
        household_id: row.household_id,
        name: '',
        birth_date: birth,
        sex,
        relationship_to_head: last[2] ?? 'other',
      });
    }
  }
  return out;
}

// A member's entry in the snapshot's JSON starts with its person id: ["<uuid>", "<birth date>", ...
const PERSON_ID = /\["([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"/g;

/**
 * The source records of a batch's members and the members of the households that have any (read
 * while the model scores). The records are asked for every person the snapshot names (found in
 * the JSON text, without parsing it: a person who has left is asked for too and dropped below);
 * only the households some record concerns are parsed for their members on the run's date, most
 * households having no record, and their JSON being parsed for the model already.
 */
export function readTriggerInputs(db: Database, scope: Actor, ctx: Context, rows: readonly SnapshotRow[]) {
  const rowsOf = new Map<string, number[]>();
  for (let i = 0; i < rows.length; i++) {
    for (const m of (rows[i] as SnapshotRow).members.matchAll(PERSON_ID)) {
      const id = m[1] as string;
      if (ctx.personsWithRecords && !ctx.personsWithRecords.has(repo.personKey(id))) continue;
      const list = rowsOf.get(id);
      if (!list) rowsOf.set(id, [i]);
      else if (list.at(-1) !== i) list.push(i);
    }
  }
  return asActor(db, scope, undefined, async (tx) => {
    const records = await repo.recordsOfPersons(tx, [...rowsOf.keys()], ctx.sources, ctx.asOf);
    const concerned = new Set<number>();
    for (const r of records) for (const i of rowsOf.get(r.person_id as string) ?? []) concerned.add(i);
    const members = snapshotMembers(
      [...concerned].sort((a, b) => a - b).map((i) => rows[i] as SnapshotRow),
      ctx.asOf,
    );
    return { members, records };
  });
}

/**
 * The trigger inputs of a batch scored with `tagged` (a full run): its members on the date from
 * the scores' tags, their source records read after the scores, so neither the person ids nor the
 * members are taken from the snapshot's JSON a second time on this thread (the workers decoded
 * it: the regex and the second parse were ≈3 s of a 200,000-household run's main thread).
 * A household whose scoring failed has no tag and is decoded here.
 */
export function recordsOfScored(
  db: Database,
  scope: Actor,
  ctx: Context,
  rows: readonly SnapshotRow[],
  scored: readonly Scored[],
) {
  const tagOf = new Map<string, string | undefined>();
  for (const { group, batch } of scored)
    for (let h = 0; h < group.length; h++) tagOf.set((group[h] as SnapshotRow).household_id, batch.tags?.[h]);
  // Members as rows only for the households some record concerns (below): the person ids are read
  // off the tags first. Rows for every member of every household (≈3,000,000 objects at 1,000,000
  // households) were garbage as soon as made for the households no record concerns.
  const tags = rows.map((row) => tagOf.get(row.household_id));
  const decoded = new Map<number, repo.MemberRow[]>();
  const membersOf = (i: number): repo.MemberRow[] => {
    let list = decoded.get(i);
    if (!list) {
      const row = rows[i] as SnapshotRow;
      const tag = tags[i];
      list =
        tag === undefined
          ? snapshotMembers([row], ctx.asOf)
          : readMemberTag(tag).map(([id, birth, sex, rel]) => ({
              id,
              household_id: row.household_id,
              name: '',
              birth_date: birth,
              sex,
              relationship_to_head: rel || 'other',
            }));
      decoded.set(i, list);
    }
    return list;
  };
  // A person is a member of one household on a date: the row of each person asked about.
  const rowOf = new Map<string, number>();
  const keys = ctx.personsWithRecords;
  tags.forEach((tag, i) => {
    if (tag === undefined) {
      for (const m of membersOf(i)) if (!keys || keys.has(repo.personKey(m.id))) rowOf.set(m.id, i);
    } else {
      tagIds(tag, (start, end) => {
        if (!keys || keys.has(repo.personKey(tag, start, end))) rowOf.set(tag.slice(start, end), i);
      });
    }
  });
  return asActor(db, scope, undefined, async (tx) => {
    const records =
      rowOf.size > 0 ? await repo.recordsOfPersons(tx, [...rowOf.keys()], ctx.sources, ctx.asOf) : [];
    // Only the households some record concerns go on to the triggers, as in readTriggerInputs.
    const concerned = new Set<number>();
    for (const r of records) {
      const i = rowOf.get(r.person_id as string);
      if (i !== undefined) concerned.add(i);
    }
    const members = [...concerned].sort((a, b) => a - b).flatMap((i) => membersOf(i));
    return { members, records };
  });
}

/** What the triggers of a batch read: its members (of the households some record concerns) and records. */
export interface TriggerInputs {
  members: repo.MemberRow[];
  records: repo.RecordRow[];
}

/** Trigger drafts for a batch of households (their members' records). */
export function householdTriggerDrafts(
  ctx: Context,
  rows: readonly SnapshotRow[],
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
