/**
 * A small worked catalogue built from DOMAIN.md's dibao rules (gap-filling benefit, one-vote
 * vetoes, imputed work income, near-dibao and tekun lines). Used by the tests, the benchmark and as
 * a format example; the real catalogue lives in `catalog/`. Figures are illustrative, not official.
 */
import type { CatalogSources } from '../catalog/types.ts';

const facts = `
household:
  monthlyIncome: { type: int, unit: fen/month, label: 家庭月收入 }
  rigidExpenseMonthly: { type: int, unit: fen/month, label: 刚性支出（月均） }
  financialAssets: { type: int, unit: fen, label: 家庭金融资产 }
  vehicleCount: { type: int, unit: count, label: 机动车辆数 }
  registeredBusiness: { type: bool, label: 是否登记经营市场主体 }
member:
  age: { type: int, unit: year, label: 年龄 }
  severeDisability: { type: bool, label: 是否重度残疾 }
  severeIllness: { type: bool, label: 是否患重病 }
  student: { type: bool, label: 是否在校学生 }
`;

const dibaoStandard = `
description: 城乡最低生活保障标准（每人每月）
unit: fen/month
reference: 《最低生活保障审核确认办法》（民发〔2021〕57号）；标准由地方人民政府确定
regions:
  '42':
    reference: 湖北省民政厅 2024 年指导标准
    values:
      2024-01-01: 60000
  '4209':
    reference: 孝感市民政局 2025 年标准
    values:
      2025-01-01: 65000
  '420902001':
    2025-01-01: 68000
    2025-07-01: null
`;

const dibaoRounding = `
description: 低保金额取整规则
unit: rule
reference: 地方低保资金发放办法
values:
  2020-01-01: fen
regions:
  '4209':
    2025-01-01: yuan
`;

const financialAssetMonths = `
description: 人均金融资产上限（相当于低保标准的月数）
unit: month
reference: 《最低生活保障审核确认办法》第十二条；月数由地方确定
values:
  2021-07-01: 24
`;

const minimumWage = `
description: 上年度当地城镇最低工资标准（每月）
unit: fen/month
reference: 湖北省人民政府最低工资标准
regions:
  '42':
    2024-01-01: 210000
`;

const imputedWorkMonths = `
description: 推算务工收入的月数
unit: month
reference: 巴林左旗低保量化认定办法（以算为主）
values:
  2021-01-01: 8
`;

const nearDibaoMultiple = `
description: 低保边缘家庭收入线（低保标准的倍数）
unit: ratio
reference: 《关于加强低收入人口动态监测做好分层分类社会救助工作的意见》
values:
  2023-01-01: 1.5
`;

const tekunAllowance = `
description: 分散供养特困人员基本生活费（每人每月）
unit: fen/month
reference: 《特困人员认定办法》；标准不低于当地低保标准的 1.3 倍
regions:
  '42':
    2024-01-01: 84500
`;

const variables = `
laborCoefficient:
  entity: member
  type: double
  unit: ratio
  label: 劳动力系数
  reference: 6 类健康状况 × 5 个年龄段（此处简化）
  formula: |
    member.severeDisability || member.severeIllness || member.student ? 0.0
    : member.age < 16 || member.age >= 70 ? 0.0
    : member.age >= 60 ? 0.5
    : 1.0
imputedWorkIncome:
  entity: member
  type: int
  unit: fen/month
  label: 推算务工收入（月均）
  formula: divideRound(moneyTimes(param.minimumWage * param.imputedWorkMonths, member.laborCoefficient), 12)
countedMonthlyIncome:
  entity: household
  type: int
  unit: fen/month
  label: 家庭月收入（含推算收入、扣除刚性支出）
  formula: |
    max(household.monthlyIncome + sum(members.map(m, m.imputedWorkIncome))
        - (has(household.rigidExpenseMonthly) ? household.rigidExpenseMonthly : 0), 0)
perCapitaIncome:
  entity: household
  type: int
  unit: fen/month
  label: 家庭月人均收入
  formula: divideRound(household.countedMonthlyIncome, size(members))
financialAssetLimit:
  entity: household
  type: int
  unit: fen
  label: 家庭金融资产上限
  formula: param.dibaoStandard * param.financialAssetMonths * size(members)
`;

