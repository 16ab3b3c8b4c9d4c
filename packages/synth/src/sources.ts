import { addYears, ageOn, maxDate, minDate, randomDate } from './dates.ts';
import type { EventOutcome } from './events.ts';
import { makeMedicalClaims } from './medical.ts';
import { schoolName } from './places.ts';
import type { Rng } from './random.ts';
import type {
  Assets,
  EducationSpendingRecord,
  Household,
  IncomeByType,
  Person,
  SchoolingStage,
  SchoolStatusRecord,
  SourceRecord,
} from './types.ts';

/**
 * Departmental records, derived from the truth as each department sees it: police see hukou and
 * deaths, tax sees contracted wages, human resources sees insurance and pensions, and so on. What a
 * department cannot see (casual wages, remittances, unregistered homesteads) is absent — as in life.
 */
const YUAN = 100;

export interface SourceContext {
  rng: Rng;
  asOf: string;
  townshipName: string;
  assisted: boolean;
}

/** Annual comprehensive-income tax on wages (2019 schedule), after the 60,000-yuan basic deduction and insurance. */
export function annualWageTaxFen(annualWagesFen: number): number {
  const insurance = Math.round(annualWagesFen * 0.105);
  const taxable = annualWagesFen - 60_000 * YUAN - insurance;
  if (taxable <= 0) return 0;
  const brackets: [number, number, number][] = [
    [36_000, 3, 0],
    [144_000, 10, 2_520],
    [300_000, 20, 16_920],
    [420_000, 25, 31_920],
    [660_000, 30, 52_920],
    [960_000, 35, 85_920],
    [Number.MAX_SAFE_INTEGER, 45, 181_920],
  ];
  for (const [limit, rate, quick] of brackets) {
    if (taxable <= limit * YUAN) return Math.max(0, Math.round((taxable * rate) / 100) - quick * YUAN);
  }
  return 0;
}

function schoolYear(asOf: string): string {
  const y = Number(asOf.slice(0, 4));
  const start = Number(asOf.slice(5, 7)) >= 9 ? y : y - 1;
  return `${start}-${start + 1}`;
}

/** Yearly fees (yuan): compulsory schooling is tuition-free; Hubei general high school ~1,600; college 5,000–6,500, private more. */
function fees(rng: Rng, stage: SchoolingStage): { tuition: number; boarding: number; other: number } {
  switch (stage) {
    case 'preschool':
      return {
        tuition: rng.chance(0.5) ? 1_500 : rng.int(3_000, 7_000),
        boarding: 0,
        other: rng.int(1_000, 2_500),
      };
    case 'primary':
      return { tuition: 0, boarding: rng.chance(0.2) ? rng.int(400, 800) : 0, other: rng.int(300, 1_200) };
    case 'junior':
      return { tuition: 0, boarding: rng.chance(0.6) ? rng.int(500, 1_000) : 0, other: rng.int(600, 1_800) };
    case 'senior':
      return { tuition: 1_600, boarding: rng.int(600, 1_200), other: rng.int(1_500, 4_000) };
    case 'vocational':
      return { tuition: 0, boarding: rng.int(600, 1_200), other: rng.int(1_000, 3_000) };
    case 'college':
      return rng.chance(0.2)
        ? { tuition: rng.int(15_000, 30_000), boarding: rng.int(1_500, 3_000), other: rng.int(3_000, 6_000) }
        : { tuition: rng.int(5_000, 6_500), boarding: rng.int(1_000, 1_500), other: rng.int(2_000, 4_000) };
  }
}

