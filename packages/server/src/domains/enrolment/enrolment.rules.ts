/**
 * The rules of enrolment that are law, not local parameters: which case enrols in which category, the
 * review period, when payment starts, and the legal grounds an increase, cut, stop or phase-out may
 * cite (《社会救助暂行办法》第十三条; 《最低生活保障审核确认办法》 on review and phase-out).
 */
import dayjs from 'dayjs';
import type { Queryable } from '../../db/database.ts';

/** Policies whose completed approval enrols the household, and in which category. */
export const CATEGORY_BY_POLICY: Record<string, string> = {
  dibao: 'dibao',
  dibaoSinglePerson: 'dibao',
  tekun: 'tekun',
  nearDibao: 'nearDibao',
  expenditureHardship: 'expenditureHardship',
};

export const ENROLMENT_LEGAL_GROUND = '《最低生活保障审核确认办法》第四章：批准的，自作出决定之次月起发放';

export const LegalGrounds = {
  incomeChange: '《社会救助暂行办法》第十三条：家庭收入状况发生变化的，及时决定增发、减发或者停发',
  membersChange: '《社会救助暂行办法》第十三条：家庭人口状况发生变化的，及时决定增发、减发或者停发',
  assetsChange: '《社会救助暂行办法》第十三条：家庭财产状况发生变化的，及时决定增发、减发或者停发',
  noLongerEligible: '《社会救助暂行办法》第十三条：不再符合最低生活保障条件的，决定停发',
  refusedWork:
    '《最低生活保障审核确认办法》：无正当理由3次拒绝接受与其健康状况、劳动能力相适应的工作的，减发或者停发其本人的保障金',
  phaseOut: '《最低生活保障审核确认办法》：家庭成员就业后人均收入超过标准的，可给予不超过6个月的渐退期',
  phaseOutEnd: '《最低生活保障审核确认办法》：渐退期满，停发最低生活保障金',
} as const;
export type LegalGroundId = keyof typeof LegalGrounds;

/** Payment starts the month after the decision. */
export function firstOfNextMonth(iso: string): string {
  return dayjs(iso).add(1, 'month').startOf('month').format('YYYY-MM-DD');
}

export function addMonths(iso: string, months: number): string {
  return dayjs(iso).add(months, 'month').format('YYYY-MM-DD');
}

/**
 * Review yearly for stable households; every 6 months where a member of working age (18–59) can work
 * (capacity full or partial, or none recorded) — their income is the one that changes. Tekun: yearly.
 */
export async function reviewMonths(tx: Queryable, householdId: string, category: string, on: string) {
  if (category === 'tekun') return 12;
  const r = await tx.query<{ able: number }>(
    `SELECT count(*)::int AS able FROM person p
      WHERE p.household_id = $1 AND p.merged_into IS NULL AND p.death_date IS NULL
        AND p.birth_date <= $2::date - interval '18 years' AND p.birth_date > $2::date - interval '60 years'
        AND coalesce((SELECT a.value->>'capacity' FROM person_attribute a
                       WHERE a.person_id = p.id AND a.kind = 'workCapacity' AND a.valid_to IS NULL
                       ORDER BY a.valid_from DESC LIMIT 1), 'unknown') <> 'none'`,
    [householdId, on],
  );
  return (r.rows[0]?.able ?? 0) > 0 ? 6 : 12;
}
