/**
 * What the resident typed → the engine's facts (catalog/facts/*.yaml). Money arrives in yuan and
 * leaves in integer fen, exactly; "not known" stays missing so the engine can say what it needs.
 */
import type { HouseholdFacts } from '@doudi/rules';
import { errors } from '../../http/errors.ts';
import type { SelfCheckMember, SelfCheckRequest } from './selfCheck.schemas.ts';

/**
 * Yuan as typed by a person → integer fen, exactly: the number's shortest decimal form is read
 * digit by digit (no floating-point multiplication), and more than two decimals is refused.
 */
export function yuanToFen(yuan: number, field: string): number {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(String(yuan));
  if (!match) {
    throw errors.validation(field, '金额最多保留两位小数（到分）', 'amounts have at most two decimals');
  }
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

const CARE_FACTS = {
  eating: 'careEating',
  dressing: 'careDressing',
  bedTransfer: 'careBedTransfer',
  toilet: 'careToilet',
  walkingIndoors: 'careWalkingIndoors',
  bathing: 'careBathing',
} as const;

function memberAge(member: SelfCheckMember, index: number, today: string): number {
  if (member.age !== undefined) return member.age;
  const field = `members.${index}.age`;
  if (member.birthYear === undefined) {
    throw errors.validation(
      field,
      `请填写第${index + 1}位成员的年龄或出生年份`,
      'age or birth year is required',
    );
  }
  const age = Number(today.slice(0, 4)) - member.birthYear;
  if (age < 0 || age > 120) {
    throw errors.validation(
      `members.${index}.birthYear`,
      `第${index + 1}位成员的出生年份不正确`,
      'birth year out of range',
    );
  }
  return age;
}

function memberFacts(member: SelfCheckMember, index: number, today: string): Record<string, unknown> {
  const facts: Record<string, unknown> = {
    age: memberAge(member, index, today),
    health: member.health,
    disabilityGrade: member.disabilityGrade,
    // A disability type matters only with a grade; without one it is "none", otherwise as told.
    disabilityType: member.disabilityGrade === 0 ? 'none' : (member.disabilityType ?? null),
    workCapacity: member.workCapacity,
    employment: member.employment ?? null,
    schoolingStage: member.schoolingStage,
    sex: member.sex ?? null,
    boarding: member.boarding ?? false,
    supporterOutside: member.livesApart ?? false,
    jobSeekingRegistered: member.jobSeekingRegistered ?? false,
    pensionInsured: member.pensionInsured ?? false,
    parentsDeceasedOrMissing: member.parentsSituation ?? 'none',
  };
  // careNeeds: the tasks the person cannot do alone; left out = not known (facts stay missing).
  const needs = member.careNeeds;
  for (const [task, fact] of Object.entries(CARE_FACTS)) {
    facts[fact] = needs === undefined ? null : !needs.includes(task as keyof typeof CARE_FACTS);
  }
  if (member.livesApart) {
    facts.monthlyIncome =
      member.monthlyIncomeYuan === undefined
        ? null
        : yuanToFen(member.monthlyIncomeYuan, `members.${index}.monthlyIncomeYuan`);
  }
  if (member.hospitalCostYuanPerYear !== undefined) {
    facts.inpatientOutOfPocket = yuanToFen(
      member.hospitalCostYuanPerYear,
      `members.${index}.hospitalCostYuanPerYear`,
    );
  }
  return facts;
}

/** The engine's facts for the household the resident described (catalog/facts/*.yaml). */
export function householdFacts(input: SelfCheckRequest, urban: boolean, today: string): HouseholdFacts {
  if (!input.members.some((m) => !m.livesApart)) {
    throw errors.validation(
      'members',
      '至少要有一位共同生活的家庭成员',
      'at least one member must live in the household',
    );
  }
  const income = input.incomeYuanPerMonth ?? {};
  const spending = input.spendingYuanPerYear ?? {};
  const property = input.property ?? {};
  const c = input.circumstances ?? {};
  const fen = (value: number | undefined, field: string) => yuanToFen(value ?? 0, field);
  const housingUnits = property.housingUnits ?? 1;
  return {
    household: {
      urban,
      wageIncome: fen(income.wage, 'incomeYuanPerMonth.wage'),
      businessIncome: fen(income.business, 'incomeYuanPerMonth.business'),
      agriculturalIncome: fen(income.agricultural, 'incomeYuanPerMonth.agricultural'),
      propertyIncome: fen(income.property, 'incomeYuanPerMonth.property'),
      remittanceIncome: fen(income.remittance, 'incomeYuanPerMonth.remittance'),
      pensionIncome: fen(income.pension, 'incomeYuanPerMonth.pension'),
      transferIncome: fen(income.transfer, 'incomeYuanPerMonth.transfer'),
      exemptIncome: 0,
      medicalExpenseAnnual: fen(spending.medical, 'spendingYuanPerYear.medical'),
      educationExpenseAnnual: fen(spending.education, 'spendingYuanPerYear.education'),
      pensionContributionAnnual: fen(spending.pensionContribution, 'spendingYuanPerYear.pensionContribution'),
      // Unknown deposits stay unknown: dibao then says it needs them instead of guessing.
      financialAssets:
        property.depositsYuan === undefined
          ? null
          : yuanToFen(property.depositsYuan, 'property.depositsYuan'),
      housingUnits,
      vehicleCount: property.vehicles ?? 0,
      businessCount: property.businesses ?? 0,
      ownsHome: housingUnits > 0,
      dilapidatedHouse: property.dilapidatedHouse ?? false,
      // A self-check is the resident's own account; verification is the review's business.
      refusedVerification: false,
      publicEmployee: c.publicEmployee ?? false,
      luxuryConsumption: c.luxuryConsumption ?? false,
      recentHousePurchase: c.recentHousePurchase ?? false,
      currentCategories: c.currentCategories ?? [],
      tekunPlacement: 'dispersed',
      suddenHardship: c.suddenHardship ?? 'none',
      suddenLoss: fen(c.suddenLossYuan, 'circumstances.suddenLossYuan'),
      disasterAffected: c.disasterAffected ?? false,
      houseCollapsed: c.houseCollapsed ?? false,
      onlyChildLostOrDisabled: c.onlyChildLostOrDisabled ?? false,
      unionMemberHardship: c.unionMemberHardship ?? false,
    },
    members: input.members.map((m, i) => memberFacts(m, i, today)),
  };
}
