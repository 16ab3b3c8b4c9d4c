import type {
  AssistanceCategory,
  DailyTask,
  DisabilityType,
  EmploymentStatus,
  Enrolment,
  HealthCondition,
  Household,
  HouseholdStructure,
  MaritalStatus,
  Person,
  Relationship,
  SchoolingStage,
  SourceName,
  SourceRecord,
  WorkCapacity,
} from './types.ts';

/**
 * CSV layouts as departments send them: Chinese headers, Chinese code labels, money in yuan with two
 * decimals (formatted from integer fen, exactly), areas in square metres with two decimals.
 */
export interface Column<T> {
  header: string;
  get: (row: T) => string | number | null;
}

/** 123456 fen → '1234.56' without floating point. */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const yesNo = (v: boolean) => (v ? '是' : '否');

// biome-ignore format: compact table, one row per line would hide the data
export const LABELS = {
  sex: { male: '男', female: '女' },
  relationship: {
    head: '户主', spouse: '配偶', son: '子', daughter: '女', daughterInLaw: '儿媳', grandson: '孙子',
    granddaughter: '孙女', father: '父亲', mother: '母亲', other: '其他',
  } satisfies Record<Relationship, string>,
  marital: { unmarried: '未婚', married: '已婚', widowed: '丧偶', divorced: '离婚' } satisfies Record<MaritalStatus, string>,
  health: { healthy: '健康', chronicIllness: '慢性病', seriousIllness: '患大病' } satisfies Record<HealthCondition, string>,
  disability: {
    visual: '视力残疾', hearing: '听力残疾', speech: '言语残疾', physical: '肢体残疾', intellectual: '智力残疾',
    mental: '精神残疾', multiple: '多重残疾',
  } satisfies Record<DisabilityType, string>,
  grade: { 1: '一级', 2: '二级', 3: '三级', 4: '四级' } as Record<number, string>,
  workCapacity: { full: '有劳动能力', partial: '部分丧失劳动能力', none: '无劳动能力' } satisfies Record<WorkCapacity, string>,
  employment: {
    farming: '务农', localEmployee: '本地就业', migrantWorker: '外出务工', selfEmployed: '个体经营', casualWork: '灵活就业',
    unemployed: '失业', retired: '退休', inSchool: '在校学生', notWorking: '无业',
  } satisfies Record<EmploymentStatus, string>,
  schooling: {
    preschool: '学前教育', primary: '小学', junior: '初中', senior: '普通高中', vocational: '中职', college: '高等教育',
  } satisfies Record<SchoolingStage, string>,
  structure: {
    elderlyAlone: '独居老人', elderlyCouple: '老年夫妇', singleAdult: '单身', couple: '夫妻', nuclear: '核心家庭',
    threeGeneration: '三代同户', skippedGeneration: '隔代家庭', extended: '扩展家庭',
  } satisfies Record<HouseholdStructure, string>,
  category: {
    dibao: '最低生活保障', tekun: '特困人员供养', nearDibao: '低保边缘家庭', relapseWatch: '防返贫监测对象',
    expenditureHardship: '支出型困难家庭',
  } satisfies Record<AssistanceCategory, string>,
  care: { eating: '进食', dressing: '穿衣', bedTransfer: '上下床', toilet: '如厕', walkingIndoors: '室内行走', bathing: '洗澡' } satisfies Record<DailyTask, string>,
};

const CARE_TASKS: readonly DailyTask[] = [
  'eating',
  'dressing',
  'bedTransfer',
  'toilet',
  'walkingIndoors',
  'bathing',
];

