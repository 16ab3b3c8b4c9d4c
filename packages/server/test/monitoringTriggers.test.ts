/**
 * The trigger file (catalog/triggers/triggers.yaml): the built-in one loads, each trigger fires on
 * the records it is meant for and not on others, and a malformed file is refused with a located
 * error (no database needed).
 */
import { RuleLoadError } from '@doudi/rules';
import { describe, expect, it } from 'vitest';
import type { MemberRow, RecordRow } from '../src/domains/monitoring/monitoring.repo.ts';
import { applyTriggers, loadTriggers, parseTriggers } from '../src/domains/monitoring/triggers.ts';

const AS_OF = '2025-06-30';

function record(source: string, data: Record<string, unknown>, extra: Partial<RecordRow> = {}): RecordRow {
  return {
    id: '1',
    source,
    record_key: `${source}-${Math.random()}`,
    person_id: 'p1',
    index_hex: 'ab'.repeat(32),
    id_number_masked: '420921********1234',
    name: '张三',
    region_code: '420921100001',
    data,
    valid_from: AS_OF,
    previous: null,
    ...extra,
  };
}

const head: MemberRow = {
  id: 'p1',
  household_id: 'h1',
  name: '张三',
  birth_date: '1980-01-01',
  sex: 'male',
  relationship_to_head: 'head',
};

const subject = (categories: string[] = [], members = [head]) => ({
  householdId: 'h1',
  subjectKey: 'h1-subject',
  regionCode: '420921100001',
  categories,
  size: members.length,
  members: new Map(members.map((m) => [m.id, m])),
});

const fired = (records: RecordRow[], categories: string[] = [], members = [head]) =>
  applyTriggers(loadTriggers(), subject(categories, members), records, AS_OF)
    .drafts.map((d) => d.cause)
    .sort();

const claim = (outOfPocketYuan: number, date: string, icd10 = 'J18.9') =>
  record('medicalClaim', {
    hospital: '孝昌县人民医院',
    diagnosis: '肺炎',
    icd10,
    inpatient: true,
    dischargeDate: date,
    totalFen: outOfPocketYuan * 300,
    insurancePaidFen: outOfPocketYuan * 200,
    outOfPocketFen: outOfPocketYuan * 100,
  });

