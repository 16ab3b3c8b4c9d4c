/**
 * Event triggers (事件触发) for low-income monitoring, as data: `catalog/triggers/triggers.yaml`.
 *
 * ```yaml
 * version: "2025.1"
 * models:                          # which indicator models a monitoring run scores, and which
 *   - { model: xiaochang, raise: [red, yellow] }   # of their colours raise an alert
 * triggers:
 *   - id: medicalOutOfPocket12m
 *     label: 近 12 个月医疗自付超过 5 万元
 *     source: medicalClaim         # a departmental source (server catalogue)
 *     date: dischargeDate          # the record's event date; `validFrom` = the snapshot's as-of date
 *     windowMonths: 12             # only records dated in the 12 months up to the run's date
 *     sum: { field: outOfPocketFen, by: household }   # optional: window.sum / window.count over records
 *     condition: window.sum > 5000000
 *     colour: red
 *     summary: 近12个月医疗自付合计{sum}元     # {name} {date} {sum} {count} and {<field>} of the record
 * ```
 * A condition reads `record` (the source record's fields, typed from the source catalogue),
 * `previous` / `hasPrevious` (the version of the same record it replaced), `person` (age on the
 * event date, relationship, inRegistry), `household` (categories, size, inRegistry) and `window`.
 * Everything is type-checked when the file is loaded; a mistake is a RuleLoadError at file:line:col.
 * A condition is compiled to a JavaScript closure like every catalogue expression (cel/compile.ts):
 * a full monitoring run tests millions of records. The cel-js interpreter stays the reference
 * (`interpret`); a property test shows both agree on the built-in triggers.
 * Pure: no I/O (the server reads the file and supplies each source's field types).
 */
import type { Environment } from '@marcbachmann/cel-js';
import type { Node } from 'yaml';
import { type Compiled, CompileError, compileAst, type Scope } from '../cel/compile.ts';
import { createCelEnvironment } from '../cel/environment.ts';
import { ageOn } from '../cel/functions.ts';
import { checkAstBounds, DEFAULT_LIMITS } from '../cel/limits.ts';
import { RuleLoadError } from '../errors.ts';
import { ALERT_COLORS, type AlertColor } from '../indicators/parseModel.ts';
import { formatFenAsYuan } from '../money.ts';
import {
  asMap,
  asSeq,
  type ExpressionSource,
  entry,
  mapEntries,
  optionalString,
  requiredString,
  scalarValue,
  YamlFile,
} from '../yaml/yamlFile.ts';

/** Per source: field name → CEL type (`int`, `string`, `bool`). */
export type TriggerFieldTypes = Record<string, Record<string, 'int' | 'string' | 'bool'>>;

export interface TriggerDefinition {
  id: string;
  label: string;
  source: string;
  /** Record field holding the event date, or `validFrom` (the snapshot's as-of date). */
  dateField: string;
  windowMonths: number;
  sum?: { field: string; by: 'person' | 'household' };
  colour: Exclude<AlertColor, 'none'>;
  summary: string;
  conditionText: string;
  /** Evaluates the condition (compiled); throws on a run-time error (a missing field without has()). */
  test(input: TriggerInput): boolean;
  /** The same through the cel-js interpreter: the reference `test` is proven against (tests). */
  interpret(input: TriggerInput): boolean;
}

export interface TriggerSet {
  file: string;
  version: string;
  models: { model: string; raise: Exclude<AlertColor, 'none'>[] }[];
  triggers: TriggerDefinition[];
}

export interface TriggerInput {
  record: Record<string, unknown>;
  previous?: Record<string, unknown> | null;
  person: { age: number; relationship: string; inRegistry: boolean; sex: string };
  household: { categories: string[]; size: number; inRegistry: boolean };
  window: { sum: number; count: number };
}

const TRIGGER_ID = /^[a-z][A-Za-z0-9]{0,59}$/;
const COLOURS = ALERT_COLORS.filter((c) => c !== 'none') as Exclude<AlertColor, 'none'>[];
const TYPES = {
  Person: { age: 'int', relationship: 'string', inRegistry: 'bool', sex: 'string' },
  Household: { categories: 'list<string>', size: 'int', inRegistry: 'bool' },
  Window: { sum: 'int', count: 'int' },
};

const environments = new WeakMap<TriggerFieldTypes, Map<string, Environment>>();

function environmentFor(types: TriggerFieldTypes, source: string): Environment {
  let bySource = environments.get(types);
  if (!bySource) {
    bySource = new Map();
    environments.set(types, bySource);
  }
  let env = bySource.get(source);
  if (!env) {
    const fields = types[source] as Record<string, string>;
    env = createCelEnvironment({
      types: { ...TYPES, SourceRecord: fields },
      variables: {
        record: 'SourceRecord',
        previous: 'SourceRecord',
        hasPrevious: 'bool',
        person: 'Person',
        household: 'Household',
        window: 'Window',
      },
    });
    bySource.set(source, env);
  }
  return env;
}

