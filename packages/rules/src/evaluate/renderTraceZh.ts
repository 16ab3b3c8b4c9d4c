/**
 * Renders a trace as the Chinese text a caseworker would write in a case file: the decision, each
 * condition with its figures and their legal source, the intermediate values, and the amount.
 * Explanation templates name values as `{household.x}` / `{param.x}`; parameters are followed by
 * their provenance, e.g. "650.00 元（孝感市民政局 2025 年标准，自 2025-01-01 起执行）".
 */
import { formatFenAsYuan } from '../money.ts';
import type { ConditionTrace, ParameterTrace, PolicyTrace, TraceValue, VariableTrace } from './trace.ts';

const STATUS_ZH = {
  eligible: '符合条件',
  ineligible: '不符合条件',
  needsInformation: '需补充信息后再判断',
  error: '规则计算出错，请联系政策管理员',
} as const;

/** A value in its unit: fen amounts as yuan with two decimals, exact. */
export function formatValueZh(value: TraceValue | undefined, unit: string): string {
  if (value === undefined || value === null) return '（无）';
  if (Array.isArray(value)) return value.map((v) => formatValueZh(v, unit)).join('、');
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'object') return JSON.stringify(value);
  if (unit.startsWith('fen') && (typeof value === 'number' || /^-?\d+$/.test(value))) {
    return `${formatFenAsYuan(BigInt(typeof value === 'number' ? Math.round(value) : value))} 元`;
  }
  if (unit.startsWith('yuan')) return `${value} 元`;
  if (unit.startsWith('percent')) return `${value}%`;
  if (unit === 'person') return `${value} 人`;
  if (unit === 'year') return `${value} 年`;
  if (unit === 'month') return `${value} 个月`;
  return String(value);
}

export function provenanceZh(p: ParameterTrace): string {
  if (p.error) return `（取值失败：${p.error}）`;
  return `（${p.reference}，自 ${p.effectiveDate} 起执行）`;
}

function fillTemplate(template: string, trace: PolicyTrace): string {
  return template.replace(/\{(household|param)\.(\w+)\}/g, (whole, scope: string, name: string) => {
    if (scope === 'param') {
      const p = trace.parameters.find((x) => x.name === name);
      return p ? `${formatValueZh(p.value, p.unit)}${provenanceZh(p)}` : whole;
    }
    const v = trace.variables.find((x) => x.name === name);
    if (v) return v.problem ? '（未知）' : formatValueZh(v.value, v.unit);
    return whole;
  });
}

function missingZh(facts: string[] | undefined, trace: PolicyTrace): string {
  return (facts ?? []).map((f) => trace.missingFactLabels[f] ?? f).join('、');
}

function conditionLine(c: ConditionTrace, trace: PolicyTrace): string {
  const e = c.explanation;
  if (c.outcome === 'missing') {
    return `【待补充】${fillTemplate(e.text ?? e.whenTrue ?? c.id, trace)}——缺少：${missingZh(c.missingFacts, trace)}`;
  }
  if (c.outcome === 'error') return `【无法判断】${e.text ?? e.whenTrue ?? c.id}——${c.error ?? ''}`;
  const text = fillTemplate((c.outcome ? e.whenTrue : e.whenFalse) ?? e.text ?? c.id, trace);
  if (c.veto)
    return c.outcome ? `【一票否决】${text}` : `【未触及一票否决】${e.text ? `不存在“${text}”的情形` : text}`;
  return `${c.outcome ? '【符合】' : '【不符合】'}${text}`;
}

function variableLine(v: VariableTrace): string {
  if (v.problem?.missingFacts) return `${v.label}：因缺少信息无法计算`;
  if (v.problem?.error) return `${v.label}：计算出错（${v.problem.error}）`;
  if (v.memberValues)
    return `${v.label}（各成员）：${v.memberValues.map((x) => formatValueZh(x, v.unit)).join('；')}`;
  return `${v.label}：${formatValueZh(v.value, v.unit)}`;
}

function amountLine(trace: PolicyTrace): string | undefined {
  const a = trace.amount;
  if (!a || a.amountFen === null) return undefined;
  const rounding = a.rounding === 'yuan' ? '按元四舍五入' : '按分四舍五入';
  return `金额：按公式 ${a.formula} 计算，${rounding}，为 ${formatFenAsYuan(a.amountFen)} 元。`;
}

export function renderTraceZh(trace: PolicyTrace): string {
  const lines: string[] = [];
  const amount = trace.amount?.amountFen;
  const amountText =
    trace.status === 'eligible' && amount != null ? `，金额 ${formatFenAsYuan(amount)} 元` : '';
  lines.push(`${trace.policyName.zh}：${STATUS_ZH[trace.status]}${amountText}。`);
  lines.push(`评估日期 ${trace.date}，地区代码 ${trace.regionCode}。政策依据：${trace.reference}。`);
  if (trace.status === 'needsInformation') lines.push(`请补充：${missingZh(trace.missingFacts, trace)}。`);
  if (trace.error) lines.push(`错误：${trace.error}`);
  if (trace.supersededBy)
    lines.push(`以下条件均已满足，但家庭符合「${trace.supersededBy.name.zh}」，按该项救助，不重复享受本项。`);
  lines.push('条件：');
  trace.conditions.forEach((c, i) => {
    lines.push(`${i + 1}. ${conditionLine(c, trace)}。`);
  });
  if (trace.variables.length > 0 || trace.parameters.length > 0) {
    lines.push('计算过程：');
    for (const v of trace.variables) lines.push(`- ${variableLine(v)}`);
    for (const p of trace.parameters)
      lines.push(`- ${p.description}：${formatValueZh(p.value, p.unit)}${provenanceZh(p)}`);
  }
  const amountDescription = amountLine(trace);
  if (amountDescription) lines.push(amountDescription);
  return lines.join('\n');
}
