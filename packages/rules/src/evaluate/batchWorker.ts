/**
 * Worker-thread side of `RulesWorkerPool`. Compiled closures cannot cross threads, so each worker
 * loads the catalogue from the same texts once, then answers batch requests. Imports rules code only.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadCatalog } from '../catalog/loadCatalog.ts';
import type { CatalogSources } from '../catalog/types.ts';
import type { ExpressionLimits } from '../cel/limits.ts';
import { evaluateBatch } from './batch.ts';
import type { HouseholdFacts } from './facts.ts';

export interface WorkerRequest {
  id: number;
  households: HouseholdFacts[];
  date: string;
  regionCode: string;
  policies?: string[];
}

const { sources, limits } = workerData as { sources: CatalogSources; limits?: ExpressionLimits };
const catalog = loadCatalog(sources, limits);

parentPort?.on('message', (request: WorkerRequest) => {
  try {
    const result = evaluateBatch(
      catalog,
      request.households,
      request.date,
      request.regionCode,
      request.policies ? { policies: request.policies } : {},
    );
    parentPort?.postMessage({ id: request.id, result }, [
      result.statuses.buffer as ArrayBuffer,
      result.amountsFen.buffer as ArrayBuffer,
    ]);
  } catch (error) {
    parentPort?.postMessage({
      id: request.id,
      error: error instanceof Error ? error.message : String(error),
    });
  }
});
parentPort?.postMessage({ ready: true });
