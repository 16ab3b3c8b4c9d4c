/**
 * Splits a batch across `node:worker_threads`. The pool starts its workers once (each compiles the
 * catalogue from its texts) and reuses them for every batch, so the per-batch cost is only moving
 * facts in and typed arrays out.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CatalogSources } from '../catalog/types.ts';
import type { ExpressionLimits } from '../cel/limits.ts';
import { type BatchResult, concatBatchResults } from './batch.ts';
import type { HouseholdFacts } from './facts.ts';

export interface WorkerPoolOptions {
  /** Number of workers; default: available cores, at most 8. */
  size?: number;
  limits?: ExpressionLimits;
  /** Node flags for the workers (default: inherited). */
  execArgv?: string[];
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

export class RulesWorkerPool {
  private readonly workers: Worker[];
  private readonly ready: Promise<void>[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(sources: CatalogSources, options: WorkerPoolOptions = {}) {
    const size = Math.max(1, options.size ?? Math.min(8, availableParallelism()));
    const { entry, eval: isEval } = workerEntry(new URL('./batchWorker.ts', import.meta.url));
    this.workers = [];
    this.ready = [];
    for (let i = 0; i < size; i++) {
      const worker = new Worker(entry, {
        eval: isEval,
        workerData: { sources, limits: options.limits },
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
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Evaluates `households` split into one contiguous slice per worker; results keep input order. */
  async evaluateBatch(
    households: readonly HouseholdFacts[],
    date: string,
    regionCode: string,
    policies?: string[],
  ): Promise<BatchResult> {
    await Promise.all(this.ready);
    const sliceSize = Math.ceil(households.length / this.workers.length) || 1;
    const parts = this.workers.map((worker, i) => {
      const slice = households.slice(i * sliceSize, (i + 1) * sliceSize);
      const id = this.nextId++;
      return new Promise<BatchResult>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        worker.postMessage({ id, households: slice, date, regionCode, ...(policies ? { policies } : {}) });
      });
    });
    return concatBatchResults(await Promise.all(parts));
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
