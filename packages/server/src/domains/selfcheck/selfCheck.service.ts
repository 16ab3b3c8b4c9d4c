/**
 * Self-check (救助助手): a resident describes the household and sees which policies may apply.
 *
 * Public and stateless on purpose: no permission (no login), no transaction that writes, no audit
 * row, and nothing from the request reaches a log line — the answers describe a family's health and
 * money, and keeping them would make this a register nobody consented to. The only database reads
 * are the region (public reference data) and the catalogue in force.
 */
import {
  evaluate,
  formatValueZh,
  type HouseholdFacts,
  type PolicyResult,
  type PolicyTrace,
} from '@doudi/rules';
import type { Database } from '../../db/database.ts';
import { asSystem } from '../../db/scope.ts';
import { AppError, errors } from '../../http/errors.ts';
import { regionLevel } from '../regions/regionCode.ts';
import * as regionsRepo from '../regions/regions.repo.ts';
import { chinaDate } from '../registry/registry.model.ts';
import { activeCatalog } from '../rules/activeCatalog.ts';
import { policyLedger } from '../rules/lint.ts';
import { householdFacts } from './selfCheck.facts.ts';
import { listCounties } from './selfCheck.repo.ts';
import type { SelfCheckRequest, SelfCheckResult } from './selfCheck.schemas.ts';

/** Internal screening tools (ranking, monitoring circles): nothing a resident applies for. */
const HIDDEN_CATEGORIES = new Set(['监测预警']);

export const NOTICE =
  '以下结果根据您填写的情况自动测算，仅供参考：可能符合，以审核结果为准。您填写的内容不会被保存。';
export const NOTICE_EN =
  'These results are an automatic estimate from what you entered, for guidance only; the review decides. Nothing you entered is saved.';

/** Fills `{household.x}` / `{param.x}` with values in their units, without the legal citation. */
function fill(template: string, trace: PolicyTrace): string {
  return template.replace(/\{(household|param)\.(\w+)\}/g, (whole, scope: string, name: string) => {
    const found =
      scope === 'param'
        ? trace.parameters.find((p) => p.name === name)
        : trace.variables.find((v) => v.name === name && !v.problem);
    return found ? formatValueZh(found.value, found.unit) : whole;
  });
}

/** The engine's Chinese label (already "第2位成员的…" for members), without the bracketed notes. */
function missingLabel(fact: string, trace: PolicyTrace): string {
  return (trace.missingFactLabels[fact] ?? fact).replace(/（.*）$/, '');
}

/** A few plain sentences from the trace: what qualified, or what stood in the way. */
function reasons(result: PolicyResult): string[] {
  const { trace } = result;
  // Conditions met, but another policy replaces this one (tekun over dibao): say that, not them.
  if (trace.supersededBy) return [`可按「${trace.supersededBy.name.zh}」办理，不重复享受本项`];
  const out: string[] = [];
  for (const c of trace.conditions) {
    const e = c.explanation;
    if (c.outcome === 'missing' || c.outcome === 'error') continue;
    if (c.veto) {
      if (c.outcome === true) out.push(`存在不能享受的情形：${fill(e.whenTrue ?? e.text ?? c.id, trace)}`);
    } else if (result.status === 'ineligible' ? c.outcome === false : c.outcome === true) {
      const text = c.outcome
        ? (e.whenTrue ?? e.text)
        : (e.whenFalse ?? (e.text ? `不满足：${e.text}` : undefined));
      if (text) out.push(fill(text, trace));
    }
  }
  if (result.status === 'needsInformation') out.push('还需要补充一些情况才能判断，请带上材料到窗口咨询');
  if (result.status === 'error') out.push('这一项暂时无法自动测算，请到经办窗口咨询');
  return out.slice(0, 4);
}

const STATUS = {
  eligible: 'likely',
  needsInformation: 'maybe',
  error: 'maybe',
  ineligible: 'unlikely',
} as const;
const PERIOD: Record<string, 'month' | 'year' | 'once'> = {
  'fen/month': 'month',
  'fen/year': 'year',
  fen: 'once',
};
const ORDER = { likely: 0, maybe: 1, unlikely: 2 };

type Ledger = Map<string, Record<string, unknown>>;
const ledgers = new Map<string, Ledger>();

