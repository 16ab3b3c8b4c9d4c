/**
 * 救助处方: the policies that apply to one household, in the order a caseworker should take them up,
 * each with its amount, why (the trace in Chinese), the papers to bring, and who handles it.
 *
 * Order (and why):
 *  1. basic livelihood (基本生活救助, 低收入人口认定, 儿童福利, 急难救助, 受灾人员救助): cash that keeps the
 *     household fed and housed; several other aids are granted on the strength of these findings;
 *  2. special aid (medical, education, housing, employment, disability, old age, social insurance,
 *     family planning, trade union, charity): one need each, decided by other departments, often
 *     easier once the household holds a category from group 1;
 *  3. services (服务类救助): care, doctors, devices delivered in kind;
 *  4. monitoring (监测预警, 监测帮扶): watch lists, no benefit by themselves.
 * Within a group: larger monthly cash first, then the policy's name, so the list reads the same each time.
 * Policies the household qualifies for but already receives (its categories) are left out; those that
 * need more information are listed after the others, with what to ask for.
 */
import type { PolicyResult } from '@doudi/rules';
import { renderTraceZh } from '@doudi/rules';

export const PRESCRIPTION_GROUPS: readonly {
  group: number;
  label: string;
  labelEn: string;
  categories: readonly string[];
}[] = [
  {
    group: 1,
    label: '基本生活救助',
    labelEn: 'basic livelihood',
    categories: ['基本生活救助', '低收入人口认定', '儿童福利', '急难救助', '受灾人员救助'],
  },
  {
    group: 2,
    label: '专项救助',
    labelEn: 'special aid',
    categories: [
      '医疗救助',
      '教育救助',
      '住房救助',
      '就业救助',
      '残疾人福利',
      '老年福利',
      '社会保险',
      '计划生育',
      '工会帮扶',
      '慈善救助',
    ],
  },
  { group: 3, label: '服务类救助', labelEn: 'services', categories: ['服务类救助'] },
  { group: 4, label: '监测帮扶', labelEn: 'monitoring', categories: ['监测预警', '监测帮扶'] },
];

export interface LedgerEntry {
  department?: unknown;
  category?: unknown;
  office?: unknown;
  phone?: unknown;
  documents?: unknown;
  timeLimitWorkingDays?: unknown;
}

export interface PrescriptionItem {
  order: number;
  policyId: string;
  name: string;
  nameEn: string;
  group: number;
  groupLabel: string;
  category: string;
  department: string;
  amountFen: number | null;
  amountUnit: string | null;
  why: string;
  documents: string[];
  office: string;
  phone: string;
  timeLimitWorkingDays: number | null;
}

export interface NeedsInformationItem {
  policyId: string;
  name: string;
  missing: string[];
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');

function groupOf(category: string) {
  return (
    PRESCRIPTION_GROUPS.find((g) => g.categories.includes(category)) ??
    (PRESCRIPTION_GROUPS[1] as (typeof PRESCRIPTION_GROUPS)[number])
  );
}

/** Monthly equivalent, only for ordering (a yearly grant counts a twelfth, a one-off as it is). */
function monthlyWeight(amount: number | null, unit: string | null): number {
  if (amount === null) return 0;
  return unit === 'fen/year' ? amount / 12 : amount;
}

export function buildPrescription(
  results: readonly PolicyResult[],
  ledger: ReadonlyMap<string, LedgerEntry>,
  receives: (policyId: string) => boolean,
): { items: PrescriptionItem[]; needsInformation: NeedsInformationItem[] } {
  const items: Omit<PrescriptionItem, 'order'>[] = [];
  const needsInformation: NeedsInformationItem[] = [];
  for (const r of results) {
    if (receives(r.policyId)) continue;
    if (r.status === 'needsInformation') {
      needsInformation.push({
        policyId: r.policyId,
        name: r.trace.policyName.zh,
        missing: r.missingFacts.map((f) => r.trace.missingFactLabels[f] ?? f),
      });
      continue;
    }
    if (r.status !== 'eligible') continue;
    const entry = ledger.get(r.policyId) ?? {};
    const category = text(entry.category);
    const group = groupOf(category);
    items.push({
      policyId: r.policyId,
      name: r.trace.policyName.zh,
      nameEn: r.trace.policyName.en,
      group: group.group,
      groupLabel: group.label,
      category,
      department: text(entry.department),
      amountFen: r.amountFen,
      amountUnit: r.trace.amount?.unit ?? null,
      why: renderTraceZh(r.trace),
      documents: Array.isArray(entry.documents)
        ? entry.documents.filter((d): d is string => typeof d === 'string')
        : [],
      office: text(entry.office),
      phone: text(entry.phone),
      timeLimitWorkingDays:
        typeof entry.timeLimitWorkingDays === 'number' ? entry.timeLimitWorkingDays : null,
    });
  }
  items.sort(
    (a, b) =>
      a.group - b.group ||
      monthlyWeight(b.amountFen, b.amountUnit) - monthlyWeight(a.amountFen, a.amountUnit) ||
      a.name.localeCompare(b.name, 'zh-CN'),
  );
  return { items: items.map((item, i) => ({ order: i + 1, ...item })), needsInformation };
}
