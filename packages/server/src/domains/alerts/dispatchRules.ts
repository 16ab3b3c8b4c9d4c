/**
 * 派单规则 as data (catalog/dispatch/rules.yaml): an alert's cause → the lead department, the
 * supporting departments and the time limits in working days. The first rule whose pattern matches
 * wins; the file must end with a catch-all so that no alert is left without someone to accept it.
 * Checked at load with file:line:column errors (the intake YAML checker).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Type } from 'typebox';
import { Departments } from '../access/permissions.ts';
import { intakeCatalogDir } from '../intake/catalogPaths.ts';
import { loadCheckedYaml } from '../intake/checkedYaml.ts';

/** Local civil affairs (the village, township or county office), as opposed to a department. */
export const CIVIL_AFFAIRS = 'civilAffairs';
const Responsible = Type.String({ pattern: '^[a-z][A-Za-z]{1,40}$' });

const RuleFile = Type.Object(
  {
    rules: Type.Array(
      Type.Object(
        {
          id: Type.String({ pattern: '^[a-z][A-Za-z0-9]{0,39}$' }),
          cause: Type.Array(Type.String({ pattern: '^(\\*|[a-z][A-Za-z0-9:]{0,70}\\*?)$' }), { minItems: 1 }),
          lead: Responsible,
          supporting: Type.Array(Responsible, { maxItems: 10 }),
          acceptWorkingDays: Type.Integer({ minimum: 1, maximum: 30 }),
          handleWorkingDays: Type.Integer({ minimum: 1, maximum: 120 }),
          name: Type.Object(
            {
              zh: Type.String({ minLength: 1, maxLength: 100 }),
              en: Type.String({ minLength: 1, maxLength: 200 }),
            },
            { additionalProperties: false },
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500 },
    ),
  },
  { additionalProperties: false },
);

export interface DispatchRule {
  id: string;
  cause: string[];
  lead: string;
  supporting: string[];
  acceptWorkingDays: number;
  handleWorkingDays: number;
  name: { zh: string; en: string };
}

const known = new Set<string>([CIVIL_AFFAIRS, ...Departments]);

/** Parses and checks a rules file; throws a located error. */
export function parseDispatchRules(file: string, text: string): DispatchRule[] {
  const checked = loadCheckedYaml(file, text, RuleFile);
  const rules = checked.value.rules;
  const ids = new Set<string>();
  for (const [i, rule] of rules.entries()) {
    if (ids.has(rule.id)) throw checked.error(['rules', i, 'id'], `规则编号 ${rule.id} 重复`);
    ids.add(rule.id);
    for (const [j, who] of [rule.lead, ...rule.supporting].entries())
      if (!known.has(who))
        throw checked.error(
          ['rules', i, j === 0 ? 'lead' : 'supporting'],
          `未知的部门 ${who}（可用：${[...known].join('、')}）`,
        );
  }
  const last = rules.at(-1);
  if (!last?.cause.includes('*'))
    throw checked.error(['rules', rules.length - 1, 'cause'], "最后一条规则须是兜底规则（cause: ['*']）");
  return rules;
}

export function matches(pattern: string, key: string): boolean {
  return pattern.endsWith('*') ? key.startsWith(pattern.slice(0, -1)) : key === pattern;
}

/** The rule for an alert: requests match on `request:<category>`, data alerts on their cause. */
export function ruleFor(rules: DispatchRule[], cause: string, requestCategory?: string | null): DispatchRule {
  const key = cause === 'request' ? `request:${requestCategory ?? 'other'}` : cause;
  const rule = rules.find((r) => r.cause.some((p) => matches(p, key)));
  // parseDispatchRules guarantees the catch-all, so this only fails on an empty list.
  if (!rule) throw new Error('no dispatch rule');
  return rule;
}

let cached: DispatchRule[] | undefined;
export function dispatchRules(): DispatchRule[] {
  if (!cached) {
    const file = path.join(intakeCatalogDir(), 'dispatch', 'rules.yaml');
    cached = parseDispatchRules('dispatch/rules.yaml', readFileSync(file, 'utf8'));
  }
  return cached;
}
