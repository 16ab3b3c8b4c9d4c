/**
 * Process templates (catalog/processes/*.yaml): the steps of a statutory procedure, who acts at
 * each, the documents each step needs, its time limit in working days, and the transitions allowed
 * out of it. The server enforces exactly these (transitions.ts); nothing about a procedure is coded
 * anywhere else. Loaded once, checked for shape (TypeBox) and sense (every target exists, every step
 * is reachable, a branch names its outcomes), each error located as file:line:column.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Static, Type } from 'typebox';
import type { Departments } from '../access/permissions.ts';
import { intakeCatalogDir } from './catalogPaths.ts';
import { loadCheckedYaml, ProcessLoadError } from './checkedYaml.ts';

const Name = Type.Object(
  { zh: Type.String({ minLength: 1, maxLength: 100 }), en: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
const Id = Type.String({ pattern: '^[a-z][A-Za-z0-9]{0,59}$' });

/** Who acts at a step: the township window, the county bureau, the owning department, the verification centre. */
export const Offices = ['township', 'county', 'department', 'verificationCentre'] as const;
export type Office = (typeof Offices)[number];

const Document = Type.Object(
  {
    zh: Type.String({ minLength: 1, maxLength: 100 }),
    en: Type.String({ minLength: 1, maxLength: 200 }),
    /** applicant: brought by the household (missing → back to the applicant); office: made by staff. */
    from: Type.Union([Type.Literal('applicant'), Type.Literal('office')]),
    /** Only for these policies (e.g. expenditure proof for expenditureHardship). */
    policies: Type.Optional(Type.Array(Id, { minItems: 1 })),
    /** Only when the case carries this flag (e.g. spotCheck). */
    when: Type.Optional(Id),
  },
  { additionalProperties: false },
);

const Next = Type.Object(
  { to: Id, when: Type.Optional(Id), legalGround: Type.Optional(Type.String({ maxLength: 300 })) },
  { additionalProperties: false },
);

const Step = Type.Object(
  {
    id: Id,
    name: Name,
    office: Type.Union(Offices.map((o) => Type.Literal(o))),
    /** A county step the county has delegated to the township (审核确认 delegated). */
    delegatedTo: Type.Optional(Type.Literal('township')),
    workingDays: Type.Integer({ minimum: 0, maximum: 120 }),
    /** Natural days the step must last at least (public notice: 7 days). */
    minCalendarDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
    legalGround: Type.String({ minLength: 1, maxLength: 300 }),
    documents: Type.Optional(Type.Array(Id)),
    /** Distinct investigators who must be named to complete (home visit: 2). */
    investigators: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
    /** Steps that must be complete before this one may complete (verification before any decision). */
    requiresCompleted: Type.Optional(Type.Array(Id)),
    /** The case may end here in a refusal: at intake (不予受理) or as a decision with reasons. */
    refusal: Type.Optional(Type.Union([Type.Literal('rejectAtIntake'), Type.Literal('decision')])),
    /** The share of cases sampled for a county spot-check when they enter this step (tekun ≥ 30%). */
    spotCheckShare: Type.Optional(Type.Number({ minimum: 0.01, maximum: 1 })),
    next: Type.Array(Next),
  },
  { additionalProperties: false },
);

