/**
 * Prints the observed rates of a generated county (run: npx tsx bench/synth/rates.ts [households] [seed]).
 * Used to tune and document the generator; the tests assert the same rates within tolerances.
 */
import { ageOn, generateCounty, loadVillagesFromChinaDivision } from '@doudi/synth';

const households = Number(process.argv[2] ?? 20_000);
const seed = Number(process.argv[3] ?? 42);
const asOf = '2025-06-30';
const villages = await loadVillagesFromChinaDivision('420921');

const c = {
  households: 0,
  persons: 0,
  living: 0,
  disabled: 0,
  ill: 0,
  chronic: 0,
  age60: 0,
  age80: 0,
  children: 0,
  workingAge: 0,
  migrants: 0,
  hidden: 0,
  rare: 0,
  careLost: 0,
  deaths: 0,
  earnerDeaths: 0,
  belowLine: 0,
  enrolledBelow: 0,
  dibaoBelow: 0,
  dibao: 0,
  students: 0,
  college: 0,
  phones: 0,
};
const sizes = new Map<number, number>();
const cats = new Map<string, number>();
const events = new Map<string, number>();
const sources = new Map<string, number>();
const structures = new Map<string, number>();
const inc = (m: Map<string | number, number>, k: string | number) => m.set(k, (m.get(k) ?? 0) + 1);
let incomeSum = 0;
for (const { household, records, truth } of generateCounty({ seed, households, villages, asOf })) {
  c.households++;
  const living = household.members.filter((p) => p.deathDate === null);
  inc(sizes as Map<string | number, number>, living.length);
  inc(structures as Map<string | number, number>, household.structure);
  for (const e of household.enrolments) inc(cats as Map<string | number, number>, e.category);
  for (const e of truth.hardshipEvents) inc(events as Map<string | number, number>, e.kind);
  for (const r of records) inc(sources as Map<string | number, number>, r.source);
  if (truth.hidden.length) c.hidden++;
  if (truth.belowDibaoStandard) c.belowLine++;
  if (household.enrolments.some((e) => e.category === 'dibao')) {
    c.dibao++;
    if (truth.belowDibaoStandard) c.dibaoBelow++;
  }
  incomeSum += truth.perCapitaMonthlyIncomeFen;
  for (const p of household.members) {
    c.persons++;
    if (p.deathDate) {
      c.deaths++;
      continue;
    }
    c.living++;
    const age = ageOn(p.birthDate, asOf);
    if (p.disability) c.disabled++;
    if (p.health === 'seriousIllness') c.ill++;
    if (p.health === 'chronicIllness') c.chronic++;
    if (age >= 60) c.age60++;
    if (age >= 80) c.age80++;
    if (age < 18) c.children++;
    if (p.phone) c.phones++;
    if (p.schooling) c.students++;
    if (p.schooling === 'college') c.college++;
    if (age >= 16 && age < 60 && p.schooling === null) {
      c.workingAge++;
      if (p.employment === 'migrantWorker') c.migrants++;
    }
    if (/[\u{20000}-\u{2FFFF}㛃䶮龑㼆]/u.test(p.name)) c.rare++;
    if (p.care && Object.values(p.care).some((v) => !v)) c.careLost++;
  }
}
const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(2)}%`;
console.log(
  `households ${c.households}, persons ${c.persons} (living ${c.living}), mean size ${(c.living / c.households).toFixed(2)}`,
);
console.log(
  'sizes',
  [...sizes]
    .sort((a, b) => a[0] - b[0])
    .map(([k, v]) => `${k}:${pct(v, c.households)}`)
    .join(' '),
);
console.log('structures', [...structures].map(([k, v]) => `${k}:${pct(v, c.households)}`).join(' '));
console.log('categories', [...cats].map(([k, v]) => `${k}:${pct(v, c.households)}`).join(' '));
console.log('events (households)', [...events].map(([k, v]) => `${k}:${pct(v, c.households)}`).join(' '));
console.log(
  `disabled ${pct(c.disabled, c.living)}, serious illness ${pct(c.ill, c.living)}, chronic ${pct(c.chronic, c.living)}`,
);
console.log(
  `60+ ${pct(c.age60, c.living)}, 80+ ${pct(c.age80, c.living)}, under 18 ${pct(c.children, c.living)}`,
);
console.log(
  `migrants among 16–59 not in school ${pct(c.migrants, c.workingAge)}; care-dependent ${pct(c.careLost, c.living)}; phones ${pct(c.phones, c.living)}`,
);
console.log(
  `rare-character names ${pct(c.rare, c.living)}; hidden assets ${pct(c.hidden, c.households)}; deaths ${c.deaths}`,
);
console.log(
  `households below dibao line (truth) ${pct(c.belowLine, c.households)}; dibao households truly below ${pct(c.dibaoBelow, c.dibao)}`,
);
console.log(`mean per-capita monthly income ${(incomeSum / c.households / 100).toFixed(0)} yuan`);
console.log(
  'records per household',
  [...sources].map(([k, v]) => `${k}:${(v / c.households).toFixed(2)}`).join(' '),
);
