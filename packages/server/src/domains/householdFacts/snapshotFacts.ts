/**
 * The household facts snapshot (migration 008) applied to a date: one snapshot row → the same
 * `AssembledHousehold` that `assembleHouseholdFacts` builds from the registry tables (the
 * equivalence is tested on a seeded county, test/householdFactsSnapshot.test.ts).
 *
 * Pure (no database imports): screening workers load this module and decode the rows themselves,
 * so the main thread only passes the JSON text through (`decodeHouseholds`, the worker decoder
 * contract of @doudi/rules' RulesWorkerPool).
 *
 * The date rules are those of householdFacts.ts: a member is a person whose last membership event
 * on or before the date (in (moved_on, seq) order) is into this household and who is alive on the
 * date; attributes, categories in force on the date; economic facts of the first row, in the
 * stored preference order (approved first, newest first), dated on or before the date.
 */
import {
  FactRecord,
  type FactSchema,
  type HouseholdFacts,
  type HouseholdRecords,
  setFact,
} from '@doudi/rules';
import {
  type AssembledHousehold,
  buildFacts,
  ECONOMY_FACTS,
  type FactsRow,
  type MemberRow,
  memberFactsInto,
} from './factsMapping.ts';

/** [moved_on, into this household, relationship to head] */
type SnapshotEvent = [string, boolean, string | null];
/** [kind, value, valid_from, valid_to] */
type SnapshotAttribute = [string, Record<string, unknown>, string, string | null];
/** [person id, birth date, sex, death date, events, attributes] */
type SnapshotMember = [string, string, string, string | null, SnapshotEvent[], SnapshotAttribute[]];
/** [category, valid_from, valid_to] */
type SnapshotCategory = [string, string, string | null];
/** [facts, source, as_of] */
type SnapshotEconomy = [Record<string, unknown>, 'declared' | 'approved', string];

/** One household's snapshot as the page query returns it: the JSON columns still as text. */
export interface SnapshotRow {
  household_id: string;
  household_number: string;
  region_code: string;
  urban: boolean;
  members: string;
  categories: string | null;
  economy: string | null;
}

/**
 * What a worker receives per household: [urban, members, categories, economy] (JSON text), and
 * optionally `true` to have the members on the date handed back as the records' tag
 * (`memberTag`: a monitoring run's triggers need them, and the worker has just decoded them).
 */
export type SnapshotItem = [boolean, string, string | null, string | null, boolean?];

const inForce = (from: string, to: string | null, onDate: string) =>
  from <= onDate && (to === null || to > onDate);

/** Categories in force on the date, sorted (as `array_agg(category ORDER BY category)`). */
export function categoriesOn(categoriesJson: string | null, onDate: string): string[] {
  if (categoriesJson === null) return [];
  const list = JSON.parse(categoriesJson) as SnapshotCategory[];
  const out: string[] = [];
  // Stored in (category, valid_from) order, so the result is already sorted.
  for (const [category, from, to] of list) if (inForce(from, to, onDate)) out.push(category);
  return out;
}