describe('event triggers', () => {
  it('the built-in file loads with its triggers and the model colours that raise alerts', () => {
    const set = loadTriggers();
    expect(set.models).toEqual([{ model: 'xiaochang', raise: ['red', 'yellow'] }]);
    expect(set.triggers.length).toBeGreaterThanOrEqual(7);
  });

  it('medical out-of-pocket over 50,000 yuan in 12 months, summed over the household, and only in the window', () => {
    expect(fired([claim(30_000, '2025-01-10'), claim(25_000, '2025-05-01')])).toEqual([
      'trigger:medicalOutOfPocket12m',
    ]);
    expect(fired([claim(30_000, '2024-05-10'), claim(25_000, '2025-05-01')])).toEqual([]);
    expect(fired([claim(50_000, '2025-05-01')])).toEqual([]); // not over
    const outcome = applyTriggers(
      loadTriggers(),
      subject(),
      [claim(30_000, '2025-01-10'), claim(25_000, '2025-05-01')],
      AS_OF,
    );
    expect(outcome.drafts[0]?.summaryZh).toBe('近12个月家庭医疗自付合计55000元（2次结算），超过5万元');
    expect(outcome.drafts[0]?.evidence).toHaveLength(2);
  });

  it('a large bill of a dibao or near-dibao household, and a serious illness', () => {
    expect(fired([claim(12_000, '2025-06-01')], ['nearDibao'])).toEqual(['trigger:enrolledLargeMedicalBill']);
    expect(fired([claim(12_000, '2025-06-01')], [])).toEqual([]);
    expect(fired([claim(100, '2025-06-01', 'C34.9')])).toEqual(['trigger:seriousIllnessDiagnosis']);
  });

  it('death of a main earner aged 18–60, not of an old parent', () => {
    const death = record('death', { deathDate: '2025-03-01', cause: 'accident' });
    expect(fired([death])).toEqual(['trigger:mainEarnerDeath']);
    const old = { ...head, birth_date: '1950-01-01' };
    expect(fired([death], [], [old])).toEqual([]);
    const son = { ...head, relationship_to_head: 'son' };
    expect(fired([death], [], [son])).toEqual([]);
  });

  it('a disability certificate issued, or its grade changed; unemployment registration', () => {
    const issued = record('disabilityCertificate', {
      certificateNumber: 'C1',
      type: 'physical',
      grade: '2',
      issuedOn: '2025-02-01',
    });
    expect(fired([issued])).toEqual(['trigger:disabilityCertificateIssued']);
    const changed = record(
      'disabilityCertificate',
      { certificateNumber: 'C1', type: 'physical', grade: '1', issuedOn: '2019-02-01' },
      { previous: { certificateNumber: 'C1', type: 'physical', grade: '3', issuedOn: '2019-02-01' } },
    );
    expect(fired([changed])).toEqual(['trigger:disabilityGradeChanged']);
    const same = record(
      'disabilityCertificate',
      { certificateNumber: 'C1', type: 'physical', grade: '3', issuedOn: '2019-02-01' },
      {
        previous: { certificateNumber: 'C1', type: 'physical', grade: '3', issuedOn: '2019-02-01' },
      },
    );
    expect(fired([same])).toEqual([]);
    const jobless = record('employment', { status: 'unemployed', registeredOn: '2025-05-01' });
    expect(fired([jobless])).toEqual(['trigger:unemploymentRegistration']);
    expect(fired([record('employment', { status: 'employed', registeredOn: '2025-05-01' })])).toEqual([]);
  });

  it('hostile record data (wrong types, huge numbers, script text) fires nothing and breaks nothing', () => {
    const weird = [
      claim(0, '2025-05-01'),
      record('medicalClaim', { outOfPocketFen: '1e309', dischargeDate: '2025-05-01' }),
      record('medicalClaim', { outOfPocketFen: Number.MAX_VALUE, dischargeDate: '2025-05-01' }),
      record('medicalClaim', { outOfPocketFen: 10, dischargeDate: 'not a date' }),
      record('death', { deathDate: '<script>alert(1)</script>' }),
      record('employment', { status: { $ne: 1 }, registeredOn: '2025-05-01' }),
    ];
    expect(fired(weird)).toEqual([]);
  });

  const base = (condition: string, extra = '') =>
    `version: "1"\nmodels: []\ntriggers:\n  - id: t1\n    label: 测试\n    source: medicalClaim\n    date: dischargeDate\n    windowMonths: 12\n    condition: ${condition}\n    colour: red\n    summary: "{name}"\n${extra}`;

  it.each([
    ['a misspelt field', base('record.outOfPoket > 1'), 9, 'No such key'],
    ['a condition that is not bool', base('record.outOfPocketFen + 1'), 9, 'must be bool'],
    ['a type error', base("record.outOfPocketFen > 'a'"), 9, 'condition'],
    ['bad CEL syntax', base('record.outOfPocketFen >'), 9, 'condition'],
    [
      'an unknown source',
      base('true').replace('source: medicalClaim', 'source: horoscope'),
      6,
      'unknown source',
    ],
    [
      'a date field that is not a date',
      base('true').replace('date: dischargeDate', 'date: hospital2'),
      7,
      'no date field',
    ],
    ['an unknown colour', base('true').replace('colour: red', 'colour: purple'), 10, 'colour must be'],
    ['an unknown key', base('true', '    severity: 3\n'), 12, 'unknown trigger field'],
    [
      'a duplicate id',
      base(
        "'true'",
        '  - id: t1\n    label: x\n    source: death\n    date: deathDate\n    windowMonths: 1\n    condition: "true"\n    colour: red\n    summary: x\n',
      ),
      12,
      'defined twice',
    ],
    ['a window of 0 months', base('true').replace('windowMonths: 12', 'windowMonths: 0'), 8, 'windowMonths'],
    ['a sum over a text field', base('true', '    sum: { field: hospital }\n'), 12, 'sum.field'],
    ['bad YAML', 'version: "1"\ntriggers: [\n', 3, ''],
  ])('refuses %s with file:line:column', (_what, text, line, message) => {
    let error: unknown;
    try {
      parseTriggers(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RuleLoadError);
    const e = error as RuleLoadError;
    expect(e.file).toBe('triggers/triggers.yaml');
    expect(e.line).toBe(line);
    expect(e.message).toContain(message);
  });

  it('refuses an oversized condition without hanging', () => {
    const long = Array.from({ length: 3000 }, () => 'record.outOfPocketFen > 1').join(' && ');
    expect(() => parseTriggers(base(long))).toThrow(RuleLoadError);
  });
});
