/**
 * The daily enrolment job (as of a given day, so tests and catch-up runs move the clock):
 * - a review task for every live enrolment whose review falls due within 30 days;
 * - a re-check within 3 months of a member's death recorded in the registry;
 * - a phase-out that has run its course ends (stop, with its legal ground).
 * Every task has a trigger key (the review date, the person), so running twice writes nothing twice.
 */
import type { Database } from '../../db/database.ts';
import { asSystem } from '../../db/scope.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { closeCategory } from './enrolment.repo.ts';
import { LegalGrounds } from './enrolment.rules.ts';
import { runEnrolmentStopHooks } from './enrolmentHooks.ts';

export const REVIEW_LEAD_DAYS = 30;

export async function runEnrolmentJob(db: Database, options: { today: string }) {
  const today = options.today;
  return asSystem(db, async (tx) => {
    const reviews = await tx.query<{ id: string; enrolment_id: string; region_code: string }>(
      `INSERT INTO enrolment_task (enrolment_id, region_code, kind, trigger, trigger_key, due_on, requested_by,
         requested_by_name)
       SELECT e.id, e.region_code, 'review', 'schedule', 'review:' || e.next_review_on, e.next_review_on, 'system', '系统'
         FROM enrolment e WHERE e.status <> 'stopped' AND e.next_review_on <= $1::date + $2::int
       ON CONFLICT (enrolment_id, trigger_key) DO NOTHING RETURNING id, enrolment_id, region_code`,
      [today, REVIEW_LEAD_DAYS],
    );
    const rechecks = await tx.query<{ id: string; enrolment_id: string; region_code: string }>(
      `INSERT INTO enrolment_task (enrolment_id, region_code, kind, trigger, trigger_key, due_on, reason,
         requested_by, requested_by_name)
       SELECT e.id, e.region_code, 'recheck', 'death', 'death:' || p.id, (p.death_date + interval '3 months')::date,
              '家庭成员死亡（' || p.death_date || '），3个月内复核', 'system', '系统'
         FROM enrolment e JOIN person p ON p.household_id = e.household_id
        WHERE e.status <> 'stopped' AND p.death_date IS NOT NULL AND p.death_date >= e.decided_on
          AND p.death_date <= $1::date AND p.merged_into IS NULL
       ON CONFLICT (enrolment_id, trigger_key) DO NOTHING RETURNING id, enrolment_id, region_code`,
      [today],
    );
    const ended = await tx.query<{
      id: string;
      household_id: string;
      category: string;
      region_code: string;
      policy_id: string;
      case_id: string | null;
      starts_on: string;
      until: string;
    }>(
      `UPDATE enrolment SET status = 'stopped', ended_on = phase_out_until + 1, phase_out_until = NULL,
              end_reason = '渐退期满', version = version + 1, updated_at = now()
        WHERE status = 'phaseOut' AND phase_out_until < $1::date
       RETURNING id, household_id, category, region_code, policy_id, case_id,
                 to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(ended_on, 'YYYY-MM-DD') AS until`,
      [today],
    );
    for (const e of ended.rows) {
      await closeCategory(tx, e.household_id, e.category, e.until, '渐退期满');
      const task = await tx.query<{ id: string }>(
        `INSERT INTO enrolment_task (enrolment_id, region_code, kind, trigger, trigger_key, status, due_on,
           legal_ground, effective_on, requested_by, requested_by_name, decided_by, decided_by_name, decided_at)
         VALUES ($1, $2, 'stop', 'phaseOutEnd', 'phaseOutEnd', 'done', $3, $4, $3, 'system', '系统', 'system', '系统', now())
         ON CONFLICT DO NOTHING RETURNING id`,
        [e.id, e.region_code, e.until, LegalGrounds.phaseOutEnd],
      );
      const taskId = task.rows[0]?.id;
      if (taskId)
        await runEnrolmentStopHooks({
          tx,
          actor: { displayName: '系统', role: 'system' },
          today,
          enrolment: e,
          taskId,
          reason: '渐退期满',
          legalGround: LegalGrounds.phaseOutEnd,
          effectiveOn: e.until,
        });
    }
    for (const [kind, rows] of [
      ['review', reviews.rows],
      ['recheck', rechecks.rows],
    ] as const)
      for (const r of rows)
        await appendAudit(tx, {
          action: `enrolment.task.${kind}`,
          entityType: 'enrolment',
          entityId: r.enrolment_id,
          regionCode: r.region_code,
          actorId: 'system',
          actorRole: 'system',
          after: { taskId: r.id },
        });
    for (const e of ended.rows)
      await appendAudit(tx, {
        action: 'enrolment.phaseOutEnded',
        entityType: 'enrolment',
        entityId: e.id,
        regionCode: e.region_code,
        actorId: 'system',
        actorRole: 'system',
        after: { endedOn: e.until, legalGround: LegalGrounds.phaseOutEnd },
      });
    return {
      today,
      reviews: reviews.rows.length,
      rechecks: rechecks.rows.length,
      phaseOutsEnded: ended.rows.length,
    };
  });
}