function ledgerFor(version: string, sources: Parameters<typeof policyLedger>[0]): Ledger {
  let ledger = ledgers.get(version);
  if (!ledger) {
    ledger = policyLedger(sources);
    ledgers.clear(); // one catalogue is in force at a time; keep only the newest
    ledgers.set(version, ledger);
  }
  return ledger;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** Statuses that open other policies, the policy that grants each, and how a resident calls it. */
const GRANTS = [
  { policyId: 'dibao', category: 'dibao', zh: '低保' },
  { policyId: 'tekun', category: 'tekun', zh: '特困人员' },
  { policyId: 'nearDibao', category: 'nearDibao', zh: '低保边缘家庭' },
  { policyId: 'expenditureHardship', category: 'expenditureHardship', zh: '刚性支出困难家庭' },
  { policyId: 'relapseWatch', category: 'relapseWatch', zh: '防返贫监测对象' },
  { policyId: 'orphanAllowance', category: 'orphan', zh: '孤儿' },
] as const;

/**
 * Many policies follow from a status (medical aid for dibao households, school grants for
 * low-income families…). A household likely to get that status would see them as "not eligible"
 * today, so each status it may get is tried in turn, and a policy that then applies is shown with
 * the status it waits for (the first one in GRANTS order that opens it).
 */
function followOnResults(
  evaluated: PolicyResult[],
  facts: HouseholdFacts,
  run: (f: HouseholdFacts) => PolicyResult[],
): Map<string, { result: PolicyResult; category: (typeof GRANTS)[number]['category'] }> {
  const out = new Map<string, { result: PolicyResult; category: (typeof GRANTS)[number]['category'] }>();
  const current = (facts.household?.currentCategories as string[] | undefined) ?? [];
  const status = new Map(evaluated.map((r) => [r.policyId, r.status]));
  for (const grant of GRANTS) {
    if (status.get(grant.policyId) !== 'eligible' || current.includes(grant.category)) continue;
    const granted = run({
      ...facts,
      household: { ...facts.household, currentCategories: [...current, grant.category] },
    });
    for (const r of granted) {
      if (r.status === 'eligible' && status.get(r.policyId) === 'ineligible' && !out.has(r.policyId)) {
        out.set(r.policyId, { result: r, category: grant.category });
      }
    }
  }
  return out;
}

function toResult(
  r: PolicyResult,
  entry: Record<string, unknown>,
  after: (typeof GRANTS)[number]['category'] | null,
): SelfCheckResult {
  const status = STATUS[r.status];
  const amountFen = status === 'likely' ? r.amountFen : null;
  const why = reasons(r);
  return {
    policyId: r.policyId,
    name: r.trace.policyName.zh,
    nameEn: r.trace.policyName.en,
    department: text(entry.department),
    category: text(entry.category),
    status,
    after,
    amountFen,
    amountPeriod: amountFen === null ? null : (PERIOD[r.trace.amount?.unit ?? ''] ?? null),
    why: after
      ? [`认定为${GRANTS.find((g) => g.category === after)?.zh}后可以申请`, ...why].slice(0, 4)
      : why,
    missing: [...new Set(r.missingFacts.map((f) => missingLabel(f, r.trace)))],
    documents: Array.isArray(entry.documents) ? entry.documents.map(String) : [],
    office: text(entry.office),
    phone: text(entry.phone),
    timeLimitWorkingDays: typeof entry.timeLimitWorkingDays === 'number' ? entry.timeLimitWorkingDays : null,
  };
}

export async function selfCheck(
  db: Database,
  input: SelfCheckRequest,
  today: string = chinaDate(new Date()),
) {
  const region = await asSystem(db, (tx) => regionsRepo.findRegion(tx, input.regionCode));
  if (!region) throw errors.validation('regionCode', '没有找到这个地区，请重新选择', 'no such region');
  if (regionLevel(region.code) < 4) {
    throw errors.validation('regionCode', '请选择到乡镇（街道）或村（社区）', 'choose a township or village');
  }
  const urban = input.urban ?? region.urban;
  if (urban === null || urban === undefined) {
    throw errors.validation(
      'urban',
      '请选择是城镇家庭还是农村家庭',
      'say whether the household is urban or rural',
    );
  }
  const facts = householdFacts(input, urban, today);
  const active = await activeCatalog(db, today);
  const ledger = ledgerFor(active.version, active.sources);
  const run = (f: HouseholdFacts) => {
    try {
      return evaluate(active.catalog, f, today, region.code);
    } catch {
      // Never log the error: its message may quote the resident's figures.
      throw new AppError(
        500,
        'SELF_CHECK_FAILED',
        '暂时无法测算，请稍后再试或到窗口咨询',
        'the estimate failed',
      );
    }
  };
  const evaluated = run(facts);
  const followOn = followOnResults(evaluated, facts, run);
  const results: SelfCheckResult[] = [];
  for (const r of evaluated) {
    const entry = ledger.get(r.policyId) ?? {};
    if (HIDDEN_CATEGORIES.has(text(entry.category))) continue;
    const after = followOn.get(r.policyId);
    results.push(toResult(after?.result ?? r, entry, after?.category ?? null));
  }
  // Likely now, then likely once a status is granted, then needs information, then the rest.
  const rank = (r: SelfCheckResult) => ORDER[r.status] * 2 + (r.after ? 1 : 0);
  results.sort((a, b) => rank(a) - rank(b));
  return {
    date: today,
    regionCode: region.code,
    regionName: region.name,
    urban,
    catalogVersion: active.version,
    notice: NOTICE,
    noticeEn: NOTICE_EN,
    results,
  };
}

/** Public region lookup for the address picker: the counties served, then their townships and villages. */
export async function publicRegions(db: Database, parent?: string) {
  const rows = await asSystem(db, async (tx) => {
    if (!parent) return listCounties(tx, 500);
    if (regionLevel(parent) < 3 || regionLevel(parent) > 4) {
      throw errors.validation(
        'code',
        '只能查询县或乡镇的下级地区',
        'only a county or township has children here',
      );
    }
    return regionsRepo.listChildren(tx, parent);
  });
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    level: r.level,
    urban: r.urban,
    childCount: r.child_count,
  }));
}
