/**
 * Synthetic-county benchmark: `npx tsx bench/synth/generate.bench.ts [streamHouseholds] [csvHouseholds]`.
 * Phase 1 streams 1,000,000 households and only counts them; phase 2 writes 200,000 to CSV. Each
 * phase runs in its own child process so that its peak RSS (resourceUsage().maxRSS) is its own.
 * RSS is also sampled along the way to show that memory stays flat as households accumulate; run
 * with `npx tsx --expose-gc …` to also sample the heap after a full GC (GC pauses then count in the time).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCounty, loadVillagesFromChinaDivision, writeCountyCsv } from '@doudi/synth';

const ASOF = '2025-06-30';
const SEED = 20250630;
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const cpuSince = (start: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1e6;
};

interface PhaseResult {
  phase: string;
  households: number;
  persons: number;
  records: number;
  seconds: number;
  /** User + system CPU seconds: steadier than wall time on a shared machine. */
  cpuSeconds: number;
  householdsPerSecond: number;
  peakRssMb: number;
  rssSamplesMb: number[];
  /** Heap in use after a full GC at each tenth (only with --expose-gc): flat means no leak. */
  heapAfterGcMb?: number[];
  outputMb?: number;
}

async function streamPhase(households: number): Promise<PhaseResult> {
  const villages = await loadVillagesFromChinaDivision('420921');
  const samples: number[] = [];
  const heap: number[] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  let persons = 0;
  let records = 0;
  let count = 0;
  const step = Math.max(1, Math.floor(households / 10));
  const start = performance.now();
  const cpu = process.cpuUsage();
  for (const h of generateCounty({ seed: SEED, households, villages, asOf: ASOF })) {
    count++;
    persons += h.household.members.length;
    records += h.records.length;
    if (count % step === 0) {
      samples.push(mb(process.memoryUsage().rss));
      if (gc) {
        gc();
        heap.push(Math.round(process.memoryUsage().heapUsed / 1024 / 102.4) / 10);
      }
    }
  }
  const seconds = (performance.now() - start) / 1000;
  return {
    phase: 'stream',
    households: count,
    persons,
    records,
    seconds,
    cpuSeconds: cpuSince(cpu),
    householdsPerSecond: Math.round(count / seconds),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    rssSamplesMb: samples,
    ...(gc ? { heapAfterGcMb: heap } : {}),
  };
}

async function csvPhase(households: number): Promise<PhaseResult> {
  const villages = await loadVillagesFromChinaDivision('420921');
  const outDir = await mkdtemp(join(tmpdir(), 'doudi-synth-bench-'));
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(mb(process.memoryUsage().rss)), 1000);
  const start = performance.now();
  const cpu = process.cpuUsage();
  try {
    const result = await writeCountyCsv({ seed: SEED, households, villages, asOf: ASOF, outDir });
    const seconds = (performance.now() - start) / 1000;
    const cpuSeconds = cpuSince(cpu);
    let bytes = 0;
    for (const f of await readdir(outDir, { recursive: true })) {
      const s = await stat(join(outDir, f));
      if (s.isFile()) bytes += s.size;
    }
    const records = Object.entries(result.rows)
      .filter(
        ([f]) => !['households.csv', 'persons.csv', 'enrolments.csv'].includes(f) && !f.endsWith('.jsonl'),
      )
      .reduce((s, [, n]) => s + n, 0);
    return {
      phase: 'csv',
      households: result.households,
      persons: result.persons,
      records,
      seconds,
      cpuSeconds,
      householdsPerSecond: Math.round(result.households / seconds),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      rssSamplesMb: samples.filter((_, i) => i % Math.max(1, Math.floor(samples.length / 10)) === 0),
      outputMb: mb(bytes),
    };
  } finally {
    clearInterval(timer);
    await rm(outDir, { recursive: true, force: true });
  }
}

const [phase, arg] = process.argv.slice(2);
if (phase === '--phase=stream' || phase === '--phase=csv') {
  const n = Number(arg);
  const result = phase === '--phase=stream' ? await streamPhase(n) : await csvPhase(n);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const streamN = Number(process.argv[2] ?? 1_000_000);
  const csvN = Number(process.argv[3] ?? 200_000);
  const run = (p: string, n: number): PhaseResult => {
    const out = execFileSync(
      process.execPath,
      [...process.execArgv, process.argv[1] as string, `--phase=${p}`, String(n)],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      },
    );
    return JSON.parse(out.trim().split('\n').pop() as string) as PhaseResult;
  };
  for (const [p, n] of [
    ['stream', streamN],
    ['csv', csvN],
  ] as const) {
    const r = run(p, n);
    console.log(
      `${r.phase}: ${r.households.toLocaleString('en')} households, ${r.persons.toLocaleString('en')} persons, ` +
        `${r.records.toLocaleString('en')} source records in ${r.seconds.toFixed(1)} s (CPU ${r.cpuSeconds.toFixed(1)} s) ` +
        `(${r.householdsPerSecond.toLocaleString('en')} households/s); peak RSS ${r.peakRssMb} MB; ` +
        `RSS samples ${r.rssSamplesMb.join(' ')} MB` +
        (r.heapAfterGcMb ? `; heap after GC ${r.heapAfterGcMb.join(' ')} MB` : '') +
        (r.outputMb === undefined ? '' : `; output ${r.outputMb} MB`),
    );
  }
}
