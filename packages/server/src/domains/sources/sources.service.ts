/**
 * Reading this domain: the catalogue with its settings and counts, imports, error reports,
 * records (unmatched, name mismatches, by ID number), and managing settings and API keys.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { asSystem } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { normaliseIdNumber } from '../registry/personalData.crypto.ts';
import { DEFAULT_SHRINK_PERCENT } from './anomalies.ts';
import { SOURCES } from './catalogue/index.ts';
import { IMPORT_COLUMNS, type ImportRow } from './import.repo.ts';
import { withDepartment } from './import.run.ts';
import { getImportRow, loadSetting, type SourcesDeps, sourceFor } from './import.service.ts';
import { effectiveHeaders } from './mapping.ts';
import { importView } from './sources.views.ts';

export async function listSources(deps: SourcesDeps, actor: Actor | undefined, requestId?: string) {
  authorize(actor, Permission.sourceRead);
  const visible = SOURCES.filter(
    (s) => actor.role !== 'departmentOfficer' || s.department === actor.department,
  );
  return withDepartment(deps.db, actor, requestId, async (tx) => {
    const counts = await tx.query<{ source: string; open: number; unmatched: number }>(
      `SELECT source, count(*)::int AS open, count(*) FILTER (WHERE person_id IS NULL)::int AS unmatched
         FROM source_record WHERE valid_to IS NULL GROUP BY source`,
    );
    const last = await tx.query<ImportRow>(
      `SELECT DISTINCT ON (source) ${IMPORT_COLUMNS} FROM source_import ORDER BY source, started_at DESC`,
    );
    const settings = await tx.query<{
      source: string;
      all_or_nothing: boolean | null;
      mapping: Record<string, string> | null;
      shrink_alert_percent: number | null;
    }>('SELECT source, all_or_nothing, mapping, shrink_alert_percent FROM source_setting');
    const bySource = <T extends { source: string }>(rows: T[]) => new Map(rows.map((r) => [r.source, r]));
    const c = bySource(counts.rows);
    const l = bySource(last.rows);
    const s = bySource(settings.rows);
    return visible.map((spec) => {
      const headers = effectiveHeaders(spec, s.get(spec.id)?.mapping ?? null);
      const lastRow = l.get(spec.id);
      return {
        id: spec.id,
        label: spec.label,
        labelEn: spec.labelEn,
        department: spec.department,
        asOf: spec.asOf,
        asOfNote: spec.asOfNote,
        allOrNothing: s.get(spec.id)?.all_or_nothing ?? spec.allOrNothing,
        shrinkAlertPercent: s.get(spec.id)?.shrink_alert_percent ?? DEFAULT_SHRINK_PERCENT,
        fields: spec.fields.map((f) => ({
          name: f.name,
          header: headers.get(f.name) as string,
          defaultHeader: f.header,
          type: f.type,
          required: f.required === true,
          ...(f.values
            ? { values: Object.fromEntries(Object.entries(f.values).map(([k, v]) => [k, String(v)])) }
            : {}),
        })),
        openRecords: c.get(spec.id)?.open ?? 0,
        unmatched: c.get(spec.id)?.unmatched ?? 0,
        lastImport: lastRow ? importView(lastRow) : null,
      };
    });
  });
}

export async function updateSetting(
  deps: SourcesDeps,
  actor: Actor | undefined,
  sourceId: string,
  body: {
    allOrNothing?: boolean | null;
    mapping?: Record<string, string> | null;
    shrinkAlertPercent?: number | null;
  },
  requestId?: string,
) {
  authorize(actor, Permission.sourceManage);
  const spec = sourceFor(actor, sourceId);
  const names = new Set(spec.fields.map((f) => f.name));
  for (const [field, header] of Object.entries(body.mapping ?? {})) {
    if (!names.has(field))
      throw errors.validation('mapping', `“${spec.label}”没有字段 ${field.slice(0, 40)}`, 'unknown field');
    if (header.trim() === '' || header.length > 100)
      throw errors.validation('mapping', '列名应为1到100个字符', 'header must be 1..100 characters');
  }
  const before = await loadSetting(deps.db, spec.id);
  await asSystem(deps.db, async (tx) => {
    await tx.query(
      `INSERT INTO source_setting (source, all_or_nothing, mapping, updated_by, shrink_alert_percent)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (source) DO UPDATE SET all_or_nothing = $2, mapping = $3, updated_by = $4, updated_at = now(),
              shrink_alert_percent = $5`,
      [
        spec.id,
        body.allOrNothing ?? null,
        body.mapping ? JSON.stringify(body.mapping) : null,
        actor.userId,
        body.shrinkAlertPercent ?? null,
      ],
    );
    await appendAudit(tx, {
      action: 'sources.setting.update',
      entityType: 'source_setting',
      entityId: spec.id,
      regionCode: actor.regionCode,
      actorId: actor.userId,
      actorRole: actor.role,
      before,
      after: body,
      requestId: requestId ?? null,
    });
  });
  return { ok: true };
}

export async function listImports(
  deps: SourcesDeps,
  actor: Actor | undefined,
  query: { source?: string; page: number; pageSize: number },
  requestId?: string,
) {
  authorize(actor, Permission.sourceRead);
  return withDepartment(deps.db, actor, requestId, async (tx) => {
    const where = query.source ? 'WHERE source = $3' : '';
    const params: unknown[] = [query.pageSize, (query.page - 1) * query.pageSize];
    if (query.source) params.push(query.source);
    const rows = await tx.query<ImportRow>(
      `SELECT ${IMPORT_COLUMNS} FROM source_import ${where} ORDER BY started_at DESC LIMIT $1 OFFSET $2`,
      params,
    );
    const total = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM source_import ${query.source ? 'WHERE source = $1' : ''}`,
      query.source ? [query.source] : [],
    );
    return {
      items: rows.rows.map(importView),
      total: total.rows[0]?.n ?? 0,
      page: query.page,
      pageSize: query.pageSize,
    };
  });
}

export async function getImport(deps: SourcesDeps, actor: Actor | undefined, id: string, requestId?: string) {
  authorize(actor, Permission.sourceRead);
  return importView(await getImportRow(deps.db, actor, id, requestId));
}

const REPORT_PAGE = 5000;

/**
 * The error report as CSV (UTF-8 with BOM so Excel shows the Chinese), read in pages so a report
 * of a million rejected rows streams instead of sitting in memory.
 */
