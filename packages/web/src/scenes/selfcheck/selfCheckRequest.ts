/**
 * The self-check form's values and how they become the API request. Empty money fields mean 0;
 * "not sure" (deposits, care needs) leaves the field out, so the answer says what is missing
 * instead of guessing.
 */
import type { components, paths } from '../../api/generated/schema';

export type SelfCheckBody =
  paths['/api/public/self-check']['post']['requestBody']['content']['application/json'];
export type SelfCheckAnswer = components['schemas']['SelfCheckResponse'];
export type SelfCheckResult = components['schemas']['SelfCheckResult'];
export type PublicRegion = components['schemas']['PublicRegion'];
type Member = SelfCheckBody['members'][number];

export interface MemberValues {
  relationship: Member['relationship'];
  age?: number | null;
  sex?: 'male' | 'female';
  health: Member['health'];
  disabilityGrade: number;
  disabilityType?: Member['disabilityType'];
  workCapacity: Member['workCapacity'];
  employment?: Member['employment'];
  schoolingStage: Member['schoolingStage'];
  boarding?: boolean;
  parentsSituation?: Member['parentsSituation'];
  careNeeds?: NonNullable<Member['careNeeds']>;
  careUnknown?: boolean;
  livesApart?: boolean;
  monthlyIncomeYuan?: number | null;
  hospitalCostYuanPerYear?: number | null;
}

export interface SelfCheckValues {
  county?: string;
  township?: string;
  village?: string;
  urban?: boolean;
  members: MemberValues[];
  income: Record<keyof NonNullable<SelfCheckBody['incomeYuanPerMonth']>, number | null | undefined>;
  spending: Record<keyof NonNullable<SelfCheckBody['spendingYuanPerYear']>, number | null | undefined>;
  housingUnits?: number | null;
  vehicles?: number | null;
  businesses?: number | null;
  depositsYuan?: number | null;
  depositsUnknown?: boolean;
  dilapidatedHouse?: boolean;
  publicEmployee?: boolean;
  recentHousePurchase?: boolean;
  luxuryConsumption?: boolean;
  disasterAffected?: boolean;
  houseCollapsed?: boolean;
  suddenHardship?: NonNullable<SelfCheckBody['circumstances']>['suddenHardship'];
  suddenLossYuan?: number | null;
  currentCategories?: NonNullable<NonNullable<SelfCheckBody['circumstances']>['currentCategories']>;
}

export const newMember = (relationship: Member['relationship'] = 'self'): MemberValues => ({
  relationship,
  health: 'healthy',
  disabilityGrade: 0,
  workCapacity: 'full',
  schoolingStage: 'none',
  careNeeds: [],
});

export const initialValues: Partial<SelfCheckValues> = {
  members: [newMember()],
  housingUnits: 1,
  vehicles: 0,
  businesses: 0,
  suddenHardship: 'none',
  currentCategories: [],
};

const money = (value: number | null | undefined) => (typeof value === 'number' ? value : 0);
const optional = <T>(value: T | null | undefined): T | undefined => (value === null ? undefined : value);

function member(m: MemberValues): Member {
  const age = m.age ?? 0;
  return {
    relationship: m.relationship,
    age,
    ...(m.sex ? { sex: m.sex } : {}),
    health: m.health,
    disabilityGrade: m.disabilityGrade,
    ...(m.disabilityGrade > 0 && m.disabilityType ? { disabilityType: m.disabilityType } : {}),
    workCapacity: m.workCapacity,
    // Children under 16 are not asked what they do: in school if they have a stage, else at home.
    employment: m.employment ?? (m.schoolingStage !== 'none' ? 'inSchool' : 'notWorking'),
    schoolingStage: m.schoolingStage,
    boarding: m.boarding ?? false,
    ...(m.parentsSituation ? { parentsSituation: m.parentsSituation } : {}),
    ...(m.careUnknown ? {} : { careNeeds: m.careNeeds ?? [] }),
    ...(m.livesApart ? { livesApart: true, monthlyIncomeYuan: money(m.monthlyIncomeYuan) } : {}),
    ...(optional(m.hospitalCostYuanPerYear) !== undefined
      ? { hospitalCostYuanPerYear: m.hospitalCostYuanPerYear as number }
      : {}),
  };
}

export function toRequest(v: SelfCheckValues): SelfCheckBody {
  const regionCode = v.village ?? v.township ?? '';
  return {
    regionCode,
    ...(v.urban === undefined ? {} : { urban: v.urban }),
    members: v.members.map(member),
    incomeYuanPerMonth: {
      wage: money(v.income?.wage),
      business: money(v.income?.business),
      agricultural: money(v.income?.agricultural),
      property: money(v.income?.property),
      remittance: money(v.income?.remittance),
      pension: money(v.income?.pension),
      transfer: money(v.income?.transfer),
    },
    spendingYuanPerYear: {
      medical: money(v.spending?.medical),
      education: money(v.spending?.education),
      pensionContribution: money(v.spending?.pensionContribution),
    },
    property: {
      housingUnits: v.housingUnits ?? 0,
      vehicles: v.vehicles ?? 0,
      businesses: v.businesses ?? 0,
      ...(v.depositsUnknown ? {} : { depositsYuan: money(v.depositsYuan) }),
      dilapidatedHouse: v.dilapidatedHouse ?? false,
    },
    circumstances: {
      publicEmployee: v.publicEmployee ?? false,
      recentHousePurchase: v.recentHousePurchase ?? false,
      luxuryConsumption: v.luxuryConsumption ?? false,
      disasterAffected: v.disasterAffected ?? false,
      houseCollapsed: v.houseCollapsed ?? false,
      suddenHardship: v.suddenHardship ?? 'none',
      suddenLossYuan: v.suddenHardship && v.suddenHardship !== 'none' ? money(v.suddenLossYuan) : 0,
      currentCategories: v.currentCategories ?? [],
    },
  };
}

/** 99800 fen → "998"; 79379 → "793.79": exact, in integers. */
export function yuanText(fen: number): string {
  const whole = Math.trunc(fen / 100);
  const cents = Math.abs(fen % 100);
  return cents === 0
    ? whole.toLocaleString('zh-CN')
    : `${whole.toLocaleString('zh-CN')}.${String(cents).padStart(2, '0')}`;
}
