import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/loadCatalog.ts';
import { exampleCatalogSources } from '../example/dibaoExample.ts';
import { batchOutcome, evaluateBatch } from './batch.ts';
import { evaluate } from './evaluate.ts';
import type { HouseholdFacts } from './facts.ts';
import { RulesWorkerPool } from './workerPool.ts';

const catalog = loadCatalog(exampleCatalogSources);
const REGION = '420902002000';
const DATE = '2025-03-01';

/** Deterministic synthetic households, some with missing facts and one with a bad fact. */
function households(count: number): HouseholdFacts[] {
  return Array.from({ length: count }, (_, i) => {
    const members = Array.from({ length: 1 + (i % 4) }, (_, j) => ({
      age: (i * 7 + j * 23) % 90,
      severeDisability: (i + j) % 11 === 0,
      severeIllness: (i + j) % 13 === 0,
      student: j > 0 && (i + j) % 3 === 0,
    }));
    const household: Record<string, unknown> = {
      monthlyIncome: (i * 7919) % 300000,
      vehicleCount: i % 17 === 0 ? 1 : 0,
      registeredBusiness: i % 19 === 0,
      financialAssets: (i * 104729) % 5000000,
    };
    if (i % 10 === 3) delete household.monthlyIncome;
    if (i % 9 === 4) household.rigidExpenseMonthly = 150000;
    return { household, members };
  });
}

describe('evaluateBatch', () => {
  const input = households(300);

  it('gives exactly what evaluate gives, household by household', () => {
    const batch = evaluateBatch(catalog, input, DATE, REGION);
    expect(batch.policyIds).toEqual(['dibao', 'nearDibao', 'tekun', 'temporaryAid']);
    input.forEach((facts, h) => {
      const single = evaluate(catalog, facts, DATE, REGION);
      single.forEach((result, p) => {
        const outcome = batchOutcome(batch, h, p);
        expect(outcome.status).toBe(result.status);
        expect(outcome.amountFen).toBe(result.amountFen);
      });
    });
    const statuses = new Set(batch.statuses);
    expect(statuses.size).toBeGreaterThanOrEqual(3);
  });

  it('without details gives the same statuses and amounts, and no per-cell details', () => {
    const withDetails = evaluateBatch(catalog, input, DATE, REGION);
    const without = evaluateBatch(catalog, input, DATE, REGION, { details: false });
    expect(withDetails.details.size).toBeGreaterThan(0); // the input has missing facts
    expect(without.details.size).toBe(0);
    expect(without.statuses).toEqual(withDetails.statuses);
    expect(without.amountsFen).toEqual(withDetails.amountsFen);
    // A trace needs the details: asking for both keeps them.
    const traced = evaluateBatch(catalog, input.slice(0, 20), DATE, REGION, { details: false, trace: true });
    expect(traced.statuses).toEqual(withDetails.statuses.slice(0, 20 * withDetails.policyIds.length));
  });

  it('fails only the household whose facts are malformed', () => {
    const bad = [{ household: { monthlyIncome: 12.5 }, members: [] }, ...input.slice(0, 2)];
    const batch = evaluateBatch(catalog, bad, DATE, REGION);
    expect(batchOutcome(batch, 0, 0)).toMatchObject({
      status: 'error',
      error:
        'household.monthlyIncome must be an integer between -9007199254740991 and 9007199254740991, got 12.5',
    });
    expect(batchOutcome(batch, 1, 0).status).not.toBe('error');
  });

  it('builds traces only when asked', () => {
    expect(evaluateBatch(catalog, input.slice(0, 3), DATE, REGION).traces).toBeUndefined();
    const traced = evaluateBatch(catalog, input.slice(0, 3), DATE, REGION, {
      trace: true,
      policies: ['dibao'],
    });
    expect(traced.traces?.[0]?.[0]?.policyId).toBe('dibao');
  });
});

describe('RulesWorkerPool', () => {
  const pool = new RulesWorkerPool(exampleCatalogSources, { size: 2 });
  afterAll(() => pool.close());

  it('splits a batch across worker threads and returns it in input order', async () => {
    const input = households(1501);
    // Bad and incomplete households travel too, and fail or ask for information as in one thread.
    input[7] = { household: { monthlyIncome: 12.5 }, members: [] };
    input[900] = { household: { monthlyIncome: 2n ** 60n }, members: [{ age: 30 }] };
    input[1200] = { household: { monthlyIncome: 1000 } };
    input[1300] = null as unknown as HouseholdFacts;
    const parallel = await pool.evaluateBatch(input, DATE, REGION);
    const serial = evaluateBatch(catalog, input, DATE, REGION);
    expect(parallel.householdCount).toBe(1501);
    expect(serial.statuses[7 * serial.policyIds.length]).toBe(3); // error: not an integer
    expect(Array.from(parallel.statuses)).toEqual(Array.from(serial.statuses));
    expect(Array.from(parallel.amountsFen)).toEqual(Array.from(serial.amountsFen));
    expect([...parallel.details.entries()]).toEqual([...serial.details.entries()]);
  });

  it('answers concurrent small batches (one per township) each with its own result', async () => {
    const input = households(640);
    const groups = [input.slice(0, 40), input.slice(40, 340), input.slice(340, 341), input.slice(341)];
    const regions = ['420902002000', '420902001000', '420100000000', REGION];
    const results = await Promise.all(
      groups.map((g, i) => pool.evaluateBatch(g, DATE, regions[i] as string)),
    );
    results.forEach((result, i) => {
      const serial = evaluateBatch(catalog, groups[i] as HouseholdFacts[], DATE, regions[i] as string);
      expect(Array.from(result.amountsFen)).toEqual(Array.from(serial.amountsFen));
      expect(Array.from(result.statuses)).toEqual(Array.from(serial.statuses));
    });
  });
});
