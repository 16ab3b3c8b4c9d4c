/**
 * Worker-thread side of `RulesWorkerPool`. Compiled closures cannot cross threads, so each worker
 * loads the catalogue from the same texts once, then answers batch requests, which carry the
 * households as columns (`columnar.ts`). Imports rules code only.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadCatalog } from '../catalog/loadCatalog.ts';
import type { CatalogSources } from '../catalog/types.ts';
import type { ExpressionLimits } from '../cel/limits.ts';
import { evaluateRecords } from './batch.ts';
import { type ColumnarHouseholds, columnarRecords } from './columnar.ts';
import { evaluationContext } from './engine.ts';

export interface WorkerRequest {
  id: number;
  columns: ColumnarHouseholds;
  date: string;
  regionCode: string;
  policies?: string[];
}

const { sources, limits } = workerData as { sources: CatalogSources; limits?: ExpressionLimits };
const catalog = loadCatalog(sources, limits);

parentPort?.on('message', (request: WorkerRequest) => {
  try {
    const ctx = evaluationContext(catalog, request.date, request.regionCode, request.policies);
    const { columns } = request;
    const result = evaluateRecords(ctx, columns.count, columnarRecords(catalog.facts, columns));
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