export function makeSourceRecords(
  ctx: SourceContext,
  household: Omit<Household, 'declared' | 'enrolments'>,
  incomes: readonly IncomeByType[],
  assets: Assets,
  outcome: EventOutcome,
): SourceRecord[] {
  const { rng, asOf } = ctx;
  const records: SourceRecord[] = [];
  let n = 0;
  const rid = () => `${household.id}-R${++n}`;
  const taxYear = Number(asOf.slice(0, 4)) - 1;
  const lossDates = new Map(
    outcome.events.filter((e) => e.kind === 'jobLoss').map((e) => [e.personId, e.date]),
  );

  household.members.forEach((p, i) => {
    const income = incomes[i] as IncomeByType;
    const age = ageOn(p.birthDate, asOf);
    const base = { idNumber: p.idNumber, name: p.name };

    // Hukou: a birth registration, or a move-in at marriage for those who married in.
    const countyCode = household.countyCode;
    const movedIn =
      p.relationship === 'spouse' ||
      p.relationship === 'daughterInLaw' ||
      p.idNumber.slice(0, 6) !== countyCode;
    const marriedOn = minDate(asOf, addYears(p.birthDate, rng.int(20, 28)));
    records.push({
      source: 'hukou',
      recordId: rid(),
      ...base,
      householdNumber: household.householdNumber,
      relationship: p.relationship,
      sex: p.sex,
      birthDate: p.birthDate,
      event: movedIn ? 'moveIn' : 'birth',
      eventDate: movedIn ? maxDate(p.birthDate, marriedOn) : p.birthDate,
      fromRegion: movedIn ? p.idNumber.slice(0, 6) : null,
      toRegion: p.hukouRegion,
      hukouRegion: p.hukouRegion,
    });
    if (p.deathDate) {
      records.push({
        source: 'hukou',
        recordId: rid(),
        ...base,
        householdNumber: household.householdNumber,
        relationship: p.relationship,
        sex: p.sex,
        birthDate: p.birthDate,
        event: 'deregistration',
        eventDate: p.deathDate,
        fromRegion: p.hukouRegion,
        toRegion: null,
        hukouRegion: p.hukouRegion,
      });
      // Hubei's funeral reform made cremation the rule; accidents are a larger share of deaths under 60.
      records.push({
        source: 'death',
        recordId: rid(),
        ...base,
        deathDate: p.deathDate,
        cause: age < 60 && rng.chance(0.45) ? 'accident' : rng.chance(0.95) ? 'illness' : 'other',
        cremated: rng.chance(0.9),
      });
    }

    // Tax: contracted workers' wages of last year (withholding declarations list every employee).
    const wages = outcome.formerWagesFen.get(p.id) ?? income.wages;
    const lossDate = lossDates.get(p.id);
    if (p.formalEmployment && p.employerName && wages > 0) {
      const months = lossDate && Number(lossDate.slice(0, 4)) === taxYear ? Number(lossDate.slice(5, 7)) : 12;
      const annual = Math.round((wages * months * rng.int(95, 108)) / 100);
      records.push({
        source: 'tax',
        recordId: rid(),
        ...base,
        year: taxYear,
        employerName: p.employerName,
        wageIncomeFen: annual,
        taxPaidFen: annualWageTaxFen(annual),
      });
    }

    // Social insurance: employee scheme for the contracted and retired, resident scheme for the rest.
    if (age >= 16 && p.schooling === null && p.deathDate === null) {
      const contracted =
        p.formalEmployment && (p.employment === 'localEmployee' || p.employment === 'migrantWorker');
      const pensionSince = maxDate(addYears(p.birthDate, 60), '2011-07-01');
      if (contracted) {
        records.push({
          source: 'socialInsurance',
          recordId: rid(),
          ...base,
          scheme: 'employee',
          status: 'contributing',
          annualContributionFen: Math.round(Math.max(wages, 3_800 * YUAN) * 0.08) * 12,
          monthlyPensionFen: 0,
          unemploymentBenefitMonthlyFen: 0,
          statusSince: randomDate(rng, addYears(asOf, -10), addYears(asOf, -1)),
        });
      } else if (lossDate && p.formalEmployment) {
        records.push({
          source: 'socialInsurance',
          recordId: rid(),
          ...base,
          scheme: 'employee',
          status: 'suspended',
          annualContributionFen: 0,
          monthlyPensionFen: 0,
          unemploymentBenefitMonthlyFen: outcome.unemploymentBenefitFen.get(p.id) ?? 0,
          statusSince: lossDate,
        });
      } else if (p.employment === 'retired') {
        const retiredOn = minDate(asOf, addYears(p.birthDate, p.sex === 'male' ? 60 : 50));
        records.push({
          source: 'socialInsurance',
          recordId: rid(),
          ...base,
          scheme: 'employee',
          status: 'receivingPension',
          annualContributionFen: 0,
          monthlyPensionFen: income.pensions,
          unemploymentBenefitMonthlyFen: 0,
          statusSince: retiredOn,
        });
      } else if (age >= 60) {
        records.push({
          source: 'socialInsurance',
          recordId: rid(),
          ...base,
          scheme: 'resident',
          status: 'receivingPension',
          annualContributionFen: 0,
          monthlyPensionFen: income.pensions,
          unemploymentBenefitMonthlyFen: 0,
          statusSince: minDate(asOf, pensionSince),
        });
      } else if (rng.chance(0.92)) {
        // The government pays the lowest tier (200 yuan) for assisted households; others choose 200–1,000.
        const tier = ctx.assisted ? 200 : rng.pick([200, 200, 300, 500, 1_000]);
        records.push({
          source: 'socialInsurance',
          recordId: rid(),
          ...base,
          scheme: 'resident',
          status: 'contributing',
          annualContributionFen: tier * YUAN,
          monthlyPensionFen: 0,
          unemploymentBenefitMonthlyFen: 0,
          statusSince: randomDate(rng, maxDate(addYears(p.birthDate, 16), '2011-07-01'), asOf),
        });
      }
      // Housing provident fund: public units and larger firms deposit 2 × 5–12% of wages.
      const fundShare = p.employment === 'localEmployee' ? (household.urban ? 0.6 : 0.35) : 0.25;
      if ((contracted || (lossDate && p.formalEmployment)) && rng.chance(fundShare)) {
        const monthly = contracted ? Math.round((wages * 2 * rng.int(5, 12)) / 100) : 0;
        const months = rng.int(6, 120);
        records.push({
          source: 'providentFund',
          recordId: rid(),
          ...base,
          employerName: p.employerName ?? '',
          monthlyDepositFen: monthly,
          balanceFen: Math.round(wages * 0.16) * months,
        });
      }
    }

    if (p.disability) {
      records.push({
        source: 'disabilityCertificate',
        recordId: rid(),
        ...base,
        certificateNumber: p.disability.certificateNumber,
        type: p.disability.type,
        grade: p.disability.grade,
        issuedOn: p.disability.issuedOn,
      });
    }
    records.push(...makeMedicalClaims(rng, p, asOf, ctx.assisted, rid));
    if (p.schooling && p.deathDate === null) records.push(educationRecord(ctx, p, p.schooling, rid()));
    else if (p.deathDate === null && age >= 15 && age <= 17)
      records.push(schoolLeaving(ctx, p, age, `${household.id}-S${i}`));
  });

  const owner = (personId: string) => household.members.find((m) => m.id === personId) as Person;
  for (const d of assets.deposits) {
    const o = owner(d.personId);
    records.push({
      source: 'bankDeposit',
      recordId: rid(),
      idNumber: o.idNumber,
      name: o.name,
      assetId: d.id,
      bank: d.bank,
      kind: d.kind,
      balanceFen: d.balanceFen,
      balanceOn: asOf,
    });
  }
  for (const prop of assets.properties) {
    const o = owner(prop.personId);
    records.push({
      source: 'realEstate',
      recordId: rid(),
      idNumber: o.idNumber,
      name: o.name,
      assetId: prop.id,
      certificateNumber: prop.certificateNumber,
      location: prop.location,
      areaCentiM2: prop.areaCentiM2,
      use: prop.use,
      registeredOn: prop.registeredOn,
    });
  }
  for (const v of assets.vehicles) {
    const o = owner(v.personId);
    records.push({
      source: 'vehicle',
      recordId: rid(),
      idNumber: o.idNumber,
      name: o.name,
      assetId: v.id,
      plate: v.plate,
      kind: v.kind,
      brand: v.brand,
      purchasePriceFen: v.purchasePriceFen,
      registeredOn: v.registeredOn,
      disabilityVehicle: v.disabilityVehicle,
    });
  }
  for (const b of assets.businesses) {
    const o = owner(b.personId);
    records.push({
      source: 'business',
      recordId: rid(),
      idNumber: o.idNumber,
      name: o.name,
      assetId: b.id,
      entityName: b.entityName,
      creditCode: b.creditCode,
      entityType: b.entityType,
      role: b.role,
      registeredCapitalFen: b.registeredCapitalFen,
      registeredOn: b.registeredOn,
    });
  }
  return records;
}

