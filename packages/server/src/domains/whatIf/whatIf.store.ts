/**
 * What-if runs live in this process's memory, not in a table: a run is a question an officer asks
 * ("what if the standard rose 5%?"), its answer is a few hundred numbers, and the demo county is
 * answered in seconds. Nothing about households is kept, only counts and sums. A restart forgets
 * the runs (the officer asks again); the audit log keeps who asked what.
 *
 * Bounds: one running run per user, a few at a time per process (each holds a CPU while it
 * evaluates), finished runs kept for an hour and at most MAX_KEPT of them.
 */
import { randomUUID } from 'node:crypto';
import type { ResolvedChange } from './whatIf.changes.ts';
import type { WhatIfTally } from './whatIf.run.ts';

export const MAX_RUNNING = 2;
export const MAX_KEPT = 100;
export const KEEP_MS = 60 * 60 * 1000;

export interface WhatIfEntry {
  id: string;
  ownerId: string;
  ownerName: string;
  regionCode: string;
  onDate: string;
  catalogVersion: string;
  changes: ResolvedChange[];
  status: 'running' | 'done' | 'failed';
  total: number;
  processed: number;
  createdAt: Date;
  finishedAt: Date | null;
  error: string | null;
  tally: WhatIfTally | null;
  /** Township code → name, filled when the run finishes. */
  townshipNames: Map<string, string>;
  cancelled: boolean;
}

export class WhatIfStore {
  private readonly entries = new Map<string, WhatIfEntry>();

  private prune(now = Date.now()) {
    for (const [id, e] of this.entries) {
      if (e.finishedAt && now - e.finishedAt.getTime() > KEEP_MS) this.entries.delete(id);
    }
    // Oldest finished first (Map keeps insertion order).
    for (const [id, e] of this.entries) {
      if (this.entries.size <= MAX_KEPT) break;
      if (e.status !== 'running') this.entries.delete(id);
    }
  }

  running(ownerId?: string): WhatIfEntry[] {
    return [...this.entries.values()].filter(
      (e) => e.status === 'running' && (ownerId === undefined || e.ownerId === ownerId),
    );
  }

  add(
    entry: Omit<
      WhatIfEntry,
      | 'id'
      | 'createdAt'
      | 'finishedAt'
      | 'error'
      | 'tally'
      | 'townshipNames'
      | 'cancelled'
      | 'status'
      | 'processed'
    >,
  ): WhatIfEntry {
    this.prune();
    const full: WhatIfEntry = {
      ...entry,
      id: randomUUID(),
      status: 'running',
      processed: 0,
      createdAt: new Date(),
      finishedAt: null,
      error: null,
      tally: null,
      townshipNames: new Map(),
      cancelled: false,
    };
    this.entries.set(full.id, full);
    return full;
  }

  get(id: string): WhatIfEntry | undefined {
    this.prune();
    return this.entries.get(id);
  }

  /** Stops every run (server shutdown): a run checks the flag between batches. */
  cancelAll(): void {
    for (const e of this.entries.values()) e.cancelled = true;
  }
}
