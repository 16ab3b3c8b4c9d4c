import { addYears, ageOn, randomDate } from './dates.ts';
import { emptyIncome } from './economy.ts';
import type { Rng } from './random.ts';
import type { Assets, DeclaredFigures, HardshipEvent, HiddenItem, IncomeByType, Person } from './types.ts';

/**
 * Hardship events in the year before `asOf` — the triggers the monitoring must catch (Zhejiang:
 * serious illness, disability change, job loss, death; Yueqing: death of the main earner aged 18–60).
 * Serious-illness and disability events come from persons diagnosed or certified within the year
 * (set in person.ts); job loss and earner death are drawn here. Rates:
 *  - job loss: 4% a year of contracted workers (urban surveyed unemployment ~5%, part of it new);
 *    only contracted workers, because only they leave a trace in social-insurance data;
 *  - death of a working-age earner: 0.3% of households a year (mortality at 18–60 is ~2‰ a person);
 *  - deaths of the old (75+, not the head): 3.5% a year — a dated death record, no hardship event.
 */
const YUAN = 100;
export const JOB_LOSS_RATE = 0.04;
export const EARNER_DEATH_RATE = 0.003;
const ELDERLY_DEATH_RATE = 0.035;

export interface EventContext {
  rng: Rng;
  asOf: string;
}

function withinLastYear(rng: Rng, asOf: string): string {
  return randomDate(rng, addYears(asOf, -1), asOf);
}

export interface EventOutcome {
  events: HardshipEvent[];
  /** Monthly wages (fen) before a job loss or death: last year's tax and insurance records still show them. */
  formerWagesFen: Map<string, number>;
  /** Monthly unemployment benefit (fen) by person. */
  unemploymentBenefitFen: Map<string, number>;
}

/** Mutates members and incomes; returns the events (with dates) for the ground truth. */
export function drawEvents(ctx: EventContext, members: Person[], incomes: IncomeByType[]): EventOutcome {
  const { rng, asOf } = ctx;
  const events: HardshipEvent[] = [];
  const formerWagesFen = new Map<string, number>();
  const unemploymentBenefitFen = new Map<string, number>();
  const yearAgo = addYears(asOf, -1);
  for (const p of members) {
    if (p.seriousIllness && p.seriousIllness.diagnosedOn > yearAgo) {
      events.push({ kind: 'seriousIllness', personId: p.id, date: p.seriousIllness.diagnosedOn });
    }
    if (p.disability && p.disability.issuedOn > yearAgo) {
      events.push({ kind: 'disability', personId: p.id, date: p.disability.issuedOn });
    }
  }
  members.forEach((p, i) => {
    const contracted =
      p.formalEmployment && (p.employment === 'localEmployee' || p.employment === 'migrantWorker');
    if (contracted && rng.chance(JOB_LOSS_RATE)) {
      const date = withinLastYear(rng, asOf);
      p.employment = 'unemployed';
      const income = incomes[i] as IncomeByType;
      formerWagesFen.set(p.id, income.wages);
      income.wages = 0;
      // 失业保险金: about 90% of the local minimum wage, for those who contributed a year or more.
      if (rng.chance(0.6)) {
        const benefit = rng.int(1_500, 1_800) * YUAN;
        income.transfers += benefit;
        unemploymentBenefitFen.set(p.id, benefit);
      }
      events.push({ kind: 'jobLoss', personId: p.id, date });
    }
  });

  const earners = members
    .map((p, i) => ({
      p,
      i,
      earned: (incomes[i] as IncomeByType).wages + (incomes[i] as IncomeByType).business,
    }))
    .filter(({ p, earned }) => {
      const age = ageOn(p.birthDate, asOf);
      return age >= 18 && age <= 60 && earned > 0;
    })
    .sort((a, b) => b.earned - a.earned);
  const main = earners[0];
  const spouseOfHead = members.find((p) => p.relationship === 'spouse');
  if (main && (main.p.relationship !== 'head' || spouseOfHead) && rng.chance(EARNER_DEATH_RATE)) {
    const date = withinLastYear(rng, asOf);
    formerWagesFen.set(main.p.id, (incomes[main.i] as IncomeByType).wages);
    die(members, incomes, main.i, date);
    events.push({ kind: 'earnerDeath', personId: main.p.id, date });
  } else {
    members.forEach((p, i) => {
      const parentOrSpouse =
        p.relationship === 'father' || p.relationship === 'mother' || p.relationship === 'spouse';
      if (
        parentOrSpouse &&
        p.deathDate === null &&
        ageOn(p.birthDate, asOf) >= 75 &&
        rng.chance(ELDERLY_DEATH_RATE)
      ) {
        die(members, incomes, i, withinLastYear(rng, asOf));
      }
    });
  }
  return { events, formerWagesFen, unemploymentBenefitFen };
}

