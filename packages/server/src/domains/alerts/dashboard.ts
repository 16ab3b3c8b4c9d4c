/**
 * 预警看板: alerts in the reader's scope (row-level security) by colour, status, lead department and
 * township; overdue ones; handling escalations (超期上报: overdue after 接单, escalated up the region
 * tree, by township and level); outcomes of closed ones; and a monthly trend of raised and closed. One
 * aggregate query per figure, each off monitoring_alert's indexes. The same figures as an Excel
 * workbook (exceljs), one sheet per figure, for the bureau's monthly report.
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import ExcelJS from 'exceljs';
import { Type } from 'typebox';
import type { Queryable } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { isWithin, regionPrefix } from '../regions/regionCode.ts';
import { type AlertDeps, todayOf } from './alerts.service.ts';
import { statusZh } from './loop.ts';

export const DashboardQuery = Type.Object(
  {
    regionCode: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })),
    months: Type.Optional(Type.Integer({ minimum: 1, maximum: 36, default: 12 })),
  },
  { additionalProperties: false },
);

const Count = Type.Object({ key: Type.String(), nameZh: Type.String(), count: Type.Integer() });
export const DashboardResult = Type.Object({
  regionCode: Type.String(),
  onDate: Type.String(),
  total: Type.Integer(),
  open: Type.Integer(),
  overdueAccept: Type.Integer(),
  overdueHandle: Type.Integer(),
  escalated: Type.Integer(),
  handleEscalated: Type.Integer(),
  byColour: Type.Array(Count),
  byStatus: Type.Array(Count),
  byDepartment: Type.Array(Count),
  byTownship: Type.Array(Count),
  outcomes: Type.Array(Count),
  /** 超期上报 by the alert's township and level (1, 2, 3 = three or more); `open` of them not closed. */
  handlingEscalations: Type.Array(
    Type.Object({
      key: Type.String(),
      nameZh: Type.String(),
      level: Type.Integer({ minimum: 1, maximum: 3 }),
      count: Type.Integer(),
      open: Type.Integer(),
    }),
  ),
  monthly: Type.Array(Type.Object({ month: Type.String(), raised: Type.Integer(), closed: Type.Integer() })),
});

dayjs.extend(utc);

const colourZh: Record<string, string> = { red: '红色', yellow: '黄色', blue: '蓝色', green: '绿色' };
const levelZh: Record<number, string> = { 1: '上报一级', 2: '上报二级', 3: '上报三级及以上' };
const outcomeZh: Record<string, string> = {
  helped: '已救助帮扶',
  notNeeded: '经核实无需帮扶',
  notFound: '查无此人或联系不上',
  referredElsewhere: '已转其他渠道',
};
export const departmentZh: Record<string, string> = {
  civilAffairs: '属地民政',
  education: '教育',
  medicalSecurity: '医保',
  housing: '住建',
  humanResources: '人社',
  health: '卫健',
  disabledPersons: '残联',
  tradeUnion: '工会',
  emergency: '应急',
  ruralRevitalization: '乡村振兴',
  charity: '慈善',
};

async function counts(tx: Queryable, expr: string, where: string, values: unknown[]) {
  const r = await tx.query<{ key: string | null; n: string }>(
    `SELECT ${expr} AS key, count(*)::text AS n FROM monitoring_alert a ${where} GROUP BY 1 ORDER BY 2 DESC, 1`,
    values,
  );
  return r.rows.map((row) => ({ key: row.key ?? '', count: Number(row.n) }));
}