const TemplateFile = Type.Object(
  {
    id: Id,
    name: Name,
    legalBasis: Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { minItems: 1 }),
    /** civilAffairs: the township/county civil-affairs office; policyDepartment: the policy's department. */
    owner: Type.Union([Type.Literal('civilAffairs'), Type.Literal('policyDepartment')]),
    totalWorkingDays: Type.Integer({ minimum: 1, maximum: 365 }),
    extendedWorkingDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
    documents: Type.Record(Id, Document),
    steps: Type.Array(Step, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export type ProcessTemplate = Static<typeof TemplateFile> & { file: string };
export type TemplateStep = Static<typeof Step>;
export type TemplateDocument = Static<typeof Document> & { id: string };

/** Parses and checks one template file. */
export function parseTemplate(file: string, text: string): ProcessTemplate {
  const loaded = loadCheckedYaml(file, text, TemplateFile);
  const t = loaded.value;
  const base = path.basename(file).replace(/\.ya?ml$/, '');
  if (t.id !== base) throw loaded.error(['id'], `id ${t.id} must match the file name ${base}`);
  if (t.extendedWorkingDays !== undefined && t.extendedWorkingDays < t.totalWorkingDays)
    throw loaded.error(['extendedWorkingDays'], 'extendedWorkingDays is shorter than totalWorkingDays');
  const ids = new Map<string, number>();
  t.steps.forEach((s, i) => {
    if (ids.has(s.id)) throw loaded.error(['steps', i, 'id'], `step ${s.id} is defined twice`);
    ids.set(s.id, i);
  });
  t.steps.forEach((s, i) => {
    const at = ['steps', i];
    s.documents?.forEach((d, j) => {
      if (!t.documents[d]) throw loaded.error([...at, 'documents', j], `document ${d} is not in documents`);
    });
    if (s.delegatedTo && s.office !== 'county')
      throw loaded.error([...at, 'delegatedTo'], 'only a county step can be delegated to the township');
    s.requiresCompleted?.forEach((r, j) => {
      const k = ids.get(r);
      if (k === undefined || k >= i)
        throw loaded.error([...at, 'requiresCompleted', j], `${r} is not a step before ${s.id}`);
    });
    const whens = new Set<string>();
    s.next.forEach((n, j) => {
      if (!ids.has(n.to)) throw loaded.error([...at, 'next', j, 'to'], `no step ${n.to}`);
      if (n.to === s.id) throw loaded.error([...at, 'next', j, 'to'], 'a step cannot lead to itself');
      if (s.next.length > 1 && !n.when)
        throw loaded.error([...at, 'next', j], 'a branch needs `when` (the outcome that takes it)');
      if (n.when && whens.has(n.when))
        throw loaded.error([...at, 'next', j, 'when'], `outcome ${n.when} twice`);
      if (n.when) whens.add(n.when);
    });
  });
  // Every step reachable from the first; at least one final step (no next) reachable.
  const seen = new Set<string>();
  const stack = [t.steps[0]?.id as string];
  while (stack.length) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const n of t.steps[ids.get(id) as number]?.next ?? []) stack.push(n.to);
  }
  t.steps.forEach((s, i) => {
    if (!seen.has(s.id))
      throw loaded.error(['steps', i, 'id'], `step ${s.id} cannot be reached from ${t.steps[0]?.id}`);
  });
  if (!t.steps.some((s) => s.next.length === 0))
    throw loaded.error(['steps'], 'the process has no final step (one with next: [])');
  return { ...t, file };
}

export interface TemplateSet {
  templates: Map<string, ProcessTemplate>;
}

export function loadTemplatesFromDir(dir = path.join(intakeCatalogDir(), 'processes')): TemplateSet {
  if (!existsSync(dir)) throw new ProcessLoadError(`${dir}: no process templates`);
  const templates = new Map<string, ProcessTemplate>();
  for (const f of readdirSync(dir)
    .filter((n) => /\.ya?ml$/.test(n))
    .sort()) {
    const t = parseTemplate(`processes/${f}`, readFileSync(path.join(dir, f), 'utf8'));
    templates.set(t.id, t);
  }
  if (!templates.has(REFERRAL))
    throw new ProcessLoadError(`processes/${REFERRAL}.yaml: the generic referral template is missing`);
  return { templates };
}

/** The generic template for items whose policy names no template of their own. */
export const REFERRAL = 'referral';

let cached: TemplateSet | undefined;
export function processTemplates(): TemplateSet {
  cached ??= loadTemplatesFromDir();
  return cached;
}

export function stepOf(t: ProcessTemplate, id: string): TemplateStep {
  const s = t.steps.find((x) => x.id === id);
  if (!s) throw new ProcessLoadError(`${t.id}: no step ${id}`);
  return s;
}

/** The catalogue's department names (policy `department:`) → the platform's department codes. */
export const DEPARTMENT_BY_NAME: Record<string, (typeof Departments)[number] | null> = {
  民政: null,
  教育: 'education',
  医保: 'medicalSecurity',
  住建: 'housing',
  人社: 'humanResources',
  卫健: 'health',
  残联: 'disabledPersons',
  工会: 'tradeUnion',
  应急: 'emergency',
  乡村振兴: 'ruralRevitalization',
  慈善: 'charity',
};

export interface PolicyProcessRef {
  id: string;
  process?: string | undefined;
  department?: string | undefined;
}

/**
 * Which template handles a policy: the one its `process:` names, else the generic referral. The
 * mismatches (a `process:` with no template) are reported by `checkPolicyProcesses`.
 */
export function templateForPolicy(set: TemplateSet, policy: PolicyProcessRef): ProcessTemplate {
  return set.templates.get(policy.process ?? '') ?? (set.templates.get(REFERRAL) as ProcessTemplate);
}

export function checkPolicyProcesses(set: TemplateSet, policies: PolicyProcessRef[]) {
  const missing = new Map<string, string[]>();
  const unknownDepartments: string[] = [];
  for (const p of policies) {
    if (p.department !== undefined && !(p.department in DEPARTMENT_BY_NAME)) unknownDepartments.push(p.id);
    if (p.process && set.templates.has(p.process)) continue;
    const key = p.process ?? '(none)';
    missing.set(key, [...(missing.get(key) ?? []), p.id]);
  }
  return {
    /** process name → policies naming it; these are handled by the generic referral template. */
    missing: Object.fromEntries([...missing].sort()),
    unknownDepartments,
  };
}
