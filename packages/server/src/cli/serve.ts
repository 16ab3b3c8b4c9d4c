/** `doudi serve`: the HTTP server and background jobs, with a graceful stop on SIGTERM/SIGINT. */
import { buildApp } from '../app.ts';
import { seedDemo } from '../demo/demoAccounts.ts';
import { JobRunner } from '../jobs/queue.ts';
import { openRuntime } from '../runtime.ts';
import { fileClock } from './fileClock.ts';

export async function serve(options: { port?: string; host?: string; demo?: boolean }): Promise<number> {
  const { config, db } = await openRuntime();
  if (options.port) config.port = Number(options.port);
  if (options.host) config.host = options.host;
  const jobs = new JobRunner(db, config, console);
  // Tests only: DOUDI_CLOCK_FILE moves the intake clocks (see fileClock.ts; refused in production).
  const clock = config.clockFile ? fileClock(config.clockFile) : undefined;
  const app = await buildApp(db, config, { ...(config.jobs ? { jobs } : {}), ...(clock ? { clock } : {}) });
  if (options.demo && config.environment !== 'production') {
    const seeded = await seedDemo(db, config);
    app.log.info(seeded, '演示数据已就绪');
  }
  jobs.setLogger(app.log);
  if (config.jobs) await jobs.start();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, '正在停止：等待进行中的请求和任务完成');
    // Fastify answers new requests with 503 and waits for in-flight ones; then jobs, then the database.
    // A client that keeps a connection open past the grace period is cut off.
    setTimeout(() => app.server.closeAllConnections(), 15_000).unref();
    await app.close();
    await jobs.stop();
    await db.close();
    app.log.info('已停止');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  app.log.info(
    `兜底平台已启动：http://${config.host}:${config.port}/ （接口文档 /docs，数据库 ${db.engine}）`,
  );
  return new Promise<number>(() => undefined);
}