/**
 * The record's typed fields only, each of its declared type or left out (a field of another type
 * reads as absent). Ints are numbers for the compiled form (cel/ints.ts), BigInt for cel-js.
 */
function celRecord(
  record: Record<string, unknown>,
  fields: Record<string, string>,
  int: (n: number) => number | bigint,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name in fields) {
    const value = record[name];
    if (value === undefined || value === null) continue;
    const type = fields[name];
    if (type === 'int') {
      if (typeof value === 'number' && Number.isSafeInteger(value)) out[name] = int(value);
      else if (typeof value === 'string' && /^-?\d{1,15}$/.test(value)) out[name] = int(Number(value));
    } else if (type === 'bool') {
      if (typeof value === 'boolean') out[name] = value;
    } else out[name] = String(value);
  }
  return out;
}

const asNumber = (n: number) => n;

// Several triggers read the same record: each record is converted once per source.
const conversions = new WeakMap<object, Record<string, unknown>>();
function converted(record: Record<string, unknown>, fields: Record<string, string>) {
  let out = conversions.get(record);
  if (!out) {
    out = celRecord(record, fields, asNumber);
    conversions.set(record, out);
  }
  return out;
}

/** Compiles a checked condition; a construct the compiler does not take is a located load error. */
function compiledCondition(env: Environment, source: ExpressionSource): Compiled {
  const parsed = env.parse(source.text);
  // The check annotates the AST with the types the compiler picks operations by.
  parsed.check();
  const ast = parsed.ast;
  try {
    checkAstBounds(ast, DEFAULT_LIMITS);
    return compileAst(ast).run;
  } catch (error) {
    const start = error instanceof CompileError ? error.start : 0;
    throw new RuleLoadError(
      'compile_error',
      `condition: ${(error as Error).message}`,
      source.position(start),
    );
  }
}

function positiveInt(file: YamlFile, node: Node | null | undefined, what: string, max: number): number {
  const value = scalarValue(node);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max)
    throw file.error('bad_field', `${what} must be a whole number from 1 to ${max}`, node);
  return value;
}

function colourOf(file: YamlFile, node: Node | null | undefined, what: string) {
  const value = scalarValue(node);
  if (typeof value !== 'string' || !(COLOURS as string[]).includes(value))
    throw file.error('bad_field', `${what} must be one of ${COLOURS.join(', ')}`, node);
  return value as Exclude<AlertColor, 'none'>;
}

const TRIGGER_KEYS = new Set([
  'id',
  'label',
  'source',
  'date',
  'windowMonths',
  'sum',
  'condition',
  'colour',
  'summary',
]);

