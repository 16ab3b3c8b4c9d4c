/**
 * Data governance (issue 5, item 8): disputed records go back to the department that sent them
 * as an error list with a status; the department answers (corrected / rejected). Data-quality
 * figures per source: match rate, rejected share, open disputes, freshness.
 *
 * Scope: a dispute takes the record's region and department, and row-level security shows it
 * where the record is seen, so a record outside the caller's region is "not found" for raising
 * as for reading, and a department officer sees only their department's list.
 */
import dayjs from 'dayjs';
import type { Queryable } from '../../db/database.ts';
import { AppError, errors } from '../../http/errors.ts';
import { type Actor, authorize, can, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { chinaDate } from '../registry/registry.model.ts';
import { SOURCES } from './catalogue/index.ts';
import { withDepartment } from './import.context.ts';
import type { SourcesDeps } from './import.service.ts';

const TEXT_MIN = 2;
const TEXT_MAX = 500;
export type DisputeStatus = 'open' | 'corrected' | 'rejected';

interface DisputeRow {
  id: string;
  record_id: number;
  source: string;
  record_key: string;
  department: string;
  region_code: string;
  reason: string;
  status: DisputeStatus;
  answer: string | null;
  raised_by: string;
  raised_by_name: string | null;
  raised_at: Date;
  answered_by: string | null;
  answered_by_name: string | null;
  answered_at: Date | null;
  id_number_masked: string;
  name: string;
}

const DISPUTE_SELECT = `SELECT d.id, d.record_id, d.source, d.record_key, d.department, d.region_code, d.reason,
       d.status, d.answer, d.raised_by, ru.display_name AS raised_by_name, d.raised_at, d.answered_by,
       au.display_name AS answered_by_name, d.answered_at, r.id_number_masked, r.name
  FROM source_dispute d JOIN source_record r ON r.id = d.record_id
  LEFT JOIN app_user ru ON ru.id::text = d.raised_by
  LEFT JOIN app_user au ON au.id::text = d.answered_by`;

function disputeView(row: DisputeRow) {
  return {
    id: row.id,
    recordId: Number(row.record_id),
    source: row.source,
    recordKey: row.record_key,
    department: row.department,
    regionCode: row.region_code,
    idNumberMasked: row.id_number_masked,
    name: row.name,
    reason: row.reason,
    status: row.status,
    answer: row.answer,
    raisedBy: row.raised_by_name ?? row.raised_by,
    raisedAt: new Date(row.raised_at).toISOString(),
    answeredBy: row.answered_by ? (row.answered_by_name ?? row.answered_by) : null,
    answeredAt: row.answered_at ? new Date(row.answered_at).toISOString() : null,
  };
}
export type DisputeView = ReturnType<typeof disputeView>;

/** Trimmed text of 2..500 characters (counted as characters, not UTF-16 units), else a 400. */
function checkText(field: string, label: string, text: string): string {
  const trimmed = text.trim();
  const length = [...trimmed].length;
  if (length < TEXT_MIN)
    throw errors.validation(field, `请填写${label}（至少${TEXT_MIN}个字）`, `${field} is required`);
  if (length > TEXT_MAX)
    throw errors.validation(
      field,
      `${label}不能超过${TEXT_MAX}个字（现有${length}个字）`,
      `${field} is longer than ${TEXT_MAX} characters`,
    );
  return trimmed;
}

async function oneDispute(tx: Queryable, id: string): Promise<DisputeRow | undefined> {
  const result = await tx.query<DisputeRow>(`${DISPUTE_SELECT} WHERE d.id = $1`, [id]);
  return result.rows[0];
}

/**
 * Marks a record disputed. A second request for a record that already has an open dispute
 * returns that one (`repeated`), so a double click or a retried request never makes two.
 */
export async function raiseDispute(
  deps: SourcesDeps,
  actor: Actor | undefined,
  recordId: number,
  body: { reason: string },
  requestId?: string,
): Promise<DisputeView & { repeated: boolean }> {
  authorize(actor, Permission.sourceDispute);
  const reason = checkText('reason', '异议原因', body.reason);
  return withDepartment(deps.db, actor, requestId, async (tx) => {
    const record = await tx.query<{
      id: number;
      source: string;
      record_key: string;
      department: string;
      region_code: string;
    }>('SELECT id, source, record_key, department, region_code FROM source_record WHERE id = $1', [recordId]);
    const target = record.rows[0];
    if (!target) throw errors.notFound('数据记录');
    const inserted = await tx.query<{ id: string }>(
      `INSERT INTO source_dispute (record_id, source, record_key, department, region_code, reason)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (record_id) WHERE status = 'open' DO NOTHING RETURNING id`,
      [target.id, target.source, target.record_key, target.department, target.region_code, reason],
    );
    const createdId = inserted.rows[0]?.id;
    if (!createdId) {
      const open = await tx.query<DisputeRow>(
        `${DISPUTE_SELECT} WHERE d.record_id = $1 AND d.status = 'open'`,
        [target.id],
      );
      return { ...disputeView(open.rows[0] as DisputeRow), repeated: true };
    }
    await appendAudit(tx, {
      action: 'sources.dispute.raise',
      entityType: 'source_dispute',
      entityId: createdId,
      regionCode: target.region_code,
      actorRole: actor.role,
      after: { recordId: Number(target.id), source: target.source, recordKey: target.record_key, reason },
    });
    return { ...disputeView((await oneDispute(tx, createdId)) as DisputeRow), repeated: false };
  });
}

/**
 * The department's answer: corrected (a fixed record follows in its next file) or rejected (the
 * record stands). Only an open dispute is answered; the same answer again is returned as is, a
 * different one is a conflict (someone answered first).
 */
export async function answerDispute(
  deps: SourcesDeps,
  actor: Actor | undefined,
  id: string,
  body: { status: 'corrected' | 'rejected'; answer: string },
  requestId?: string,
): Promise<DisputeView> {
  authorize(actor, Permission.sourceImport);
  const answer = checkText('answer', '答复', body.answer);
  return withDepartment(deps.db, actor, requestId, async (tx) => {
    const locked = await tx.query<{
      status: DisputeStatus;
      answer: string | null;
      region_code: string;
      department: string;
    }>('SELECT status, answer, region_code, department FROM source_dispute WHERE id = $1 FOR UPDATE', [id]);
    const current = locked.rows[0];
    if (!current) throw errors.notFound('数据异议');
    if (actor.role === 'departmentOfficer' && actor.department !== current.department)
      throw errors.notFound('数据异议');
    if (current.status !== 'open') {
      if (current.status === body.status && current.answer === answer)
        return disputeView((await oneDispute(tx, id)) as DisputeRow);
      throw new AppError(
        409,
        'DISPUTE_ANSWERED',
        '该异议已经答复过，请刷新后查看',
        'this dispute has been answered already',
      );
    }
    await tx.query(
      `UPDATE source_dispute SET status = $2, answer = $3, answered_by = doudi_actor_id(), answered_at = now()
        WHERE id = $1`,
      [id, body.status, answer],
    );
    await appendAudit(tx, {
      action: `sources.dispute.${body.status}`,
      entityType: 'source_dispute',
      entityId: id,
      regionCode: current.region_code,
      actorRole: actor.role,
      before: { status: 'open' },
      after: { status: body.status, answer },
    });
    return disputeView((await oneDispute(tx, id)) as DisputeRow);
  });
}

export async function listDisputes(
  deps: SourcesDeps,
  actor: Actor | undefined,
  query: { status?: DisputeStatus; source?: string; department?: string; page: number; pageSize: number },
  requestId?: string,
) {
  // Those who raise disputes (caseworkers too) follow them; everyone who reads sources sees them.
  if (!actor || !can(actor, Permission.sourceDispute)) authorize(actor, Permission.sourceRead);
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (column: string, value: unknown) => {
    params.push(value);
    conditions.push(`d.${column} = $${params.length}`);
  };
  if (query.status) add('status', query.status);
  if (query.source) add('source', query.source);
  if (query.department) add('department', query.department);
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  return withDepartment(deps.db, actor, requestId, async (tx) => {
    const total = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM source_dispute d ${where}`,
      params,
    );
    // Open ones first (they wait for an answer), then the newest.
    const rows = await tx.query<DisputeRow>(
      `${DISPUTE_SELECT} ${where}
        ORDER BY (d.status = 'open') DESC, d.raised_at DESC, d.id
        LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.pageSize, (query.page - 1) * query.pageSize],
    );
    return {
      items: rows.rows.map(disputeView),
      total: total.rows[0]?.n ?? 0,
      page: query.page,
      pageSize: query.pageSize,
    };
  });
}