export async function errorReport(
  deps: SourcesDeps,
  actor: Actor | undefined,
  id: string,
  requestId?: string,
): Promise<{ fileName: string; stream: Readable }> {
  authorize(actor, Permission.sourceRead);
  const row = await getImportRow(deps.db, actor, id, requestId);
  const csv = stringify({ header: true, bom: true, columns: ['行号', '列名', '值', '原因'] });
  (async () => {
    let after = { row: 0, seq: 0 };
    for (;;) {
      const page = await withDepartment(deps.db, actor, requestId, (tx) =>
        tx.query<{
          row_no: number;
          seq: number;
          column_name: string | null;
          value: string | null;
          reason: string;
        }>(
          `SELECT row_no, seq, column_name, value, reason FROM source_import_error
            WHERE import_id = $1 AND (row_no, seq) > ($2, $3) ORDER BY row_no, seq LIMIT $4`,
          [id, after.row, after.seq, REPORT_PAGE],
        ),
      );
      for (const e of page.rows) {
        if (!csv.write([e.row_no, e.column_name ?? '', e.value ?? '', e.reason]))
          await new Promise((r) => csv.once('drain', r));
      }
      const last = page.rows.at(-1);
      if (!last || page.rows.length < REPORT_PAGE) break;
      after = { row: last.row_no, seq: last.seq };
    }
    csv.end();
  })().catch((error) => csv.destroy(error));
  return { fileName: `错误报告-${row.source}-${row.as_of}.csv`, stream: csv };
}

