/**
 * Worker-thread side of `IndicatorWorkerPool`. Compiled closures cannot cross threads, so each
 * worker loads the catalogue from the same texts once, then scores batches of households that
 * arrive in the decoder module's compact form (e.g. the facts snapshot's JSON text), so decoding
 * leaves the caller's thread too, or that the worker reads itself through that module's
 * `loadGroups` (the caller's rows then never cross threads at all). Imports rules code only, apart
 * from that module.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FactSchema } from '../catalog/facts.ts';
import { loadCatalog } from '../catalog/loadCatalog.ts';
import type { CatalogSources } from '../catalog/types.ts';
import type { ExpressionLimits } from '../cel/limits.ts';
import type { HouseholdFacts, HouseholdRecords } from '../evaluate/facts.ts';
import {
  evaluateIndicatorsBatch,
  type IndicatorBatchOptions,
  type IndicatorBatchResult,
} from './evaluateIndicators.ts';

/** Households sent in the decoder module's compact form, scored for one region code. */
export interface IndicatorItemsRequest {
  id: number;
  items: unknown[];
  date: string;
  regionCode: string;
  options: IndicatorBatchOptions;
}

/**
 * Households the worker reads itself through the decoder module's `loadGroups(load, date)` (e.g. a
 * page of a database table): their text never crosses threads. Each group is scored for its own
 * region code and comes back with the module's `carry` (what the caller needs of the rows).
 */
export interface IndicatorLoadRequest {
  id: number;
  load: unknown;
  date: string;
  options: IndicatorBatchOptions;
}

/** Asks the decoder module to release what `loadGroups` holds (its connection) before the pool ends. */
export interface IndicatorCloseRequest {
  id: number;
  close: true;
}

export type IndicatorWorkerRequest = IndicatorItemsRequest | IndicatorLoadRequest | IndicatorCloseRequest;

/** A group the decoder module's `loadGroups` read. */
export interface LoadedGroup {
  regionCode: string;
  items: unknown[];
  carry: unknown;
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
  loadGroups?: (load: unknown, date: string) => Promise<LoadedGroup[]>;
  closeLoader?: () => Promise<void>;
};
const decode = decoderModule.decodeHouseholds;
const direct = decoderModule.householdRecords;

function score(items: unknown[], date: string, regionCode: string, options: IndicatorBatchOptions) {
  const households = direct
    ? { length: items.length, records: (h: number) => direct(items[h], date, catalog.facts) }
    : decode(items, date);
  return evaluateIndicatorsBatch(catalog, households, date, regionCode, options);
}

const buffers = (r: IndicatorBatchResult) => [
  r.scores.buffer as ArrayBuffer,
  r.alertColors.buffer as ArrayBuffer,
  r.statuses.buffer as ArrayBuffer,
];

async function answer(request: IndicatorWorkerRequest) {
  if ('close' in request) {
    await decoderModule.closeLoader?.();
    parentPort?.postMessage({ id: request.id, closed: true });
    return;
  }
  if ('items' in request) {
    const started = performance.now();
    const result = score(request.items, request.date, request.regionCode, request.options);
    parentPort?.postMessage({ id: request.id, result, busyMs: performance.now() - started }, buffers(result));
    return;
  }
  if (!decoderModule.loadGroups) throw new Error('the decoder module has no loadGroups');
  const groups = await decoderModule.loadGroups(request.load, request.date);
  // Busy time counts from the rows in hand: the read is the database's time, not this thread's.
  const started = performance.now();
  const out = groups.map((g) => ({
    regionCode: g.regionCode,
    carry: g.carry,
    result: score(g.items, request.date, g.regionCode, request.options),
  }));
  parentPort?.postMessage(
    { id: request.id, groups: out, busyMs: performance.now() - started },
    out.flatMap((g) => buffers(g.result)),
  );
}

parentPort?.on('message', (request: IndicatorWorkerRequest) => {
  answer(request).catch((error: unknown) => {
    parentPort?.postMessage({
      id: request.id,
      error: error instanceof Error ? error.message : String(error),
    });
  });
});
parentPort?.postMessage({ ready: true });