function membersOn(membersJson: string, onDate: string): (MemberRow & { rel: string | null })[] {
  const members = JSON.parse(membersJson) as SnapshotMember[];
  const out: (MemberRow & { rel: string | null })[] = [];
  for (const [id, birth, sex, death, events, attributes] of members) {
    let last: SnapshotEvent | undefined;
    for (const event of events) {
      if (event[0] > onDate) break; // events are in date order
      last = event;
    }
    if (!last?.[1]) continue;
    if (death !== null && death <= onDate) continue;
    let attrs: Record<string, Record<string, unknown>> | null = null;
    for (const [kind, value, from, to] of attributes) {
      if (!inForce(from, to, onDate)) continue;
      attrs ??= {};
      attrs[kind] = value;
    }
    out.push({ id, birth_date: birth, sex, attrs, rel: last[2] });
  }
  // Head first, then by birth date, then id: the order householdFacts.ts gives.
  out.sort(
    (a, b) =>
      Number(b.rel === 'head') - Number(a.rel === 'head') ||
      (a.birth_date < b.birth_date ? -1 : a.birth_date > b.birth_date ? 1 : 0) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return out;
}

function economyOn(economyJson: string | null, onDate: string): SnapshotEconomy | undefined {
  if (economyJson === null) return undefined;
  const rows = JSON.parse(economyJson) as SnapshotEconomy[];
  return rows.find((r) => r[2] <= onDate);
}

/** The assembled household on a date (main thread: tests, single households). */
export function snapshotHousehold(row: SnapshotRow, onDate: string): AssembledHousehold {
  const economy = economyOn(row.economy, onDate);
  const categories = categoriesOn(row.categories, onDate);
  const factsRow: FactsRow = {
    id: row.household_id,
    household_number: row.household_number,
    region_code: row.region_code,
    urban: row.urban,
    categories: categories.length > 0 ? categories : null,
    economy: economy?.[0] ?? null,
    economy_source: economy?.[1] ?? null,
    economy_as_of: economy?.[2] ?? null,
    members: membersOn(row.members, onDate),
  };
  return buildFacts(factsRow, onDate);
}

/** The worker side: snapshot items → facts for the engine (the pool's decoder contract). */
export function decodeHouseholds(items: readonly unknown[], onDate: string): HouseholdFacts[] {
  return items.map((item) => {
    const [urban, members, categories, economy] = item as SnapshotItem;
    return snapshotHousehold(
      { household_id: '', household_number: '', region_code: '', urban, members, categories, economy },
      onDate,
    ).facts;
  });
}

/**
 * The worker side, straight into the engine's records (the pool's optional `householdRecords`
 * decoder export): the records `buildRecords(schema, decodeHouseholds([item], onDate)[0])` gives,
 * without the facts objects in between (a screening run decodes every household of the county;
 * the objects cost as much as parsing the JSON). A bad value raises for this household only.
 */
export function householdRecords(item: unknown, onDate: string, schema: FactSchema): HouseholdRecords {
  const [urban, membersJson, categoriesJson, economyJson, tagged] = item as SnapshotItem;
  const household = new FactRecord('household');
  setFact(household, schema.household, 'urban', urban);
  setFact(household, schema.household, 'currentCategories', categoriesOn(categoriesJson, onDate));
  const economy = economyOn(economyJson, onDate)?.[0];
  if (economy) {
    for (const name of ECONOMY_FACTS) setFact(household, schema.household, name, economy[name]);
  }
  const rows = membersOn(membersJson, onDate);
  const members = new Array<FactRecord>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const record = new FactRecord(`members[${i}]`);
    memberFactsInto(rows[i] as MemberRow, onDate, (name, value) =>
      setFact(record, schema.member, name, value),
    );
    members[i] = record;
  }
  return tagged ? { household, members, tag: memberTag(rows) } : { household, members };
}

export function snapshotItem(row: SnapshotRow, tagged = false): SnapshotItem {
  return tagged
    ? [row.urban, row.members, row.categories, row.economy, true]
    : [row.urban, row.members, row.categories, row.economy];
}

/** A member on the date as the tag carries it: person id, birth date, sex, relationship (or ''). */
export type TaggedMember = [id: string, birth: string, sex: string, relationship: string];

const SEPARATOR = /[\t\n]/;

/**
 * The members on a date as one short text (fields by tab, members by line feed): cheaper to build,
 * pass between threads and split than the snapshot's JSON is to parse, and it holds only what the
 * event triggers read. Ids, dates and sex hold no tab or line feed; a relationship is cleaned below.
 */
function memberTag(rows: readonly (MemberRow & { rel: string | null })[]): string {
  let out = '';
  for (let i = 0; i < rows.length; i++) {
    const m = rows[i] as MemberRow & { rel: string | null };
    // The relationship of a membership event is free text in the table: kept out of the separators.
    const rel = m.rel === null ? '' : SEPARATOR.test(m.rel) ? m.rel.replace(/[\t\n]/g, ' ') : m.rel;
    out += `${i === 0 ? '' : '\n'}${m.id}\t${m.birth_date}\t${m.sex}\t${rel}`;
  }
  return out;
}

/** `memberTag` read back. */
export function readMemberTag(tag: string): TaggedMember[] {
  if (tag === '') return [];
  return tag.split('\n').map((line) => line.split('\t') as TaggedMember);
}

/**
 * Where the person ids of a `memberTag` are, in order (`tag.slice(start, end)` is an id), without
 * splitting it into members and fields, nor making a string of an id the caller may not need.
 */
export function tagIds(tag: string, each: (start: number, end: number) => void): void {
  for (let start = 0; start < tag.length; ) {
    const tab = tag.indexOf('\t', start);
    if (tab < 0) return;
    each(start, tab);
    const next = tag.indexOf('\n', tab);
    if (next < 0) return;
    start = next + 1;
  }
}