/** Records a death: no more income; if the head died, the surviving spouse becomes head. */
function die(members: Person[], incomes: IncomeByType[], index: number, date: string): void {
  const dead = members[index] as Person;
  dead.deathDate = date;
  dead.phone = null;
  incomes[index] = emptyIncome();
  const partner =
    dead.relationship === 'head'
      ? members.find((p) => p.relationship === 'spouse')
      : dead.relationship === 'spouse'
        ? members.find((p) => p.relationship === 'head')
        : dead.relationship === 'father'
          ? members.find((p) => p.relationship === 'mother')
          : dead.relationship === 'mother'
            ? members.find((p) => p.relationship === 'father')
            : undefined;
  if (partner && partner.maritalStatus === 'married') partner.maritalStatus = 'widowed';
  if (dead.relationship === 'head' && partner) {
    // The hukou's head passes to the widow; the late head's parents become in-laws ('other').
    partner.relationship = 'head';
    dead.relationship = 'spouse';
    for (const p of members)
      if (p.relationship === 'father' || p.relationship === 'mother') p.relationship = 'other';
    const from = members.indexOf(partner);
    members.splice(from, 1);
    members.unshift(partner);
    const [partnerIncome] = incomes.splice(from, 1);
    incomes.unshift(partnerIncome as IncomeByType);
  }
}

/**
 * What the household would declare when applying: formal and policy-fixed income as it is, informal
 * income under-stated (people round down remittances and farm income), hidden assets left out.
 */
export function declare(
  rng: Rng,
  incomes: readonly IncomeByType[],
  assets: Assets,
  hidden: readonly HiddenItem[],
  formal: readonly boolean[],
): DeclaredFigures {
  const hiddenIds = new Set(hidden.map((h) => h.assetId));
  const hiddenBusinessIncome = assets.businesses
    .filter((b) => hiddenIds.has(b.id))
    .reduce((s, b) => s + b.monthlyIncomeFen, 0);
  const monthly = emptyIncome();
  const under = (v: number, low: number) => Math.round((v * (low + (1 - low) * rng.float())) / YUAN) * YUAN;
  incomes.forEach((i, n) => {
    monthly.wages += formal[n] ? i.wages : under(i.wages, 0.6);
    monthly.remittances += under(i.remittances, 0.3);
    monthly.agricultural += under(i.agricultural, 0.5);
    monthly.business += i.business;
    monthly.pensions += i.pensions;
    monthly.transfers += i.transfers;
  });
  monthly.business = under(Math.max(0, monthly.business - hiddenBusinessIncome), 0.5);
  const visible = <T extends { id: string }>(items: readonly T[]) =>
    items.filter((x) => !hiddenIds.has(x.id));
  const deposits = visible(assets.deposits);
  return {
    monthlyIncomeFen: monthly,
    depositsFen: under(
      deposits.filter((d) => d.kind === 'deposit').reduce((s, d) => s + d.balanceFen, 0),
      0.7,
    ),
    securitiesFen: deposits.filter((d) => d.kind !== 'deposit').reduce((s, d) => s + d.balanceFen, 0),
    properties: visible(assets.properties).length,
    vehicles: visible(assets.vehicles).length,
    businesses: visible(assets.businesses).length,
  };
}