export const HOUSEHOLD_COLUMNS: Column<Household>[] = [
  { header: '户编号', get: (h) => h.id },
  { header: '户号', get: (h) => h.householdNumber },
  { header: '县区划代码', get: (h) => h.countyCode },
  { header: '乡镇街道区划代码', get: (h) => h.townshipCode },
  { header: '村社区区划代码', get: (h) => h.villageCode },
  { header: '城乡类别', get: (h) => (h.urban ? '城镇' : '农村') },
  { header: '家庭住址', get: (h) => h.address },
  { header: '家庭结构', get: (h) => LABELS.structure[h.structure] },
  { header: '家庭人口数', get: (h) => h.members.filter((p) => p.deathDate === null).length },
  { header: '申报月工资性收入(元)', get: (h) => yuan(h.declared.monthlyIncomeFen.wages) },
  { header: '申报月赡养及汇款收入(元)', get: (h) => yuan(h.declared.monthlyIncomeFen.remittances) },
  { header: '申报月经营性收入(元)', get: (h) => yuan(h.declared.monthlyIncomeFen.business) },
  { header: '申报月农业收入(元)', get: (h) => yuan(h.declared.monthlyIncomeFen.agricultural) },
  { header: '申报月养老金(元)', get: (h) => yuan(h.declared.monthlyIncomeFen.pensions) },
  { header: '申报月转移性收入(元)', get: (h) => yuan(h.declared.monthlyIncomeFen.transfers) },
  { header: '申报存款(元)', get: (h) => yuan(h.declared.depositsFen) },
  { header: '申报有价证券(元)', get: (h) => yuan(h.declared.securitiesFen) },
  { header: '申报房产数', get: (h) => h.declared.properties },
  { header: '申报车辆数', get: (h) => h.declared.vehicles },
  { header: '申报市场主体数', get: (h) => h.declared.businesses },
  { header: '申报月财产性收入(元)', get: (h) => yuan(h.declared.propertyMonthlyFen) },
  { header: '申报月不计入收入的基础养老金(元)', get: (h) => yuan(h.declared.exemptMonthlyFen) },
  { header: '申报近12个月自付医疗费用(元)', get: (h) => yuan(h.declared.annualExpensesFen.medical) },
  { header: '申报近12个月教育支出(元)', get: (h) => yuan(h.declared.annualExpensesFen.education) },
  {
    header: '申报近12个月个人缴纳社保费(元)',
    get: (h) => yuan(h.declared.annualExpensesFen.socialInsurance),
  },
  { header: '申报有公职人员', get: (h) => yesNo(h.declared.answers.publicEmployee) },
  { header: '申报有高消费', get: (h) => yesNo(h.declared.answers.luxuryConsumption) },
  { header: '申报近两年购建商品房', get: (h) => yesNo(h.declared.answers.recentHousePurchase) },
  { header: '拒不配合核对', get: (h) => yesNo(h.declared.answers.refusedVerification) },
];

export const ENROLMENT_COLUMNS: Column<{ household: Household; enrolment: Enrolment }>[] = [
  { header: '户编号', get: (r) => r.household.id },
  { header: '救助类别', get: (r) => LABELS.category[r.enrolment.category] },
  { header: '救助类别代码', get: (r) => r.enrolment.category },
  { header: '保障人员编号', get: (r) => r.enrolment.personIds.join(';') },
  { header: '起始日期', get: (r) => r.enrolment.startDate },
  { header: '月救助金额(元)', get: (r) => yuan(r.enrolment.monthlyAmountFen) },
  {
    header: '供养方式',
    get: (r) =>
      r.enrolment.tekunCare === undefined
        ? null
        : r.enrolment.tekunCare === 'institutional'
          ? '集中供养'
          : '分散供养',
  },
];

export const PERSON_COLUMNS: Column<Person>[] = [
  { header: '户编号', get: (p) => p.householdId },
  { header: '人员编号', get: (p) => p.id },
  { header: '姓名', get: (p) => p.name },
  { header: '性别', get: (p) => LABELS.sex[p.sex] },
  { header: '出生日期', get: (p) => p.birthDate },
  { header: '身份证号码', get: (p) => p.idNumber },
  { header: '与户主关系', get: (p) => LABELS.relationship[p.relationship] },
  { header: '婚姻状况', get: (p) => LABELS.marital[p.maritalStatus] },
  { header: '联系电话', get: (p) => p.phone },
  { header: '户籍地区划代码', get: (p) => p.hukouRegion },
  { header: '居住地区划代码', get: (p) => p.residenceRegion },
  { header: '居住地', get: (p) => p.residenceRegionName },
  { header: '健康状况', get: (p) => LABELS.health[p.health] },
  { header: '大病名称', get: (p) => p.seriousIllness?.diagnosis ?? null },
  { header: '残疾类别', get: (p) => (p.disability ? LABELS.disability[p.disability.type] : null) },
  { header: '残疾等级', get: (p) => (p.disability ? (LABELS.grade[p.disability.grade] ?? null) : null) },
  { header: '残疾人证号', get: (p) => p.disability?.certificateNumber ?? null },
  { header: '劳动能力', get: (p) => LABELS.workCapacity[p.workCapacity] },
  { header: '就业状况', get: (p) => LABELS.employment[p.employment] },
  { header: '工作单位', get: (p) => p.employerName },
  { header: '在校阶段', get: (p) => (p.schooling ? LABELS.schooling[p.schooling] : null) },
  ...CARE_TASKS.map(
    (t): Column<Person> => ({
      header: `能否自主${LABELS.care[t]}`,
      get: (p) => (p.care ? yesNo(p.care[t]) : null),
    }),
  ),
  { header: '死亡日期', get: (p) => p.deathDate },
];

