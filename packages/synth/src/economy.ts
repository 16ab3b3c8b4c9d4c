import { ageOn } from './dates.ts';
import type { Rng } from './random.ts';
import type { AssistanceCategory, HouseholdStructure, IncomeByType, Person } from './types.ts';

/**
 * True monthly income (fen) per person. Medians (yuan/month) and their basis:
 *  - migrant wages 5,200 outside Hubei, 4,300 inside: NBS 2023 migrant-worker survey (4,780 national average);
 *  - local employees 2,900 rural / 3,400 urban: Hubei county wages, minimum wage tier III ~1,800–2,000;
 *  - casual work 1,700: day labour on construction and harvest, irregular;
 *  - self-employed business 4,000 net (shops, transport, repair);
 *  - farming 900 per working farmer, side jobs in the slack season included (兼业): Hubei rural
 *    operating income is ~6,000 yuan per capita a year;
 *  - resident basic pension 150–350: central 123 + Hubei top-up + personal account (2024);
 *  - employee pension 3,300 (urban retirees; village teachers and cadres 4,000).
 * Incomes are log-normal around the median (spread σ ≈ 0.3–0.5 on log scale).
 */
const YUAN = 100;

export function emptyIncome(): IncomeByType {
  return { wages: 0, remittances: 0, business: 0, agricultural: 0, pensions: 0, transfers: 0 };
}

export function sumIncome(parts: readonly IncomeByType[]): IncomeByType {
  const total = emptyIncome();
  for (const p of parts) {
    total.wages += p.wages;
    total.remittances += p.remittances;
    total.business += p.business;
    total.agricultural += p.agricultural;
    total.pensions += p.pensions;
    total.transfers += p.transfers;
  }
  return total;
}

export function incomeTotal(i: IncomeByType): number {
  return i.wages + i.remittances + i.business + i.agricultural + i.pensions + i.transfers;
}

/** Income types that move with earning power (scaled when shaping an enrolled household's income). */
export const EARNED_TYPES = ['wages', 'remittances', 'business', 'agricultural'] as const;

export interface IncomeContext {
  rng: Rng;
  asOf: string;
  urban: boolean;
  structure: HouseholdStructure;
  category: AssistanceCategory | null;
}

function personIncome(ctx: IncomeContext, p: Person): IncomeByType {
  const { rng, asOf, urban } = ctx;
  const age = ageOn(p.birthDate, asOf);
  const income = emptyIncome();
  const yuan = (median: number, sigma: number) => rng.logNormal(median * YUAN, sigma, 0);
  switch (p.employment) {
    case 'migrantWorker':
      income.wages = yuan(p.residenceRegion.startsWith('42') ? 4_300 : 5_200, 0.3);
      break;
    case 'localEmployee':
      income.wages = yuan(urban ? 3_400 : 2_900, 0.3);
      break;
    case 'casualWork':
      income.wages = yuan(1_700, 0.4);
      break;
    case 'selfEmployed':
      income.business = yuan(4_000, 0.5);
      break;
    case 'farming':
      income.agricultural = Math.round(
        yuan(900, 0.5) * (p.workCapacity === 'partial' ? 0.55 : 1) * (age >= 70 ? 0.5 : 1),
      );
      break;
    case 'retired':
      income.pensions = yuan(urban ? 3_300 : 4_000, 0.25);
      break;
    default:
      break;
  }
  if (age >= 60 && p.employment !== 'retired') income.pensions = rng.int(150, 350) * YUAN;
  // 高龄津贴 (old-age allowance): Hubei pays from 80, more from 90 and 100.
  if (age >= 80) income.transfers += (age >= 100 ? 300 : age >= 90 ? 100 : 50) * YUAN;
  // 重度残疾人护理补贴 for grades 1–2 (about 90 yuan a month in Hubei).
  if (p.disability && p.disability.grade <= 2) income.transfers += 90 * YUAN;
  return income;
}

/** Per-person incomes, plus household-level remittances and farmland subsidy on the head. */
export function makeIncomes(ctx: IncomeContext, members: readonly Person[]): IncomeByType[] {
  const { rng, structure } = ctx;
  const incomes = members.map((p) => personIncome(ctx, p));
  const head = incomes[0] as IncomeByType;
  // Remittances: children whose hukou is elsewhere send money to parents who stay behind, and more
  // where the grandparents raise their grandchildren.
  if (structure === 'elderlyAlone' || structure === 'elderlyCouple') {
    if (rng.chance(0.85)) head.remittances = rng.logNormal(700 * YUAN, 0.6, 50 * YUAN);
  } else if (structure === 'skippedGeneration') {
    head.remittances = rng.logNormal(1_400 * YUAN, 0.45, 200 * YUAN);
  }
  // 耕地地力保护补贴: about 100–130 yuan per mu a year on 3–6 mu.
  if (members.some((p) => p.employment === 'farming')) head.transfers += rng.int(25, 65) * YUAN;
  return incomes;
}

/**
 * Scales earned income so the household's per-capita income falls in [low, high) × standard. Pensions
 * and transfers stay as they are (they are fixed by policy).
 */
export function scaleToBand(
  incomes: IncomeByType[],
  living: number,
  standard: number,
  low: number,
  high: number,
  rng: Rng,
): void {
  const total = incomeTotal(sumIncome(incomes));
  const fixed = incomes.reduce((s, i) => s + i.pensions + i.transfers, 0);
  const earned = total - fixed;
  const target = Math.round((low + (high - low) * rng.float()) * standard * living);
  if (earned <= 0 || target <= fixed) {
    if (target <= fixed) for (const i of incomes) for (const k of EARNED_TYPES) i[k] = Math.round(i[k] * 0.2);
    return;
  }
  const factor = (target - fixed) / earned;
  for (const i of incomes) for (const k of EARNED_TYPES) i[k] = Math.round(i[k] * factor);
}
