/** Coded string facts name their codes in Chinese; a missing one is asked for in those words. */
import { describe, expect, it } from 'vitest';
import { RuleLoadError } from '../errors.ts';
import { evaluate } from '../evaluate/evaluate.ts';
import { renderTraceZh } from '../evaluate/renderTraceZh.ts';
import { factLabelZh, parseFactFiles } from './facts.ts';
import { loadCatalog } from './loadCatalog.ts';

const FACTS =
  'household:\n  hardship: { type: string, label: 突发困难类型, values: { none: 无, fire: 火灾 } }\nmember:\n  age: { type: int }\n';

describe('coded fact values', () => {
  it('keeps the codes in order and renders them in the label', () => {
    const decl = parseFactFiles({ 'facts.yaml': FACTS }).household.get('hardship');
    expect([...(decl?.values ?? [])]).toEqual([
      ['none', '无'],
      ['fire', '火灾'],
    ]);
    expect(decl && factLabelZh(decl)).toBe('突发困难类型（无、火灾）');
  });

  it.each([
    ['on a number', 'household:\n  n: { type: int, values: { a: 甲 } }\n', /not of int/],
    ['without a name', 'household:\n  s: { type: string, values: { a: "" } }\n', /needs its Chinese name/],
    ['with a bad code', 'household:\n  s: { type: string, values: { "a b": 甲 } }\n', /value code/],
  ])('refuses values %s, located in the file', (_, text, message) => {
    const error = (() => {
      try {
        parseFactFiles({ 'facts.yaml': text });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(RuleLoadError);
    expect(String((error as Error).message)).toMatch(message);
    expect((error as RuleLoadError).file).toBe('facts.yaml');
  });

  it('asks for a missing coded fact with its answers in Chinese, not its codes', () => {
    const catalog = loadCatalog({
      facts: { 'facts.yaml': FACTS },
      policies: {
        'policies/p.yaml':
          "id: p\nname: { zh: 测试, en: Test }\nreference: r\nconditions:\n  - id: c\n    expression: household.hardship == 'fire'\n    explanation: 遭遇火灾\n",
      },
    });
    const [result] = evaluate(catalog, { household: {}, members: [] }, '2026-01-01', '420921');
    expect(result?.status).toBe('needsInformation');
    const text = renderTraceZh(result?.trace as NonNullable<typeof result>['trace']);
    expect(text).toContain('缺少：突发困难类型（无、火灾）');
    expect(text).not.toMatch(/\bfire\b/);
  });
});
