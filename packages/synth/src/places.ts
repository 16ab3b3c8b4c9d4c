import { type Rng, Weighted } from './random.ts';
import type { SchoolingStage } from './types.ts';

/** Institutions that appear in departmental records. Names are plausible, not a census of real ones. */

/** Rural deposits sit mostly with the rural commercial bank and the postal savings bank. */
export const BANKS = new Weighted<string>([
  ['湖北孝昌农村商业银行', 30],
  ['中国邮政储蓄银行', 22],
  ['中国农业银行', 16],
  ['中国工商银行', 9],
  ['中国建设银行', 9],
  ['中国银行', 6],
  ['湖北银行', 4],
  ['汉口银行', 4],
]);

export const SECURITIES_FIRMS: readonly string[] = [
  '长江证券',
  '天风证券',
  '华泰证券',
  '中信证券',
  '国泰君安证券',
];

export interface Diagnosis {
  name: string;
  icd10: string;
  /** Typical yearly inpatient total (yuan) for the serious ones; used as a log-normal median. */
  yearlyCostYuan: number;
}

/**
 * Serious illnesses (大病): the conditions Hubei's critical-illness insurance and medical aid list
 * most often; costs are broad medians of a county hospital plus referral to Wuhan.
 */
const SERIOUS_TABLE: readonly (readonly [Diagnosis, number])[] = [
  [{ name: '肺恶性肿瘤', icd10: 'C34.9', yearlyCostYuan: 90_000 }, 12],
  [{ name: '胃恶性肿瘤', icd10: 'C16.9', yearlyCostYuan: 70_000 }, 8],
  [{ name: '肝恶性肿瘤', icd10: 'C22.0', yearlyCostYuan: 80_000 }, 7],
  [{ name: '乳腺恶性肿瘤', icd10: 'C50.9', yearlyCostYuan: 60_000 }, 6],
  [{ name: '结直肠恶性肿瘤', icd10: 'C18.9', yearlyCostYuan: 65_000 }, 6],
  [{ name: '食管恶性肿瘤', icd10: 'C15.9', yearlyCostYuan: 70_000 }, 4],
  [{ name: '慢性肾脏病5期(尿毒症)', icd10: 'N18.5', yearlyCostYuan: 80_000 }, 10],
  [{ name: '脑梗死', icd10: 'I63.9', yearlyCostYuan: 35_000 }, 14],
  [{ name: '脑出血', icd10: 'I61.9', yearlyCostYuan: 60_000 }, 6],
  [{ name: '急性心肌梗死', icd10: 'I21.9', yearlyCostYuan: 55_000 }, 7],
  [{ name: '白血病', icd10: 'C95.9', yearlyCostYuan: 150_000 }, 3],
  [{ name: '肝硬化失代偿期', icd10: 'K74.6', yearlyCostYuan: 40_000 }, 5],
  [{ name: '重性精神疾病', icd10: 'F20.9', yearlyCostYuan: 20_000 }, 5],
  [{ name: '再生障碍性贫血', icd10: 'D61.9', yearlyCostYuan: 60_000 }, 2],
  [{ name: '先天性心脏病', icd10: 'Q24.9', yearlyCostYuan: 50_000 }, 2],
];
export const SERIOUS_DIAGNOSES = new Weighted<Diagnosis>(SERIOUS_TABLE);
const SERIOUS_COST = new Map(SERIOUS_TABLE.map(([d]) => [d.icd10, d.yearlyCostYuan]));

/** Typical yearly inpatient cost (yuan) of a serious diagnosis. */
export function seriousCostYuan(icd10: string): number {
  return SERIOUS_COST.get(icd10) ?? 60_000;
}

export const CHRONIC_DIAGNOSES = new Weighted<Diagnosis>([
  [{ name: '原发性高血压', icd10: 'I10', yearlyCostYuan: 1_200 }, 40],
  [{ name: '2型糖尿病', icd10: 'E11.9', yearlyCostYuan: 2_500 }, 20],
  [{ name: '慢性阻塞性肺疾病', icd10: 'J44.9', yearlyCostYuan: 3_000 }, 12],
  [{ name: '冠状动脉粥样硬化性心脏病', icd10: 'I25.1', yearlyCostYuan: 3_500 }, 12],
  [{ name: '类风湿关节炎', icd10: 'M06.9', yearlyCostYuan: 2_000 }, 6],
  [{ name: '慢性乙型病毒性肝炎', icd10: 'B18.1', yearlyCostYuan: 3_000 }, 5],
  [{ name: '脑梗死后遗症', icd10: 'I69.3', yearlyCostYuan: 2_500 }, 5],
]);

