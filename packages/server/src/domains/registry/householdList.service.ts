/**
 * The household list at a million households: pages by offset (first 10,000 rows) or by cursor,
 * with an honest total (exact from the region summary, or counted up to 10,001).
 */
import type { Queryable } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import * as search from './householdSearch.repo.ts';
import { type HouseholdQuery, householdFilter } from './households.service.ts';
import { today } from './registry.model.ts';
import type { RegistryDeps } from './registry.views.ts';
import { ensureCountedFor, summaryState, summaryTotal } from './summary.repo.ts';

/** Offset paging stops here; beyond it the cursor (`after`) pages at the same cost. */
export const MAX_OFFSET = search.TOTAL_CAP;

const cursorOf = (r: { region_code: string; household_number: string }) =>
  `${r.region_code}:${r.household_number}`;

function parseCursor(after: string) {
  const match = /^([0-9]{12}):([0-9A-Za-z-]{1,40})$/.exec(after);
  if (!match) throw errors.validation('after', '翻页游标无效，请从第一页重新查询', 'bad cursor');
  return { regionCode: match[1] as string, householdNumber: match[2] as string };
}

/**
 * The list total, honest and cheap. Region and category only: read from the per-village
 * summary (exact; categories counted for today). Any other filter: counted up to 10,001 rows,
 * and `totalCapped` says when there are more than `total`.
 */
async function listTotal(
  tx: Queryable,
  filter: search.HouseholdFilter,
  categoriesOn: string | undefined,
): Promise<{ total: number; totalCapped: boolean }> {
  if (search.summaryCanCount(filter) && (!filter.category || filter.on === categoriesOn)) {
    const measure = filter.category ? `category:${filter.category}` : 'households';
    return { total: await summaryTotal(tx, filter.low, filter.high, measure), totalCapped: false };
  }
  const counted = await search.countHouseholdsCapped(tx, filter);
  return counted > search.TOTAL_CAP
    ? { total: search.TOTAL_CAP, totalCapped: true }
    : { total: counted, totalCapped: false };
}

export async function listHouseholds(
  deps: RegistryDeps,
  actor: Actor | undefined,
  query: HouseholdQuery & { page: number; pageSize: number; after?: string | undefined },
  requestId?: string,
) {
  authorize(actor, Permission.registryRead);
  const filter = householdFilter(deps, actor, query);
  const after = query.after === undefined ? undefined : parseCursor(query.after);
  if (after && query.page !== 1)
    throw errors.validation('page', '按游标翻页时不能同时指定页码', 'page and after together');
  const offset = (query.page - 1) * query.pageSize;
  if (offset >= MAX_OFFSET)
    throw errors.validation(
      'page',
      `页码过大：按页码最多翻到前${MAX_OFFSET}户，请缩小查询范围或用下一页游标（after）继续翻页`,
      `offset paging stops at ${MAX_OFFSET} rows; use the cursor (after)`,
    );
  if (filter.category && filter.on === today()) await ensureCountedFor(deps.db, filter.on);
  const result = await asActor(deps.db, actor, requestId, async (tx) => {
    const state = await summaryState(tx);
    if (filter.category) {
      // Walking the index and checking each household costs about pageSize × all / category
      // look-ups; gathering the category first costs one per household in it. Today's counts
      // are estimate enough for any asOf date.
      const all = await summaryTotal(tx, filter.low, filter.high, 'households');
      const inCategory = await summaryTotal(tx, filter.low, filter.high, `category:${filter.category}`);
      filter.categoryPlan = inCategory * inCategory > (query.pageSize + 1) * all ? 'probe' : 'set';
    }
    const page = await search.listHouseholds(tx, filter, { offset, limit: query.pageSize, after });
    return { ...page, ...(await listTotal(tx, filter, state.categoriesOn)) };
  });
  const last = result.rows.at(-1);
  return {
    items: result.rows.map((r) => ({
      id: r.id,
      householdNumber: r.household_number,
      regionCode: r.region_code,
      regionName: r.region_name,
      address: r.address,
      urban: r.urban,
      version: r.version,
      head: r.head_id
        ? { id: r.head_id, name: r.head_name ?? '', idNumberMasked: r.head_id_number_masked ?? '' }
        : null,
      memberCount: r.member_count,
      categories: r.categories,
    })),
    total: result.total,
    totalCapped: result.totalCapped,
    page: query.page,
    pageSize: query.pageSize,
    nextCursor: result.more && last ? cursorOf(last) : null,
  };
}
