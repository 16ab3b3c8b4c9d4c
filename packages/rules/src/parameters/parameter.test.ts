import { describe, expect, it } from 'vitest';
import { ParameterValueMissingError, RuleLoadError } from '../errors.ts';
import { lookupParameter, parseParameter } from './parameter.ts';

const standard = parseParameter(
  'parameters/dibaoStandard.yaml',
  `
description: 城乡最低生活保障标准
unit: fen/month
reference: 国家指导标准
values:
  2020-01-01: 50000
  2022-01-01: 55000
  2030-01-01: null
regions:
  '42':
    2024-01-01: 60000
  '4209':
    reference: 孝感市民政局 2025 年标准
    values:
      2025-01-01: 65000
  '420902':
    2025-01-01: 66000
    2025-06-01: null
  '420902001':
    2025-03-01: { value: 68000, reference: 书院街道试点 }
`,
);

describe('parameters', () => {
  it('parses name, unit, type and the values in date order', () => {
    expect(standard.name).toBe('dibaoStandard');
    expect(standard.type).toBe('int');
    expect(standard.values.map((v) => v.date)).toEqual(['2020-01-01', '2022-01-01', '2030-01-01']);
  });

  it('returns the national value in force on the date, with its provenance', () => {
    expect(lookupParameter(standard, '2021-06-30', '110101000000')).toEqual({
      name: 'dibaoStandard',
      value: 50000,
      effectiveDate: '2020-01-01',
      regionPrefix: null,
      reference: '国家指导标准',
      unit: 'fen/month',
      description: '城乡最低生活保障标准',
    });
    expect(lookupParameter(standard, '2022-01-01', '110101000000').value).toBe(55000);
  });

  it('prefers township over county over city over province over national', () => {
    const at = (date: string, region: string) => lookupParameter(standard, date, region);
    expect(at('2025-04-01', '420902001000')).toMatchObject({
      value: 68000,
      regionPrefix: '420902001',
      reference: '书院街道试点',
    });
    expect(at('2025-04-01', '420902002000')).toMatchObject({ value: 66000, regionPrefix: '420902' });
    expect(at('2025-04-01', '420903000000')).toMatchObject({
      value: 65000,
      regionPrefix: '4209',
      reference: '孝感市民政局 2025 年标准',
      effectiveDate: '2025-01-01',
    });
    expect(at('2025-04-01', '420100000000')).toMatchObject({ value: 60000, regionPrefix: '42' });
    expect(at('2023-04-01', '420902001000')).toMatchObject({ value: 55000, regionPrefix: null });
  });

  it('lets null end a regional value so the broader one applies again', () => {
    // The county value ended on 2025-06-01: the city value applies from then on.
    expect(lookupParameter(standard, '2025-05-31', '420902002000').value).toBe(66000);
    expect(lookupParameter(standard, '2025-06-01', '420902002000')).toMatchObject({
      value: 65000,
      regionPrefix: '4209',
    });
  });

  it('raises an error naming parameter, date and region when no value is in force', () => {
    const before = () => lookupParameter(standard, '2019-12-31', '110101000000');
    expect(before).toThrow(ParameterValueMissingError);
    expect(before).toThrow(
      'parameter dibaoStandard has no value in force on 2019-12-31 for region 110101000000',
    );
    // null ended the national value in 2030.
    expect(() => lookupParameter(standard, '2030-01-01', '110101000000')).toThrow(
      /2030-01-01 for region 110101000000/,
    );
  });

  it('refuses a region code that is not 12 digits', () => {
    expect(() => lookupParameter(standard, '2025-01-01', '420902')).toThrow(/12 digits/);
  });

  it('infers double for ratio units and keeps strings', () => {
    const ratio = parseParameter(
      'a/nearDibaoMultiple.yaml',
      'description: x\nunit: ratio\nreference: r\nvalues:\n  2020-01-01: 2\n',
    );
    expect(ratio.type).toBe('double');
    expect(lookupParameter(ratio, '2021-01-01', '110101000000').value).toBe(2);
    const rule = parseParameter(
      'rounding.yaml',
      'description: x\nunit: rule\nreference: r\nvalues:\n  2020-01-01: yuan\n',
    );
    expect(rule.type).toBe('string');
  });

  it('reports bad files with file, line and column', () => {
    const load = (text: string) => () => parseParameter('parameters/bad.yaml', text);
    expect(load('description: x\nunit: fen\nreference: r\nvalues:\n  2020-13-01: 5\n')).toThrow(
      /parameters\/bad\.yaml:5:3: values: "2020-13-01" is not an ISO date/,
    );
    expect(load('description: x\nunit: fen\nreference: r\ntype: int\nvalues:\n  2020-01-01: 5.5\n')).toThrow(
      /bad\.yaml:6:15: value on 2020-01-01 must be an integer number of fen/,
    );
    expect(load('description: x\nunit: fen\nreference: r\nregions:\n  "123":\n    2020-01-01: 5\n')).toThrow(
      /bad\.yaml:5:3: region "123" must be a code prefix of 2, 4, 6 or 9 digits/,
    );
    expect(load('description: x\nunit: fen\nvalues: {}\n')).toThrow(/reference is required/);
    expect(load('description: [unclosed\n')).toThrow(RuleLoadError);
  });
});
