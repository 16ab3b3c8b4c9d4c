/** Sources about who a person is and what happened to them: police, civil affairs, schools, hospitals. */
import { LABELS } from '@doudi/synth';
import { COMMON_FIELDS, type SourceSpec, YES_NO } from './types.ts';

export const hukou: SourceSpec = {
  id: 'hukou',
  label: '户籍（含迁入迁出、死亡注销）',
  labelEn: 'Household registration (hukou), moves and deaths',
  department: 'publicSecurity',
  asOf: 'event',
  asOfNote: '每条为一次户籍业务；截至日期为公安导出数据的日期',
  allOrNothing: true,
  eventDateField: 'eventDate',
  fields: [
    ...COMMON_FIELDS,
    { name: 'householdNumber', header: '户号', type: 'text', required: true, maxLength: 40 },
    { name: 'relationship', header: '与户主关系', type: 'enum', required: true, values: LABELS.relationship },
    { name: 'sex', header: '性别', type: 'enum', required: true, values: LABELS.sex },
    { name: 'birthDate', header: '出生日期', type: 'date', required: true },
    {
      name: 'event',
      header: '业务类型',
      type: 'enum',
      required: true,
      values: { birth: '出生登记', moveIn: '迁入', moveOut: '迁出', deregistration: '死亡注销' },
    },
    { name: 'eventDate', header: '业务日期', type: 'date', required: true },
    { name: 'fromRegion', header: '迁出地', type: 'text', maxLength: 100 },
    { name: 'toRegion', header: '迁入地', type: 'text', maxLength: 100 },
    { name: 'hukouRegion', header: '户籍地区划代码', type: 'region', required: true },
  ],
};

export const marriage: SourceSpec = {
  id: 'marriage',
  label: '婚姻登记',
  labelEn: 'Marriage registration',
  department: 'civilAffairs',
  asOf: 'event',
  asOfNote: '每条为一次结婚或离婚登记',
  allOrNothing: false,
  eventDateField: 'registeredOn',
  fields: [
    ...COMMON_FIELDS,
    {
      name: 'kind',
      header: '登记类型',
      type: 'enum',
      required: true,
      values: { marriage: '结婚登记', divorce: '离婚登记' },
    },
    { name: 'registeredOn', header: '登记日期', type: 'date', required: true },
    { name: 'spouseName', header: '配偶姓名', type: 'text', maxLength: 50 },
    { name: 'office', header: '登记机关', type: 'text', maxLength: 100 },
  ],
};

export const death: SourceSpec = {
  id: 'death',
  label: '死亡与殡葬',
  labelEn: 'Deaths and funerals',
  department: 'civilAffairs',
  asOf: 'event',
  asOfNote: '每条为一人的死亡与火化记录',
  allOrNothing: true,
  eventDateField: 'deathDate',
  fields: [
    ...COMMON_FIELDS,
    { name: 'deathDate', header: '死亡日期', type: 'date', required: true },
    {
      name: 'cause',
      header: '死亡原因',
      type: 'enum',
      values: { illness: '疾病', accident: '意外', other: '其他' },
    },
    { name: 'cremated', header: '是否火化', type: 'boolean' },
  ],
};

export const medicalClaim: SourceSpec = {
  id: 'medicalClaim',
  label: '医疗费用结算',
  labelEn: 'Medical claims',
  department: 'medicalSecurity',
  asOf: 'event',
  asOfNote: '每条为一次住院或门诊慢特病结算',
  allOrNothing: false,
  eventDateField: 'dischargeDate',
  fields: [
    ...COMMON_FIELDS,
    { name: 'hospital', header: '医疗机构', type: 'text', required: true, maxLength: 100 },
    { name: 'diagnosis', header: '诊断名称', type: 'text', maxLength: 100 },
    { name: 'icd10', header: '疾病编码', type: 'text', maxLength: 20 },
    {
      name: 'inpatient',
      header: '就诊类型',
      type: 'boolean',
      required: true,
      values: { true: '住院', false: '门诊慢特病' },
    },
    { name: 'admissionDate', header: '入院日期', type: 'date' },
    { name: 'dischargeDate', header: '出院日期', type: 'date', required: true },
    { name: 'totalFen', header: '医疗总费用(元)', type: 'money', required: true },
    { name: 'insurancePaidFen', header: '医保支付(元)', type: 'money', required: true },
    { name: 'outOfPocketFen', header: '个人自付(元)', type: 'money', required: true },
  ],
};

export const educationSpending: SourceSpec = {
  id: 'educationSpending',
  label: '教育支出',
  labelEn: 'Education spending',
  department: 'education',
  asOf: 'event',
  asOfNote: '每条为一名学生一个学年的收费',
  allOrNothing: false,
  fields: [
    ...COMMON_FIELDS,
    { name: 'schoolName', header: '学校名称', type: 'text', required: true, maxLength: 100 },
    { name: 'stage', header: '学段', type: 'enum', required: true, values: LABELS.schooling },
    { name: 'schoolYear', header: '学年', type: 'text', required: true, maxLength: 9 },
    { name: 'tuitionFen', header: '学费(元)', type: 'money', required: true },
    { name: 'boardingFen', header: '住宿费(元)', type: 'money' },
    { name: 'otherFeesFen', header: '其他费用(元)', type: 'money' },
  ],
};

export const disabilityCertificate: SourceSpec = {
  id: 'disabilityCertificate',
  label: '残疾人证',
  labelEn: 'Disability certificates',
  department: 'disabledPersons',
  asOf: 'snapshot',
  asOfNote: '截至该日有效的全部残疾人证（不在新快照中的证件视为注销）',
  allOrNothing: false,
  fields: [
    ...COMMON_FIELDS,
    { name: 'certificateNumber', header: '残疾人证号', type: 'text', required: true, maxLength: 40 },
    { name: 'type', header: '残疾类别', type: 'enum', required: true, values: LABELS.disability },
    {
      name: 'grade',
      header: '残疾等级',
      type: 'enum',
      required: true,
      values: { 1: '一级', 2: '二级', 3: '三级', 4: '四级' },
    },
    { name: 'issuedOn', header: '发证日期', type: 'date' },
  ],
};

export const employment: SourceSpec = {
  id: 'employment',
  label: '就业失业登记',
  labelEn: 'Employment registration',
  department: 'humanResources',
  asOf: 'snapshot',
  asOfNote: '截至该日的就业、失业登记状态',
  allOrNothing: false,
  fields: [
    ...COMMON_FIELDS,
    {
      name: 'status',
      header: '登记状态',
      type: 'enum',
      required: true,
      values: { employed: '就业登记', unemployed: '失业登记', flexible: '灵活就业' },
    },
    { name: 'employerName', header: '单位名称', type: 'text', maxLength: 100 },
    { name: 'registeredOn', header: '登记日期', type: 'date', required: true },
    { name: 'receivesBenefit', header: '领取失业保险金', type: 'boolean', values: YES_NO },
  ],
};