type Of<S extends SourceName> = Extract<SourceRecord, { source: S }>;
const who = <T extends SourceRecord>(): Column<T>[] => [
  { header: '记录编号', get: (r) => r.recordId },
  { header: '身份证号码', get: (r) => r.idNumber },
  { header: '姓名', get: (r) => r.name },
];

/** One file per department feed. */
export const SOURCE_FILES: { [S in SourceName]: { file: string; columns: Column<Of<S>>[] } } = {
  hukou: {
    file: 'hukou.csv',
    columns: [
      ...who<Of<'hukou'>>(),
      { header: '户号', get: (r) => r.householdNumber },
      { header: '与户主关系', get: (r) => LABELS.relationship[r.relationship] },
      { header: '性别', get: (r) => LABELS.sex[r.sex] },
      { header: '出生日期', get: (r) => r.birthDate },
      {
        header: '业务类型',
        get: (r) =>
          ({ birth: '出生登记', moveIn: '迁入', moveOut: '迁出', deregistration: '死亡注销' })[r.event],
      },
      { header: '业务日期', get: (r) => r.eventDate },
      { header: '迁出地', get: (r) => r.fromRegion },
      { header: '迁入地', get: (r) => r.toRegion },
      { header: '户籍地区划代码', get: (r) => r.hukouRegion },
    ],
  },
  death: {
    file: 'deaths.csv',
    columns: [
      ...who<Of<'death'>>(),
      { header: '死亡日期', get: (r) => r.deathDate },
      { header: '死亡原因', get: (r) => ({ illness: '疾病', accident: '意外', other: '其他' })[r.cause] },
      { header: '是否火化', get: (r) => yesNo(r.cremated) },
    ],
  },
  tax: {
    file: 'tax.csv',
    columns: [
      ...who<Of<'tax'>>(),
      { header: '所得年度', get: (r) => r.year },
      { header: '扣缴义务人', get: (r) => r.employerName },
      { header: '工资薪金收入(元)', get: (r) => yuan(r.wageIncomeFen) },
      { header: '已缴税额(元)', get: (r) => yuan(r.taxPaidFen) },
    ],
  },
  socialInsurance: {
    file: 'social-insurance.csv',
    columns: [
      ...who<Of<'socialInsurance'>>(),
      {
        header: '险种',
        get: (r) => (r.scheme === 'employee' ? '企业职工基本养老保险' : '城乡居民基本养老保险'),
      },
      {
        header: '参保状态',
        get: (r) =>
          ({ contributing: '参保缴费', receivingPension: '领取待遇', suspended: '暂停缴费' })[r.status],
      },
      { header: '年缴费额(元)', get: (r) => yuan(r.annualContributionFen) },
      { header: '月养老金(元)', get: (r) => yuan(r.monthlyPensionFen) },
      { header: '月失业保险金(元)', get: (r) => yuan(r.unemploymentBenefitMonthlyFen) },
      { header: '状态起始日期', get: (r) => r.statusSince },
    ],
  },
  realEstate: {
    file: 'real-estate.csv',
    columns: [
      ...who<Of<'realEstate'>>(),
      { header: '不动产权证号', get: (r) => r.certificateNumber },
      { header: '坐落', get: (r) => r.location },
      { header: '建筑面积(平方米)', get: (r) => yuan(r.areaCentiM2) },
      {
        header: '用途',
        get: (r) => ({ homestead: '宅基地住宅', residential: '成套住宅', commercial: '商业服务' })[r.use],
      },
      { header: '登记日期', get: (r) => r.registeredOn },
    ],
  },
  vehicle: {
    file: 'vehicles.csv',
    columns: [
      ...who<Of<'vehicle'>>(),
      { header: '号牌号码', get: (r) => r.plate },
      { header: '车辆类型', get: (r) => ({ car: '小型汽车', truck: '货车', motorcycle: '摩托车' })[r.kind] },
      { header: '品牌', get: (r) => r.brand },
      { header: '购置价格(元)', get: (r) => yuan(r.purchasePriceFen) },
      { header: '登记日期', get: (r) => r.registeredOn },
      { header: '残疾人专用车', get: (r) => yesNo(r.disabilityVehicle) },
    ],
  },
  business: {
    file: 'business.csv',
    columns: [
      ...who<Of<'business'>>(),
      { header: '市场主体名称', get: (r) => r.entityName },
      { header: '统一社会信用代码', get: (r) => r.creditCode },
      { header: '主体类型', get: (r) => (r.entityType === 'company' ? '有限责任公司' : '个体工商户') },
      {
        header: '任职身份',
        get: (r) => ({ legalRepresentative: '法定代表人', shareholder: '股东', operator: '经营者' })[r.role],
      },
      { header: '注册资本(元)', get: (r) => yuan(r.registeredCapitalFen) },
      { header: '成立日期', get: (r) => r.registeredOn },
    ],
  },
  providentFund: {
    file: 'provident-fund.csv',
    columns: [
      ...who<Of<'providentFund'>>(),
      { header: '单位名称', get: (r) => r.employerName },
      { header: '月缴存额(元)', get: (r) => yuan(r.monthlyDepositFen) },
      { header: '账户余额(元)', get: (r) => yuan(r.balanceFen) },
    ],
  },
  bankDeposit: {
    file: 'bank-deposits.csv',
    columns: [
      ...who<Of<'bankDeposit'>>(),
      { header: '账户编号', get: (r) => r.assetId },
      { header: '金融机构', get: (r) => r.bank },
      {
        header: '资产类型',
        get: (r) => ({ deposit: '储蓄存款', wealthProduct: '理财产品', securities: '证券资产' })[r.kind],
      },
      { header: '余额(元)', get: (r) => yuan(r.balanceFen) },
      { header: '余额日期', get: (r) => r.balanceOn },
    ],
  },
  medicalClaim: {
    file: 'medical-claims.csv',
    columns: [
      ...who<Of<'medicalClaim'>>(),
      { header: '医疗机构', get: (r) => r.hospital },
      { header: '诊断名称', get: (r) => r.diagnosis },
      { header: '疾病编码', get: (r) => r.icd10 },
      { header: '就诊类型', get: (r) => (r.inpatient ? '住院' : '门诊慢特病') },
      { header: '入院日期', get: (r) => r.admissionDate },
      { header: '出院日期', get: (r) => r.dischargeDate },
      { header: '医疗总费用(元)', get: (r) => yuan(r.totalFen) },
      { header: '医保支付(元)', get: (r) => yuan(r.insurancePaidFen) },
      { header: '个人自付(元)', get: (r) => yuan(r.outOfPocketFen) },
    ],
  },
  educationSpending: {
    file: 'education-spending.csv',
    columns: [
      ...who<Of<'educationSpending'>>(),
      { header: '学校名称', get: (r) => r.schoolName },
      { header: '学段', get: (r) => LABELS.schooling[r.stage] },
      { header: '学年', get: (r) => r.schoolYear },
      { header: '学费(元)', get: (r) => yuan(r.tuitionFen) },
      { header: '住宿费(元)', get: (r) => yuan(r.boardingFen) },
      { header: '其他费用(元)', get: (r) => yuan(r.otherFeesFen) },
    ],
  },
  schoolStatus: {
    file: 'school-status.csv',
    columns: [
      ...who<Of<'schoolStatus'>>(),
      { header: '学校名称', get: (r) => r.schoolName },
      { header: '学段', get: (r) => LABELS.schooling[r.stage] },
      { header: '变动类型', get: () => '辍学' },
      { header: '变动日期', get: (r) => r.changeDate },
      { header: '变动原因', get: (r) => r.reason },
    ],
  },
  disabilityCertificate: {
    file: 'disability-certificates.csv',
    columns: [
      ...who<Of<'disabilityCertificate'>>(),
      { header: '残疾人证号', get: (r) => r.certificateNumber },
      { header: '残疾类别', get: (r) => LABELS.disability[r.type] },
      { header: '残疾等级', get: (r) => LABELS.grade[r.grade] ?? null },
      { header: '发证日期', get: (r) => r.issuedOn },
    ],
  },
};
