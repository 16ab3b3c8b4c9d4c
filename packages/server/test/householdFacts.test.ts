/**
 * The facts assembler against a real database: membership, attributes, categories and economic facts
 * as of a date; missing figures stay missing; keyset streaming; row-level security.
 */
import { evaluate } from '@doudi/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../src/db/database.ts';
import { asActor, asSystem } from '../src/db/scope.ts';
import type { Actor } from '../src/domains/access/permissions.ts';
import { insertEconomyRows } from '../src/domains/householdFacts/economy.repo.ts';
import {
  assembleHouseholdFacts,
  buildFacts,
  householdFactsFor,
  streamHouseholdFacts,
} from '../src/domains/householdFacts/householdFacts.ts';
import { diskCatalog } from '../src/domains/rules/activeCatalog.ts';
import { regions, seedRegions } from './factories.ts';
import { idFor } from './registryFactories.ts';
import { createTestDatabase, type TestDatabase } from './testDb.ts';

const actor = (regionCode: string): Actor => ({
  userId: 'tester',
  username: 'tester',
  displayName: '测试',
  role: 'countyOfficer',
  department: null,
  regionCode,
});

let serial = 0;
async function addHousehold(tx: Queryable, region: string, urban = false): Promise<string> {
  serial += 1;
  const r = await tx.query<{ id: string }>(
    `INSERT INTO household (household_number, region_code, address, urban) VALUES ($1, $2, '测试地址', $3) RETURNING id`,
    [`HF${String(serial).padStart(6, '0')}`, region, urban],
  );
  return r.rows[0]?.id as string;
}

