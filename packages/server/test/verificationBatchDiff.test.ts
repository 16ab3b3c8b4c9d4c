/**
 * Batch re-verification, the pure part: a household's summary from persons and records, and the
 * changes between two summaries (no database). A flag whose figures move (a third home, more assets)
 * is the same flag, not a new one; a disability vehicle is never a new car; the first month raises
 * nothing; a small deposit increase stays below the threshold.
 */
import type { ParameterValue } from '@doudi/rules';
import { describe, expect, it } from 'vitest';
import {
  type BatchPerson,
  type BatchRecord,
  diffSummaries,
  householdSummary,
} from '../src/domains/verification/batch.summary.ts';

const PARAMS: Record<string, number> = {
  maxHousingUnits: 1,
  vehiclePurchasePriceLimit: 5_000_000,
  businessCapitalLimit: 10_000_000,
  financialAssetMonths: 24,
  dibaoStandardUrban: 75_000,
  dibaoStandardRural: 59_000,
};
const param = (name: string): ParameterValue => ({
  name,
  value: PARAMS[name] as number,
  effectiveDate: '2021-07-01',
  regionPrefix: null,
  reference: '测试依据',
  unit: 'fen',
  description: name,
});
const person = (
  id: string,
  role: BatchPerson['role'] = 'member',
  death: string | null = null,
): BatchPerson => ({
  household_id: 'h1',
  id,
  name: `人${id}`,
  birth_date: '1960-01-01',
  sex: 'male',
  role,
  relationship: 'head',
  death_date: death,
});
const rec = (personId: string, source: string, key: string, data: Record<string, unknown>): BatchRecord => ({
  person_id: personId,
  source,
  record_key: key,
  data,
});
const home = (key: string) =>
  rec('a', 'realEstate', key, { certificateNumber: key, use: 'residential', location: key });
const THRESHOLD = 2_000_000;
const summary = (persons: BatchPerson[], records: BatchRecord[]) =>
  householdSummary(persons, records, '2025-07-31', true, param);
const names = new Map([
  ['a', '甲'],
  ['b', '乙'],
]);

describe('batch re-verification summaries and differences', () => {
  it('the first month records a baseline and raises nothing', () => {
    const s = summary([person('a')], [home('H1'), home('H2')]);
    expect(s.flags.map((f) => f.key)).toEqual(['housing::']);
    expect(diffSummaries(undefined, s, names, THRESHOLD)).toEqual([]);
  });

  it('a flag whose figures change is the same flag; a disability vehicle is not a new car', () => {
    const june = summary([person('a')], [home('H1'), home('H2')]);
    const july = summary(
      [person('a')],
      [
        home('H1'),
        home('H2'),
        rec('a', 'vehicle', 'V1', { plate: '鄂K1', disabilityVehicle: true, purchasePriceFen: 9e6 }),
      ],
    );
    expect(diffSummaries(june, july, names, THRESHOLD)).toEqual([]);
    const august = summary([person('a')], [home('H1'), home('H2'), home('H3')]);
    const changes = diffSummaries(june, august, names, THRESHOLD);
    expect(changes.map((c) => [c.kind, c.subjectKey])).toEqual([['newProperty', 'H3']]);
  });

  it('deposits: below the threshold nothing, above it one change per person with both amounts', () => {
    const before = summary(
      [person('a'), person('b')],
      [rec('a', 'bankDeposit', 'D1', { balanceFen: 1_000_000 })],
    );
    const small = summary(
      [person('a'), person('b')],
      [rec('a', 'bankDeposit', 'D1', { balanceFen: 3_000_000 })],
    );
    expect(diffSummaries(before, small, names, THRESHOLD)).toEqual([]);
    const large = summary(
      [person('a'), person('b')],
      [rec('a', 'bankDeposit', 'D1', { balanceFen: 3_000_001 })],
    );
    const [change] = diffSummaries(before, large, names, THRESHOLD);
    expect(change).toMatchObject({
      kind: 'depositIncrease',
      subjectKey: 'a',
      detail: { before: 1_000_000, after: 3_000_001 },
    });
    expect(change?.reasonZh).toBe(
      '甲名下存款等金融资产由1万元增至30,000.01元，增加20,000.01元，超过提示额2万元',
    );
  });

  it('a death once; a new business role and its flag; hostile text stays text', () => {
    const june = summary([person('a'), person('b')], []);
    const july = summary(
      [person('a'), person('b', 'deceased', '2025-07-02')],
      [
        rec('a', 'business', 'B1', {
          entityName: '<script>alert(1)</script>公司',
          creditCode: 'X1',
          role: 'shareholder',
          registeredCapitalFen: 50_000_000,
          entityType: 'company',
        }),
      ],
    );
    const changes = diffSummaries(june, july, names, THRESHOLD);
    expect(changes.map((c) => c.kind).sort()).toEqual(['death', 'newBusiness', 'newFlag']);
    expect(changes.find((c) => c.kind === 'death')?.reasonZh).toBe(
      '家庭成员乙已于2025-07-02死亡，请核减家庭人口并复核待遇',
    );
    expect(changes.find((c) => c.kind === 'newBusiness')?.reasonZh).toContain(
      '“<script>alert(1)</script>公司”的股东',
    );
    // Next month the dead member and the business are known: nothing new.
    expect(diffSummaries(july, july, names, THRESHOLD)).toEqual([]);
    expect(july.members).toEqual(['a']);
  });
});
