import { householdSurname, outsiderSurname } from './names.ts';
import { type Rng, Weighted } from './random.ts';
import type { AssistanceCategory, HouseholdStructure, MaritalStatus, Relationship, Sex } from './types.ts';

/**
 * Household composition. Households here are hukou households (户籍户): migrant workers keep their
 * hukou in the village, so a three-generation hukou household may live apart. Structure shares are
 * set for rural central China from the 2020 census (Hubei family households average 2.6 persons;
 * one in four rural Hubei residents is 60+; 留守 elderly and children are common) and raised toward
 * larger sizes because hukou households keep absent migrants. Urban communities have more small
 * nuclear families. Enrolled households are drawn from structures where hardship concentrates
 * (elderly alone, single disabled adults, grandparents raising grandchildren).
 */
const RURAL = new Weighted<HouseholdStructure>([
  ['elderlyAlone', 10],
  ['elderlyCouple', 13],
  ['singleAdult', 6],
  ['couple', 8],
  ['nuclear', 28],
  ['threeGeneration', 25],
  ['skippedGeneration', 6],
  ['extended', 4],
]);
const URBAN = new Weighted<HouseholdStructure>([
  ['elderlyAlone', 8],
  ['elderlyCouple', 12],
  ['singleAdult', 10],
  ['couple', 12],
  ['nuclear', 38],
  ['threeGeneration', 16],
  ['skippedGeneration', 2],
  ['extended', 2],
]);
const DIBAO = new Weighted<HouseholdStructure>([
  ['elderlyAlone', 22],
  ['elderlyCouple', 18],
  ['singleAdult', 12],
  ['couple', 4],
  ['nuclear', 16],
  ['threeGeneration', 14],
  ['skippedGeneration', 11],
  ['extended', 3],
]);
/** Tekun: no work capacity and no liable supporter, so the old living alone and single disabled adults. */
const TEKUN = new Weighted<HouseholdStructure>([
  ['elderlyAlone', 72],
  ['singleAdult', 28],
]);

export function structureTable(
  urban: boolean,
  category: AssistanceCategory | null,
): Weighted<HouseholdStructure> {
  if (category === 'tekun') return TEKUN;
  if (category === 'dibao' || category === 'nearDibao') return DIBAO;
  return urban ? URBAN : RURAL;
}

export interface MemberPlan {
  relationship: Relationship;
  sex: Sex;
  age: number;
  marital: MaritalStatus;
  surname: string;
  /** Married into the household: may be born outside the county and has a hukou move-in record. */
  marriedIn: boolean;
}

export const MAX_HOUSEHOLD_SIZE = 7;

/** Ages of the old skew young-old: half 60–70, a long tail to the late 90s. */
function elderAge(rng: Rng, min: number): number {
  return Math.min(98, min + rng.int(0, 9) + (rng.chance(0.55) ? rng.int(0, 22) : 0));
}

/** Rural Hubei sex ratio at birth for 1990s–2010s cohorts was high (~1.15–1.25 boys per girl). */
function childSex(rng: Rng): Sex {
  return rng.chance(0.535) ? 'male' : 'female';
}

function childCount(rng: Rng, urban: boolean): number {
  const x = rng.float();
  // Rural families mostly have two children (the 1980s rural "1.5 child" rule, then 2016's two-child policy).
  if (urban) return x < 0.55 ? 1 : x < 0.95 ? 2 : 3;
  return x < 0.38 ? 1 : x < 0.86 ? 2 : 3;
}

function spouseAge(rng: Rng, husbandAge: number): number {
  return Math.max(18, husbandAge - rng.int(-2, 5));
}

/** Children of a mother aged `motherAge`, born when she was 20–38, at most 26 years old now. */
function children(
  rng: Rng,
  count: number,
  motherAge: number,
  surname: string,
  grand: boolean,
  maxAge = 26,
): MemberPlan[] {
  const out: MemberPlan[] = [];
  for (let i = 0; i < count; i++) {
    const ageAtBirth = 20 + rng.int(0, 12) + i * rng.int(1, 4);
    const age = motherAge - ageAtBirth;
    if (age < 0 || age > maxAge) continue;
    const sex = childSex(rng);
    const relationship: Relationship = grand
      ? sex === 'male'
        ? 'grandson'
        : 'granddaughter'
      : sex === 'male'
        ? 'son'
        : 'daughter';
    out.push({ relationship, sex, age, marital: 'unmarried', surname, marriedIn: false });
  }
  return out;
}

function person(
  relationship: Relationship,
  sex: Sex,
  age: number,
  marital: MaritalStatus,
  surname: string,
  marriedIn = false,
): MemberPlan {
  return { relationship, sex, age, marital, surname, marriedIn };
}

