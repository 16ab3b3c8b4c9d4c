/**
 * Household facts assembler: registry + household_economy → the rules engine's `HouseholdFacts`
 * for a household on a date. Used by policy-finds-people (screening), and meant for what-if and,
 * later, case decisions. See catalog/facts/*.yaml for every fact name and unit.
 *
 * Exported API
 *  - `assembleHouseholdFacts(tx, householdIds, onDate)` → `AssembledHousehold[]` (input order kept
 *    for ids that are visible; others are left out). Runs inside the caller's transaction (`asActor`),
 *    so row-level security decides what it sees.
 *  - `householdFactsFor(tx, householdId, onDate)` → one `AssembledHousehold` or undefined.
 *  - `streamHouseholdFacts(db, { scope, regionCode?, onDate, batchSize?, after? })` → async iterator
 *    of `FactsBatch` (households in (village code, household number) order within the region subtree
 *    `regionCode`, default the scope's region; keyset on that order, the cursor being the last
 *    household's id; each batch read in its own short transaction as `scope`, so
 *    row-level security applies; the next batch is read while the caller works on the current one).
 *    Memory: two batches at most, whatever the county size. `after` resumes after a household id.
 *  - `readFactsPage(tx, { regionCode, onDate, after?, limit })`: one keyset page in the caller's
 *    transaction (what the stream calls).
 *  - `countHouseholds(tx, regionCode)`, `regionBounds(regionCode)`: totals and code ranges.
 *  - `buildFacts(row, onDate)`: the pure mapping from one row to facts (unit-testable; it lives in
 *    factsMapping.ts so that worker threads can load it without the database modules).
 * Screening runs read the facts snapshot instead (migration 008, snapshot.repo.ts and
 * snapshotFacts.ts), which applies these same rules to one stored row per household.
 *  - `ECONOMY_FACTS`: the household fact names taken from household_economy.
 * A what-if run builds on the stream: change parameters, evaluate each batch with the same facts.
 *
 * What is assembled, as of `onDate`:
 *  - members: the persons whose last membership event on or before the date puts them in the
 *    household (person_transfer), alive on that date; head first, then by birth date;
 *  - member facts: `age` in full years on the date; `sex`; from the attributes in force on the date:
 *    `health` (seriousIllness if a serious illness is recorded, else healthCondition.status),
 *    `disabilityType`/`disabilityGrade` (the certificate; no certificate recorded → 'none'/0, the
 *    registry holds every certificate, and the catalogue defines 0 as "no certificate"),
 *    `workCapacity`, `employment`, `schoolingStage` ('none' when no schooling is recorded), and the
 *    six care tasks (only when a care assessment is recorded);
 *  - household facts: `urban` from the household, `currentCategories` = categories in force, and
 *    every economic fact of the newest approved household_economy row on or before the date, else of
 *    the newest declared one.
 * Missing figures stay missing (the engine answers needsInformation naming them): nothing is
 * defaulted except what the registry itself asserts (no certificate, no schooling).
 * Liable relatives living apart (`supporterOutside`) are not produced: the registry has no link
 * between a person and relatives in other households yet.
 */
import type { Database, Queryable } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import type { Actor } from '../access/permissions.ts';
import { regionPrefix } from '../regions/regionCode.ts';
import {
  type AssembledHousehold,
  buildFacts,
  type FactsBatch,
  type FactsRow,
  type MemberRow,
} from './factsMapping.ts';

export {
  type AssembledHousehold,
  buildFacts,
  ECONOMY_FACTS,
  type FactsBatch,
  type FactsRow,
} from './factsMapping.ts';

interface HouseholdRow {
  id: string;
  household_number: string;
  region_code: string;
  urban: boolean;
}

interface MemberQueryRow extends MemberRow {
  household_id: string;
  rel: string;
}

/**
 * Members, attributes, categories and economy of the given households as of `onDate`, in three
 * queries keyed by id arrays. Each reads base tables through their indexes: under row-level security
 * the planner's row estimates are tiny, and a single query joining CTEs to CTEs chose nested loops
 * that grew with the square of the batch (4,000 households: minutes instead of a second).
 * Membership follows registry.repo.membersAsOf (last event on or before the date).
 */
