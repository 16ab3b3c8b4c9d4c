/** The purpose catalogue (catalog/verification/purposes.yaml) loads, and bad files fail with a location. */
import { describe, expect, it } from 'vitest';
import { parsePurposes, purposes } from '../src/domains/verification/delegatedPurposes.ts';

const one = (sources: string, extra = '') => `purposes:
  - id: test
    name: { zh: 测试, en: Test }
    departments: [housing]
    validDays: 30
    sources:
${sources}
    legal: [依据]
${extra}`;

describe('delegated verification purposes', () => {
  it('loads the catalogue: housing sees property, income and vehicles but never deposits', () => {
    const housing = purposes().get('publicRentalHousing');
    expect(Object.keys(housing?.sources ?? {})).toEqual(['realEstate', 'tax', 'socialInsurance', 'vehicle']);
    expect(housing?.sources.bankDeposit).toBeUndefined();
    expect(Object.keys(purposes().get('medicalAssistance')?.sources ?? {})).toContain('bankDeposit');
    for (const p of purposes().values()) expect(p.legal.length).toBeGreaterThan(0);
  });

  it.each([
    ['      nosuch: [x]', /purposes\.yaml:7:\d+: 未知的数据源 nosuch/],
    ['      bankDeposit: [idNumber]', /字段 idNumber 标识个人身份/],
    ['      bankDeposit: [colour]', /没有字段 colour/],
    ['      bankDeposit: ["a b"]', /must match pattern/],
  ])('refuses %s with a located message', (sources, message) => {
    expect(() => parsePurposes('verification/purposes.yaml', one(sources))).toThrow(message);
  });

  it('refuses an unknown department and a duplicate id', () => {
    expect(() =>
      parsePurposes('p.yaml', one('      tax: [year]').replace('[housing]', '[spaceAgency]')),
    ).toThrow(/p\.yaml:4:\d+: 未知的部门 spaceAgency/);
    const twice = one('      tax: [year]');
    expect(() => parsePurposes('p.yaml', `${twice}${twice.replace('purposes:\n', '')}`)).toThrow(/重复/);
  });
});
