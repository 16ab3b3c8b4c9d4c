/** A worker decoder for tests of `RulesWorkerPool.evaluateItems`: each item is a household as JSON text. */
import type { HouseholdFacts } from './facts.ts';

export function decodeHouseholds(items: readonly unknown[]): HouseholdFacts[] {
  return items.map((item) => JSON.parse(item as string) as HouseholdFacts);
}
