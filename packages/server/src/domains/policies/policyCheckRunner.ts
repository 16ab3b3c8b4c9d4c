/**
 * Runs a check in a worker thread. Compiling the catalogue takes about a second (several when a
 * broken policy makes lint compile policies one by one); on the main thread that would stall every
 * other request (PGlite serves them all from this process). The worker also bounds hostile drafts:
 * it is killed after CHECK_TIME_LIMIT_MS and cannot grow past CHECK_MEMORY_MB, and either outcome is
 * reported as a failed check, never a crash of the server.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CheckInput, CheckResult, Head, Located } from './policyCheck.ts';

export const CHECK_TIME_LIMIT_MS = 60_000;
export const CHECK_MEMORY_MB = 512;

/**
 * Node 20 cannot run a `.ts` worker and tsx's `--import` hooks do not reach worker threads, so
 * the worker starts from a fixed bootstrap that registers tsx first (same approach as
 * @doudi/rules' RulesWorkerPool). The bootstrap is constant code, never catalogue text.
 */
function workerEntry(workerUrl: URL): { entry: URL | string; eval: boolean } {
  const features = process.features as { typescript?: string | false };
  if (features.typescript) return { entry: workerUrl, eval: false };
  const commonJs = createRequire(import.meta.url).resolve('tsx/esm/api');
  const tsxApi = pathToFileURL(commonJs.replace(/index\.cjs$/, 'index.mjs')).href;
  const code = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(workerUrl.href)}); });`;
  return { entry: code, eval: true };
}

function failed(file: string, code: string, message: string, started: number): CheckResult {
  return {
    passed: false,
    problems: [{ file, line: 1, column: 1, code, message }],
    scenarios: { total: 0, passed: 0, failures: [] },
    tookMs: Math.round(performance.now() - started),
  };
}

export function runCheck(
  head: Head,
  changes: Map<string, string>,
  region: string,
  date: string,
  extraProblems: Located[] = [],
  limits: { timeMs?: number; memoryMb?: number } = {},
): Promise<CheckResult> {
  const started = performance.now();
  const input: CheckInput = {
    sources: head.sources,
    scenarios: head.scenarios,
    fixtures: head.fixtures,
    changes: [...changes],
    region,
    date,
    extraProblems,
  };
  const file = [...changes.keys()][0] ?? 'catalog';
  const { entry, eval: isEval } = workerEntry(new URL('./policyCheckWorker.ts', import.meta.url));
  return new Promise((resolve) => {
    const worker = new Worker(entry, {
      eval: isEval,
      workerData: input,
      resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb ?? CHECK_MEMORY_MB },
    });
    let settled = false;
    const settle = (result: CheckResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    const timer = setTimeout(
      () => settle(failed(file, 'check_timeout', '检查超时：文件过于复杂，已中止', started)),
      limits.timeMs ?? CHECK_TIME_LIMIT_MS,
    );
    worker.once('message', (result: CheckResult) => settle(result));
    worker.once('error', (error) =>
      settle(
        failed(
          file,
          (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? 'check_out_of_memory'
            : 'check_crashed',
          `检查中止：${error.message}`,
          started,
        ),
      ),
    );
    worker.once('exit', (code) =>
      settle(failed(file, 'check_crashed', `检查中止（退出码 ${code}）`, started)),
    );
  });
}
