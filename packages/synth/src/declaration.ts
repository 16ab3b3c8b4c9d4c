import { addYears } from './dates.ts';
import { PUBLIC_EMPLOYERS } from './places.ts';
import type {
  AnnualExpenses,
  Assets,
  Declaration,
  DeclaredFigures,
  HiddenItem,
  Person,
  SourceRecord,
  VetoAnswers,
} from './types.ts';

/**
 * The rest of the application form: rigid expenses, exempt income, property income and the veto
 * questions. Everything is derived from what the generator has already drawn (the departmental
 * records, the members, the assets): no random draw here, so adding these lines left every earlier
 * draw, and so every household, record and truth of a seed, exactly as it was.
 *
 * The household answers from its own papers: medical receipts, school fee receipts and insurance
 * payment slips match the departments' records. What it hides (a car, a second home …) it still
 * hides: `recentHousePurchase` looks only at the homes it admits to.
 */

/**
 * 中央确定的城乡居民基本养老保险基础养老金 (123 yuan a month from 2024): not counted as income under
 * 民发〔2021〕57号 art. 11. The Hubei top-up and the personal account part are counted.
 */
export const CENTRAL_BASIC_PENSION_FEN = 12_300;
/** Lowest tier of the resident pension scheme: paid by the government for assisted households (代缴). */
const RESIDENT_TIER_PAID_FOR_ASSISTED_FEN = 20_000;

export interface FormContext {
  asOf: string;
  /** Enrolled in dibao, tekun or near-dibao: the government pays their lowest resident-pension tier. */
  assisted: boolean;
}

/** Medical, education and social-insurance spending of the last 12 months from the members' records. */
export function annualExpenses(ctx: FormContext, records: readonly SourceRecord[]): AnnualExpenses {
  const yearAgo = addYears(ctx.asOf, -1);
  const out: AnnualExpenses = { medical: 0, education: 0, socialInsurance: 0 };
  for (const r of records) {
    if (r.source === 'medicalClaim') {
      if (r.admissionDate > yearAgo && r.admissionDate <= ctx.asOf) out.medical += r.outOfPocketFen;
    } else if (r.source === 'educationSpending') {
      out.education += r.tuitionFen + r.boardingFen;
    } else if (r.source === 'socialInsurance') {
      const paidForThem =
        ctx.assisted &&
        r.scheme === 'resident' &&
        r.annualContributionFen <= RESIDENT_TIER_PAID_FOR_ASSISTED_FEN;
      if (!paidForThem) out.socialInsurance += r.annualContributionFen;
    }
  }
  return out;
}

/** The exempt part of the declared pensions: the central basic pension of each resident-scheme pensioner. */
export function exemptMonthly(records: readonly SourceRecord[]): number {
  let exempt = 0;
  for (const r of records) {
    if (r.source === 'socialInsurance' && r.scheme === 'resident' && r.status === 'receivingPension')
      exempt += Math.min(r.monthlyPensionFen, CENTRAL_BASIC_PENSION_FEN);
  }
  return exempt;
}

export function vetoAnswers(
  ctx: FormContext,
  members: readonly Person[],
  assets: Assets,
  hidden: readonly HiddenItem[],
): VetoAnswers {
  const hiddenIds = new Set(hidden.map((h) => h.assetId));
  const twoYearsAgo = addYears(ctx.asOf, -2);
  return {
    publicEmployee: members.some(
      (p) =>
        p.deathDate === null &&
        p.employment === 'localEmployee' &&
        p.formalEmployment &&
        p.employerName !== null &&
        PUBLIC_EMPLOYERS.has(p.employerName),
    ),
    // A homestead certificate is not a purchase; a flat or shop registered in the last two years is.
    recentHousePurchase: assets.properties.some(
      (p) => !hiddenIds.has(p.id) && p.use !== 'homestead' && p.registeredOn > twoYearsAgo,
    ),
    // Not modelled as behaviour; and no household says "yes, I refuse" or "yes, I live lavishly".
    luxuryConsumption: false,
    refusedVerification: false,
  };
}

/** The full form: the drawn figures plus the lines derived from records, members and assets. */
export function completeDeclaration(
  ctx: FormContext,
  figures: DeclaredFigures,
  members: readonly Person[],
  records: readonly SourceRecord[],
  assets: Assets,
  hidden: readonly HiddenItem[],
): Declaration {
  return {
    ...figures,
    exemptMonthlyFen: Math.min(exemptMonthly(records), figures.monthlyIncomeFen.pensions),
    propertyMonthlyFen: 0,
    annualExpensesFen: annualExpenses(ctx, records),
    answers: vetoAnswers(ctx, members, assets, hidden),
  };
}
