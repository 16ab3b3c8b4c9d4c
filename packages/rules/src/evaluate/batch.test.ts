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

  it('fails only the household whose facts are malformed', () => {
    const bad = [{ household: { monthlyIncome: 12.5 }, members: [] }, ...input.slice(0, 2)];
    const batch = evaluateBatch(catalog, bad, DATE, REGION);
    expect(batchOutcome(batch, 0, 0)).toMatchObject({
      status: 'error',
      error: 'household.monthlyIncome must be an integer, got 12.5',
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
    const input = households(501);
    const parallel = await pool.evaluateBatch(input, DATE, REGION);
    const serial = evaluateBatch(catalog, input, DATE, REGION);
    expect(parallel.householdCount).toBe(501);
    expect(Array.from(parallel.statuses)).toEqual(Array.from(serial.statuses));
    expect(Array.from(parallel.amountsFen)).toEqual(Array.from(serial.amountsFen));
    expect([...parallel.details.entries()]).toEqual([...serial.details.entries()]);
  });
});
