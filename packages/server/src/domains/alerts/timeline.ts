/**
 * 一人一条救助链: everything that happened to one household, in time order: alerts and each step of
 * them, applications and their cases (a case owned by a department is a referral), screening runs
 * that found policies for it, the assistance periods it has received (categories with their
 * monthly amounts), and its enrolments with every increase, cut, phase-out and stop (timelineEnrolment.ts). Read under row-level security: a township sees its own households only.
 */
import { Type } from 'typebox';
import { asActor } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { findHousehold } from '../intake/intake.repo.ts';
import type { AlertDeps } from './alerts.service.ts';
import { causeZh } from './alerts.views.ts';
import { statusZh } from './loop.ts';
import { enrolmentEntries } from './timelineEnrolment.ts';

export const TimelineEntry = Type.Object({
  at: Type.String(),
  kind: Type.Union(
    [
      'alert',
      'alertStep',
      'application',
      'case',
      'referral',
      'screening',
      'assistance',
      'enrolment',
      'enrolmentChange',
    ].map((k) => Type.Literal(k)),
  ),
  titleZh: Type.String(),
  status: Type.Union([Type.String(), Type.Null()]),
  refId: Type.Union([Type.String(), Type.Null()]),
});
export const Timeline = Type.Object({
  householdId: Type.String(),
  householdNumber: Type.String(),
  entries: Type.Array(TimelineEntry),
});

const actionZh: Record<string, string> = {
  raise: '点单',
  update: '再次上报',
  dispatch: '派单',
  accept: '接单',
  handle: '办理',
  feedback: '反馈',
  close: '办结',
  escalate: '超时上报',
  reopen: '重新打开',
};
const categoryNames: Record<string, string> = {
  dibao: '低保',
  tekun: '特困供养',
  nearDibao: '低保边缘',
  relapseWatch: '防返贫监测',
  expenditureHardship: '支出型困难',
  otherHardship: '其他困难',
};
const yuan = (fen: string | null) => (fen === null ? '' : `，每月 ${(Number(fen) / 100).toFixed(2)} 元`);
const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : String(d));

export async function householdTimeline(
  deps: AlertDeps,
  actor: Actor | undefined,
  householdId: string,
  requestId?: string,
) {
  authorize(actor, Permission.monitoringRead);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const household = await findHousehold(tx, householdId);
    if (!household) throw errors.notFound('该户');
    const entries: {
      at: string;
      kind: string;
      titleZh: string;
      status: string | null;
      refId: string | null;
    }[] = [];

    const alerts = await tx.query<{
      id: string;
      cause: string;
      request_category: string | null;
      colour: string;
      status: string;
      first_raised_at: Date;
      summary_zh: string;
    }>(
      `SELECT id, cause, request_category, colour, status, first_raised_at, summary_zh
         FROM monitoring_alert WHERE household_id = $1`,
      [householdId],
    );
    const colourZh: Record<string, string> = { red: '红色', yellow: '黄色', blue: '蓝色', green: '绿色' };
    for (const a of alerts.rows)
      entries.push({
        at: iso(a.first_raised_at),
        kind: 'alert',
        titleZh: `${colourZh[a.colour] ?? a.colour}预警（${causeZh(a.cause, a.request_category)}）：${a.summary_zh}`,
        status: statusZh[a.status] ?? a.status,
        refId: a.id,
      });
    const steps = await tx.query<{
      alert_id: string;
      at: Date;
      action: string;
      actor_name: string;
      detail: Record<string, unknown> | null;
    }>(
      `SELECT e.alert_id, e.at, e.action, e.actor_name, e.detail FROM monitoring_alert_event e
         JOIN monitoring_alert a ON a.id = e.alert_id
        WHERE a.household_id = $1 AND e.action <> 'raise' ORDER BY e.seq`,
      [householdId],
    );
    for (const s of steps.rows) {
      const note = typeof s.detail?.note === 'string' ? `：${s.detail.note}` : '';
      entries.push({
        at: iso(s.at),
        kind: 'alertStep',
        titleZh:
          `${s.action === 'escalate' && s.detail?.kind === 'handling' ? '超期未办结上报' : (actionZh[s.action] ?? s.action)}（${s.actor_name}）${note}`.slice(
            0,
            300,
          ),
        status: null,
        refId: s.alert_id,
      });
    }

    const cases = await tx.query<{
      id: string;
      application_id: string;
      policy_id: string;
      department: string | null;
      status: string;
      created_at: Date;
      channel: string;
    }>(
      `SELECT c.id, c.application_id, c.policy_id, c.department, c.status, c.created_at, a.channel
         FROM intake_case c JOIN intake_application a ON a.id = c.application_id
        WHERE c.household_id = $1`,
      [householdId],
    );
    const caseStatusZh: Record<string, string> = {
      open: '办理中',
      awaitingApplicant: '待补材料',
      completed: '已办结',
      refused: '不予批准',
      rejected: '不予受理',
      withdrawn: '已撤回',
    };
    for (const c of cases.rows)
      entries.push({
        at: iso(c.created_at),
        kind: c.department ? 'referral' : 'case',
        titleZh: c.department ? `转办到${c.department}：${c.policy_id}` : `申请受理：${c.policy_id}`,
        status: caseStatusZh[c.status] ?? c.status,
        refId: c.id,
      });

    const screenings = await tx.query<{
      run_id: string;
      on_date: string;
      eligible: string[];
      newly: string[];
    }>(
      `SELECT r.run_id, to_char(s.on_date, 'YYYY-MM-DD') AS on_date, r.eligible, r.newly
         FROM screening_result r JOIN screening_run s ON s.id = r.run_id
        WHERE r.household_id = $1 AND cardinality(r.eligible) > 0
        ORDER BY s.on_date DESC LIMIT 12`,
      [householdId],
    );
    for (const s of screenings.rows)
      entries.push({
        at: `${s.on_date}T00:00:00.000Z`,
        kind: 'screening',
        titleZh: `政策找人：可能符合 ${s.eligible.join('、')}${s.newly.length ? `（新发现 ${s.newly.join('、')}）` : ''}`,
        status: null,
        refId: s.run_id,
      });

    const periods = await tx.query<{
      id: string;
      category: string;
      valid_from: string;
      valid_to: string | null;
      monthly_amount_fen: string | null;
    }>(
      `SELECT id, category, to_char(valid_from, 'YYYY-MM-DD') AS valid_from,
              to_char(valid_to, 'YYYY-MM-DD') AS valid_to, monthly_amount_fen::text AS monthly_amount_fen
         FROM household_category WHERE household_id = $1`,
      [householdId],
    );
    for (const p of periods.rows)
      entries.push({
        at: `${p.valid_from}T00:00:00.000Z`,
        kind: 'assistance',
        titleZh: `${categoryNames[p.category] ?? p.category}${yuan(p.monthly_amount_fen)}${p.valid_to ? `，至 ${p.valid_to} 止` : '，至今'}`,
        status: p.valid_to ? '已结束' : '享受中',
        refId: p.id,
      });

    entries.push(...(await enrolmentEntries(tx, householdId)));

    entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    return { householdId, householdNumber: household.household_number, entries };
  });
}
