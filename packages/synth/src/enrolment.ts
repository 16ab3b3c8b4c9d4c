import { addYears, ageOn, randomDate } from './dates.ts';
import { incomeTotal, scaleToBand, sumIncome } from './economy.ts';
import { type Rng, Weighted } from './random.ts';
import type { AssistanceCategory, DeclaredFigures, Enrolment, IncomeByType, Person } from './types.ts';

/**
 * Shares of households already enrolled, by category. Hubei had ~4–5% of its population on dibao
 * in the early 2020s and rural poverty counties run above the provincial mean; tekun ~0.8%,
 * near-dibao ~2%, relapse-watch (防返贫监测) ~1%, rigid-expenditure hardship ~0.5% (a new category
 * since 2025). Categories are drawn first and the household is then generated to fit, so rates are
 * exact in expectation and enrolled households look like the ones that get enrolled.
 */
export const CATEGORY_SHARES: Readonly<Record<AssistanceCategory, number>> = {
  dibao: 0.045,
  tekun: 0.008,
  nearDibao: 0.02,
  relapseWatch: 0.01,
  expenditureHardship: 0.005,
};

const CATEGORY_TABLE = new Weighted<AssistanceCategory | null>([
  ...(Object.entries(CATEGORY_SHARES) as [AssistanceCategory, number][]),
  [null, 1 - Object.values(CATEGORY_SHARES).reduce((s, v) => s + v, 0)],
]);

export function drawCategory(rng: Rng): AssistanceCategory | null {
  return CATEGORY_TABLE.draw(rng);
}

/** Default monthly standards (fen): illustrative, of the order of Hubei's 2024 averages; the platform holds the real ones. */
export const DEFAULT_DIBAO_STANDARD_FEN = { urban: 78_000, rural: 55_000 };

/**
 * Income band (× the dibao standard, per capita) the generator aims for. About one enrolled
 * household in eight is truly above its band — wrong inclusions the targeting benchmark should see.
 */
const BANDS: Record<AssistanceCategory, [number, number]> = {
  dibao: [0.25, 0.95],
  tekun: [0.2, 0.9],
  nearDibao: [1.0, 1.5],
  relapseWatch: [0.9, 2.0],
  expenditureHardship: [1.2, 2.5],
};
const WRONG_INCLUSION = 0.12;

export function shapeIncome(
  rng: Rng,
  category: AssistanceCategory,
  incomes: IncomeByType[],
  living: number,
  standard: number,
): void {
  if (rng.chance(WRONG_INCLUSION)) return;
  const [low, high] = BANDS[category];
  scaleToBand(incomes, living, standard, low, high, rng);
}

/** Which forced condition the household carries: hardship mostly comes from disability or illness. */
export function forcedCondition(
  rng: Rng,
  category: AssistanceCategory | null,
): 'disability' | 'severeDisability' | 'seriousIllness' | null {
  switch (category) {
    case 'dibao': {
      const x = rng.float();
      return x < 0.4 ? 'disability' : x < 0.62 ? 'seriousIllness' : null;
    }
    case 'tekun':
      return null; // the tekun structure table and `tekunNeeds` below decide
    case 'nearDibao':
    case 'relapseWatch':
      return rng.chance(0.4) ? (rng.chance(0.5) ? 'disability' : 'seriousIllness') : null;
    case 'expenditureHardship':
      return rng.chance(0.75) ? 'seriousIllness' : null;
    default:
      return null;
  }
}

/** Higher odds of disability and illness across all members of enrolled households. */
export function frailty(category: AssistanceCategory | null): number {
  return category === 'dibao' || category === 'tekun' ? 2 : category === null ? 1 : 1.5;
}

/**
 * Cash per month. Dibao fills the gap between the standard and the declared per-capita income (补差),
 * with a floor of 20% of the standard a person so that a small gap still pays. Tekun pays a basic
 * living standard of 1.3× the dibao standard plus a care allowance by care level (Hefei's dispersed
 * rates, from the domain brief: 8,652 / 4,944 / 742 yuan a year). Other categories bring monitoring,
 * services and specialised aid, not a monthly cash benefit, so their amount is 0.
 */
export function enrol(
  rng: Rng,
  category: AssistanceCategory,
  members: readonly Person[],
  declared: DeclaredFigures,
  standard: number,
  asOf: string,
): Enrolment {
  const living = members.filter((p) => p.deathDate === null);
  const earliest = category === 'expenditureHardship' ? addYears(asOf, -1) : addYears(asOf, -9);
  // Payments run from the first of a month.
  const startDate = `${randomDate(rng, earliest, `${asOf.slice(0, 8)}01`).slice(0, 8)}01`;
  if (category === 'tekun') {
    const person = living[0] as Person;
    const lost = person.care ? Object.values(person.care).filter((ok) => !ok).length : 0;
    const careFen = lost >= 4 ? 72_100 : lost >= 1 ? 41_200 : 6_200;
    return {
      category,
      personIds: [person.id],
      startDate,
      monthlyAmountFen: Math.round((standard * 13) / 10) + careFen,
      tekunCare: lost >= 4 && rng.chance(0.4) ? 'institutional' : 'dispersed',
    };
  }
  let monthlyAmountFen = 0;
  if (category === 'dibao') {
    const perCapita = Math.floor(incomeTotal(declared.monthlyIncomeFen) / Math.max(1, living.length));
    const gap = Math.max(standard - perCapita, Math.round(standard / 5));
    monthlyAmountFen = Math.round((gap * living.length) / 100) * 100;
  }
  return { category, personIds: living.map((p) => p.id), startDate, monthlyAmountFen };
}

/** Per-capita true income over living members, in fen. */
export function perCapita(incomes: readonly IncomeByType[], members: readonly Person[]): number {
  const living = members.filter((p) => p.deathDate === null).length;
  return Math.floor(incomeTotal(sumIncome(incomes)) / Math.max(1, living));
}

export function isAdult(p: Person, asOf: string): boolean {
  return ageOn(p.birthDate, asOf) >= 18;
}
