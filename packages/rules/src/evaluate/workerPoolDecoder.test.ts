/**
 * `RulesWorkerPool.evaluateItems`: households sent in the caller's own form and decoded on the
 * worker threads by the pool's decoder module give the results of an in-thread batch.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/loadCatalog.ts';
import { exampleCatalogSources } from '../example/dibaoExample.ts';
import { evaluateBatch } from './batch.ts';
import type { HouseholdFacts } from './facts.ts';
import { RulesWorkerPool } from './workerPool.ts';

const catalog = loadCatalog(exampleCatalogSources);
const REGION = '420902002000';
const DATE = '2025-03-01';

function households(count: number): HouseholdFacts[] {
  return Array.from({ length: count }, (_, i) => {
    const household: Record<string, unknown> = {
      monthlyIncome: (i * 7919) % 300000,
      vehicleCount: i % 17 === 0 ? 1 : 0,
      registeredBusiness: i % 19 === 0,
      financialAssets: (i * 104729) % 5000000,
    };
    if (i % 10 === 3) delete household.monthlyIncome; // needs information
    if (i === 5) household.monthlyIncome = 12.5; // not an integer: an error for this household only
    const members = Array.from({ length: 1 + (i % 4) }, (_, j) => ({ age: (i * 7 + j * 23) % 90 }));
    return { household, members };
  });
}

describe('RulesWorkerPool with a decoder', () => {
  const pool = new RulesWorkerPool(exampleCatalogSources, {
    size: 2,
    decoder: new URL('./jsonDecoder.fixture.ts', import.meta.url),
  });
  const plain = new RulesWorkerPool(exampleCatalogSources, { size: 1 });
  afterAll(() => Promise.all([pool.close(), plain.close()]));

  it('decodes on the workers and answers as one thread would, in input order', async () => {
    const input = households(1203);
    const serial = evaluateBatch(catalog, input, DATE, REGION);
    const parallel = await pool.evaluateItems(
      input.map((h) => JSON.stringify(h)),
      DATE,
      REGION,
    );
    expect(parallel.householdCount).toBe(1203);
    expect(Array.from(parallel.statuses)).toEqual(Array.from(serial.statuses));
    expect(Array.from(parallel.amountsFen)).toEqual(Array.from(serial.amountsFen));
    expect([...parallel.details.entries()]).toEqual([...serial.details.entries()]);
    expect(serial.details.size).toBeGreaterThan(0);
    // The workers say where their time went (decoding vs evaluating); one thread has no such split.
    expect(parallel.timing?.decodeMs).toBeGreaterThanOrEqual(0);
    expect(parallel.timing?.evaluateMs).toBeGreaterThan(0);
    expect(serial.timing).toBeUndefined();
    // Without details: the same statuses and amounts, nothing else cloned back.
    const lean = await pool.evaluateItems(
      input.map((h) => JSON.stringify(h)),
      DATE,
      REGION,
      { details: false },
    );
    expect(Array.from(lean.statuses)).toEqual(Array.from(serial.statuses));
    expect(lean.details.size).toBe(0);
  });

  it('fails the batch on an item the decoder cannot read, and refuses items without a decoder', async () => {
    await expect(pool.evaluateItems(['{"household":', '{}'], DATE, REGION)).rejects.toThrow(/JSON/);
    await expect(plain.evaluateItems(['{}'], DATE, REGION)).rejects.toThrow(/no decoder/);
    // The pool still works afterwards.
    const after = await pool.evaluateItems([JSON.stringify(households(1)[0])], DATE, REGION);
    expect(after.householdCount).toBe(1);
  });
});
