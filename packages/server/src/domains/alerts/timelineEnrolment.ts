/**
 * The enrolment part of the household chain (一人一条救助链): when the household was enrolled in each
 * category and with which monthly amount, every increase, cut, phase-out and stop (the short cases of
 * domains/enrolment, with their legal ground and decision), and the end of the enrolment. Read in the
 * caller's transaction, so row-level security bounds it like the rest of the chain.
 */
import type { Queryable } from '../../db/database.ts';

export interface ChainEntry {
  at: string;
  kind: string;
  titleZh: string;
  status: string | null;
  refId: string | null;
}

const categoryZh: Record<string, string> = {
  dibao: '低保',
  tekun: '特困供养',
  nearDibao: '低保边缘',
  relapseWatch: '防返贫监测',
  expenditureHardship: '支出型困难',
  otherHardship: '其他困难',
};
const statusZh: Record<string, string> = { active: '享受中', phaseOut: '渐退中', stopped: '已停发' };
const changeZh: Record<string, string> = { increase: '增发', cut: '减发', stop: '停发', phaseOut: '渐退' };
const taskStatusZh: Record<string, string> = {
  open: '待审批',
  approved: '已批准',
  rejected: '未批准',
  done: '已执行',
};
const money = (fen: string | null) => (fen === null ? '' : `每月 ${(Number(fen) / 100).toFixed(2)} 元`);
const day = (iso: string) => `${iso}T00:00:00.000Z`;

export async function enrolmentEntries(tx: Queryable, householdId: string): Promise<ChainEntry[]> {
  const out: ChainEntry[] = [];
  const enrolments = await tx.query<{
    id: string;
    category: string;
    monthly_amount_fen: string | null;
    starts_on: string;
    status: string;
    phase_out_until: string | null;
    ended_on: string | null;
    end_reason: string | null;
    legal_ground: string;
  }>(
    `SELECT id, category, monthly_amount_fen::text AS monthly_amount_fen, to_char(starts_on, 'YYYY-MM-DD') AS starts_on,
            status, to_char(phase_out_until, 'YYYY-MM-DD') AS phase_out_until, to_char(ended_on, 'YYYY-MM-DD') AS ended_on,
            end_reason, legal_ground
       FROM enrolment WHERE household_id = $1`,
    [householdId],
  );
  for (const e of enrolments.rows) {
    const name = categoryZh[e.category] ?? e.category;
    const amount = money(e.monthly_amount_fen);
    out.push({
      at: day(e.starts_on),
      kind: 'enrolment',
      titleZh: `纳入${name}，自 ${e.starts_on} 起${amount ? `${amount}` : ''}（${e.legal_ground}）`.slice(
        0,
        300,
      ),
      status:
        e.status === 'phaseOut' && e.phase_out_until
          ? `渐退至 ${e.phase_out_until}`
          : (statusZh[e.status] ?? e.status),
      refId: e.id,
    });
    if (e.ended_on)
      out.push({
        at: day(e.ended_on),
        kind: 'enrolmentChange',
        titleZh: `${name}停发（${e.ended_on}）${e.end_reason ? `：${e.end_reason}` : ''}`.slice(0, 300),
        status: statusZh.stopped as string,
        refId: e.id,
      });
  }
  const tasks = await tx.query<{
    id: string;
    enrolment_id: string;
    category: string;
    kind: string;
    status: string;
    new_amount_fen: string | null;
    phase_out_months: number | null;
    effective_on: string | null;
    reason: string | null;
    legal_ground: string | null;
    created_at: Date;
  }>(
    `SELECT t.id, t.enrolment_id, e.category, t.kind, t.status, t.new_amount_fen::text AS new_amount_fen,
            t.phase_out_months, to_char(t.effective_on, 'YYYY-MM-DD') AS effective_on, t.reason, t.legal_ground,
            t.created_at
       FROM enrolment_task t JOIN enrolment e ON e.id = t.enrolment_id
      WHERE e.household_id = $1 AND t.kind IN ('increase', 'cut', 'stop', 'phaseOut')`,
    [householdId],
  );
  for (const t of tasks.rows) {
    // An approved stop is the enrolment's end above; a pending or refused one is shown here.
    if (t.kind === 'stop' && (t.status === 'approved' || t.status === 'done')) continue;
    const name = categoryZh[t.category] ?? t.category;
    const detail = [
      t.new_amount_fen !== null ? `调整为${money(t.new_amount_fen)}` : '',
      t.phase_out_months ? `渐退 ${t.phase_out_months} 个月` : '',
      t.effective_on ? `自 ${t.effective_on} 起` : '',
      t.reason ? `理由：${t.reason}` : '',
      t.legal_ground ? `依据：${t.legal_ground}` : '',
    ].filter(Boolean);
    out.push({
      at: t.effective_on ? day(t.effective_on) : t.created_at.toISOString(),
      kind: 'enrolmentChange',
      titleZh: `${name}${changeZh[t.kind] ?? t.kind}${detail.length ? `：${detail.join('，')}` : ''}`.slice(
        0,
        300,
      ),
      status: taskStatusZh[t.status] ?? t.status,
      refId: t.enrolment_id,
    });
  }
  return out;
}
