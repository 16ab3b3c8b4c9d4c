/**
 * What a batch's event triggers read: the source records of its members, and the members (on the
 * run's date) of the households some record concerns. Read while the models score
 * (monitoring.run.ts); the drafts are made in monitoring.batch.ts.
 */
import type { Database } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import type { Actor } from '../access/permissions.ts';
import { readMemberTag, type SnapshotRow, tagIds } from '../householdFacts/snapshotFacts.ts';
import type { Context, Scored } from './monitoring.batch.ts';
import * as repo from './monitoring.repo.ts';

/** [person id, birth date, sex, death date, events [moved_on, into, relationship], attributes] */
type SnapshotMember = [string, string, string, string | null, [string, boolean, string | null][], unknown];

/**
 * Members on the run's date, from the snapshot's JSON (the rules of snapshotFacts.ts: the last
 * membership event on or before the date is into this household, and alive on the date), so no
 * query of the person table is needed.
 */
export function snapshotMembers(
  rows: readonly Pick<SnapshotRow, 'household_id' | 'members'>[],
  asOf: string,
): repo.MemberRow[] {
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
      const list = rowsOf.get(id);
      if (!list) rowsOf.set(id, [i]);
      else if (list.at(-1) !== i) list.push(i);
    }
  }
  return asActor(db, scope, undefined, async (tx) => {
    const records = await repo.recordsOfPersons(tx, [...rowsOf.keys()], ctx.windows, ctx.asOf);
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
 * A household whose scoring failed has no tag and is decoded here (its JSON read again when a
 * worker read the page: such a household has a bad value, and is rare).
 */
export async function recordsOfScored(db: Database, scope: Actor, ctx: Context, scored: readonly Scored[]) {
  // The households in the scores' order, each with its tag (a page's groups hold it whole).
  const rows: repo.PageRow[] = [];
  const tags: (string | undefined)[] = [];
  for (const { group, batch } of scored)
    for (let h = 0; h < group.length; h++) {
      rows.push(group[h] as repo.PageRow);
      tags.push(batch.tags?.[h]);
    }
  // Members as rows only for the households some record concerns (below): the person ids are read
  // off the tags first. Rows for every member of every household (≈3,000,000 objects at 1,000,000
  // households) were garbage as soon as made for the households no record concerns.
  const decoded = new Map<number, repo.MemberRow[]>();
  // Households whose scoring failed (a bad value: no tag) and whose JSON a worker kept: read below.
  const untagged = new Map<string, SnapshotRow>();
  const membersOf = (i: number): repo.MemberRow[] => {
    let list = decoded.get(i);
    if (!list) {
      const row = rows[i] as repo.PageRow;
      const tag = tags[i];
      const members = row.members ?? untagged.get(row.household_id)?.members;
      list =
        tag === undefined
          ? members === undefined
            ? []
            : snapshotMembers([{ household_id: row.household_id, members }], ctx.asOf)
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
  const keys = await ctx.personsWithRecords;
  return asActor(db, scope, undefined, async (tx) => {
    const unread = rows.filter((row, i) => tags[i] === undefined && row.members === undefined);
    const reread =
      unread.length > 0
        ? await repo.snapshotRows(
            tx,
            unread.map((r) => r.household_id),
          )
        : [];
    for (const row of reread) untagged.set(row.household_id, row);
    // A person is a member of one household on a date: the row of each person asked about.
    const rowOf = new Map<string, number>();
    tags.forEach((tag, i) => {
      if (tag === undefined) {
        for (const m of membersOf(i)) if (!keys || keys.has(repo.personKey(m.id))) rowOf.set(m.id, i);
      } else {
        tagIds(tag, (start, end) => {
          if (!keys || keys.has(repo.personKey(tag, start, end))) rowOf.set(tag.slice(start, end), i);
        });
      }
    });
    const records =
      rowOf.size > 0 ? await repo.recordsOfPersons(tx, [...rowOf.keys()], ctx.windows, ctx.asOf) : [];
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
