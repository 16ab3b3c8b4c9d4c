/**
 * 政策测算: parameter changes and the what-if catalogue they make. Pure (no I/O).
 *
 * A change applies to the value in force on the run's date, at every level that can decide a
 * household of the run's region: the national value, every region override on the path down to the
 * run's region (province, city, county…) and every override inside it (township overrides). At each
 * of those levels the dated value in force on the date is replaced (for its whole period); earlier
 * and later dated values are kept (the what-if runs on its one date, so only that one matters). Hence:
 *  - `{ set: v }`: every household of the region is evaluated with v, whichever level used to win;
 *  - `{ scalePercent: p }`: each level's value is scaled by (1 + p/100), so a township with its own
 *    higher standard keeps its own standard, raised by the same percentage. Integer parameters
 *    (money in fen, counts) are rounded half up to a whole unit.
 * A level whose value in force is `null` (ended) stays ended: the broader level decides, changed.
 * The compiled catalogue keeps parameters in a Map that the engine reads when it builds an
 * evaluation context (cached per catalogue object), so the scenario catalogue is the same compiled
 * catalogue with another Map: no recompilation, and the baseline's cached contexts are untouched.
 */
import type { CompiledCatalog, Parameter } from '@doudi/rules';
import { errors } from '../../http/errors.ts';

export interface ParameterChange {
  parameter: string;
  /** `set` is checked against the parameter's type here, so it arrives as any JSON value. */
  change: { scalePercent: number } | { set: unknown };
}

/** Bounds: a what-if is a policy question, not a stress test of arithmetic. */
export const SCALE_PERCENT_MIN = -100;
export const SCALE_PERCENT_MAX = 1000;
export const MAX_CHANGES = 20;
const MAX_NUMBER = 1e12;
const MAX_TEXT = 64;

type Scalar = number | string | boolean | bigint;

/** Region-override prefixes that take part for households of `regionCode`'s subtree. */
function levelApplies(prefix: string, regionPrefix: string): boolean {
  return regionPrefix.startsWith(prefix) || prefix.startsWith(regionPrefix);
}

/** Index of the dated value in force on `date` (values are ascending), or -1. */
function inForceIndex(values: readonly { date: string }[], date: string): number {
  for (let i = values.length - 1; i >= 0; i--) if ((values[i] as { date: string }).date <= date) return i;
  return -1;
}

function fieldOf(index: number, leaf?: string): string {
  return `changes.${index}${leaf ? `.${leaf}` : ''}`;
}

const isMoney = (unit: string) => unit.startsWith('fen');

function knownTexts(parameter: Parameter): Set<string> {
  const all = [...parameter.values, ...[...parameter.regions.values()].flatMap((r) => r.values)];
  return new Set(all.flatMap((v) => (typeof v.value === 'string' ? [v.value] : [])));
}

/** The checked new value for a `set` change (throws a 400 naming the field). */
function checkSetValue(parameter: Parameter, value: unknown, index: number): Scalar {
  const field = fieldOf(index, 'change.set');
  const label = `第${index + 1}项调整（${parameter.description}）`;
  const bad = (zh: string, en: string) => errors.validation(field, `${label}${zh}`, en);
  switch (parameter.type) {
    case 'int':
      if (typeof value !== 'number' || !Number.isSafeInteger(value))
        throw bad(
          isMoney(parameter.unit) ? '的新值应为整数（单位：分）' : '的新值应为整数',
          'value must be an integer',
        );
      break;
    case 'double':
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw bad('的新值应为数字', 'value must be a number');
      break;
    case 'bool':
      if (typeof value !== 'boolean') throw bad('的新值应为“是”或“否”', 'value must be true or false');
      return value;
    default:
      if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TEXT)
        throw bad(
          `的新值应为1至${MAX_TEXT}个字符的文字`,
          `value must be text of 1 to ${MAX_TEXT} characters`,
        );
      {
        // Text parameters are choices the rules compare with (e.g. rounding 'fen' | 'yuan'): only a
        // value the parameter already uses somewhere can mean anything to them.
        const known = knownTexts(parameter);
        if (!known.has(value))
          throw bad(
            `的新值只能是：${[...known].join('、')}`,
            `value must be one of ${[...known].join(', ')}`,
          );
      }
      return value;
  }
  const number = value as number;
  if (number < 0) throw bad('的新值不能为负数', 'value must not be negative');
  if (number > MAX_NUMBER) throw bad('的新值过大', 'value is too large');
  return number;
}

