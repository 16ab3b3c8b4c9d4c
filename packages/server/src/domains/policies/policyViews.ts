/** Shapes returned by the policy administration API (rows and YAML texts → plain objects). */
import type { DraftRow, VersionHead } from './policies.repo.ts';
import { type FileKind, parseYaml, textProblems } from './policyText.ts';

export interface VersionView {
  file: string;
  versionNo: number;
  sha256: string;
  baseSha256: string;
  effectiveFrom: string;
  reason: string;
  regionCode: string;
  publishedBy: string;
  publishedByName: string | null;
  publishedAt: string;
}

export function versionView(v: VersionHead): VersionView {
  return {
    file: v.file,
    versionNo: v.version_no,
    sha256: v.sha256,
    baseSha256: v.base_sha256,
    effectiveFrom: v.effective_from,
    reason: v.reason,
    regionCode: v.region_code,
    publishedBy: v.published_by,
    publishedByName: v.published_by_name,
    publishedAt: new Date(v.published_at).toISOString(),
  };
}

export interface DraftView {
  file: string;
  body: string;
  scenarioBody: string | null;
  baseSha256: string;
  revision: number;
  updatedByName: string | null;
  updatedAt: string;
  /** A newer version was published after this draft was started. */
  stale: boolean;
}

export function draftView(d: DraftRow, stale: boolean): DraftView {
  return {
    file: d.file,
    body: d.body,
    scenarioBody: d.scenario_body,
    baseSha256: d.base_sha256,
    revision: d.revision,
    updatedByName: d.updated_by_name,
    updatedAt: new Date(d.updated_at).toISOString(),
    stale,
  };
}

type Doc = Record<string, unknown>;

function safeParse(text: string): Doc {
  if (textProblems(text).length > 0) return {};
  const doc = parseYaml(text);
  return typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Doc) : {};
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
const strList = (v: unknown) =>
  Array.isArray(v) ? v.map(str) : v === undefined || v === null ? [] : [str(v)];

function nameOf(doc: Doc): { zh: string; en: string } {
  const name = doc.name;
  if (typeof name === 'object' && name !== null) {
    const n = name as Doc;
    return { zh: str(n.zh), en: str(n.en ?? n.zh) };
  }
  return { zh: str(name), en: str(name) };
}

export function ledgerRow(
  file: string,
  text: string,
  inForce: VersionHead | undefined,
  latest: VersionHead | undefined,
  hasDraft: boolean,
) {
  const doc = safeParse(text);
  return {
    file,
    id: str(doc.id) || file.replace(/^policies\/|\.yaml$/g, ''),
    name: nameOf(doc),
    department: str(doc.department),
    category: str(doc.category),
    versionNo: inForce?.version_no ?? 0,
    effectiveFrom: inForce?.effective_from ?? null,
    scheduled:
      latest && latest.version_no !== (inForce?.version_no ?? 0)
        ? { versionNo: latest.version_no, effectiveFrom: latest.effective_from }
        : null,
    hasDraft,
  };
}

export interface PolicyView {
  id: string;
  name: { zh: string; en: string };
  reference: string;
  department: string;
  category: string;
  legalBasis: string[];
  process: string;
  timeLimitWorkingDays: number | null;
  office: string;
  phone: string;
  documents: string[];
  requiredFacts: string[];
  conditions: { id: string; veto: boolean; expression: string; explanation: string }[];
  amount: { formula: string; unit: string; rounding: string } | null;
}

/** The readable parts of a policy file (ledger fields, conditions, amount). */
export function policyView(text: string): PolicyView {
  const doc = safeParse(text);
  const amount = (typeof doc.amount === 'object' && doc.amount !== null ? doc.amount : null) as Doc | null;
  const explanation = (e: unknown) => {
    if (typeof e === 'object' && e !== null) {
      const x = e as Doc;
      return [x.whenTrue, x.whenFalse].filter(Boolean).map(str).join(' / ');
    }
    return str(e);
  };
  return {
    id: str(doc.id),
    name: nameOf(doc),
    reference: str(doc.reference),
    department: str(doc.department),
    category: str(doc.category),
    legalBasis: strList(doc.legalBasis),
    process: str(doc.process),
    timeLimitWorkingDays: typeof doc.timeLimitWorkingDays === 'number' ? doc.timeLimitWorkingDays : null,
    office: str(doc.office),
    phone: str(doc.phone),
    documents: strList(doc.documents),
    requiredFacts: strList(doc.requiredFacts),
    conditions: (Array.isArray(doc.conditions) ? doc.conditions : []).map((c: Doc) => ({
      id: str(c?.id),
      veto: c?.veto === true,
      expression: str(c?.expression),
      explanation: explanation(c?.explanation),
    })),
    amount: amount
      ? { formula: str(amount.formula), unit: str(amount.unit), rounding: str(amount.rounding) }
      : null,
  };
}

export interface FileDetail {
  file: string;
  kind: FileKind;
  body: string;
  sha256: string;
  versionNo: number;
  scenarioFile: string | null;
  scenarioBody: string | null;
  inForceToday: number;
  versions: VersionView[];
  scenarioVersions: VersionView[];
  draft: DraftView | null;
  policy: PolicyView | null;
}
