import { addHiddenItem, makeAssets } from './assets.ts';
import { isIsoDate } from './dates.ts';
import { completeDeclaration } from './declaration.ts';
import { makeIncomes } from './economy.ts';
import { assignEmployment } from './employment.ts';
import {
  DEFAULT_DIBAO_STANDARD_FEN,
  drawCategory,
  enrol,
  forcedCondition,
  frailty,
  perCapita,
  shapeIncome,
} from './enrolment.ts';
import { declare, drawEvents } from './events.ts';
import { planMembers, structureTable } from './household.ts';
import { IdAllocator } from './idNumbers.ts';
import { type Forced, makePerson } from './person.ts';
import { Rng, Weighted } from './random.ts';
import { ALL_BIRTH_REGION_CODES, COUNTY_NAMES, villageShortName } from './regions.ts';
import { makeSourceRecords } from './sources.ts';
import type { CountyHousehold, GenerateOptions, HiddenItemKind, Household, Village } from './types.ts';

/**
 * Share of households holding an asset they do not declare (hidden car, second home, large deposit,
 * company role). Set by the brief at 3%: a known fraction lets benchmarks measure how many
 * verification finds.
 */
export const HIDDEN_ASSET_SHARE = 0.03;
const HIDDEN_KINDS = new Weighted<HiddenItemKind>([
  ['car', 30],
  ['secondProperty', 25],
  ['largeDeposit', 30],
  ['companyRole', 15],
]);

/** Community (urban) households weigh more: county-seat communities hold thousands of residents. */
const URBAN_VILLAGE_WEIGHT = 3;

function validate(options: GenerateOptions): void {
  if (!Number.isInteger(options.seed)) throw new Error('seed must be an integer');
  if (!Number.isInteger(options.households) || options.households < 0)
    throw new Error('households must be a non-negative integer');
  if (!isIsoDate(options.asOf)) throw new Error(`asOf must be an ISO date YYYY-MM-DD, got ${options.asOf}`);
  if (options.villages.length === 0) throw new Error('at least one village is needed');
  for (const v of options.villages) {
    if (!/^\d{12}$/.test(v.code)) throw new Error(`village code must have 12 digits: ${v.code}`);
    if (v.townshipCode !== v.code.slice(0, 9))
      throw new Error(`village ${v.code} is not in township ${v.townshipCode}`);
  }
}

function address(rng: Rng, prefix: string, village: Village): string {
  const place = `${prefix}${village.townshipName ?? ''}${villageShortName(village.name)}`;
  if (!village.urban) return `${place}${rng.int(1, 12)}组${rng.int(1, 80)}号`;
  const street = rng.pick(['建设路', '人民路', '解放街', '新街', '幸福路', '府前街']);
  return `${place}${street}${rng.int(1, 400)}号${rng.int(1, 18)}栋${rng.int(1, 3)}单元${rng.int(1, 18)}0${rng.int(1, 4)}室`;
}

/**
 * Generates a county one household at a time. Memory stays flat: nothing is kept between households
 * except the ID allocator's fixed-size counters. Same options → same households, byte for byte.
 */
