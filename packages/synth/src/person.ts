import { addYears, birthDateForAge, randomDate } from './dates.ts';
import type { MemberPlan } from './household.ts';
import { DISABILITY_TYPE_DIGIT, mobilePhone } from './identifiers.ts';
import type { IdAllocator } from './idNumbers.ts';
import { fullName } from './names.ts';
import { SERIOUS_DIAGNOSES } from './places.ts';
import { type Rng, Weighted } from './random.ts';
import { OTHER_HUBEI_BIRTH_REGIONS } from './regions.ts';
import type {
  CareDependency,
  DailyTask,
  DisabilityCertificate,
  DisabilityGrade,
  DisabilityType,
  HealthCondition,
  Person,
  SchoolingStage,
  SeriousIllness,
  WorkCapacity,
} from './types.ts';

/**
 * Disability prevalence by age, tuned so ~6.5% of persons hold a certificate, close to the 6.34%
 * prevalence of the 2006 Second National Sample Survey on Disability, which rises steeply with age
 * (most disability among the old is hearing, sight and mobility). Nationally fewer hold a
 * certificate (~38 million); the brief asks for the survey rate so every certificate is issued here.
 */
export function disabilityRate(age: number): number {
  if (age < 18) return 0.011;
  if (age < 45) return 0.027;
  if (age < 60) return 0.055;
  if (age < 70) return 0.09;
  if (age < 80) return 0.15;
  return 0.24;
}

/** Type shares by age group, after the 2006 survey (physical 29%, hearing 24%, multiple 16%, visual 15%…). */
// biome-ignore format: compact table, one row per line would hide the data
const TYPE_CHILD = new Weighted<DisabilityType>([
  ['intellectual', 30], ['multiple', 20], ['hearing', 14], ['speech', 10], ['physical', 16], ['mental', 4], ['visual', 6],
]);
// biome-ignore format: compact table, one row per line would hide the data
const TYPE_ADULT = new Weighted<DisabilityType>([
  ['physical', 33], ['hearing', 16], ['visual', 14], ['multiple', 14], ['mental', 12], ['intellectual', 8], ['speech', 3],
]);
// biome-ignore format: compact table, one row per line would hide the data
const TYPE_OLD = new Weighted<DisabilityType>([
  ['physical', 30], ['hearing', 28], ['visual', 21], ['multiple', 16], ['mental', 3], ['intellectual', 1], ['speech', 1],
]);
/** Grades among certificate holders: severe (1–2) about 40%, as in CDPF statistical yearbooks. */
const GRADES = new Weighted<DisabilityGrade>([
  [1, 13],
  [2, 27],
  [3, 28],
  [4, 32],
]);

/** Serious illness (cancer, uraemia, stroke…) by age; ~2.5% of all persons. */
export function seriousIllnessRate(age: number): number {
  if (age < 18) return 0.002;
  if (age < 45) return 0.006;
  if (age < 60) return 0.024;
  if (age < 75) return 0.045;
  return 0.055;
}

/** Chronic disease (hypertension, diabetes, COPD) — widespread among the rural old. */
function chronicRate(age: number): number {
  if (age < 18) return 0.01;
  if (age < 45) return 0.04;
  if (age < 60) return 0.16;
  return 0.42;
}

export interface PersonContext {
  rng: Rng;
  ids: IdAllocator;
  asOf: string;
  householdId: string;
  countyCode: string;
  villageCode: string;
  villageName: string;
  urban: boolean;
  /** Raises disability and illness odds in households enrolled for hardship. */
  frailty: number;
}

export type Forced = 'disability' | 'severeDisability' | 'seriousIllness' | null;

function birthRegion(ctx: PersonContext, plan: MemberPlan): string {
  // Wives who married in: a third come from other Hubei counties; others from the same county.
  const p = plan.marriedIn ? 0.35 : 0.03;
  return ctx.rng.chance(p) ? OTHER_HUBEI_BIRTH_REGIONS.draw(ctx.rng) : ctx.countyCode;
}

function disability(
  ctx: PersonContext,
  age: number,
  forced: Forced,
  idNumber: string,
  birthDate: string,
): DisabilityCertificate | null {
  const { rng } = ctx;
  if (
    forced !== 'disability' &&
    forced !== 'severeDisability' &&
    !rng.chance(disabilityRate(age) * ctx.frailty)
  )
    return null;
  const type = (age < 18 ? TYPE_CHILD : age < 65 ? TYPE_ADULT : TYPE_OLD).draw(rng);
  let grade = GRADES.draw(rng);
  if (forced === 'severeDisability') grade = rng.chance(0.5) ? 1 : 2;
  // Certificates are renewed; the current one was issued within the last 10 years (~10% last year).
  const issuedOn = randomDate(
    rng,
    addYears(ctx.asOf, -10) > birthDate ? addYears(ctx.asOf, -10) : birthDate,
    ctx.asOf,
  );
  return { certificateNumber: `${idNumber}${DISABILITY_TYPE_DIGIT[type]}${grade}`, type, grade, issuedOn };
}

function seriousIllness(
  ctx: PersonContext,
  age: number,
  forced: Forced,
  birthDate: string,
): SeriousIllness | null {
  const { rng } = ctx;
  if (forced !== 'seriousIllness' && !rng.chance(seriousIllnessRate(age) * ctx.frailty)) return null;
  const d = SERIOUS_DIAGNOSES.draw(rng);
  // About a third were diagnosed within the last year: those are the monitoring's new-illness events.
  const from = rng.chance(0.33) ? addYears(ctx.asOf, -1) : addYears(ctx.asOf, -6);
  return {
    diagnosis: d.name,
    icd10: d.icd10,
    diagnosedOn: randomDate(rng, from > birthDate ? from : birthDate, ctx.asOf),
  };
}

