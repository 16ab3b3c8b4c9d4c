/**
 * A child leaving school (学籍变动 → childLeftSchool*), scenario by scenario: who is a child of
 * school age, which changes count (dropout, suspension, expulsion; not transfer or graduation), the
 * colour by the household's enrolment, the Chinese summary, and hostile records. No database.
 */
import { describe, expect, it } from 'vitest';
import type { MemberRow, RecordRow } from '../src/domains/monitoring/monitoring.repo.ts';
import { applyTriggers, loadTriggers } from '../src/domains/monitoring/triggers.ts';
import { findSource } from '../src/domains/sources/catalogue/index.ts';

const AS_OF = '2025-06-30';

const child: MemberRow = {
  id: 'c1',
  household_id: 'h1',
  name: '李小明',
  birth_date: '2011-03-15',
  sex: 'male',
  relationship_to_head: 'son',
};

function change(data: Record<string, unknown>, person = 'c1'): RecordRow {
  return {
    id: '1',
    source: 'schoolStatus',
    record_key: `schoolStatus-${Math.random()}`,
    person_id: person,
    index_hex: 'cd'.repeat(32),
    id_number_masked: '420921********5678',
    name: '李小明',
    region_code: '420921100001',
    data: {
      schoolName: '花园镇初级中学',
      stage: 'junior',
      changeType: 'dropout',
      changeDate: '2025-05-20',
      reason: '家庭经济困难',
      ...data,
    },
    valid_from: AS_OF,
    previous: null,
  };
}

function run(records: RecordRow[], categories: string[] = [], members: MemberRow[] = [child]) {
  return applyTriggers(
    loadTriggers(),
    {
      householdId: 'h1',
      subjectKey: 'h1-subject',
      regionCode: '420921100001',
      categories,
      size: members.length + 1,
      members: new Map(members.map((m) => [m.id, m])),
    },
    records,
    AS_OF,
  ).drafts;
}
const causes = (records: RecordRow[], categories: string[] = [], members: MemberRow[] = [child]) =>
  run(records, categories, members).map((d) => `${d.cause}:${d.colour}`);

describe('a child leaving school', () => {
  it('the education department sends school-status changes with Chinese headers', () => {
    const spec = findSource('schoolStatus');
    expect(spec?.department).toBe('education');
    expect(spec?.fields.map((f) => f.header)).toEqual([
      '记录编号',
      '身份证号码',
      '姓名',
      '学校名称',
      '学段',
      '变动类型',
      '变动日期',
      '变动原因',
    ]);
  });

  it('a 14-year-old dropping out of junior school: yellow, with a Chinese summary and the record as evidence', () => {
    const drafts = run([change({})]);
    expect(drafts.map((d) => [d.cause, d.colour])).toEqual([['trigger:childLeftSchool', 'yellow']]);
    expect(drafts[0]?.summaryZh).toBe(
      '李小明（14岁）于2025-05-20从花园镇初级中学（初中）辍学，原因：家庭经济困难',
    );
    expect(drafts[0]?.evidence).toMatchObject([{ source: 'schoolStatus', date: '2025-05-20' }]);
  });

  it('red when the household is enrolled in dibao or tekun, never both alerts; near-dibao stays yellow', () => {
    expect(causes([change({})], ['dibao'])).toEqual(['trigger:childLeftSchoolEnrolled:red']);
    expect(causes([change({ changeType: 'suspension' })], ['tekun'])).toEqual([
      'trigger:childLeftSchoolEnrolled:red',
    ]);
    expect(causes([change({})], ['nearDibao'])).toEqual(['trigger:childLeftSchool:yellow']);
  });

  it('suspension and expulsion count; transfer, graduation and resumption do not', () => {
    expect(causes([change({ changeType: 'suspension', stage: 'senior' })])).toEqual([
      'trigger:childLeftSchool:yellow',
    ]);
    expect(causes([change({ changeType: 'expulsion' })])).toEqual(['trigger:childLeftSchool:yellow']);
    for (const changeType of ['transfer', 'graduation', 'resumption'])
      expect(causes([change({ changeType })]), changeType).toEqual([]);
  });

  it('only children of compulsory or senior-secondary age (6 to 17 on the day of the change)', () => {
    const student = (birth_date: string) => [{ ...child, birth_date }];
    expect(causes([change({})], [], student('2007-01-01'))).toEqual([]); // 18 on the day: an adult
    expect(causes([change({})], [], student('2007-06-01'))).toEqual(['trigger:childLeftSchool:yellow']); // 17
    expect(causes([change({ stage: 'college' })], [], student('2004-01-01'))).toEqual([]); // 21, college
    expect(causes([change({ stage: 'preschool' })], [], student('2021-01-01'))).toEqual([]); // 4
    expect(causes([change({ stage: 'primary' })], [], student('2019-01-01'))).toEqual([
      'trigger:childLeftSchool:yellow',
    ]); // 6
  });

  it('outside the six-month window, or a person not in the registry, raises nothing', () => {
    expect(causes([change({ changeDate: '2024-12-30' })])).toEqual([]);
    expect(causes([change({ changeDate: '2025-07-01' })])).toEqual([]); // after the run date
    expect(causes([change({}, 'someone-else')])).toEqual([]);
  });

  it('hostile records fire nothing and break nothing; an unknown stage shows no label', () => {
    const weird = [
      change({ changeType: { $ne: 1 } }),
      change({ changeType: 'DROPOUT' }),
      change({ changeDate: '<script>alert(1)</script>' }),
      change({ changeDate: '2025-13-45x' }),
      change({ changeType: 'dropout'.repeat(10_000) }),
    ];
    expect(causes(weird)).toEqual([]);
    const odd = run([change({ stage: '__proto__', reason: '<img src=x>' })]);
    expect(odd[0]?.summaryZh).toBe('李小明（14岁）于2025-05-20从花园镇初级中学（）辍学，原因：<img src=x>');
  });
});
