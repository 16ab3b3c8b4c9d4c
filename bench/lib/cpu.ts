/**
 * CPU seconds from /proc (Linux; the PostgreSQL server runs on this machine): a process's user+sys,
 * and the backends of one database. On a shared machine these are steadier than wall-clock figures.
 */
import { readFileSync } from 'node:fs';
import type { Queryable } from '../../packages/server/src/db/database.ts';

/** user+sys CPU seconds of a process (every thread), or undefined when /proc cannot be read. */
export function processCpu(pid: number): number | undefined {
  try {
    // Fields after the command name in parentheses: state is the first, utime the 12th, stime the 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / 100 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds (user+sys) of the PostgreSQL backends connected to `db`'s database, by pid.
 * Background processes (WAL writer, checkpointer) are not counted. Undefined where /proc cannot be read.
 */
export async function backendCpu(db: Queryable): Promise<Map<number, number> | undefined> {
  const pids = await db.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
  );
  const out = new Map<number, number>();
  for (const { pid } of pids.rows) {
    const cpu = processCpu(pid);
    if (cpu === undefined) return undefined;
    out.set(pid, cpu);
  }
  return out;
}

/**
 * Follows the backends of a database while work runs (they come and go with the pools): samples every
 * `everyMs`, keeps each pid's first and last reading, and `stop()` returns the CPU seconds they used
 * in between (a backend that started meanwhile counts from zero). Undefined without /proc.
 */
export function followBackends(db: Queryable, everyMs = 500) {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  let readable = true;
  const sample = async (initial: boolean) => {
    const now = await backendCpu(db).catch(() => undefined);
    if (!now) {
      readable = false;
      return;
    }
    for (const [pid, cpu] of now) {
      if (!first.has(pid)) first.set(pid, initial ? cpu : 0);
      last.set(pid, cpu);
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const started = sample(true).then(() => {
    timer = setInterval(() => void sample(false), everyMs);
  });
  return {
    started,
    async stop(): Promise<number | undefined> {
      await started;
      if (timer) clearInterval(timer);
      await sample(false);
      if (!readable) return undefined;
      let total = 0;
      for (const [pid, cpu] of last) total += cpu - (first.get(pid) ?? 0);
      return total;
    },
  };
}