function scaled(parameter: Parameter, value: Scalar, percent: number): Scalar {
  const factor = 1 + percent / 100;
  const number = typeof value === 'bigint' ? Number(value) : (value as number);
  const result = number * factor;
  // Integers (fen, counts) round half up, as money does everywhere else.
  return parameter.type === 'int' ? Math.floor(result + 0.5) : Math.round(result * 1e9) / 1e9;
}

export interface ResolvedChange {
  parameter: string;
  description: string;
  unit: string;
  type: Parameter['type'];
  change: { scalePercent: number } | { set: Scalar };
}

/** Validates the changes against the catalogue: parameter exists, type fits, bounds, no repeats. */
export function checkChanges(
  catalog: CompiledCatalog,
  changes: readonly ParameterChange[],
): ResolvedChange[] {
  if (changes.length === 0)
    throw errors.validation(
      'changes',
      '请至少选择一项要调整的参数',
      'choose at least one parameter to change',
    );
  if (changes.length > MAX_CHANGES)
    throw errors.validation('changes', `一次最多调整${MAX_CHANGES}项参数`, `at most ${MAX_CHANGES} changes`);
  const seen = new Set<string>();
  return changes.map((c, index) => {
    const parameter = catalog.parameters.get(c.parameter);
    if (!parameter)
      throw errors.validation(
        fieldOf(index, 'parameter'),
        `第${index + 1}项调整的参数“${String(c.parameter).slice(0, 64)}”不存在`,
        'unknown parameter',
      );
    if (seen.has(parameter.name))
      throw errors.validation(
        fieldOf(index, 'parameter'),
        `参数“${parameter.description}”重复调整，请合并为一项`,
        'parameter changed twice',
      );
    seen.add(parameter.name);
    const base = {
      parameter: parameter.name,
      description: parameter.description,
      unit: parameter.unit,
      type: parameter.type,
    };
    if ('scalePercent' in c.change) {
      const p = c.change.scalePercent;
      if (parameter.type !== 'int' && parameter.type !== 'double')
        throw errors.validation(
          fieldOf(index, 'change.scalePercent'),
          `参数“${parameter.description}”不是数值，不能按百分比调整，请直接填写新值`,
          'only numeric parameters can be scaled',
        );
      if (typeof p !== 'number' || !Number.isFinite(p) || p < SCALE_PERCENT_MIN || p > SCALE_PERCENT_MAX)
        throw errors.validation(
          fieldOf(index, 'change.scalePercent'),
          `第${index + 1}项调整的幅度应在${SCALE_PERCENT_MIN}%到+${SCALE_PERCENT_MAX}%之间`,
          `scalePercent must be between ${SCALE_PERCENT_MIN} and ${SCALE_PERCENT_MAX}`,
        );
      return { ...base, change: { scalePercent: p } };
    }
    return { ...base, change: { set: checkSetValue(parameter, c.change.set, index) } };
  });
}

/** The parameter with the change applied to every level in force on `date` for the region. */
export function changedParameter(
  parameter: Parameter,
  change: ResolvedChange['change'],
  date: string,
  regionPrefix: string,
): Parameter {
  const apply = (value: Scalar | null): Scalar | null => {
    if (value === null) return null;
    return 'set' in change ? change.set : scaled(parameter, value, change.scalePercent);
  };
  const changeValues = (values: Parameter['values']): Parameter['values'] => {
    const i = inForceIndex(values, date);
    if (i < 0) return values;
    const copy = [...values];
    const current = copy[i] as (typeof copy)[number];
    copy[i] = { ...current, value: apply(current.value) };
    return copy;
  };
  const regions = new Map(parameter.regions);
  for (const [prefix, override] of parameter.regions) {
    if (levelApplies(prefix, regionPrefix))
      regions.set(prefix, { ...override, values: changeValues(override.values) });
  }
  return { ...parameter, values: changeValues(parameter.values), regions };
}

/** The what-if catalogue: the same compiled rules with changed parameter values. */
export function scenarioCatalog(
  catalog: CompiledCatalog,
  changes: readonly ResolvedChange[],
  date: string,
  regionPrefix: string,
): CompiledCatalog {
  const parameters = new Map(catalog.parameters);
  for (const c of changes) {
    const parameter = catalog.parameters.get(c.parameter) as Parameter;
    parameters.set(c.parameter, changedParameter(parameter, c.change, date, regionPrefix));
  }
  return { ...catalog, parameters };
}
