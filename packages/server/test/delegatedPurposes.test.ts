/** The purpose catalogue (catalog/verification/purposes.yaml) loads, and bad files fail with a location. */
import { describe, expect, it } from 'vitest';
import { SOURCES } from '../src/domains/sources/catalogue/index.ts';
import { FIELD_EN, formatField, VALUE_EN } from '../src/domains/verification/delegatedFields.ts';
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
  it('has the English of every field and code of the source catalogue (results are shown in both)', () => {
    const missing: string[] = [];
    for (const source of SOURCES)
      for (const field of source.fields) {
        if (['recordId', 'idNumber', 'name'].includes(field.name)) continue;
        if (!FIELD_EN[field.name]) missing.push(`${source.id}.${field.name}`);
        if (field.type === 'enum')
          for (const code of Object.keys(field.values ?? {}))
            if (!VALUE_EN[field.name]?.[code]) missing.push(`${source.id}.${field.name}=${code}`);
      }
    expect(missing).toEqual([]);
    expect(formatField('vehicle', 'disabilityVehicle', true)).toMatchObject({ text: '是', textEn: 'yes' });
    expect(formatField('medicalClaim', 'inpatient', false)).toMatchObject({
      textEn: 'outpatient (chronic or special illness)',
    });
    expect(formatField('realEstate', 'areaCentiM2', 8050)).toMatchObject({
      text: '80.5',
      labelEn: 'Floor area (m²)',
    });
  });

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
