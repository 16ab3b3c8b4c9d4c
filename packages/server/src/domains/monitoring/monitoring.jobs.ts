/**
 * Background jobs of 动态监测 (listed in jobs/queue.ts):
 *  - monitoring-run: one run queued by POST /api/monitoring/runs (or resumed); a run killed with
 *    the process expires, is retried, and continues after its last stored batch;
 *  - monitoring-imports: the import hook. Every finished source import gets exactly one incremental
 *    run (unique per import); polling the imports table, rather than a call from the importer,
 *    means an import finished while the process was down is still followed;
 *  - monitoring-monthly: the monthly full re-screen of every county (Guanshanhu's 每月复筛).
 */
import type { JobDefinition } from '../../jobs/queue.ts';
import { today } from '../registry/registry.model.ts';
import { runMonitoring } from './monitoring.run.ts';
import { followImports, MONITORING_SYSTEM, monthlyRescreen } from './monitoring.service.ts';

export const monitoringJobs: JobDefinition[] = [
  {
    name: 'monitoring-run',
    sendOptions: { retryLimit: 3, retryDelay: 5, expireInSeconds: 3 * 3600 },
    async run(db, log, data) {
      const runId = String(data?.runId ?? '');
      return runMonitoring(db, runId, {
        onBatch: (done, total) => log.info({ runId, done, total }, '动态监测进度'),
      });
    },
  },
  {
    name: 'monitoring-imports',
    cron: '*/2 * * * *',
    async run(db) {
      return followImports(db, MONITORING_SYSTEM);
    },
  },
  {
    name: 'monitoring-monthly',
    cron: '0 2 1 * *',
    sendOptions: { expireInSeconds: 6 * 3600 },
    async run(db, _log, data) {
      const given =
        typeof data?.asOf === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(data.asOf) ? data.asOf : null;
      return monthlyRescreen(db, MONITORING_SYSTEM, given ?? today());
    },
  },
];