/**
 * Schooling by age: near-universal compulsory education; ~88% kindergarten attendance at 3–5;
 * at 15–17 roughly 6:4 general to vocational upper secondary; ~45% of 18–21-year-olds in college
 * (Hubei's gross higher-education enrolment is above 60%, lower for rural youth).
 */
function schooling(rng: Rng, age: number, urban: boolean, capacity: WorkCapacity): SchoolingStage | null {
  if (age < 3) return null;
  if (age <= 5) return rng.chance(0.88) ? 'preschool' : null;
  if (age <= 11) return 'primary';
  if (age <= 14) return 'junior';
  if (age <= 17) {
    const x = rng.float();
    if (capacity === 'none' && rng.chance(0.5)) return null;
    return x < (urban ? 0.66 : 0.56) ? 'senior' : x < 0.94 ? 'vocational' : null;
  }
  if (age <= 21) return rng.chance(urban ? 0.6 : 0.45) && capacity !== 'none' ? 'college' : null;
  return null;
}

/** Work capacity from age, disability and illness (the Balinzuo rules make these the inputs). */
function workCapacity(
  rng: Rng,
  age: number,
  health: HealthCondition,
  dis: DisabilityCertificate | null,
): WorkCapacity {
  if (age < 16 || age >= 70) return 'none';
  if (dis) {
    if (dis.grade <= 2) return 'none';
    if ((dis.type === 'intellectual' || dis.type === 'mental') && dis.grade === 3) return 'none';
    return 'partial';
  }
  if (health === 'seriousIllness') return rng.chance(0.6) ? 'none' : 'partial';
  if (age >= 60) return 'partial';
  if (health === 'chronicIllness' && age >= 45 && rng.chance(0.5)) return 'partial';
  return 'full';
}

/** Katz order: bathing is lost first, eating last. */
const TASK_LOSS_ORDER: readonly DailyTask[] = [
  'bathing',
  'dressing',
  'toilet',
  'walkingIndoors',
  'bedTransfer',
  'eating',
];

/**
 * Care dependency for the old and the disabled. Rates follow CLASS/CHARLS findings: a few percent
 * of people in their 60s need help with a daily task, a quarter of those over 80; severe disability
 * and grave illness raise the odds.
 */
function care(
  rng: Rng,
  age: number,
  health: HealthCondition,
  dis: DisabilityCertificate | null,
): CareDependency | null {
  if (age < 60 && !dis) return null;
  let p = age >= 80 ? 0.25 : age >= 70 ? 0.08 : age >= 60 ? 0.03 : 0.02;
  if (dis) p += dis.grade === 1 ? 0.6 : dis.grade === 2 ? 0.3 : dis.grade === 3 ? 0.08 : 0;
  if (health === 'seriousIllness') p += 0.15;
  const lost = rng.chance(Math.min(0.95, p)) ? rng.int(1, 6) : 0;
  const result = {} as CareDependency;
  TASK_LOSS_ORDER.forEach((task, i) => {
    result[task] = i >= lost;
  });
  return result;
}

/** Phones: almost every adult; fewer of the very old (CNNIC: rural internet use drops past 70). */
function phone(rng: Rng, age: number): string | null {
  const p = age < 14 ? 0 : age < 18 ? 0.7 : age < 70 ? 0.97 : age < 80 ? 0.75 : 0.45;
  return rng.chance(p) ? mobilePhone(rng) : null;
}

/**
 * A person with everything except employment, income and residence (set by `employment.ts`, which
 * needs the whole household). Consumes the random stream in a fixed order.
 */
export function makePerson(ctx: PersonContext, plan: MemberPlan, n: number, forced: Forced): Person {
  const { rng, asOf } = ctx;
  const region = birthRegion(ctx, plan);
  const drawn = birthDateForAge(rng, plan.age, asOf);
  const { idNumber, birthDate } = ctx.ids.issue(region, drawn, plan.sex);
  const name = fullName(rng, plan.surname, plan.sex, Number(birthDate.slice(0, 4)));
  const dis = disability(ctx, plan.age, forced, idNumber, birthDate);
  const illness = seriousIllness(ctx, plan.age, forced, birthDate);
  const health: HealthCondition = illness
    ? 'seriousIllness'
    : rng.chance(chronicRate(plan.age) * Math.min(2, ctx.frailty))
      ? 'chronicIllness'
      : 'healthy';
  const capacity = workCapacity(rng, plan.age, health, dis);
  return {
    id: `${ctx.householdId}-${n}`,
    householdId: ctx.householdId,
    name,
    sex: plan.sex,
    birthDate,
    idNumber,
    relationship: plan.relationship,
    maritalStatus: plan.marital,
    phone: phone(rng, plan.age),
    hukouRegion: ctx.villageCode,
    residenceRegion: ctx.villageCode,
    residenceRegionName: ctx.villageName,
    health,
    seriousIllness: illness,
    disability: dis,
    workCapacity: capacity,
    employment: 'notWorking',
    formalEmployment: false,
    employerName: null,
    schooling: schooling(rng, plan.age, ctx.urban, capacity),
    care: care(rng, plan.age, health, dis),
    deathDate: null,
  };
}
