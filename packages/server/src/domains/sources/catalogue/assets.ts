/** Sources about property and financial assets: land and buildings, vehicles, companies, banks. */
import { COMMON_FIELDS, type SourceSpec, YES_NO } from './types.ts';

export const realEstate: SourceSpec = {
  id: 'realEstate',
  label: '不动产登记',
  labelEn: 'Real estate',
  department: 'naturalResources',
  asOf: 'snapshot',
  asOfNote: '截至该日登记在本人名下的全部不动产',
  allOrNothing: false,
  fields: [
    ...COMMON_FIELDS,
    { name: 'certificateNumber', header: '不动产权证号', type: 'text', required: true, maxLength: 60 },
    { name: 'location', header: '坐落', type: 'text', maxLength: 200 },
    { name: 'areaCentiM2', header: '建筑面积(平方米)', type: 'decimal2', required: true },
    {
      name: 'use',
      header: '用途',
      type: 'enum',
      required: true,
      values: { homestead: '宅基地住宅', residential: '成套住宅', commercial: '商业服务' },
    },
    { name: 'registeredOn', header: '登记日期', type: 'date' },
  ],
};

export const vehicle: SourceSpec = {
  id: 'vehicle',
  label: '车辆和船舶',
  labelEn: 'Vehicles and boats',
  department: 'publicSecurity',
  asOf: 'snapshot',
  asOfNote: '截至该日登记在本人名下的机动车、船舶',
  allOrNothing: false,
  fields: [
    ...COMMON_FIELDS,
    { name: 'plate', header: '号牌号码', type: 'text', required: true, maxLength: 20 },
    {
      name: 'kind',
      header: '车辆类型',
      type: 'enum',
      required: true,
      values: { car: '小型汽车', truck: '货车', motorcycle: '摩托车', boat: '船舶' },
    },
    { name: 'brand', header: '品牌', type: 'text', maxLength: 50 },
    { name: 'purchasePriceFen', header: '购置价格(元)', type: 'money' },
    { name: 'registeredOn', header: '登记日期', type: 'date', required: true },
    { name: 'disabilityVehicle', header: '残疾人专用车', type: 'boolean', values: YES_NO },
  ],
};

export const business: SourceSpec = {
  id: 'business',
  label: '市场主体登记',
  labelEn: 'Business registration',
  department: 'marketRegulation',
  asOf: 'snapshot',
  asOfNote: '截至该日本人担任法定代表人、股东或经营者的市场主体',
  allOrNothing: false,
  fields: [
    ...COMMON_FIELDS,
    { name: 'entityName', header: '市场主体名称', type: 'text', required: true, maxLength: 100 },
    { name: 'creditCode', header: '统一社会信用代码', type: 'text', maxLength: 18 },
    {
      name: 'entityType',
      header: '主体类型',
      type: 'enum',
      required: true,
      values: { company: '有限责任公司', individualBusiness: '个体工商户' },
    },
    {
      name: 'role',
      header: '任职身份',
      type: 'enum',
      required: true,
      values: { legalRepresentative: '法定代表人', shareholder: '股东', operator: '经营者' },
    },
    { name: 'registeredCapitalFen', header: '注册资本(元)', type: 'money' },
    { name: 'registeredOn', header: '成立日期', type: 'date' },
  ],
};

export const socialOrganisation: SourceSpec = {
  id: 'socialOrganisation',
  label: '社会组织登记',
  labelEn: 'Social-organisation registration',
  department: 'civilAffairs',
  asOf: 'snapshot',
  asOfNote: '截至该日本人任职的社会团体、民办非企业单位、基金会',
  allOrNothing: false,
  fields: [
    ...COMMON_FIELDS,
    { name: 'organisationName', header: '组织名称', type: 'text', required: true, maxLength: 100 },
    { name: 'creditCode', header: '统一社会信用代码', type: 'text', maxLength: 18 },
    {
      name: 'organisationType',
      header: '组织类型',
      type: 'enum',
      required: true,
      values: { association: '社会团体', privateNonEnterprise: '民办非企业单位', foundation: '基金会' },
    },
    {
      name: 'role',
      header: '任职身份',
      type: 'enum',
      required: true,
      values: { legalRepresentative: '法定代表人', director: '理事', supervisor: '监事' },
    },
    { name: 'registeredOn', header: '登记日期', type: 'date' },
  ],
};

export const bankDeposit: SourceSpec = {
  id: 'bankDeposit',
  label: '银行存款与理财',
  labelEn: 'Bank deposits',
  department: 'finance',
  asOf: 'snapshot',
  asOfNote: '截至该日的账户余额',
  allOrNothing: false,
  fields: [
    ...COMMON_FIELDS,
    { name: 'assetId', header: '账户编号', type: 'text', maxLength: 60 },
    { name: 'bank', header: '金融机构', type: 'text', required: true, maxLength: 100 },
    {
      name: 'kind',
      header: '资产类型',
      type: 'enum',
      required: true,
      values: { deposit: '储蓄存款', wealthProduct: '理财产品', securities: '证券资产' },
    },
    { name: 'balanceFen', header: '余额(元)', type: 'money', required: true },
    { name: 'balanceOn', header: '余额日期', type: 'date' },
  ],
};

export const securities: SourceSpec = {
  id: 'securities',
  label: '证券与基金',
  labelEn: 'Securities and funds',
  department: 'finance',
  asOf: 'snapshot',
  asOfNote: '截至该日的持仓市值',
  allOrNothing: false,
  fields: [
    ...COMMON_FIELDS,
    { name: 'account', header: '证券账户', type: 'text', required: true, maxLength: 60 },
    { name: 'institution', header: '证券公司或基金公司', type: 'text', required: true, maxLength: 100 },
    {
      name: 'kind',
      header: '品种',
      type: 'enum',
      required: true,
      values: { stock: '股票', fund: '基金', bond: '债券', other: '其他' },
    },
    { name: 'marketValueFen', header: '市值(元)', type: 'money', required: true },
  ],
};

export const commercialInsurance: SourceSpec = {
  id: 'commercialInsurance',
  label: '商业保险',
  labelEn: 'Commercial insurance',
  department: 'finance',
  asOf: 'snapshot',
  asOfNote: '截至该日有效的保单',
  allOrNothing: false,
  fields: [
    ...COMMON_FIELDS,
    { name: 'policyNumber', header: '保单号', type: 'text', required: true, maxLength: 60 },
    { name: 'insurer', header: '保险公司', type: 'text', required: true, maxLength: 100 },
    {
      name: 'kind',
      header: '险种',
      type: 'enum',
      required: true,
      values: { life: '人寿保险', health: '健康保险', annuity: '年金保险', property: '财产保险' },
    },
    { name: 'annualPremiumFen', header: '年缴保费(元)', type: 'money' },
    { name: 'cashValueFen', header: '现金价值(元)', type: 'money' },
    { name: 'effectiveOn', header: '生效日期', type: 'date' },
  ],
};
