/**
 * One import of a source at a time. The claim runs under a transaction-scoped advisory lock on
 * the source: it finds the running import (if any), waits while that one is alive, takes over
 * one whose process died (same file: resumed from its last committed batch; another file:
 * marked failed), and otherwise inserts the new import as running. The unique index
 * source_import_running_idx makes a second running import impossible even without the lock.
 */
import { hostname } from 'node:os';
import type { Database } from '../../db/database.ts';
import { asSystem } from '../../db/scope.ts';
import { AppError } from '../../http/errors.ts';
import { IMPORT_COLUMNS, type ImportRow } from './import.repo.ts';

export const WORKER = `${hostname()}:${process.pid}`;
const STALE_MS = 60_000;

export interface ClaimRequest {
  source: string;
  department: string;
  regionCode: string;
  via: 'upload' | 'cli' | 'push';
  fileName: string;
  format: string;
  encoding: string | null;
  checksum: string;
  bytes: number;
  asOf: string;
  allOrNothing: boolean;
  startedBy: string;
  apiKeyId?: string | null;
  idempotencyKey?: string | null;
  /** How long to wait for another import of the source to finish. */
  waitMs?: number;
}

export type Claim =
  | { kind: 'new' | 'resumed'; row: ImportRow }
  /** The same file (checksum, as-of date) was imported already: nothing to do. */
  | { kind: 'repeated'; row: ImportRow };

function alive(row: ImportRow): boolean {
  if (Date.now() - new Date(row.heartbeat_at).getTime() > STALE_MS) return false;
  const [host, pid] = (row.worker ?? '').split(':');
  if (host !== hostname()) return true;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function tryClaim(db: Database, request: ClaimRequest): Promise<Claim | 'busy'> {
  return asSystem(db, async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('doudi.sources.' || $1))", [request.source]);
    if (request.idempotencyKey && request.apiKeyId) {
      const earlier = await tx.query<ImportRow>(
        `SELECT ${IMPORT_COLUMNS} FROM source_import WHERE api_key_id = $1 AND idempotency_key = $2`,
        [request.apiKeyId, request.idempotencyKey],
      );
      const row = earlier.rows[0];
      if (row) {
        if (row.source !== request.source || row.checksum !== request.checksum)
          throw new AppError(
            409,
            'IDEMPOTENCY_KEY_REUSED',
            '该幂等键已用于另一批数据，请换一个新的幂等键',
            'idempotency key already used for different data',
          );
        if (row.status !== 'running') return { kind: 'repeated', row };
      }
    }
    const done = await tx.query<ImportRow>(
      `SELECT ${IMPORT_COLUMNS} FROM source_import
        WHERE source = $1 AND checksum = $2 AND as_of = $3 AND status = 'done' AND region_code = $4
        ORDER BY started_at DESC LIMIT 1`,
      [request.source, request.checksum, request.asOf, request.regionCode],
    );
    if (done.rows[0]) return { kind: 'repeated', row: done.rows[0] };
    const running = (
      await tx.query<ImportRow>(
        `SELECT ${IMPORT_COLUMNS} FROM source_import WHERE source = $1 AND status = 'running'`,
        [request.source],
      )
    ).rows[0];
    if (running) {
      if (alive(running)) return 'busy';
      if (
        running.checksum === request.checksum &&
        running.as_of === request.asOf &&
        running.region_code === request.regionCode
      ) {
        const resumed = await tx.query<ImportRow>(
          `UPDATE source_import SET worker = $2, heartbeat_at = now() WHERE id = $1 RETURNING ${IMPORT_COLUMNS}`,
          [running.id, WORKER],
        );
        return { kind: 'resumed', row: resumed.rows[0] as ImportRow };
      }
      await tx.query(
        `UPDATE source_import SET status = 'failed', finished_at = now(),
                message = '导入中断（进程退出），已提交的批次保留；重新导入同一文件会从中断处继续'
          WHERE id = $1`,
        [running.id],
      );
    }
    const inserted = await tx.query<ImportRow>(
      `INSERT INTO source_import (source, department, region_code, via, file_name, format, encoding, checksum, bytes,
              as_of, status, all_or_nothing, started_by, worker, api_key_id, idempotency_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'running', $11, $12, $13, $14, $15)
       RETURNING ${IMPORT_COLUMNS}`,
      [
        request.source,
        request.department,
        request.regionCode,
        request.via,
        request.fileName,
        request.format,
        request.encoding,
        request.checksum,
        request.bytes,
        request.asOf,
        request.allOrNothing,
        request.startedBy,
        WORKER,
        request.apiKeyId ?? null,
        request.idempotencyKey ?? null,
      ],
    );
    return { kind: 'new', row: inserted.rows[0] as ImportRow };
  });
}

export async function claimImport(db: Database, request: ClaimRequest): Promise<Claim> {
  const deadline = Date.now() + (request.waitMs ?? 10 * 60_000);
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    const claim = await tryClaim(db, request);
    if (claim !== 'busy') return claim;
    if (Date.now() > deadline)
      throw new AppError(
        409,
        'IMPORT_BUSY',
        '该数据源正在导入另一份文件，请稍后再试',
        'another import of this source is running',
      );
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
