/** Sources about income and spending: tax, social insurance, housing fund, utilities. */
import { COMMON_FIELDS, type SourceSpec } from './types.ts';

export const tax: SourceSpec = {
  id: 'tax',
  label: '个人所得税（按年度）',
  labelEn: 'Income tax by year',
  department: 'tax',
  asOf: 'event',
  asOfNote: '每条为一人一年度在一个扣缴义务人处的工资收入',
  allOrNothing: false,
  fields: [
    ...COMMON_FIELDS,
    { name: 'year', header: '所得年度', type: 'year', required: true },
    { name: 'employerName', header: '扣缴义务人', type: 'text', maxLength: 100 },
    { name: 'wageIncomeFen', header: '工资薪金收入(元)', type: 'money', required: true },
    { name: 'taxPaidFen', header: '已缴税额(元)', type: 'money', required: true },
  ],
};

export const socialInsurance: SourceSpec = {
  id: 'socialInsurance',
  label: '社会保险（缴费、养老金、失业保险金）',
  labelEn: 'Social insurance: contributions, pensions, unemployment benefit',
  department: 'humanResources',
  asOf: 'snapshot',
  asOfNote: '截至该日每人的参保状态与待遇',
  allOrNothing: false,
  fields: [
    ...COMMON_FIELDS,
    {
      name: 'scheme',
      header: '险种',
      type: 'enum',
      required: true,
      values: { employee: '企业职工基本养老保险', resident: '城乡居民基本养老保险' },
    },
    {
      name: 'status',
      header: '参保状态',
      type: 'enum',
      required: true,
      values: { contributing: '参保缴费', receivingPension: '领取待遇', suspended: '暂停缴费' },
    },
    { name: 'annualContributionFen', header: '年缴费额(元)', type: 'money' },
    { name: 'monthlyPensionFen', header: '月养老金(元)', type: 'money' },
    { name: 'unemploymentBenefitMonthlyFen', header: '月失业保险金(元)', type: 'money' },
    { name: 'statusSince', header: '状态起始日期', type: 'date' },
  ],
};

export const providentFund: SourceSpec = {
  id: 'providentFund',
  label: '住房公积金',
  labelEn: 'Housing provident fund',
  department: 'housingFund',
  asOf: 'snapshot',
  asOfNote: '截至该日的缴存与余额',
  allOrNothing: false,
  fields: [
    ...COMMON_FIELDS,
    { name: 'employerName', header: '单位名称', type: 'text', maxLength: 100 },
    { name: 'monthlyDepositFen', header: '月缴存额(元)', type: 'money', required: true },
    { name: 'balanceFen', header: '账户余额(元)', type: 'money', required: true },
  ],
};

export const utilities: SourceSpec = {
  id: 'utilities',
  label: '水电气及通信费用',
  labelEn: 'Water, power, gas and telecom spending',
  department: 'utilities',
  asOf: 'event',
  asOfNote: '每条为一户一个月一类费用',
  allOrNothing: false,
  eventDateField: 'month',
  fields: [
    ...COMMON_FIELDS,
    {
      name: 'kind',
      header: '费用类型',
      type: 'enum',
      required: true,
      values: { water: '水费', power: '电费', gas: '燃气费', telecom: '通信费' },
    },
    { name: 'month', header: '费用月份', type: 'month', required: true },
    { name: 'amountFen', header: '金额(元)', type: 'money', required: true },
    { name: 'account', header: '缴费户号', type: 'text', maxLength: 40 },
  ],
};
