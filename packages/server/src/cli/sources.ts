/**
 * `doudi sources import <source> <file> [--as-of DATE] [--region CODE]`: imports a department's
 * file as the platform (system actor), prints the import's counts as JSON on stdout and a
 * progress bar on stderr when it is a terminal. Exit 0 done, 1 refused or failed, 2 bad usage.
 * Records whose person is not in the registry belong to --region (default: the only county in
 * the region table, else the whole country).
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { systemActor } from '../demo/demoAccounts.ts';
import { NATIONAL_REGION } from '../domains/regions/regionCode.ts';
import { cipherFor } from '../domains/registry/personalData.crypto.ts';
import { AppError } from '../http/errors.ts';
import { openRuntime } from '../runtime.ts';

function bar(done: number, total: number, rows: number): string {
  const share = total > 0 ? Math.min(1, done / total) : 0;
  const width = 30;
  const filled = Math.round(share * width);
  return `\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  已读 ${rows} 行`;
}

export function registerSources(program: Command, done: (code: number) => void): void {
  program
    .command('sources')
    .description('部门数据')
    .command('import <source> <file>')
    .description('导入一份部门数据文件（CSV/XLSX/JSON），输出各项计数（JSON）')
    .option('--as-of <date>', '数据截至日期（默认今天）')
    .option('--region <code>', '未比对到人员的记录归属的12位区划代码')
    .action(async (source: string, file: string, options: { asOf?: string; region?: string }) => {
      if (options.region !== undefined && !/^\d{12}$/.test(options.region))
        throw new AppError(
          400,
          'VALIDATION_FAILED',
          '--region 应为12位区划代码',
          'region must have 12 digits',
          'region',
        );
      const { db, config } = await openRuntime();
      try {
        let region = options.region;
        if (!region) {
          const counties = await db.query<{ code: string }>(
            'SELECT code FROM region WHERE level = 3 LIMIT 2',
          );
          region = counties.rows.length === 1 ? (counties.rows[0] as { code: string }).code : NATIONAL_REGION;
        }
        // Loaded when used: the import pipeline brings exceljs, iconv-lite and the stream parsers.
        const { hashFile } = await import('../domains/sources/files.ts');
        const { startImport } = await import('../domains/sources/import.service.ts');
        const stored = await hashFile(file, config.sourceMaxBytes);
        const tty = process.stderr.isTTY;
        const handle = await startImport(
          { db, cipher: cipherFor(config.dataKey), maxBytes: config.sourceMaxBytes },
          systemActor,
          {
            source,
            file: stored,
            fileName: basename(file),
            asOf: options.asOf,
            via: 'cli',
            regionCode: region,
          },
          undefined,
          (counts, bytesRead, bytes) => {
            if (tty) process.stderr.write(bar(bytesRead, bytes, counts.rowsRead));
          },
        );
        const result = handle.claimed.repeated ? handle.claimed : await handle.finished;
        if (tty) process.stderr.write('\n');
        const {
          id,
          status,
          message,
          rowsRead,
          inserted,
          updated,
          unchanged,
          rejected,
          unmatched,
          nameMismatches,
          closed,
        } = result;
        console.log(
          JSON.stringify({
            id,
            status,
            repeated: handle.claimed.repeated,
            read: rowsRead,
            inserted,
            updated,
            unchanged,
            rejected,
            unmatched,
            nameMismatches,
            closed,
            durationMs: result.durationMs,
            message,
          }),
        );
        done(status === 'done' ? 0 : 1);
      } finally {
        await db.close();
      }
    });
}
