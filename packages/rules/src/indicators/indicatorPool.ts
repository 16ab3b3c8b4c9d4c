/**
 * Indicator models on `node:worker_threads` (the full monitoring re-screen): the households of a
 * batch go to the workers in the caller's compact form (decoded there by the caller's decoder
 * module), cut into chunks handed to the least busy worker, and the results come back in input
 * order, as `evaluateIndicatorsBatch` would give them on the caller's thread.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CatalogSources } from '../catalog/types.ts';
import type { ExpressionLimits } from '../cel/limits.ts';
import type { IndicatorBatchOptions, IndicatorBatchResult, IndicatorDetail } from './evaluateIndicators.ts';
import type {
  IndicatorCloseRequest,
  IndicatorItemsRequest,
  IndicatorLoadRequest,
  IndicatorWorkerRequest,
} from './indicatorWorker.ts';

export interface IndicatorPoolOptions {
  /** Number of workers; default: available cores, at most 8. */
  size?: number;
  limits?: ExpressionLimits;
  /**
   * A module exporting `decodeHouseholds(items, date): HouseholdFacts[]`, loaded by each worker;
   * optionally `householdRecords` (decoding straight to records), and `loadGroups(load, date)` with
   * `closeLoader()` for `evaluateLoaded` (the worker reads its households itself).
   */
  decoder: URL;
  execArgv?: string[];
}

/**
 * How to start the `.ts` worker (as evaluate/workerPool.ts does): directly where Node strips types,
 * else through a fixed bootstrap that registers tsx (its hooks do not reach worker threads).
 */
