/**
 * An indicator result in the Chinese a caseworker writes in a file, one line per group:
 * "医疗组 +8：家庭成员患重特大疾病 +6（第 2 位成员）；家庭成员患慢性病 +2（第 1 位成员）",
 * then what could not be scored and why, then the total and the band.
 */
import type { CompiledIndicatorModel, IndicatorResult } from './types.ts';

const ALERT_COLOR_ZH = { red: '红色', yellow: '黄色', blue: '蓝色', green: '绿色', none: '无色' } as const;

const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `${n}` : '0');

function membersZh(indexes: number[] | undefined, memberCount: number): string {
  if (!indexes || indexes.length === 0) return '';
  if (memberCount > 0 && indexes.length === memberCount) return '（全部成员）';
  return `（第 ${indexes.map((i) => i + 1).join('、')} 位成员）`;
}

export function renderIndicatorZh(
  model: CompiledIndicatorModel,
  result: IndicatorResult,
  memberCount: number,
): string[] {
  const lines: string[] = [`${model.name.zh}（${model.version} 版）`];
  if (result.status === 'error') {
    lines.push(`计算出错，请联系政策管理员：${result.error ?? ''}`);
    return lines;
  }
  const quiet: string[] = [];
  for (const group of result.groups) {
    const fired = result.fired.filter((f) => f.group === group.id);
    if (fired.length === 0 && group.score === 0) {
      quiet.push(group.label);
      continue;
    }
    const items = fired.map((f) => `${f.label} ${signed(f.points)}${membersZh(f.members, memberCount)}`);
    const cap = group.capped ? '（已按本组上下限封顶）' : '';
    lines.push(`${group.label} ${signed(group.score)}${cap}：${items.join('；')}`);
  }
  if (quiet.length > 0) lines.push(`${quiet.join('、')}：无计分项`);
  for (const m of result.missingItems) {
    const label =
      model.groups.find((g) => g.id === m.group)?.items.find((i) => i.id === m.item)?.label ?? m.item;
    lines.push(`未能判断：${label}（缺少 ${m.facts.join('、')}），暂按 0 分计`);
  }
  const average = model.scoring === 'perMemberAverage' ? '（按计入成员人均）' : '';
  if (result.alertColor) {
    lines.push(
      `合计 ${result.score} 分${average} → ${ALERT_COLOR_ZH[result.alertColor]}：${result.bandLabel}`,
    );
  } else {
    const range = `${result.scoreRange.min}～${result.scoreRange.max}`;
    const alertColors = result.possibleAlertColors.map((c) => ALERT_COLOR_ZH[c]).join('、');
    lines.push(
      `已知项合计 ${result.score} 分${average}，补齐信息后可能为 ${range} 分（${alertColors}），暂不定档`,
    );
  }
  return lines;
}
