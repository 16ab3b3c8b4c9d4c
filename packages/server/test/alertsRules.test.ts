/** Dispatch rules as data: the shipped file loads, matching order, located errors, the pure loop rules. */
import { describe, expect, it } from 'vitest';
import { dispatchRules, parseDispatchRules, ruleFor } from '../src/domains/alerts/dispatchRules.ts';
import { checkTransition, escalateTo, mayHandle } from '../src/domains/alerts/loop.ts';

const officer = (role: string, regionCode: string, department: string | null = null) =>
  ({ userId: 'u', username: 'u', displayName: 'u', role, department, regionCode }) as never;

describe('dispatch rules', () => {
  it('loads catalog/dispatch/rules.yaml and routes causes and requests to their department', () => {
    const rules = dispatchRules();
    expect(ruleFor(rules, 'trigger:medicalOutOfPocket12m').lead).toBe('medicalSecurity');
    expect(ruleFor(rules, 'trigger:unemploymentRegistration').lead).toBe('humanResources');
    expect(ruleFor(rules, 'trigger:educationBurden12m').lead).toBe('education');
    expect(ruleFor(rules, 'request', 'housing').lead).toBe('housing');
    // Anything without a rule falls to local civil affairs, never to nobody.
    expect(ruleFor(rules, 'indicator:xiaochang')).toMatchObject({ id: 'default', lead: 'civilAffairs' });
    expect(ruleFor(rules, 'request', 'nothingKnown').id).toBe('default');
  });

  it('refuses a malformed file with its file, line and column', () => {
    expect(() => parseDispatchRules('d.yaml', 'rules: [')).toThrow(/^d\.yaml:\d+:\d+/);
    const base = (extra: string) => `rules:
  - id: a
    cause: ['trigger:x']
    lead: ${extra}
    supporting: []
    acceptWorkingDays: 2
    handleWorkingDays: 10
    name: { zh: 甲, en: A }
`;
    expect(() => parseDispatchRules('d.yaml', base('nobody'))).toThrow(/d\.yaml:4:11: 未知的部门 nobody/);
    expect(() => parseDispatchRules('d.yaml', base('education'))).toThrow(/兜底规则/);
    expect(() => parseDispatchRules('d.yaml', base('education').replace('2\n', '-1\n'))).toThrow(
      /acceptWorkingDays/,
    );
    expect(() => parseDispatchRules('d.yaml', `${base('education')}    extra: 1\n`)).toThrow(
      /unknown field extra/,
    );
    // A hostile pattern is refused by the schema, not compiled into a regular expression.
    expect(() =>
      parseDispatchRules(
        'd.yaml',
        base('education').replace("'trigger:x'", () => "'(a+)+$'"),
      ),
    ).toThrow(/cause/);
  });
});

describe('loop rules', () => {
  const alert = {
    status: 'dispatched',
    lead_department: 'education',
    responsible_region_code: '420921100001',
    region_code: '420921100001',
    escalation_level: 0,
  };
  it('gives a department its own alerts, and civil affairs a department’s alert only once escalated', () => {
    expect(mayHandle(officer('departmentOfficer', '420921000000', 'education'), alert)).toBe(true);
    expect(mayHandle(officer('departmentOfficer', '420921000000', 'housing'), alert)).toBe(false);
    expect(mayHandle(officer('caseworker', '420921100000'), alert)).toBe(false);
    expect(mayHandle(officer('caseworker', '420921100000'), { ...alert, escalation_level: 1 })).toBe(true);
    expect(mayHandle(officer('countyOfficer', '420921000000'), alert)).toBe(true);
    expect(mayHandle(officer('resident', '420921100001'), alert)).toBe(false);
  });
  it('walks village → township → county and stays at the county', () => {
    expect(escalateTo('420921100001')).toBe('420921100000');
    expect(escalateTo('420921100000')).toBe('420921000000');
    expect(escalateTo('420921000000')).toBe('420921000000');
  });
  it('allows each action from one status only', () => {
    expect(checkTransition('accept', 'dispatched')).toBe('dispatched');
    expect(() => checkTransition('close', 'dispatched')).toThrow(/待接单/);
  });
});
