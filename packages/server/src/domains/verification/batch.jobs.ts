/**
 * Background jobs of batch re-verification (listed in jobs/queue.ts):
 *  - verification-batch-run: one run queued by POST /api/verification/batch/runs (or resumed); a run
 *    killed with the process expires, is retried, and continues after its last stored batch;
 *  - verification-batch-monthly: every enrolled household of every county, on the 2nd of the month
 *    (after monitoring's re-screen on the 1st); a second start in the same month does nothing.
 */
import type { JobDefinition } from '../../jobs/queue.ts';
import { today } from '../registry/registry.model.ts';
import { runBatch } from './batch.run.ts';
import { deliverReminders, monthlyBatch } from './batch.service.ts';

export const batchJobs: JobDefinition[] = [
  {
    name: 'verification-batch-run',
    sendOptions: { retryLimit: 3, retryDelay: 5, expireInSeconds: 3 * 3600 },
    async run(db, log, data) {
      const runId = String(data?.runId ?? '');
      const outcome = await runBatch(db, runId, {
        onBatch: (done, total) => log.info({ runId, done, total }, '批量核对进度'),
      });
      return { ...outcome, ...(await deliverReminders(db)) };
    },
  },
  {
    name: 'verification-batch-monthly',
    cron: '0 3 2 * *',
    sendOptions: { expireInSeconds: 6 * 3600 },
    async run(db, _log, data) {
      const given =
        typeof data?.asOf === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(data.asOf) ? data.asOf : null;
      return monthlyBatch(db, given ?? today());
    },
  },
];