const dibaoPolicy = `
id: dibao
name: { zh: 最低生活保障, en: Minimum living allowance }
reference: 《最低生活保障审核确认办法》（民发〔2021〕57号）
requiredFacts: [household.monthlyIncome, member.age]
conditions:
  - id: ownsVehicle
    veto: true
    expression: household.vehicleCount > 0
    explanation: 家庭成员名下有机动车辆
  - id: runsBusiness
    veto: true
    expression: household.registeredBusiness
    explanation: 家庭成员登记经营市场主体
  - id: assetsOverLimit
    veto: true
    expression: household.financialAssets > household.financialAssetLimit
    explanation:
      whenTrue: 家庭金融资产超过上限 {household.financialAssetLimit}
      whenFalse: 家庭金融资产未超过上限 {household.financialAssetLimit}
  - id: incomeBelowStandard
    expression: household.perCapitaIncome < param.dibaoStandard
    explanation:
      whenTrue: 家庭月人均收入 {household.perCapitaIncome}，低于本地低保标准 {param.dibaoStandard}
      whenFalse: 家庭月人均收入 {household.perCapitaIncome}，不低于本地低保标准 {param.dibaoStandard}
amount:
  formula: (param.dibaoStandard - household.perCapitaIncome) * size(members)
  unit: fen/month
  rounding: dibaoRounding
`;

const nearDibaoPolicy = `
id: nearDibao
name: { zh: 低保边缘家庭, en: Near-dibao household }
reference: 《关于加强低收入人口动态监测做好分层分类社会救助工作的意见》
requiredFacts: [household.monthlyIncome]
conditions:
  - id: notDibaoLevel
    expression: household.perCapitaIncome >= param.dibaoStandard
    explanation: 家庭月人均收入 {household.perCapitaIncome}，不低于低保标准 {param.dibaoStandard}
  - id: belowNearDibaoLine
    expression: household.perCapitaIncome < moneyTimes(param.dibaoStandard, param.nearDibaoMultiple)
    explanation: 家庭月人均收入低于低保标准的 1.5 倍
  - id: ownsVehicle
    veto: true
    expression: household.vehicleCount > 0
    explanation: 家庭成员名下有机动车辆
`;

const tekunPolicy = `
id: tekun
name: { zh: 特困人员救助供养（分散供养）, en: Extreme-poverty support (dispersed) }
reference: 《特困人员认定办法》（民发〔2021〕43号）
requiredFacts: [member.age]
conditions:
  - id: noWorkCapacity
    expression: members.all(m, m.age >= 60 || m.age < 16 || m.severeDisability)
    explanation: 全体成员无劳动能力（60 周岁以上、未满 16 周岁或重度残疾）
  - id: incomeBelowStandard
    expression: household.perCapitaIncome < param.dibaoStandard
    explanation: 家庭月人均收入 {household.perCapitaIncome}，低于低保标准 {param.dibaoStandard}
amount:
  formula: param.tekunAllowance * size(members)
  unit: fen/month
  rounding: fen
`;

const temporaryAidPolicy = `
id: temporaryAid
name: { zh: 临时救助, en: Temporary aid }
reference: 《关于进一步加强和改进临时救助工作的意见》（2018）
conditions:
  - id: rigidExpenseOverIncome
    expression: has(household.rigidExpenseMonthly) && household.rigidExpenseMonthly > household.monthlyIncome
    explanation: 刚性支出超过家庭月收入
amount:
  formula: min(household.rigidExpenseMonthly - household.monthlyIncome, param.dibaoStandard * size(members) * 3)
  unit: fen
  rounding: yuan
`;

export const exampleCatalogSources: CatalogSources = {
  facts: { 'facts/household.yaml': facts },
  parameters: {
    'parameters/dibaoStandard.yaml': dibaoStandard,
    'parameters/dibaoRounding.yaml': dibaoRounding,
    'parameters/financialAssetMonths.yaml': financialAssetMonths,
    'parameters/minimumWage.yaml': minimumWage,
    'parameters/imputedWorkMonths.yaml': imputedWorkMonths,
    'parameters/nearDibaoMultiple.yaml': nearDibaoMultiple,
    'parameters/tekunAllowance.yaml': tekunAllowance,
  },
  variables: { 'variables/income.yaml': variables },
  policies: {
    'policies/dibao.yaml': dibaoPolicy,
    'policies/nearDibao.yaml': nearDibaoPolicy,
    'policies/tekun.yaml': tekunPolicy,
    'policies/temporaryAid.yaml': temporaryAidPolicy,
  },
};
