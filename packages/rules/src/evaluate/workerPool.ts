/**
 * Splits a batch across `node:worker_threads`. The pool starts its workers once (each compiles the
 * catalogue from its texts) and reuses them for every batch. Facts travel as columns of typed
 * arrays (`columnar.ts`), transferred, not copied: structured-cloning nested fact objects cost the
 * worker about as much as evaluating them, which made two threads slower than one. The batch is cut
 * into chunks handed out as workers finish (an uneven or busy core does not hold up the rest), each
 * to the worker with the fewest chunks in flight, so that concurrent small batches (one per
 * township) spread over the workers too; two in flight per worker so that encoding the next chunk
 * overlaps with evaluating this one.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { parseFactFiles } from '../catalog/facts.ts';
import type { CatalogSources } from '../catalog/types.ts';
import type { ExpressionLimits } from '../cel/limits.ts';
import { type BatchResult, concatBatchResults } from './batch.ts';
import type { WorkerRequest } from './batchWorker.ts';
import { encodeHouseholds, transferables } from './columnar.ts';
import type { HouseholdFacts } from './facts.ts';

export interface WorkerPoolOptions {
  /** Number of workers; default: available cores, at most 8. */
  size?: number;
  limits?: ExpressionLimits;
  /** Node flags for the workers (default: inherited). */
  execArgv?: string[];
  /**
   * A module each worker loads once, exporting `decodeHouseholds(items, date): HouseholdFacts[]`:
   * with it, `evaluateItems` sends the caller's own compact form (e.g. JSON text as read from the
   * database) and the workers build the facts, so that work leaves the caller's thread.
   */
  decoder?: URL;
}

/**
 * How to start the `.ts` worker. Node with type stripping runs it directly. Node 20 does not, and
 * its module hooks (tsx's `--import`) do not reach worker threads, so the worker starts with a fixed
 * two-line bootstrap that registers tsx and imports the worker file. The bootstrap is our own
 * constant code, never catalogue text.
 */
function workerEntry(workerUrl: URL): { entry: URL | string; eval: boolean } {
  const features = process.features as { typescript?: string | false };
  if (features.typescript) return { entry: workerUrl, eval: false };
  let tsxApi: string;
  try {
    // The ESM build of tsx's API (its CommonJS build registers hooks from a wrong relative path).
    const commonJs = createRequire(import.meta.url).resolve('tsx/esm/api');
    tsxApi = pathToFileURL(commonJs.replace(/index\.cjs$/, 'index.mjs')).href;
  } catch {
    return { entry: workerUrl, eval: false };
  }
  const code = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(workerUrl.href)}); });`;
  return { entry: code, eval: true };
}

type Pending = { resolve: (r: BatchResult) => void; reject: (e: Error) => void };

/** Households per chunk: at least this many (messages have a fixed cost)... */
const MIN_CHUNK = 500;
/** ...and enough chunks per worker to even out a slow or busy core. */
const CHUNKS_PER_WORKER = 8;

export class RulesWorkerPool {
  private readonly workers: Worker[];
  private readonly ready: Promise<void>[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /** Chunks sent to each worker and not yet answered. */
  private readonly inFlight: number[] = [];
  private readonly schema: ReturnType<typeof parseFactFiles>;

  constructor(sources: CatalogSources, options: WorkerPoolOptions = {}) {
    // The fact declarations tell the encoder which columns to build (the workers check them too).
    this.schema = parseFactFiles(sources.facts);
    const size = Math.max(1, options.size ?? Math.min(8, availableParallelism()));
    const { entry, eval: isEval } = workerEntry(new URL('./batchWorker.ts', import.meta.url));
    this.workers = [];
    this.ready = [];
    for (let i = 0; i < size; i++) {
      const worker = new Worker(entry, {
        eval: isEval,
        workerData: { sources, limits: options.limits, decoder: options.decoder?.href },
        ...(options.execArgv ? { execArgv: options.execArgv } : {}),
      });
      const ready = new Promise<void>((resolve, reject) => {
        worker.once('error', reject);
        worker.once('message', () => resolve());
      });
      // Observed here so a pool that is closed unused does not leave an unhandled rejection.
      ready.catch(() => undefined);
      this.ready.push(ready);
      worker.on('message', (message: { id?: number; result?: BatchResult; error?: string }) => {
        if (message.id === undefined) return;
        const pending = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error !== undefined) pending?.reject(new Error(message.error));
        else if (message.result) pending?.resolve(message.result);
      });
      worker.on('error', (error) => {
        for (const p of this.pending.values()) p.reject(error);
        this.pending.clear();
      });
      this.workers.push(worker);
      this.inFlight.push(0);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Evaluates `households` in chunks across the workers; results keep input order. */
  evaluateBatch(
    households: readonly HouseholdFacts[],
    date: string,
    regionCode: string,
    policies?: string[],
  ): Promise<BatchResult> {
    return this.inChunks(households.length, (start, end) => {
      const columns = encodeHouseholds(this.schema, households.slice(start, end));
      const request: WorkerRequest = { id: this.nextId++, columns, date, regionCode };
      if (policies) request.policies = policies;
      return this.send(request, transferables(columns));
    });
  }

  /**
   * Evaluates items in the decoder's form (see `WorkerPoolOptions.decoder`); results keep input
   * order. Items are structured-cloned: strings copy as one block each, unlike nested objects.
   * `details: false` returns no per-cell details (missing facts, errors): only statuses and amounts.
   */
  evaluateItems(
    items: readonly unknown[],
    date: string,
    regionCode: string,
    options: { details?: boolean } = {},
  ): Promise<BatchResult> {
    return this.inChunks(items.length, (start, end) => {
      const request: WorkerRequest = { id: this.nextId++, items: items.slice(start, end), date, regionCode };
      if (options.details === false) request.details = false;
      return this.send(request, []);
    });
  }

  private async inChunks(
    count: number,
    evaluateChunk: (start: number, end: number) => Promise<BatchResult>,
  ): Promise<BatchResult> {
    await Promise.all(this.ready);
    const size = this.workers.length;
    const chunkSize = Math.max(MIN_CHUNK, Math.ceil(count / (size * CHUNKS_PER_WORKER)));
    const chunkCount = Math.max(1, Math.ceil(count / chunkSize));
    const results: BatchResult[] = new Array(chunkCount);
    let next = 0;
    const lane = async () => {
      try {
        while (next < chunkCount) {
          const chunk = next++;
          results[chunk] = await evaluateChunk(chunk * chunkSize, Math.min(count, (chunk + 1) * chunkSize));
        }
      } catch (error) {
        next = chunkCount; // one failure fails the batch: hand out no more chunks
        throw error;
      }
    };
    const lanes = Array.from({ length: 2 * size }, lane);
    await Promise.all(lanes);
    return concatBatchResults(results);
  }

  /** Sends one chunk to the least busy worker. */
  private send(request: WorkerRequest, transfer: ArrayBuffer[]): Promise<BatchResult> {
    let index = 0;
    for (let i = 1; i < this.workers.length; i++) {
      if ((this.inFlight[i] as number) < (this.inFlight[index] as number)) index = i;
    }
    this.inFlight[index] = (this.inFlight[index] as number) + 1;
    const done = () => {
      this.inFlight[index] = (this.inFlight[index] as number) - 1;
    };
    return new Promise<BatchResult>((resolve, reject) => {
      this.pending.set(request.id, {
        resolve: (result) => {
          done();
          resolve(result);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      });
      (this.workers[index] as Worker).postMessage(request, transfer);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
