/**
 * Worker-thread side of `RulesWorkerPool`. Compiled closures cannot cross threads, so each worker
 * loads the catalogue from the same texts once, then answers batch requests, which carry the
 * households as columns (`columnar.ts`), or as items in a form that the pool's decoder module
 * (WorkerPoolOptions.decoder, the caller's own code) turns into facts here, off the caller's thread.
 * Imports rules code only, apart from that module.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FactSchema } from '../catalog/facts.ts';
import { loadCatalog } from '../catalog/loadCatalog.ts';
import type { CatalogSources } from '../catalog/types.ts';
import type { ExpressionLimits } from '../cel/limits.ts';
import { evaluateRecords } from './batch.ts';
import { type ColumnarHouseholds, columnarRecords } from './columnar.ts';
import { evaluationContext } from './engine.ts';
import { buildRecords, type HouseholdFacts, type HouseholdRecords } from './facts.ts';

export interface WorkerRequest {
  id: number;
  /** The households as columns, or `items` in the decoder's form (one of the two). */
  columns?: ColumnarHouseholds;
  items?: unknown[];
  date: string;
  regionCode: string;
  policies?: string[];
  /** false: leave out the per-cell details (missing facts, errors), for callers that use only the statuses. */
  details?: boolean;
}

const { sources, limits, decoder } = workerData as {
  sources: CatalogSources;
  limits?: ExpressionLimits;
  /** URL of a module exporting `decodeHouseholds` (WorkerPoolOptions.decoder); trusted code. */
  decoder?: string;
};
const catalog = loadCatalog(sources, limits);
/**
 * The decoder module: `decodeHouseholds(items, date)` gives facts objects; a module may also export
 * `householdRecords(item, date, schema)`, which builds one household's records straight from its
 * item (the same records `buildRecords` would give), saving the objects in between.
 */
const decoderModule = decoder
  ? ((await import(decoder)) as {
      decodeHouseholds: (items: unknown[], date: string) => HouseholdFacts[];
      householdRecords?: (item: unknown, date: string, schema: FactSchema) => HouseholdRecords;
    })
  : undefined;
const decode = decoderModule?.decodeHouseholds;
const direct = decoderModule?.householdRecords;

parentPort?.on('message', (request: WorkerRequest) => {
  try {
    const ctx = evaluationContext(catalog, request.date, request.regionCode, request.policies);
    let result: ReturnType<typeof evaluateRecords>;
    if (request.items && direct) {
      // Decoding happens inside the evaluation loop, household by household (a bad item fails
      // only its household): its time is part of evaluateMs.
      const items = request.items;
      const started = performance.now();
      result = evaluateRecords(ctx, items.length, (h) => direct(items[h], request.date, catalog.facts), {
        details: request.details !== false,
      });
      result.timing = { decodeMs: 0, evaluateMs: performance.now() - started };
    } else if (request.items) {
      if (!decode) throw new Error('this worker pool has no decoder');
      const started = performance.now();
      const households = decode(request.items, request.date);
      const decoded = performance.now();
      result = evaluateRecords(
        ctx,
        households.length,
        (h) => buildRecords(catalog.facts, households[h] as HouseholdFacts),
        { details: request.details !== false },
      );
      result.timing = { decodeMs: decoded - started, evaluateMs: performance.now() - decoded };
    } else {
      const columns = request.columns as ColumnarHouseholds;
      result = evaluateRecords(ctx, columns.count, columnarRecords(catalog.facts, columns), {
        details: request.details !== false,
      });
    }
    // Cloning the details back costs the main thread time; a screening run never reads them.
    if (request.details === false) result.details = new Map();
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
