/**
 * The daily purge of delegated results (listed in jobs/queue.ts as delegated-purge): a completed
 * request's frozen result is personal data held for one purpose; once it has expired and the
 * region's retention period (parameter delegatedResultRetentionDays, days after expiry, in force
 * on the day of the purge) has passed, the result is cleared. The request, the centre's decision
 * and the access log stay; the purge itself is written to the access log and the audit trail, so
 * the file shows when the result went and why it can no longer be read (410 RESULT_PURGED).
 *
 * Safe to re-run: only results still held are touched, so a repeat (or two at once, rows locked
 * with SKIP LOCKED) purges nothing twice. Requests are walked in (expires_on, id) order, so those
 * whose retention has not passed yet are stepped over, not read again and again.
 */
import { lookupParameter } from '@doudi/rules';
import type { Database } from '../../db/database.ts';
import { asSystem } from '../../db/scope.ts';
import type { JobDefinition } from '../../jobs/queue.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { today } from '../registry/registry.model.ts';
import { activeCatalog } from '../rules/activeCatalog.ts';
import { addDays } from './delegatedShared.ts';

export const RETENTION_PARAMETER = 'delegatedResultRetentionDays';

export async function purgeExpiredResults(db: Database, today: string, batchSize = 500) {
  const active = await activeCatalog(db, today);
  const parameter = active.catalog.parameters.get(RETENTION_PARAMETER);
  if (!parameter) throw new Error(`参数${RETENTION_PARAMETER}不存在`);
  const retention = new Map<string, number>();
  const daysFor = (region: string) => {
    let days = retention.get(region);
    if (days === undefined) {
      days = Number(lookupParameter(parameter, today, region).value);
      retention.set(region, days);
    }
    return days;
  };
  type Cursor = { expiresOn: string; id: string } | null;
  let cursor: Cursor = null;
  let purged = 0;
  for (;;) {
    const after: Cursor = cursor;
    const step = await asSystem(db, async (tx): Promise<{ purged: number; next: Cursor }> => {
      const held = await tx.query<{
        id: string;
        region_code: string;
        department: string;
        expires_on: string;
      }>(
        `SELECT id, region_code, department, expires_on::text AS expires_on FROM delegated_request
          WHERE result IS NOT NULL AND expires_on < $1::date
            AND ($2::date IS NULL OR (expires_on, id) > ($2::date, $3::uuid))
          ORDER BY expires_on, id LIMIT $4 FOR UPDATE SKIP LOCKED`,
        [today, after?.expiresOn ?? null, after?.id ?? null, batchSize],
      );
      // Purged when the retention has passed: the day after expiry plus the days kept.
      const due = held.rows.filter((r) => addDays(r.expires_on, daysFor(r.region_code)) < today);
      if (due.length > 0) {
        await tx.query(
          `UPDATE delegated_request SET result = NULL, result_purged_on = $2::date
            WHERE id = ANY ($1::uuid[]) AND result IS NOT NULL`,
          [due.map((r) => r.id), today],
        );
        await tx.query(
          `INSERT INTO delegated_access (subject_type, subject_id, action, actor_id, actor_name, actor_role,
             requester_department, region_code)
           SELECT 'delegated', d.id, 'purge', 'system', '系统（到期清除）', 'system', d.department, d.region_code
             FROM json_to_recordset($1::json) AS d (id uuid, department text, region_code text)`,
          [
            JSON.stringify(
              due.map((r) => ({ id: r.id, department: r.department, region_code: r.region_code })),
            ),
          ],
        );
        for (const r of due)
          await appendAudit(tx, {
            action: 'verification.delegated.purge',
            entityType: 'delegated_request',
            entityId: r.id,
            regionCode: r.region_code,
            actorId: 'system',
            actorRole: 'system',
            after: { expiresOn: r.expires_on, retentionDays: daysFor(r.region_code), purgedOn: today },
          });
      }
      const last = held.rows.at(-1);
      return { purged: due.length, next: last ? { expiresOn: last.expires_on, id: last.id } : null };
    });
    purged += step.purged;
    if (!step.next) break;
    cursor = step.next;
  }
  return { purged, today };
}

export const delegatedJobs: JobDefinition[] = [
  {
    name: 'delegated-purge',
    cron: '50 2 * * *',
    async run(db, _log, data) {
      const given =
        typeof data?.today === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(data.today) ? data.today : null;
      return purgeExpiredResults(db, given ?? today());
    },
  },
];