export function* generateCounty(options: GenerateOptions): Generator<CountyHousehold, void, undefined> {
  validate(options);
  const { asOf } = options;
  const standards = options.dibaoStandardFen ?? DEFAULT_DIBAO_STANDARD_FEN;
  const rng = new Rng(options.seed);
  const counties = [...new Set(options.villages.map((v) => v.code.slice(0, 6)))];
  const ids = new IdAllocator(asOf, [...new Set([...ALL_BIRTH_REGION_CODES, ...counties])]);
  const villages = new Weighted<Village>(
    options.villages.map((v) => [v, v.urban ? URBAN_VILLAGE_WEIGHT : 1]),
  );

  for (let i = 0; i < options.households; i++) {
    const serial = String(i + 1).padStart(7, '0');
    const category = drawCategory(rng);
    const village = villages.draw(rng);
    const countyCode = village.code.slice(0, 6);
    const urban = village.urban;
    const standard = urban ? standards.urban : standards.rural;
    const householdId = `${countyCode}-${serial}`;
    const structure = structureTable(urban, category).draw(rng);
    const plans = planMembers(rng, structure, urban, village.code);

    // Enrolled households carry the condition that made them poor; tekun single adults are severely disabled.
    const forced: Forced[] = plans.map(() => null);
    if (category === 'tekun' && structure === 'singleAdult') forced[0] = 'severeDisability';
    else {
      const condition = forcedCondition(rng, category);
      if (condition) forced[rng.int(0, plans.length - 1)] = condition;
    }
    const addressText = address(rng, options.addressPrefix ?? COUNTY_NAMES[countyCode] ?? '', village);
    const villageName = `${village.townshipName ?? ''}${villageShortName(village.name)}`;
    const personCtx = {
      rng,
      ids,
      asOf,
      householdId,
      countyCode,
      villageCode: village.code,
      villageName,
      urban,
      frailty: frailty(category),
    };
    const members = plans.map((plan, n) => makePerson(personCtx, plan, n + 1, forced[n] ?? null));
    assignEmployment({ rng, asOf, urban, category }, members);

    const incomes = makeIncomes({ rng, asOf, urban, structure, category }, members);
    if (category) shapeIncome(rng, category, incomes, members.length, standard);
    const assisted = category === 'dibao' || category === 'tekun' || category === 'nearDibao';
    const assetCtx = {
      rng,
      asOf,
      householdId,
      countyCode,
      villageCode: village.code,
      address: addressText,
      urban,
      assisted,
    };
    const assets = makeAssets(assetCtx, members, incomes);
    const hidden = rng.chance(HIDDEN_ASSET_SHARE)
      ? [addHiddenItem(assetCtx, members, incomes, assets, HIDDEN_KINDS.draw(rng))]
      : [];
    const outcome = drawEvents({ rng, asOf }, members, incomes);
    const figures = declare(
      rng,
      incomes,
      assets,
      hidden,
      members.map((p) => p.formalEmployment),
    );

    const enrolments = category ? [enrol(rng, category, members, figures, standard, asOf)] : [];
    const registry = {
      id: householdId,
      householdNumber: `${village.code.slice(6, 9)}${serial}`,
      countyCode,
      townshipCode: village.townshipCode,
      villageCode: village.code,
      urban,
      address: addressText,
      structure,
      members,
    };
    const records = makeSourceRecords(
      { rng, asOf, townshipName: village.townshipName ?? '', assisted },
      registry,
      incomes,
      assets,
      outcome,
    );
    // The rest of the form comes from these records and the assets, without a draw (declaration.ts).
    const declared = completeDeclaration({ asOf, assisted }, figures, members, records, assets, hidden);
    const household: Household = { ...registry, declared, enrolments };
    const perCapitaFen = perCapita(incomes, members);
    yield {
      household,
      records,
      truth: {
        householdId,
        asOf,
        monthlyIncomeFen: incomes.reduce(
          (t, x) => ({
            wages: t.wages + x.wages,
            remittances: t.remittances + x.remittances,
            business: t.business + x.business,
            agricultural: t.agricultural + x.agricultural,
            pensions: t.pensions + x.pensions,
            transfers: t.transfers + x.transfers,
          }),
          { wages: 0, remittances: 0, business: 0, agricultural: 0, pensions: 0, transfers: 0 },
        ),
        personIncome: members.map((p, n) => ({
          personId: p.id,
          monthlyIncomeFen: incomes[n] as (typeof incomes)[number],
        })),
        perCapitaMonthlyIncomeFen: perCapitaFen,
        belowDibaoStandard: perCapitaFen < standard,
        assets,
        hidden,
        hardshipEvents: outcome.events,
      },
    };
  }
}