function parseTrigger(file: YamlFile, node: Node, types: TriggerFieldTypes): TriggerDefinition {
  const map = asMap(file, node, 'a trigger');
  for (const [key, keyNode] of mapEntries(map))
    if (!TRIGGER_KEYS.has(key)) throw file.error('unknown_field', `unknown trigger field ${key}`, keyNode);
  const id = requiredString(file, map, 'id', node);
  if (!TRIGGER_ID.test(id))
    throw file.error('bad_name', `trigger id ${id} must be camelCase letters and digits`, entry(map, 'id'));
  const label = requiredString(file, map, 'label', node);
  const source = requiredString(file, map, 'source', node);
  const fields = types[source];
  if (!fields) throw file.error('unknown_source', `unknown source ${source}`, entry(map, 'source'));
  const dateField = requiredString(file, map, 'date', node);
  if (dateField !== 'validFrom' && fields[dateField] !== 'string')
    throw file.error('unknown_field', `${source} has no date field ${dateField}`, entry(map, 'date'));
  const windowMonths = positiveInt(file, entry(map, 'windowMonths'), 'windowMonths', 120);
  let sum: TriggerDefinition['sum'];
  const sumNode = entry(map, 'sum');
  if (sumNode !== undefined && sumNode !== null) {
    const sumMap = asMap(file, sumNode, 'sum');
    const field = requiredString(file, sumMap, 'field', sumNode);
    if (fields[field] !== 'int')
      throw file.error('bad_field', `sum.field ${field} is not a whole-number field of ${source}`, sumNode);
    const by = optionalString(file, sumMap, 'by') ?? 'person';
    if (by !== 'person' && by !== 'household')
      throw file.error('bad_field', 'sum.by must be person or household', entry(sumMap, 'by'));
    sum = { field, by };
  }
  const colour = colourOf(file, entry(map, 'colour'), 'colour');
  const summary = requiredString(file, map, 'summary', node);
  if (summary.length > 200)
    throw file.error('bad_field', 'summary is over 200 characters', entry(map, 'summary'));
  const source_ = file.expression(entry(map, 'condition'), 'condition');
  const env = environmentFor(types, source);
  const checked = env.check(source_.text);
  if (!checked.valid) {
    const error = checked.error as { message: string; range?: { start: number }; node?: { start?: number } };
    const offset = error.range?.start ?? error.node?.start ?? 0;
    throw new RuleLoadError(
      'type_error',
      `condition: ${error.message.split('\n')[0]}`,
      source_.position(offset),
    );
  }
  if (checked.type !== 'bool')
    throw new RuleLoadError('type_error', `condition must be bool, not ${checked.type}`, source_.position(0));
  const run = compiledCondition(env, source_);
  const interpreter = env.parse(source_.text);
  const scope: Scope = { root: {}, locals: [], budget: 0 };
  return {
    id,
    label,
    source,
    dateField,
    windowMonths,
    sum,
    colour,
    summary,
    conditionText: source_.text,
    test(input) {
      // One scope per trigger, refilled per record: evaluation is synchronous.
      scope.root = {
        record: converted(input.record, fields),
        previous: input.previous ? converted(input.previous, fields) : {},
        hasPrevious: !!input.previous,
        person: input.person,
        household: input.household,
        window: input.window,
      };
      scope.budget = DEFAULT_LIMITS.iterationBudget;
      return run(scope) === true;
    },
    interpret(input) {
      const big = (n: number) => BigInt(n);
      return (
        interpreter({
          record: celRecord(input.record, fields, big),
          previous: input.previous ? celRecord(input.previous, fields, big) : {},
          hasPrevious: !!input.previous,
          person: { ...input.person, age: BigInt(input.person.age) },
          household: { ...input.household, size: BigInt(input.household.size) },
          window: { sum: BigInt(input.window.sum), count: BigInt(input.window.count) },
        }) === true
      );
    },
  };
}

/** Parses and checks the trigger file; throws a RuleLoadError naming file, line and column. */
export function parseTriggerSet(fileName: string, text: string, types: TriggerFieldTypes): TriggerSet {
  const file = new YamlFile(fileName, text);
  const root = file.rootMap('a trigger file');
  for (const [key, keyNode] of mapEntries(root))
    if (!['version', 'models', 'triggers'].includes(key))
      throw file.error('unknown_field', `unknown field ${key}`, keyNode);
  const version = requiredString(file, root, 'version', root);
  const models: TriggerSet['models'] = [];
  for (const node of asSeq(file, entry(root, 'models'), 'models')) {
    const map = asMap(file, node, 'a model entry');
    const model = requiredString(file, map, 'model', node);
    const raise = asSeq(file, entry(map, 'raise'), 'raise').map((n) => colourOf(file, n, 'raise'));
    if (raise.length === 0) throw file.error('bad_field', 'raise names no colour', node);
    models.push({ model, raise });
  }
  const triggers: TriggerDefinition[] = [];
  const seen = new Set<string>();
  for (const node of asSeq(file, entry(root, 'triggers'), 'triggers')) {
    const trigger = parseTrigger(file, node, types);
    if (seen.has(trigger.id))
      throw file.error('duplicate_name', `trigger ${trigger.id} is defined twice`, node);
    seen.add(trigger.id);
    triggers.push(trigger);
  }
  return { file: fileName, version, models, triggers };
}

/** The summary template filled in: {name} {date} {sum} {count} {<record field>}; money shown in yuan. */
export function renderTriggerSummary(
  trigger: TriggerDefinition,
  values: { name: string; date: string; sum: number; count: number; record: Record<string, unknown> },
): string {
  const yuan = (fen: number) => formatFenAsYuan(fen).replace(/\.00$/, '');
  return trigger.summary.replace(/\{([A-Za-z0-9]+)\}/g, (_all, key: string) => {
    if (key === 'name') return values.name;
    if (key === 'date') return values.date;
    if (key === 'sum') return trigger.sum?.field.endsWith('Fen') ? yuan(values.sum) : String(values.sum);
    if (key === 'count') return String(values.count);
    const v = values.record[key];
    if (v === undefined || v === null) return '';
    return key.endsWith('Fen') && typeof v === 'number' ? yuan(v) : String(v);
  });
}

/** Completed years between two ISO dates (the CEL `ageOn` rule), for a trigger's `person.age`. */
export function ageOnDate(birthDate: string, date: string): number {
  return Number(ageOn(birthDate, date));
}