/**
 * Data-quality figures per source in the caller's view: open records and the share matched to a
 * registered person, the share of rows rejected over the source's last ten finished imports,
 * open and answered disputes, and freshness (the newest as-of date loaded and days since).
 */
export async function sourceQuality(deps: SourcesDeps, actor: Actor | undefined, requestId?: string) {
  authorize(actor, Permission.sourceRead);
  const visible = SOURCES.filter(
    (s) => actor.role !== 'departmentOfficer' || s.department === actor.department,
  );
  const today = dayjs(chinaDate(new Date()));
  return withDepartment(deps.db, actor, requestId, async (tx) => {
    const records = await tx.query<{ source: string; open: number; matched: number; mismatched: number }>(
      `SELECT source, count(*)::int AS open, count(person_id)::int AS matched,
              count(*) FILTER (WHERE name_mismatch)::int AS mismatched
         FROM source_record WHERE valid_to IS NULL GROUP BY source`,
    );
    const imports = await tx.query<{
      source: string;
      rows_read: number;
      rejected: number;
      newest: string | null;
      flagged: number;
    }>(
      `SELECT source, sum(rows_read)::int AS rows_read, sum(rejected)::int AS rejected,
              max(as_of) FILTER (WHERE status = 'done') AS newest,
              count(*) FILTER (WHERE (anomalies->>'flagged')::int > 0)::int AS flagged
         FROM (SELECT source, rows_read, rejected, as_of, status, anomalies,
                      row_number() OVER (PARTITION BY source ORDER BY started_at DESC) AS n
                 FROM source_import WHERE status IN ('done', 'refused')) last
        WHERE n <= 10 GROUP BY source`,
    );
    const disputes = await tx.query<{ source: string; open: number; answered: number }>(
      `SELECT source, count(*) FILTER (WHERE status = 'open')::int AS open,
              count(*) FILTER (WHERE status <> 'open')::int AS answered
         FROM source_dispute GROUP BY source`,
    );
    const by = <T extends { source: string }>(rows: T[]) => new Map(rows.map((r) => [r.source, r]));
    const r = by(records.rows);
    const i = by(imports.rows);
    const d = by(disputes.rows);
    return visible.map((spec) => {
      const rec = r.get(spec.id);
      const imp = i.get(spec.id);
      const newest = imp?.newest ?? null;
      return {
        source: spec.id,
        label: spec.label,
        labelEn: spec.labelEn,
        department: spec.department,
        openRecords: rec?.open ?? 0,
        matchRate: rec && rec.open > 0 ? rec.matched / rec.open : null,
        nameMismatches: rec?.mismatched ?? 0,
        rowsRead: imp?.rows_read ?? 0,
        rejectedShare: imp && imp.rows_read > 0 ? imp.rejected / imp.rows_read : null,
        importsWithAnomalies: imp?.flagged ?? 0,
        openDisputes: d.get(spec.id)?.open ?? 0,
        answeredDisputes: d.get(spec.id)?.answered ?? 0,
        newestAsOf: newest,
        daysSinceAsOf: newest ? today.diff(dayjs(newest), 'day') : null,
      };
    });
  });
}