async function assembleRows(tx: Queryable, households: HouseholdRow[], onDate: string): Promise<FactsRow[]> {
  if (households.length === 0) return [];
  const ids = households.map((h) => h.id);
  const members = await tx.query<MemberQueryRow>(
    `WITH last AS (
       SELECT DISTINCT ON (t.person_id) t.person_id, t.to_household_id, t.relationship_to_head
         FROM person_transfer t
        WHERE t.person_id IN (SELECT c.person_id FROM person_transfer c WHERE c.to_household_id = ANY($1::uuid[]))
          AND t.moved_on <= $2::date
        ORDER BY t.person_id, t.moved_on DESC, t.seq DESC)
     SELECT l.to_household_id AS household_id, p.id, p.birth_date, p.sex, l.relationship_to_head AS rel,
            (SELECT jsonb_object_agg(pa.kind, pa.value) FROM person_attribute pa
              WHERE pa.person_id = p.id AND pa.valid_from <= $2::date
                AND (pa.valid_to IS NULL OR pa.valid_to > $2::date)) AS attrs
       FROM last l JOIN person p ON p.id = l.person_id
      WHERE l.to_household_id = ANY($1::uuid[]) AND (p.death_date IS NULL OR p.death_date > $2::date)`,
    [ids, onDate],
  );
  const categories = await tx.query<{ household_id: string; categories: string[] }>(
    `SELECT household_id, array_agg(category ORDER BY category) AS categories FROM household_category
      WHERE household_id = ANY($1::uuid[]) AND valid_from <= $2::date AND (valid_to IS NULL OR valid_to > $2::date)
      GROUP BY household_id`,
    [ids, onDate],
  );
  const economy = await tx.query<{
    household_id: string;
    facts: Record<string, unknown>;
    source: 'declared' | 'approved';
    as_of: string;
  }>(
    `SELECT DISTINCT ON (household_id) household_id, facts, source, as_of FROM household_economy
      WHERE household_id = ANY($1::uuid[]) AND as_of <= $2::date
      ORDER BY household_id, (source = 'approved') DESC, as_of DESC, recorded_at DESC`,
    [ids, onDate],
  );
  const byHousehold = new Map<string, MemberQueryRow[]>();
  for (const m of members.rows) {
    const list = byHousehold.get(m.household_id);
    if (list) list.push(m);
    else byHousehold.set(m.household_id, [m]);
  }
  // Head first, then by birth date (then id, so the order never depends on the plan).
  const order = (a: MemberQueryRow, b: MemberQueryRow) =>
    Number(b.rel === 'head') - Number(a.rel === 'head') ||
    (a.birth_date < b.birth_date ? -1 : a.birth_date > b.birth_date ? 1 : 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const cats = new Map(categories.rows.map((r) => [r.household_id, r.categories]));
  const econ = new Map(economy.rows.map((r) => [r.household_id, r]));
  return households.map((h) => {
    const e = econ.get(h.id);
    return {
      ...h,
      categories: cats.get(h.id) ?? null,
      economy: e?.facts ?? null,
      economy_source: e?.source ?? null,
      economy_as_of: e?.as_of ?? null,
      members: (byHousehold.get(h.id) ?? []).sort(order),
    };
  });
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
function checkDate(onDate: string): void {
  if (!ISO_DATE.test(onDate) || Number.isNaN(Date.parse(onDate))) throw new RangeError(`bad date ${onDate}`);
}

/** Facts of the given households (those visible to the transaction's scope), in input order. */
export async function assembleHouseholdFacts(
  tx: Queryable,
  householdIds: readonly string[],
  onDate: string,
): Promise<AssembledHousehold[]> {
  checkDate(onDate);
  if (householdIds.length === 0) return [];
  const households = await tx.query<HouseholdRow>(
    'SELECT id, household_number, region_code, urban FROM household WHERE id = ANY($1::uuid[])',
    [householdIds],
  );
  const rows = await assembleRows(tx, households.rows, onDate);
  const byId = new Map(rows.map((r) => [r.id, buildFacts(r, onDate)]));
  return householdIds.flatMap((id) => byId.get(id) ?? []);
}

export async function householdFactsFor(
  tx: Queryable,
  householdId: string,
  onDate: string,
): Promise<AssembledHousehold | undefined> {
  return (await assembleHouseholdFacts(tx, [householdId], onDate))[0];
}

/** The lowest and highest 12-digit code in a region's subtree. */
export function regionBounds(regionCode: string): { low: string; high: string } {
  const prefix = regionPrefix(regionCode);
  return { low: prefix.padEnd(12, '0'), high: prefix.padEnd(12, '9') };
}

/**
 * One keyset page of households in [low, high] after `after`, assembled. Pages follow
 * (village code, household number), a total order (household numbers are unique) that
 * household_region_page_idx (migration 004) holds with the id: the page's keys come from an
 * index-only scan of one contiguous index range, 4,000 keys in a few milliseconds. In id order the
 * same page meant walking the primary key and throwing away every household of other townships, or,
 * as the planner preferred under row-level security, reading the whole rest of the region and
 * sorting it (0.3–0.7 s a page on the 1M database). The cursor stays a household id: its position
 * is looked up, so a stored run cursor (screening_run.cursor_household_id) keeps working.
 */
export async function readFactsPage(
  tx: Queryable,
  options: { regionCode: string; onDate: string; after?: string | null; limit: number },
): Promise<AssembledHousehold[]> {
  checkDate(options.onDate);
  const { low, high } = regionBounds(options.regionCode);
  let from: { region_code: string; household_number: string } | null = null;
  if (options.after) {
    const cursor = await tx.query<{ region_code: string; household_number: string }>(
      'SELECT region_code, household_number FROM household WHERE id = $1::uuid',
      [options.after],
    );
    from = cursor.rows[0] ?? null;
    // A cursor that cannot be seen would otherwise end the walk silently, as if it were finished.
    if (!from) throw new Error(`household ${options.after} (the cursor) is not visible in this scope`);
  }
  // MATERIALIZED: the keys are chosen first by the index alone; only those households are fetched.
  // The condition is left out rather than written "$3 IS NULL OR …", which a generic plan could
  // not use as an index condition.
  const households = await tx.query<HouseholdRow>(
    `WITH page AS MATERIALIZED (
       SELECT k.id, k.region_code AS rc, k.household_number AS hn FROM household k
        WHERE k.region_code BETWEEN $1 AND $2
          ${from ? 'AND (k.region_code, k.household_number) > ($4::text, $5::text)' : ''}
        ORDER BY k.region_code, k.household_number LIMIT $3)
     SELECT h.id, h.household_number, h.region_code, h.urban FROM page JOIN household h ON h.id = page.id
      ORDER BY page.rc, page.hn`,
    from ? [low, high, options.limit, from.region_code, from.household_number] : [low, high, options.limit],
  );
  const rows = await assembleRows(tx, households.rows, options.onDate);
  return rows.map((r) => buildFacts(r, options.onDate));
}

export interface StreamOptions {
  /** Whose scope the reads run in (row-level security); its region must contain `regionCode`. */
  scope: Actor;
  /** The subtree to walk (defaults to the scope's region). */
  regionCode?: string;
  onDate: string;
  batchSize?: number;
  /** Continue after this household id (resuming a run). */
  after?: string | null;
}

/**
 * Every household of the subtree in (village, household number) order, `batchSize` at a time. Each page is read in its own
 * short transaction (PGlite serialises transactions; long ones would block the web requests), and
 * the next page is requested before the current one is handed out, so PostgreSQL works while the
 * caller evaluates.
 */
export async function* streamHouseholdFacts(
  db: Database,
  options: StreamOptions,
): AsyncGenerator<FactsBatch> {
  const limit = options.batchSize ?? 2000;
  const regionCode = options.regionCode ?? options.scope.regionCode;
  const read = (after: string | null) =>
    asActor(db, options.scope, undefined, (tx) =>
      readFactsPage(tx, { regionCode, onDate: options.onDate, after, limit }),
    );
  let next: Promise<AssembledHousehold[]> | undefined = read(options.after ?? null);
  while (next) {
    const households: AssembledHousehold[] = await next;
    const last = households.at(-1);
    if (!last) return;
    next = households.length === limit ? read(last.householdId) : undefined;
    // Observed so that a consumer that stops early leaves no unhandled rejection behind.
    next?.catch(() => undefined);
    yield { households, lastId: last.householdId };
  }
}

/** Households in the subtree visible to `tx` (for progress totals). */
export async function countHouseholds(tx: Queryable, regionCode: string): Promise<number> {
  const { low, high } = regionBounds(regionCode);
  const result = await tx.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM household WHERE region_code BETWEEN $1 AND $2',
    [low, high],
  );
  return result.rows[0]?.n ?? 0;
}