async function addPerson(
  tx: Queryable,
  household: string,
  region: string,
  p: { name: string; birth: string; sex?: 'male' | 'female'; rel?: string; joined?: string; died?: string },
): Promise<string> {
  const idNumber = idFor(p.birth, p.sex ?? 'male');
  const r = await tx.query<{ id: string }>(
    `INSERT INTO person (name, id_number_cipher, id_number_index, id_number_masked, birth_date, sex, household_id,
                         relationship_to_head, region_code, death_date)
     VALUES ($1, '\\x00', decode(md5($2) || md5($2), 'hex'), $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      p.name,
      idNumber,
      `${idNumber.slice(0, 6)}********${idNumber.slice(14)}`,
      p.birth,
      p.sex ?? 'male',
      household,
      p.rel ?? 'head',
      region,
      p.died ?? null,
    ],
  );
  const id = r.rows[0]?.id as string;
  await tx.query(
    `INSERT INTO person_transfer (person_id, kind, to_household_id, relationship_to_head, moved_on, region_code)
     VALUES ($1, 'join', $2, $3, $4, $5)`,
    [id, household, p.rel ?? 'head', p.joined ?? p.birth, region],
  );
  return id;
}

async function addAttribute(
  tx: Queryable,
  person: string,
  region: string,
  kind: string,
  value: object,
  from: string,
  to?: string,
) {
  await tx.query(
    `INSERT INTO person_attribute (person_id, kind, value, valid_from, valid_to, region_code) VALUES ($1, $2, $3, $4, $5, $6)`,
    [person, kind, JSON.stringify(value), from, to ?? null, region],
  );
}

describe('household facts assembler', () => {
  let t: TestDatabase;
  let elderly: string;
  let family: string;
  let bare: string;
  let grandma: string;
  const village = regions.huayuanVillage;

  beforeAll(async () => {
    t = await createTestDatabase();
    await seedRegions(t.db);
    await asSystem(t.db, async (tx) => {
      elderly = await addHousehold(tx, village);
      grandma = await addPerson(tx, elderly, village, { name: '王秀兰', birth: '1950-07-01', sex: 'female' });
      await addAttribute(tx, grandma, village, 'healthCondition', { status: 'chronicIllness' }, '2020-01-01');
      await addAttribute(tx, grandma, village, 'workCapacity', { capacity: 'partial' }, '2020-01-01');
      await addAttribute(
        tx,
        grandma,
        village,
        'employment',
        { status: 'farming' },
        '2020-01-01',
        '2025-03-01',
      );
      await addAttribute(tx, grandma, village, 'employment', { status: 'notWorking' }, '2025-03-01');
      await addAttribute(tx, grandma, village, 'seriousIllness', { diagnosis: '肺癌' }, '2025-05-01');
      await addAttribute(
        tx,
        grandma,
        village,
        'careDependency',
        {
          eating: true,
          dressing: true,
          bedTransfer: true,
          toilet: true,
          walkingIndoors: false,
          bathing: false,
        },
        '2024-01-01',
      );
      await tx.query(
        `INSERT INTO household_category (household_id, category, valid_from, valid_to, region_code)
         VALUES ($1, 'nearDibao', '2024-01-01', '2025-04-01', $2), ($1, 'dibao', '2025-04-01', NULL, $2)`,
        [elderly, village],
      );
      await insertEconomyRows(tx, [
        {
          householdId: elderly,
          regionCode: village,
          asOf: '2024-06-30',
          source: 'declared',
          facts: { wageIncome: 0, pensionIncome: 20000, financialAssets: 100000 },
        },
        {
          householdId: elderly,
          regionCode: village,
          asOf: '2025-01-31',
          source: 'declared',
          facts: { wageIncome: 0, pensionIncome: 25000 },
        },
        {
          householdId: elderly,
          regionCode: village,
          asOf: '2024-12-31',
          source: 'approved',
          facts: { wageIncome: 0, pensionIncome: 30000, financialAssets: 200000 },
        },
        {
          householdId: elderly,
          regionCode: village,
          asOf: '2025-09-30',
          source: 'approved',
          facts: { wageIncome: 0, pensionIncome: 40000 },
        },
      ]);

      family = await addHousehold(tx, regions.fengshanVillage, true);
      await addPerson(tx, family, regions.fengshanVillage, { name: '刘强', birth: '1980-02-29' });
      await addPerson(tx, family, regions.fengshanVillage, {
        name: '刘小雨',
        birth: '2015-09-01',
        sex: 'female',
        rel: 'daughter',
      });
      // Born into the household after the screening date: not a member on that date.
      await addPerson(tx, family, regions.fengshanVillage, {
        name: '刘小宝',
        birth: '2025-08-01',
        rel: 'son',
      });
      // Died before the date: not counted.
      await addPerson(tx, family, regions.fengshanVillage, {
        name: '刘老汉',
        birth: '1940-01-01',
        rel: 'father',
        died: '2025-01-10',
      });

      bare = await addHousehold(tx, village);
      await addPerson(tx, bare, village, { name: '赵一', birth: '1990-12-31' });
    });
  });
  afterAll(() => t.drop());

  const county = actor(regions.county);
  const facts = (ids: string[], on: string, who = county) =>
    asActor(t.db, who, undefined, (tx) => assembleHouseholdFacts(tx, ids, on));

  it('computes ages on the date and takes the attributes in force then', async () => {
    const [before] = await facts([elderly], '2025-02-01');
    const member = before?.facts.members?.[0];
    expect(member).toMatchObject({
      age: 74,
      sex: 'female',
      health: 'chronicIllness',
      employment: 'farming',
      workCapacity: 'partial',
    });
    expect(member).toMatchObject({
      disabilityType: 'none',
      disabilityGrade: 0,
      schoolingStage: 'none',
      careWalkingIndoors: false,
      careEating: true,
    });
    const [after] = await facts([elderly], '2025-07-01');
    // Birthday on 1 July: 75 on that day; the illness diagnosed in May now counts; employment changed in March.
    expect(after?.facts.members?.[0]).toMatchObject({
      age: 75,
      health: 'seriousIllness',
      employment: 'notWorking',
    });
    const [leap] = await facts([family], '2025-02-28');
    expect(leap?.facts.members?.[0]?.age).toBe(44); // born 29 February 1980: not yet 45 on 28 February
  });

  it('counts members by the membership history on the date, alive then, head first', async () => {
    const [f] = await facts([family], '2025-06-30');
    expect(f?.facts.members?.map((m) => m.age)).toEqual([45, 9]);
    expect(f?.memberIds).toHaveLength(2);
    const [early] = await facts([family], '2024-12-31');
    expect(early?.facts.members).toHaveLength(3); // the grandfather was alive then
    const [later] = await facts([family], '2025-08-01');
    expect(later?.facts.members).toHaveLength(3); // the baby from the day of birth
    expect(later?.facts.household?.urban).toBe(true);
  });

  it('takes categories in force and the newest approved figures, else the newest declared', async () => {
    const at = async (on: string) => (await facts([elderly], on))[0];
    expect((await at('2024-07-01'))?.facts.household).toMatchObject({
      currentCategories: ['nearDibao'],
      pensionIncome: 20000,
      financialAssets: 100000,
    });
    expect((await at('2024-07-01'))?.economySource).toBe('declared');
    // From 31 Dec 2024 an approved row exists: it wins over the newer declaration of January 2025.
    const feb = await at('2025-02-01');
    expect(feb?.facts.household).toMatchObject({
      currentCategories: ['nearDibao'],
      pensionIncome: 30000,
      financialAssets: 200000,
    });
    expect(feb?.economySource).toBe('approved');
    expect(feb?.economyAsOf).toBe('2024-12-31');
    expect((await at('2025-06-01'))?.facts.household?.currentCategories).toEqual(['dibao']);
    const oct = await at('2025-10-01');
    expect(oct?.facts.household?.pensionIncome).toBe(40000);
    // The newest approved row has no financialAssets: it is unknown, not carried over or zero.
    expect(oct?.facts.household).not.toHaveProperty('financialAssets');
  });

  it('leaves missing figures missing, so the engine asks for them', async () => {
    const [b] = await facts([bare], '2025-06-30');
    expect(b?.economySource).toBeNull();
    expect(Object.keys(b?.facts.household ?? {}).sort()).toEqual(['currentCategories', 'urban']);
    const member = b?.facts.members?.[0] ?? {};
    expect(member).not.toHaveProperty('health');
    expect(member).not.toHaveProperty('employment');
    expect(member).not.toHaveProperty('careBathing');
    const results = evaluate(diskCatalog().catalog, b?.facts ?? {}, '2025-06-30', regions.huayuan);
    const dibao = results.find((r) => r.policyId === 'dibao');
    expect(dibao?.status).toBe('needsInformation');
    expect(dibao?.missingFacts).toEqual(expect.arrayContaining(['household.wageIncome']));
  });

  it('never lets stored JSON replace registry facts or add undeclared ones', () => {
    const built = buildFacts(
      {
        id: 'x',
        household_number: 'n',
        region_code: village,
        urban: false,
        categories: null,
        economy: {
          urban: true,
          currentCategories: ['tekun'],
          __proto__: 1,
          wageIncome: 100,
          evil: 'x',
          propertyIncome: null,
        },
        economy_source: 'declared',
        economy_as_of: '2025-01-01',
        members: null,
      },
      '2025-06-30',
    );
    expect(built.facts.household).toEqual({ urban: false, currentCategories: [], wageIncome: 100 });
    expect(built.facts.members).toEqual([]);
  });

  it('streams every household of a subtree in (village, household number) order, resumes after an id, and respects scope', async () => {
    const all: string[] = [];
    for await (const batch of streamHouseholdFacts(t.db, {
      scope: county,
      onDate: '2025-06-30',
      batchSize: 2,
    })) {
      expect(batch.lastId).toBe(batch.households.at(-1)?.householdId);
      all.push(...batch.households.map((h) => h.householdId));
    }
    // 花园 village first (elderly was numbered before bare), then 丰山's village; the first page
    // of two ends inside a village and the second crosses into the next.
    expect(all).toEqual([elderly, bare, family]);
    for (const [from, after] of all.entries()) {
      const rest: string[] = [];
      for await (const batch of streamHouseholdFacts(t.db, {
        scope: county,
        onDate: '2025-06-30',
        batchSize: 1,
        after,
      }))
        rest.push(...batch.households.map((h) => h.householdId));
      expect(rest).toEqual(all.slice(from + 1));
    }
    // A cursor the scope cannot see (or that does not exist) is an error, never a silent end.
    const outside = async (scope: Actor, after: string) => {
      for await (const _ of streamHouseholdFacts(t.db, { scope, onDate: '2025-06-30', after })) {
        // nothing to do: the first read must fail
      }
    };
    await expect(outside(actor(regions.huayuan), family)).rejects.toThrow(/not visible/);
    await expect(outside(county, '00000000-0000-4000-8000-000000000000')).rejects.toThrow(/not visible/);
    // A township's officer asking for the whole county sees only the township.
    const township: string[] = [];
    for await (const batch of streamHouseholdFacts(t.db, {
      scope: actor(regions.huayuan),
      regionCode: regions.county,
      onDate: '2025-06-30',
    }))
      township.push(...batch.households.map((h) => h.householdId));
    expect(township.sort()).toEqual([elderly, bare].sort());
    // And a single household outside the scope is simply not there.
    expect(
      await asActor(t.db, actor(regions.huayuan), undefined, (tx) =>
        householdFactsFor(tx, family, '2025-06-30'),
      ),
    ).toBeUndefined();
  });

  it('refuses a malformed date instead of guessing', async () => {
    await expect(facts([elderly], '2025-6-1')).rejects.toThrow(/bad date/);
    await expect(facts([elderly], "2025-06-01'; DROP TABLE household; --")).rejects.toThrow(/bad date/);
  });
});