/** The members of one household, head first. */
export function planMembers(
  rng: Rng,
  structure: HouseholdStructure,
  urban: boolean,
  villageCode: string,
): MemberPlan[] {
  const s = householdSurname(rng, villageCode);
  switch (structure) {
    case 'elderlyAlone': {
      // Widows outlive husbands; never-married old men (光棍) are a known rural group.
      const sex: Sex = rng.chance(0.58) ? 'female' : 'male';
      const x = rng.float();
      const marital: MaritalStatus =
        sex === 'male'
          ? x < 0.6
            ? 'widowed'
            : x < 0.88
              ? 'unmarried'
              : 'divorced'
          : x < 0.9
            ? 'widowed'
            : 'divorced';
      return [
        person('head', sex, elderAge(rng, 60), marital, sex === 'female' ? outsiderSurname(rng) : s, false),
      ];
    }
    case 'elderlyCouple': {
      const age = elderAge(rng, 62);
      return [
        person('head', 'male', age, 'married', s),
        person('spouse', 'female', Math.max(58, spouseAge(rng, age)), 'married', outsiderSurname(rng), true),
      ];
    }
    case 'singleAdult': {
      const sex: Sex = rng.chance(0.66) ? 'male' : 'female';
      const x = rng.float();
      const marital: MaritalStatus = x < 0.6 ? 'unmarried' : x < 0.88 ? 'divorced' : 'widowed';
      return [person('head', sex, rng.int(22, 59), marital, s)];
    }
    case 'couple': {
      // Either newly married without children yet, or an empty nest whose children split their hukou.
      const age = rng.chance(0.45) ? rng.int(22, 34) : rng.int(45, 59);
      return [
        person('head', 'male', age, 'married', s),
        person('spouse', 'female', spouseAge(rng, age), 'married', outsiderSurname(rng), true),
      ];
    }
    case 'nuclear':
    case 'extended': {
      const members: MemberPlan[] = [];
      const father = rng.int(26, 56);
      if (rng.chance(0.08)) {
        // Single parent: widowed or divorced; a mother heads it more often.
        const sex: Sex = rng.chance(0.6) ? 'female' : 'male';
        const age = sex === 'female' ? spouseAge(rng, father) : father;
        members.push(
          person(
            'head',
            sex,
            age,
            rng.chance(0.5) ? 'widowed' : 'divorced',
            sex === 'male' ? s : outsiderSurname(rng),
          ),
        );
        const kidsSurname = sex === 'male' ? s : outsiderSurname(rng);
        members.push(
          ...children(
            rng,
            childCount(rng, urban),
            sex === 'female' ? age : spouseAge(rng, age),
            kidsSurname,
            false,
          ),
        );
      } else {
        const mother = spouseAge(rng, father);
        members.push(person('head', 'male', father, 'married', s));
        members.push(person('spouse', 'female', mother, 'married', outsiderSurname(rng), true));
        members.push(...children(rng, childCount(rng, urban), mother, s, false));
      }
      if (structure === 'extended') {
        // An unmarried brother of the head living with the family (often one who cannot live alone).
        members.push(person('other', 'male', rng.int(25, 60), 'unmarried', s));
      }
      return members;
    }
    case 'threeGeneration':
      return rng.chance(0.5)
        ? threeGenerationElderHead(rng, s, urban)
        : threeGenerationMiddleHead(rng, s, urban);
    case 'skippedGeneration': {
      // Grandparents raising grandchildren whose parents hold hukou elsewhere (留守儿童).
      const members: MemberPlan[] = [];
      const male = rng.chance(0.75);
      const age = elderAge(rng, 52);
      if (male) {
        members.push(person('head', 'male', age, rng.chance(0.72) ? 'married' : 'widowed', s));
        if (members[0]?.marital === 'married') {
          members.push(
            person('spouse', 'female', spouseAge(rng, age), 'married', outsiderSurname(rng), true),
          );
        }
      } else {
        members.push(person('head', 'female', age, 'widowed', outsiderSurname(rng)));
      }
      const kidsSurname = male && rng.chance(0.7) ? s : outsiderSurname(rng);
      const n = rng.chance(0.6) ? 1 : 2;
      for (let i = 0; i < n; i++) {
        const sex = childSex(rng);
        members.push(
          person(
            sex === 'male' ? 'grandson' : 'granddaughter',
            sex,
            rng.int(0, 16),
            'unmarried',
            kidsSurname,
          ),
        );
      }
      return members;
    }
  }
}

/** Grandfather heads the hukou; son, daughter-in-law and grandchildren are registered with him. */
function threeGenerationElderHead(rng: Rng, s: string, urban: boolean): MemberPlan[] {
  const age = rng.int(52, 82);
  const members: MemberPlan[] = [person('head', 'male', age, rng.chance(0.82) ? 'married' : 'widowed', s)];
  if (members[0]?.marital === 'married') {
    members.push(person('spouse', 'female', spouseAge(rng, age), 'married', outsiderSurname(rng), true));
  }
  const sonAge = Math.max(22, age - rng.int(22, 32));
  const married = sonAge >= 24 && rng.chance(0.88);
  members.push(person('son', 'male', sonAge, married ? 'married' : 'unmarried', s));
  if (married) {
    const dil = spouseAge(rng, sonAge);
    members.push(person('daughterInLaw', 'female', dil, 'married', outsiderSurname(rng), true));
    members.push(...children(rng, childCount(rng, urban), dil, s, true, 20));
  }
  return members.slice(0, MAX_HOUSEHOLD_SIZE);
}

/** The working-age son heads the hukou; his widowed or elderly parents are registered with him. */
function threeGenerationMiddleHead(rng: Rng, s: string, urban: boolean): MemberPlan[] {
  const age = rng.int(28, 56);
  const mother = spouseAge(rng, age);
  const members: MemberPlan[] = [
    person('head', 'male', age, 'married', s),
    person('spouse', 'female', mother, 'married', outsiderSurname(rng), true),
  ];
  members.push(...children(rng, childCount(rng, urban), mother, s, false, 22));
  const x = rng.float();
  const parentAge = Math.min(98, age + rng.int(22, 34));
  const both = x < 0.45;
  if (both || x >= 0.8) members.push(person('father', 'male', parentAge, both ? 'married' : 'widowed', s));
  if (both || x < 0.8) {
    members.push(
      person(
        'mother',
        'female',
        Math.min(98, spouseAge(rng, parentAge)),
        both ? 'married' : 'widowed',
        outsiderSurname(rng),
        true,
      ),
    );
  }
  return members.slice(0, MAX_HOUSEHOLD_SIZE);
}