export async function dashboard(
  deps: AlertDeps,
  actor: Actor | undefined,
  query: { regionCode?: string | undefined; months?: number | undefined },
  requestId?: string,
) {
  authorize(actor, Permission.monitoringRead);
  const regionCode = query.regionCode ?? actor.regionCode;
  if (!isWithin(regionCode, actor.regionCode)) throw errors.outOfScope('该地区');
  const today = todayOf(deps);
  const months = query.months ?? 12;
  return asActor(deps.db, actor, requestId, async (tx) => {
    const prefix = regionPrefix(regionCode);
    const values: unknown[] = [prefix.padEnd(12, '0'), prefix.padEnd(12, '9')];
    const where = 'WHERE a.region_code ~>=~ $1 AND a.region_code ~<=~ $2';
    const totals = (
      await tx.query<Record<string, string>>(
        `SELECT count(*)::text AS total, count(*) FILTER (WHERE status <> 'closed')::text AS open,
                count(*) FILTER (WHERE status = 'dispatched' AND accept_due_on < $3::date)::text AS overdue_accept,
                count(*) FILTER (WHERE status IN ('accepted', 'handling') AND handle_due_on < $3::date)::text AS overdue_handle,
                count(*) FILTER (WHERE escalation_level > 0 AND status <> 'closed')::text AS escalated,
                count(*) FILTER (WHERE handle_escalation_level > 0 AND status <> 'closed')::text AS handle_escalated
           FROM monitoring_alert a ${where}`,
        [...values, today],
      )
    ).rows[0] as Record<string, string>;
    const named = (rows: { key: string; count: number }[], names: Record<string, string>) =>
      rows.map((r) => ({ ...r, nameZh: names[r.key] ?? r.key }));
    const townships = await counts(tx, `substr(a.region_code, 1, 9) || '000'`, where, values);
    const townshipNames = new Map(
      (
        await tx.query<{ code: string; name: string }>(
          'SELECT code, name FROM region WHERE code = ANY($1::text[])',
          [townships.map((t) => t.key)],
        )
      ).rows.map((r) => [r.code, r.name]),
    );
    // Level 1 is the first step up (village → township, or township → county); from the county an
    // overdue alert is escalated again at the county, so three and more are one column.
    const escalations = await tx.query<{ key: string; level: number; n: string; open: string }>(
      `SELECT substr(a.region_code, 1, 9) || '000' AS key, least(a.handle_escalation_level, 3)::int AS level,
              count(*)::text AS n, count(*) FILTER (WHERE a.status <> 'closed')::text AS open
         FROM monitoring_alert a ${where} AND a.handle_escalation_level > 0 GROUP BY 1, 2 ORDER BY 1, 2`,
      values,
    );
    // One grouped scan each for raised and closed (China time), the months filled in here.
    const first = dayjs
      .utc(today)
      .startOf('month')
      .subtract(months - 1, 'month');
    const since = first.subtract(1, 'day').toISOString();
    const perMonth = async (column: string) =>
      new Map(
        (
          await tx.query<{ month: string; n: string }>(
            `SELECT to_char((a.${column} AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM') AS month,
                    count(*)::text AS n
               FROM monitoring_alert a ${where} AND a.${column} >= $3::timestamptz GROUP BY 1`,
            [...values, since],
          )
        ).rows.map((r) => [r.month, Number(r.n)]),
      );
    const raised = await perMonth('first_raised_at');
    const closed = await perMonth('closed_at');
    const monthly = Array.from({ length: months }, (_, i) => {
      const month = first.add(i, 'month').format('YYYY-MM');
      return { month, raised: raised.get(month) ?? 0, closed: closed.get(month) ?? 0 };
    });
    return {
      regionCode,
      onDate: today,
      total: Number(totals.total),
      open: Number(totals.open),
      overdueAccept: Number(totals.overdue_accept),
      overdueHandle: Number(totals.overdue_handle),
      escalated: Number(totals.escalated),
      handleEscalated: Number(totals.handle_escalated),
      byColour: named(await counts(tx, 'a.colour', where, values), colourZh),
      byStatus: named(await counts(tx, 'a.status', where, values), statusZh),
      byDepartment: named(await counts(tx, `coalesce(a.lead_department, '')`, where, values), {
        ...departmentZh,
        '': '未派单',
      }),
      byTownship: townships.map((t) => ({ ...t, nameZh: townshipNames.get(t.key) ?? t.key })),
      outcomes: named(await counts(tx, 'a.outcome', `${where} AND a.status = 'closed'`, values), outcomeZh),
      handlingEscalations: escalations.rows.map((r) => ({
        key: r.key,
        nameZh: townshipNames.get(r.key) ?? r.key,
        level: r.level,
        count: Number(r.n),
        open: Number(r.open),
      })),
      monthly,
    };
  });
}

export async function dashboardWorkbook(
  deps: AlertDeps,
  actor: Actor | undefined,
  query: { regionCode?: string | undefined; months?: number | undefined },
  requestId?: string,
): Promise<Buffer> {
  const d = await dashboard(deps, actor, query, requestId);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Doudi 兜底';
  const summary = workbook.addWorksheet('总览');
  summary.columns = [
    { header: '项目', key: 'k', width: 24 },
    { header: '数量', key: 'v', width: 12 },
  ];
  summary.addRows([
    { k: '地区代码', v: d.regionCode },
    { k: '统计日期', v: d.onDate },
    { k: '预警总数', v: d.total },
    { k: '未办结', v: d.open },
    { k: '超时未接单', v: d.overdueAccept },
    { k: '超时未办结', v: d.overdueHandle },
    { k: '超时未接单已上报（未办结）', v: d.escalated },
    { k: '超期未办结已上报（未办结）', v: d.handleEscalated },
  ]);
  const sheet = (name: string, rows: { key: string; nameZh: string; count: number }[]) => {
    const ws = workbook.addWorksheet(name);
    ws.columns = [
      { header: '代码', key: 'key', width: 16 },
      { header: '名称', key: 'nameZh', width: 24 },
      { header: '数量', key: 'count', width: 12 },
    ];
    ws.addRows(rows);
  };
  sheet('按颜色', d.byColour);
  sheet('按状态', d.byStatus);
  sheet('按牵头部门', d.byDepartment);
  sheet('按乡镇', d.byTownship);
  sheet('办结结果', d.outcomes);
  const escalated = workbook.addWorksheet('超期上报');
  escalated.columns = [
    { header: '乡镇（街道）代码', key: 'key', width: 16 },
    { header: '乡镇（街道）', key: 'nameZh', width: 20 },
    { header: '上报级数', key: 'levelZh', width: 14 },
    { header: '预警数', key: 'count', width: 10 },
    { header: '其中未办结', key: 'open', width: 12 },
  ];
  escalated.addRows(d.handlingEscalations.map((r) => ({ ...r, levelZh: levelZh[r.level] ?? r.level })));
  const trend = workbook.addWorksheet('月度趋势');
  trend.columns = [
    { header: '月份', key: 'month', width: 12 },
    { header: '新增预警', key: 'raised', width: 12 },
    { header: '办结', key: 'closed', width: 12 },
  ];
  trend.addRows(d.monthly);
  for (const ws of workbook.worksheets) ws.getRow(1).font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