function workerEntry(workerUrl: URL): { entry: URL | string; eval: boolean } {
  const features = process.features as { typescript?: string | false };
  if (features.typescript) return { entry: workerUrl, eval: false };
  let tsxApi: string;
  try {
    const commonJs = createRequire(import.meta.url).resolve('tsx/esm/api');
    tsxApi = pathToFileURL(commonJs.replace(/index\.cjs$/, 'index.mjs')).href;
  } catch {
    return { entry: workerUrl, eval: false };
  }
  const code = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(workerUrl.href)}); });`;
  return { entry: code, eval: true };
}

/** A group the worker read through the decoder module's `loadGroups`, scored. */
export interface LoadedResult {
  regionCode: string;
  /** What the decoder module handed back of the group's rows, as it gave it. */
  carry: unknown;
  result: IndicatorBatchResult;
}

type Reply = { result?: IndicatorBatchResult; groups?: LoadedResult[]; busyMs?: number };
type Pending = { resolve: (r: Reply) => void; reject: (e: Error) => void };

/** Households per chunk: messages have a fixed cost, and two chunks per worker even out the cores. */
const MIN_CHUNK = 250;

export class IndicatorWorkerPool {
  private readonly workers: Worker[] = [];
  private readonly ready: Promise<void>[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly inFlight: number[] = [];
  private nextId = 0;
  /** Milliseconds the workers spent decoding and scoring, summed over them. */
  busyMs = 0;

  constructor(sources: CatalogSources, options: IndicatorPoolOptions) {
    const size = Math.max(1, options.size ?? Math.min(8, availableParallelism()));
    const { entry, eval: isEval } = workerEntry(new URL('./indicatorWorker.ts', import.meta.url));
    for (let i = 0; i < size; i++) {
      const worker = new Worker(entry, {
        eval: isEval,
        workerData: { sources, limits: options.limits, decoder: options.decoder.href },
        ...(options.execArgv ? { execArgv: options.execArgv } : {}),
      });
      const ready = new Promise<void>((resolve, reject) => {
        worker.once('error', reject);
        worker.once('message', () => resolve());
      });
      ready.catch(() => undefined); // a pool closed unused leaves no unhandled rejection
      this.ready.push(ready);
      worker.on('message', (message: Reply & { id?: number; error?: string }) => {
        if (message.id === undefined) return;
        const pending = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error !== undefined) pending?.reject(new Error(message.error));
        else pending?.resolve(message);
      });
      worker.on('error', (error) => {
        for (const p of this.pending.values()) p.reject(error);
        this.pending.clear();
      });
      this.workers.push(worker);
      this.inFlight.push(0);
    }
  }

  /** Number of workers. */
  get size(): number {
    return this.workers.length;
  }

  /** Scores `items` (decoder form) on the workers; the result is in input order. */
  async evaluateItems(
    items: readonly unknown[],
    date: string,
    regionCode: string,
    options: IndicatorBatchOptions = {},
  ): Promise<IndicatorBatchResult> {
    await Promise.all(this.ready);
    const chunkSize = Math.max(MIN_CHUNK, Math.ceil(items.length / (2 * this.workers.length)));
    const parts: Promise<Reply>[] = [];
    // One request at least: an empty batch still answers with the model ids.
    for (let start = 0; start < Math.max(1, items.length); start += chunkSize) {
      const request: IndicatorItemsRequest = {
        id: this.nextId++,
        items: items.slice(start, start + chunkSize),
        date,
        regionCode,
        options,
      };
      parts.push(this.send(request));
    }
    const replies = await Promise.all(parts);
    for (const r of replies) this.busyMs += r.busyMs ?? 0;
    return concat(replies.map((r) => r.result as IndicatorBatchResult));
  }

  /**
   * Scores the households a worker reads itself: `load` goes to the least busy worker's decoder
   * module (`loadGroups`), which reads them (e.g. a page of the database) and groups them by region
   * code; each group comes back scored with its `carry`, in the module's order.
   */
  async evaluateLoaded(
    load: unknown,
    date: string,
    options: IndicatorBatchOptions = {},
  ): Promise<LoadedResult[]> {
    await Promise.all(this.ready);
    const request: IndicatorLoadRequest = { id: this.nextId++, load, date, options };
    const reply = await this.send(request);
    this.busyMs += reply.busyMs ?? 0;
    return reply.groups ?? [];
  }

  private send(request: IndicatorWorkerRequest): Promise<Reply> {
    let index = 0;
    for (let i = 1; i < this.workers.length; i++)
      if ((this.inFlight[i] as number) < (this.inFlight[index] as number)) index = i;
    return this.sendTo(index, request);
  }

  private sendTo(index: number, request: IndicatorWorkerRequest): Promise<Reply> {
    this.inFlight[index] = (this.inFlight[index] as number) + 1;
    return new Promise<Reply>((resolve, reject) => {
      const done = () => {
        this.inFlight[index] = (this.inFlight[index] as number) - 1;
      };
      this.pending.set(request.id, {
        resolve: (r) => {
          done();
          resolve(r);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      });
      (this.workers[index] as Worker).postMessage(request);
    });
  }

  /** Lets each decoder module release what it holds (`closeLoader`), then ends the workers. */
  async close(): Promise<void> {
    const started = await Promise.all(this.ready.map((r) => r.then(() => true).catch(() => false)));
    await Promise.all(
      this.workers.map(async (worker, i) => {
        if (started[i]) {
          const request: IndicatorCloseRequest = { id: this.nextId++, close: true };
          // A worker that cannot answer in time is ended all the same.
          await Promise.race([
            this.sendTo(i, request).catch(() => undefined),
            new Promise((resolve) => setTimeout(resolve, 5000).unref()),
          ]);
        }
        await worker.terminate();
      }),
    );
  }
}

/** Chunk results back to one, slots renumbered. */
function concat(results: IndicatorBatchResult[]): IndicatorBatchResult {
  const first = results[0] as IndicatorBatchResult;
  if (results.length === 1) return first;
  const perHousehold = first.modelIds.length;
  const householdCount = results.reduce((n, r) => n + r.householdCount, 0);
  const size = householdCount * perHousehold;
  const out: IndicatorBatchResult = {
    modelIds: first.modelIds,
    householdCount,
    scores: new Float64Array(size),
    alertColors: new Uint8Array(size),
    statuses: new Uint8Array(size),
    details: new Map<number, IndicatorDetail>(),
  };
  if (results.some((r) => r.tags)) {
    out.tags = [];
    for (const r of results) for (let h = 0; h < r.householdCount; h++) out.tags.push(r.tags?.[h]);
  }
  let offset = 0;
  for (const r of results) {
    out.scores.set(r.scores, offset);
    out.alertColors.set(r.alertColors, offset);
    out.statuses.set(r.statuses, offset);
    for (const [slot, detail] of r.details) out.details.set(offset + slot, detail);
    offset += r.householdCount * perHousehold;
  }
  return out;
}
