/**
 * Worker-thread side of `IndicatorWorkerPool`. Compiled closures cannot cross threads, so each
 * worker loads the catalogue from the same texts once, then scores batches of households that
 * arrive in the decoder module's compact form (e.g. the facts snapshot's JSON text), so decoding
 * leaves the caller's thread too. Imports rules code only, apart from that module.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FactSchema } from '../catalog/facts.ts';
import { loadCatalog } from '../catalog/loadCatalog.ts';
import type { CatalogSources } from '../catalog/types.ts';
import type { ExpressionLimits } from '../cel/limits.ts';
import type { HouseholdFacts, HouseholdRecords } from '../evaluate/facts.ts';
import { evaluateIndicatorsBatch, type IndicatorBatchOptions } from './evaluateIndicators.ts';

export interface IndicatorWorkerRequest {
  id: number;
  items: unknown[];
  date: string;
  regionCode: string;
  options: IndicatorBatchOptions;
}

const { sources, limits, decoder } = workerData as {
  sources: CatalogSources;
  limits?: ExpressionLimits;
  /** URL of a module exporting `decodeHouseholds(items, date)`; trusted code, never catalogue text. */
  decoder: string;
};
const catalog = loadCatalog(sources, limits);
/** As in batchWorker.ts: `householdRecords`, when the module has it, skips the facts objects. */
const decoderModule = (await import(decoder)) as {
  decodeHouseholds: (items: unknown[], date: string) => HouseholdFacts[];
  householdRecords?: (item: unknown, date: string, schema: FactSchema) => HouseholdRecords;
};
const decode = decoderModule.decodeHouseholds;
const direct = decoderModule.householdRecords;

parentPort?.on('message', (request: IndicatorWorkerRequest) => {
  try {
    const started = performance.now();
    const items = request.items;
    const households = direct
      ? { length: items.length, records: (h: number) => direct(items[h], request.date, catalog.facts) }
      : decode(items, request.date);
    const result = evaluateIndicatorsBatch(
      catalog,
      households,
      request.date,
      request.regionCode,
      request.options,
    );
    parentPort?.postMessage({ id: request.id, result, busyMs: performance.now() - started }, [
      result.scores.buffer as ArrayBuffer,
      result.alertColors.buffer as ArrayBuffer,
      result.statuses.buffer as ArrayBuffer,
    ]);
  } catch (error) {
    parentPort?.postMessage({
      id: request.id,
      error: error instanceof Error ? error.message : String(error),
    });
  }
});
parentPort?.postMessage({ ready: true });
