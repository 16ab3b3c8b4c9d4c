/**
 * Importing a file of a source: who may (permission, department), what the file is, the claim,
 * the run (awaited, or in the background for uploads) and the record of it.
 */
import { open } from 'node:fs/promises';
import type { Database } from '../../db/database.ts';
import { asSystem } from '../../db/scope.ts';
import { AppError, errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import type { PersonalDataCipher } from '../registry/personalData.crypto.ts';
import { today } from '../registry/registry.model.ts';
import { findSource, type SourceSpec } from './catalogue/index.ts';
import type { StoredFile } from './files.ts';
import { claimImport } from './import.claim.ts';
import { type Counts, IMPORT_COLUMNS, type ImportRow } from './import.repo.ts';
import { finishImport, runImport, withDepartment } from './import.run.ts';
import { readCsv } from './readers/csv.ts';
import { detectFile } from './readers/detect.ts';
import { readJson } from './readers/json.ts';
import type { ReadLimits } from './readers/types.ts';
import { readXlsx } from './readers/xlsx.ts';
import { type ImportView, importView } from './sources.views.ts';

export interface SourcesDeps {
  db: Database;
  cipher: PersonalDataCipher;
  maxBytes: number;
  limits?: Partial<ReadLimits>;
  /** Rows per transaction (default 5,000). */
  batchSize?: number;
}

export const DEFAULT_LIMITS: ReadLimits = {
  maxRows: 2_000_000,
  maxCellChars: 10_000,
  maxUncompressedBytes: 512 * 1024 * 1024,
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function sourceFor(actor: Actor, sourceId: string): SourceSpec {
  const spec = findSource(sourceId);
  if (!spec) throw errors.notFound(`数据源 ${sourceId.slice(0, 40)} `);
  if (actor.role === 'departmentOfficer' && actor.department !== spec.department)
    throw new AppError(403, 'FORBIDDEN', `“${spec.label}”不属于您所在的部门`, 'source of another department');
  return spec;
}

export async function loadSetting(
  db: Database,
  source: string,
): Promise<{
  allOrNothing: boolean | null;
  mapping: Record<string, string> | null;
  shrinkAlertPercent: number | null;
}> {
  const result = await asSystem(db, (tx) =>
    tx.query<{
      all_or_nothing: boolean | null;
      mapping: Record<string, string> | null;
      shrink_alert_percent: number | null;
    }>('SELECT all_or_nothing, mapping, shrink_alert_percent FROM source_setting WHERE source = $1', [
      source,
    ]),
  );
  const row = result.rows[0];
  return {
    allOrNothing: row?.all_or_nothing ?? null,
    mapping: row?.mapping ?? null,
    shrinkAlertPercent: row?.shrink_alert_percent ?? null,
  };
}

async function firstChar(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, 4096, 0);
    return buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart()
      .charAt(0);
  } finally {
    await handle.close();
  }
}

export interface ImportRequest {
  source: string;
  file: StoredFile;
  fileName: string;
  asOf?: string | undefined;
  via: 'upload' | 'cli' | 'push';
  /** Region of records whose person is not in the registry; default the actor's region. */
  regionCode?: string;
  apiKeyId?: string | null;
  idempotencyKey?: string | null;
  waitMs?: number;
}

export interface ImportHandle {
  /** The import as claimed (running), or the earlier one for a repeated file. */
  claimed: ImportView & { repeated: boolean };
  /** Settles when the import has finished (never rejects). */
  finished: Promise<ImportView>;
}

export async function startImport(
  deps: SourcesDeps,
  actor: Actor | undefined,
  request: ImportRequest,
  requestId?: string,
  onProgress?: (counts: Counts, bytesRead: number, bytes: number) => void | Promise<void>,
): Promise<ImportHandle> {
  authorize(actor, Permission.sourceImport);
  const spec = sourceFor(actor, request.source);
  const asOf = request.asOf ?? today();
  if (!ISO_DATE.test(asOf) || Number.isNaN(Date.parse(asOf)))
    throw errors.validation('asOf', '截至日期格式应为 2025-06-30', 'asOf must be an ISO date');
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const detected = await detectFile(request.file.path, request.file.bytes, request.fileName);
  const setting = await loadSetting(deps.db, spec.id);
  const regionCode = request.regionCode ?? actor.regionCode;
  const claim = await claimImport(deps.db, {
    source: spec.id,
    department: spec.department,
    regionCode,
    via: request.via,
    fileName: request.fileName.slice(0, 255) || 'file',
    format: detected.format,
    encoding: detected.encoding,
    checksum: request.file.checksum,
    bytes: request.file.bytes,
    asOf,
    allOrNothing: setting.allOrNothing ?? spec.allOrNothing,
    startedBy: actor.userId,
    apiKeyId: request.apiKeyId ?? null,
    idempotencyKey: request.idempotencyKey ?? null,
    ...(request.waitMs !== undefined ? { waitMs: request.waitMs } : {}),
  });
  if (claim.kind === 'repeated') {
    await request.file.dispose();
    const view = importView(claim.row);
    return { claimed: { ...view, repeated: true }, finished: Promise.resolve(view) };
  }
  const row = claim.row;
  const first = detected.format === 'json' ? await firstChar(request.file.path) : '';
  const startedAt = performance.now();
  const ctx = {
    db: deps.db,
    cipher: deps.cipher,
    actor,
    requestId,
    spec,
    mapping: setting.mapping,
    shrinkPercent: setting.shrinkAlertPercent,
    row,
    open: async () => {
      if (detected.format === 'xlsx') return readXlsx(request.file.path, limits);
      if (detected.format === 'json')
        return readJson(request.file.path, detected.encoding ?? 'utf-8', limits, first);
      return readCsv(request.file.path, detected.encoding ?? 'utf-8', limits);
    },
    onProgress: (counts: Counts, bytesRead: number) => onProgress?.(counts, bytesRead, row.bytes),
    ...(deps.batchSize ? { batchSize: deps.batchSize } : {}),
  };
  const finished = (async () => {
    try {
      const outcome = await runImport(ctx);
      await finishImport(ctx, outcome, startedAt);
    } catch (error) {
      // The database itself failed (closed, lost): the import stays running and is resumed by a re-run.
      process.stderr.write(
        `${JSON.stringify({ level: 50, msg: '导入中止', importId: row.id, error: String(error) })}\n`,
      );
    } finally {
      await request.file.dispose();
    }
    return getImportRow(deps.db, actor, row.id, requestId).then(importView);
  })();
  return { claimed: { ...importView(row), repeated: false }, finished };
}

export async function getImportRow(
  db: Database,
  actor: Actor,
  id: string,
  requestId?: string,
): Promise<ImportRow> {
  const result = await withDepartment(db, actor, requestId, (tx) =>
    tx.query<ImportRow>(`SELECT ${IMPORT_COLUMNS} FROM source_import WHERE id = $1`, [id]),
  );
  const row = result.rows[0];
  if (!row) throw errors.notFound('导入记录');
  return row;
}