/** Ordinary admissions (pneumonia, fractures, births…) that most households see now and then. */
export const ORDINARY_ADMISSIONS = new Weighted<Diagnosis>([
  [{ name: '肺炎', icd10: 'J18.9', yearlyCostYuan: 5_000 }, 30],
  [{ name: '急性阑尾炎', icd10: 'K35.8', yearlyCostYuan: 8_000 }, 10],
  [{ name: '股骨骨折', icd10: 'S72.0', yearlyCostYuan: 25_000 }, 8],
  [{ name: '胆囊结石', icd10: 'K80.2', yearlyCostYuan: 12_000 }, 12],
  [{ name: '腰椎间盘突出', icd10: 'M51.2', yearlyCostYuan: 9_000 }, 15],
  [{ name: '白内障', icd10: 'H25.9', yearlyCostYuan: 6_000 }, 15],
]);

export const HOSPITALS = new Weighted<string>([
  ['孝昌县第一人民医院', 35],
  ['孝昌县中医医院', 15],
  ['孝感市中心医院', 18],
  ['华中科技大学同济医学院附属协和医院', 8],
  ['武汉大学人民医院', 7],
  ['湖北省肿瘤医院', 5],
  ['乡镇卫生院', 12],
]);

/** Employers by where the work is: local, in Xiaogan/Wuhan, or on the coast. */
const LOCAL_EMPLOYERS = [
  '孝昌县城市建设投资有限公司',
  '孝感市孝昌农业发展有限公司',
  '湖北孝昌电子科技有限公司',
  '孝昌县人民医院',
  '孝昌县教育局',
  '湖北孝昌食品有限公司',
  '孝昌县供电公司',
  '孝感市华盛纺织有限公司',
];
const COASTAL_EMPLOYERS = [
  '东莞市长安精密电子有限公司',
  '深圳市宝安永兴电子厂',
  '佛山市顺德区美居家电有限公司',
  '苏州工业园区精工机械有限公司',
  '杭州余杭物流有限公司',
  '义乌市小商品供应链有限公司',
  '上海浦东建设工程有限公司',
  '武汉东湖建设集团有限公司',
  '武汉汉江物流有限公司',
  '孝感市城区物业管理有限公司',
];

/**
 * Local employers that are public bodies: the education bureau (机关) and the county hospital (事业单位).
 * A contracted employee there is treated as 在编在岗, the dibao veto "public employee".
 */
export const PUBLIC_EMPLOYERS: ReadonlySet<string> = new Set(['孝昌县人民医院', '孝昌县教育局']);

export function employer(rng: Rng, migrant: boolean): string {
  return rng.pick(migrant ? COASTAL_EMPLOYERS : LOCAL_EMPLOYERS);
}

const COLLEGES = [
  '湖北工程学院',
  '湖北职业技术学院',
  '华中科技大学',
  '武汉理工大学',
  '湖北大学',
  '武汉职业技术学院',
  '湖北师范大学',
  '长江大学',
];

export function schoolName(rng: Rng, stage: SchoolingStage, townshipName: string): string {
  const town = townshipName || '孝昌县';
  switch (stage) {
    case 'preschool':
      return rng.chance(0.5) ? `${town}中心幼儿园` : `${town}阳光幼儿园`;
    case 'primary':
      return `${town}中心小学`;
    case 'junior':
      return `${town}初级中学`;
    case 'senior':
      return rng.chance(0.5) ? '孝昌县第一高级中学' : '孝昌县第二高级中学';
    case 'vocational':
      return '孝昌县职业教育中心';
    case 'college':
      return rng.pick(COLLEGES);
  }
}

/** Where college students live: most Hubei students study in Wuhan (洪山区 holds most universities). */
export const COLLEGE_RESIDENCE = { code: '420111', name: '湖北省武汉市洪山区' };