const LEAVING_REASONS = ['家庭经济困难', '厌学', '外出务工', '照顾患病家人'] as const;

/**
 * A 15–17-year-old out of school left it some day in the year before `asOf`: derived from the
 * person's ID number (no random draw, so adding this feed changes no other generated value), with
 * its own record ids (`<household>-S<member>`) so no other record is renumbered.
 */
function schoolLeaving(ctx: SourceContext, p: Person, age: number, recordId: string): SchoolStatusRecord {
  const digits = [...p.idNumber.slice(0, 17)].reduce((sum, d) => sum + Number(d), 0);
  const daysAgo = 1 + ((digits * 37) % 360);
  const changeDate = new Date(Date.parse(`${ctx.asOf}T00:00:00Z`) - daysAgo * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const stage: SchoolingStage = age <= 15 ? 'junior' : digits % 3 === 0 ? 'vocational' : 'senior';
  return {
    source: 'schoolStatus',
    recordId,
    idNumber: p.idNumber,
    name: p.name,
    schoolName: `${ctx.townshipName}${stage === 'junior' ? '初级中学' : stage === 'vocational' ? '职业技术学校' : '高级中学'}`,
    stage,
    changeType: 'dropout',
    changeDate,
    reason: LEAVING_REASONS[digits % LEAVING_REASONS.length] as string,
  };
}

function educationRecord(
  ctx: SourceContext,
  p: Person,
  stage: SchoolingStage,
  recordId: string,
): EducationSpendingRecord {
  const f = fees(ctx.rng, stage);
  return {
    source: 'educationSpending',
    recordId,
    idNumber: p.idNumber,
    name: p.name,
    schoolName: schoolName(ctx.rng, stage, ctx.townshipName),
    stage,
    schoolYear: schoolYear(ctx.asOf),
    tuitionFen: f.tuition * YUAN,
    boardingFen: f.boarding * YUAN,
    otherFeesFen: f.other * YUAN,
  };
}
