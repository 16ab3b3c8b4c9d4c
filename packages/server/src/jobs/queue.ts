/**
 * Background jobs on pg-boss, in the same PostgreSQL as everything else (its own schema
 * `pgboss`). On the embedded database pg-boss talks through PGlite; on a server it opens
 * its own small pool. Every job is safe to run twice.
 */
import PgBoss from 'pg-boss';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { asSystem } from '../db/scope.ts';
import { verifyAuditChain } from '../domains/audit/auditVerify.ts';
import { deleteExpiredSessions } from '../domains/auth/sessions.repo.ts';

export interface JobLogger {
  info(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface JobDefinition {
  name: string;
  /** Cron schedule (server time zone), if the job runs by itself. */
  cron?: string;
  run(db: Database, log: JobLogger): Promise<object>;
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
    private readonly log: JobLogger,
  ) {}

  async start(): Promise<void> {
    const boss = this.config.databaseUrl
      ? new PgBoss({ connectionString: this.config.databaseUrl, max: 3 })
      : new PgBoss({ db: pgliteAdapter(this.db) });
    boss.on('error', (error) => this.log.error({ err: error }, '后台任务队列出错'));
    await boss.start();
    for (const job of jobs) {
      await boss.createQueue(job.name);
      await boss.work(job.name, async () => {
        const result = await job.run(this.db, this.log);
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
    return this.boss.send(name, data);
  }

  /** Lets running jobs finish, then stops; called on shutdown. */
  async stop(): Promise<void> {
    await this.boss?.stop({ graceful: true, wait: true, timeout: 20_000 });
    this.boss = undefined;
  }
}