export async function listRecords(
  deps: SourcesDeps,
  actor: Actor | undefined,
  query: {
    source?: string;
    unmatched?: boolean;
    nameMismatch?: boolean;
    idNumber?: string;
    page: number;
    pageSize: number;
  },
  requestId?: string,
) {
  authorize(actor, Permission.sourceRead);
  const conditions = ['valid_to IS NULL'];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    conditions.push(sql.replace('?', `$${params.length}`));
  };
  if (query.source) add('source = ?', query.source);
  if (query.unmatched) conditions.push('person_id IS NULL');
  if (query.nameMismatch) conditions.push('name_mismatch');
  if (query.idNumber)
    add('id_number_index = ?', deps.cipher.blindIndex('idNumber', normaliseIdNumber(query.idNumber)));
  return withDepartment(deps.db, actor, requestId, async (tx) => {
    const where = conditions.join(' AND ');
    const total = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM source_record WHERE ${where}`,
      params,
    );
    const rows = await tx.query<{
      id: number;
      source: string;
      record_key: string;
      id_number_masked: string;
      name: string;
      person_id: string | null;
      name_mismatch: boolean;
      region_code: string;
      data: Record<string, unknown>;
      valid_from: string;
      valid_to: string | null;
      import_id: string;
    }>(
      `SELECT id, source, record_key, id_number_masked, name, person_id, name_mismatch, region_code, data,
              valid_from, valid_to, import_id
         FROM source_record WHERE ${where} ORDER BY id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.pageSize, (query.page - 1) * query.pageSize],
    );
    return {
      items: rows.rows.map((r) => ({
        id: r.id,
        source: r.source,
        recordKey: r.record_key,
        idNumberMasked: r.id_number_masked,
        name: r.name,
        personId: r.person_id,
        nameMismatch: r.name_mismatch,
        regionCode: r.region_code,
        data: r.data,
        validFrom: r.valid_from,
        validTo: r.valid_to,
        importId: r.import_id,
      })),
      total: total.rows[0]?.n ?? 0,
      page: query.page,
      pageSize: query.pageSize,
    };
  });
}

/**
 * Links unmatched records to persons registered since they were imported (same blind index);
 * a record moves to its person's region. Only records in the caller's scope are touched, and only
 * to persons inside it.
 */
export async function rematch(deps: SourcesDeps, actor: Actor | undefined, requestId?: string) {
  authorize(actor, Permission.sourceImport);
  return withDepartment(deps.db, actor, requestId, async (tx) => {
    const result = await tx.query(
      `UPDATE source_record r SET person_id = m.person_id, region_code = m.region_code,
              name_mismatch = (m.name <> r.name)
         FROM (SELECT DISTINCT id_number_index FROM source_record WHERE person_id IS NULL AND valid_to IS NULL) u,
              LATERAL source_match_persons(ARRAY[u.id_number_index]) m
        WHERE r.person_id IS NULL AND r.valid_to IS NULL AND r.id_number_index = u.id_number_index
          AND m.region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high())`,
    );
    await appendAudit(tx, {
      action: 'sources.rematch',
      entityType: 'source_record',
      regionCode: actor.regionCode,
      actorRole: actor.role,
      after: { matched: result.rowCount },
    });
    return { matched: result.rowCount };
  });
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

/** A department's key for the push endpoint; the key is shown once, only its hash is kept. */
export async function createApiKey(
  deps: SourcesDeps,
  actor: Actor | undefined,
  body: { department: string; label: string },
  requestId?: string,
) {
  authorize(actor, Permission.sourceManage);
  if (!SOURCES.some((s) => s.department === body.department))
    throw errors.validation('department', '该部门没有数据源', 'department owns no source');
  const key = `dk_${randomBytes(24).toString('base64url')}`;
  const prefix = key.slice(0, 10);
  const row = await withDepartment(deps.db, actor, requestId, async (tx) => {
    const inserted = await tx.query<{ id: string; created_at: Date }>(
      `INSERT INTO source_api_key (department, region_code, label, prefix, key_hash) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, created_at`,
      [body.department, actor.regionCode, body.label, prefix, hashApiKey(key)],
    );
    const created = inserted.rows[0] as { id: string; created_at: Date };
    await appendAudit(tx, {
      action: 'sources.apiKey.create',
      entityType: 'source_api_key',
      entityId: created.id,
      regionCode: actor.regionCode,
      actorRole: actor.role,
      after: { department: body.department, label: body.label, prefix },
    });
    return created;
  });
  return {
    id: row.id,
    key,
    prefix,
    department: body.department,
    label: body.label,
    regionCode: actor.regionCode,
  };
}
