/**
 * School-status changes (学籍变动) from the education department's student registry: one record per
 * change of one student (dropout, suspension, transfer, graduation, expulsion, resumption). A child
 * of compulsory-education or senior-secondary age who drops out or suspends is an event trigger of
 * low-income monitoring (catalog/triggers/triggers.yaml, childLeftSchool*).
 */
import { COMMON_FIELDS, type SourceSpec } from './types.ts';

/** Stages as the education registry names them (the same codes as registry attributes `schooling`). */
export const SCHOOL_STAGES = {
  preschool: '学前教育',
  primary: '小学',
  junior: '初中',
  senior: '普通高中',
  vocational: '中职',
  college: '高等教育',
} as const;

/** What happened to the student's enrolment (学籍异动类型). */
export const SCHOOL_CHANGES = {
  dropout: '辍学',
  suspension: '休学',
  transfer: '转学',
  graduation: '毕业',
  expulsion: '开除学籍',
  resumption: '复学',
} as const;

export const schoolStatus: SourceSpec = {
  id: 'schoolStatus',
  label: '学籍变动（辍学、休学、转学、毕业）',
  labelEn: 'School status changes (dropout, suspension, transfer, graduation)',
  department: 'education',
  asOf: 'event',
  asOfNote: '每条为一名学生的一次学籍变动；截至日期为教育部门导出数据的日期',
  allOrNothing: false,
  eventDateField: 'changeDate',
  fields: [
    ...COMMON_FIELDS,
    { name: 'schoolName', header: '学校名称', type: 'text', required: true, maxLength: 100 },
    { name: 'stage', header: '学段', type: 'enum', required: true, values: SCHOOL_STAGES },
    { name: 'changeType', header: '变动类型', type: 'enum', required: true, values: SCHOOL_CHANGES },
    { name: 'changeDate', header: '变动日期', type: 'date', required: true },
    { name: 'reason', header: '变动原因', type: 'text', maxLength: 200 },
  ],
};
