/**
 * Background jobs on pg-boss, in the same PostgreSQL as everything else (its own schema
 * `pgboss`). On the embedded database pg-boss talks through PGlite; on a server it opens
 * its own small pool. Every job is safe to run twice.
 */
import PgBoss from 'pg-boss';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { asSystem } from '../db/scope.ts';
import { sweepAlerts } from '../domains/alerts/dispatch.ts';
import { verifyAuditChain } from '../domains/audit/auditVerify.ts';
import { deleteExpiredSessions } from '../domains/auth/sessions.repo.ts';
import { runEnrolmentJob } from '../domains/enrolment/enrolment.job.ts';
import { sweepDeadlines } from '../domains/intake/deadlines.ts';
import { monitoringJobs } from '../domains/monitoring/monitoring.jobs.ts';
import { today } from '../domains/registry/registry.model.ts';
import { recountSummary } from '../domains/registry/summary.repo.ts';
import { runScreening } from '../domains/screening/screening.run.ts';
import { batchJobs } from '../domains/verification/batch.jobs.ts';
import { delegatedJobs } from '../domains/verification/delegated.jobs.ts';

export interface JobLogger {
  info(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface JobDefinition {
  name: string;
  /** Cron schedule (server time zone), if the job runs by itself. */
  cron?: string;
  /** Retries and expiry for each job sent (pg-boss send options). */
  sendOptions?: PgBoss.SendOptions;
  run(db: Database, log: JobLogger, data?: Record<string, unknown>): Promise<object>;
}

export const jobs: JobDefinition[] = [
  {
    name: 'session-cleanup',
    cron: '17 * * * *',
    async run(db) {
      const deleted = await asSystem(db, (tx) => deleteExpiredSessions(tx));
      return { deleted };
    },
  },
  {
    // A nightly walk of the audit chain, so tampering is found even if nobody asks.
    name: 'audit-verify',
    cron: '30 2 * * *',
    async run(db, log) {
      const result = await verifyAuditChain(db);
      if (!result.ok) log.error({ result }, '审计链校验失败');
      return result;
    },
  },
  {
    // Region counts: categories start and end by date without any write, so they are counted
    // again for the new day; households and persons too, which repairs any drift.
    name: 'registry-summary-recount',
    cron: '5 0 * * *',
    async run(db) {
      const on = today();
      await recountSummary(db, on, true);
      return { on };
    },
  },
  {
    // 政策找人: one screening run, queued by POST /api/screening/runs. A run that crashed (process
    // killed) expires and is retried; it continues after its last stored batch.
    name: 'screening-run',
    sendOptions: { retryLimit: 3, retryDelay: 5, expireInSeconds: 3 * 3600 },
    async run(db, log, data) {
      const runId = String(data?.runId ?? '');
      const outcome = await runScreening(db, runId, {
        onBatch: (processed, total) => log.info({ runId, processed, total }, '政策找人进度'),
      });
      return outcome;
    },
  },
  {
    // One-door intake: mark each open case's step clock (yellow at 80%, red overdue) and write and
    // deliver reminders. Reminders are keyed per case and step round, so a repeat sends nothing twice.
    // `data.today` (ISO date) runs it as of another day (tests, catching up).
    name: 'intake-deadlines',
    cron: '20 * * * *',
    async run(db, _log, data) {
      const given =
        typeof data?.today === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(data.today) ? data.today : null;
      return sweepDeadlines(db, { today: given ?? today() });
    },
  },
  {
    // Enrolment: review tasks 30 days ahead, re-checks after a member's death, phase-outs that end.
    // Keyed per enrolment and trigger, so a repeat writes nothing twice. `data.today` as above.
    name: 'enrolment-reviews',
    cron: '40 1 * * *',
    async run(db, _log, data) {
      const given =
        typeof data?.today === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(data.today) ? data.today : null;
      return runEnrolmentJob(db, { today: given ?? today() });
    },
  },
  {
    // 派单 for alerts raised from data, and escalation up the region tree of alerts nobody accepted
    // in time. Re-checked under row locks, so a repeat or two at once do nothing twice.
    name: 'alerts-sweep',
    cron: '40 * * * *',
    async run(db, _log, data) {
      const given =
        typeof data?.today === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(data.today) ? data.today : null;
      return sweepAlerts(db, given ?? today());
    },
  },
  ...monitoringJobs,
  ...batchJobs,
  ...delegatedJobs,
];

function pgliteAdapter(db: Database) {
  const embedded = db.embedded;
  if (!embedded) throw new Error('pgliteAdapter needs the embedded database');
  return {
    async executeSql(text: string, values: unknown[] = []) {
      if (values.length === 0) {
        // pg-boss sends multi-statement scripts (its schema) without parameters.
        const results = await embedded.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      }
      const result = await embedded.query(text, values as unknown[]);
      return { rows: result.rows };
    },
  };
}

export class JobRunner {
  private boss: PgBoss | undefined;

  constructor(
    private readonly db: Database,
    private readonly config: Config,
    private log: JobLogger,
  ) {}

  /** The app's logger, once the app exists (the runner is made first so that the app can queue jobs). */
  setLogger(log: JobLogger): void {
    this.log = log;
  }

  async start(): Promise<void> {
    const boss = this.config.databaseUrl
      ? new PgBoss({ connectionString: this.config.databaseUrl, max: 3 })
      : new PgBoss({ db: pgliteAdapter(this.db) });
    boss.on('error', (error) => this.log.error({ err: error }, '后台任务队列出错'));
    await boss.start();
    for (const job of jobs) {
      await boss.createQueue(job.name);
      await boss.work(job.name, async ([received]) => {
        const result = await job.run(
          this.db,
          this.log,
          received?.data as Record<string, unknown> | undefined,
        );
        this.log.info({ job: job.name, result }, '后台任务完成');
        return result;
      });
      if (job.cron) await boss.schedule(job.name, job.cron);
    }
    this.boss = boss;
  }

  /** Queues a job now; returns its id. */
  async send(name: string, data: object = {}): Promise<string | null> {
    if (!this.boss) throw new Error('jobs are not running');
    return this.boss.send(name, data, jobs.find((j) => j.name === name)?.sendOptions ?? {});
  }

  /** Lets running jobs finish, then stops; called on shutdown. */
  async stop(): Promise<void> {
    await this.boss?.stop({ graceful: true, wait: true, timeout: 20_000 });
    this.boss = undefined;
  }
}
