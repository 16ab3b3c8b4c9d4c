/**
 * Indicator model files (`indicators/<id>.yaml`), one model per file: groups of items, each item a
 * CEL condition worth integer points (+ harder, − less hard), bands mapping the score to a colour.
 *
 * ```yaml
 * id: difficultyIndex
 * name: { zh: 困难指数, en: Difficulty index }
 * version: "2025.1"
 * notes: 金乡县做法，3 组 35 项
 * entity: household
 * variable: difficultyIndex        # optional: the score as a household variable policies can read
 * members: member.counted          # optional: which members per-member items count (default all)
 * scoring: total                   # total (sum of groups) or perMemberAverage (total ÷ counted members)
 * groups:
 *   - id: medical
 *     label: 医疗组
 *     max: 20                      # optional cap (and min: floor) of the group's score
 *     items:
 *       - id: seriousIllness
 *         label: 家庭成员患重特大疾病
 *         perMember: true          # condition over `member`, evaluated for each counted member
 *         aggregation: sum         # per-member items: average (default), sum, or any
 *         condition: member.health == 'seriousIllness'
 *         points: 6
 *         requires: [member.health]
 * bands:
 *   - { alertColor: red, label: 重点关注, min: 30 }
 *   - { alertColor: yellow, label: 一般关注, min: 15, below: 30 }   # bounds: numbers or parameter names
 *   - { alertColor: green, label: 无需预警, below: 15 }
 * ```
 * Only the parsing is here; checking against the catalogue and compiling is in compileModel.ts.
 */
import type { Node, YAMLMap } from 'yaml';
import {
  asMap,
  asSeq,
  checkIdentifier,
  type ExpressionSource,
  entry,
  mapEntries,
  optionalString,
  requiredString,
  scalarValue,
  YamlFile,
} from '../yaml/yamlFile.ts';

export const ALERT_COLORS = ['red', 'yellow', 'blue', 'green', 'none'] as const;
export type AlertColor = (typeof ALERT_COLORS)[number];
export const AGGREGATIONS = ['average', 'sum', 'any'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];
export type Scoring = 'total' | 'perMemberAverage';

/** A band bound: a number in the file, or the name of a (dated, region-scoped) parameter. */
export type BoundSource = { value: number } | { parameter: string };

export interface ItemDefinition {
  id: string;
  label: string;
  condition: ExpressionSource;
  points: number;
  perMember: boolean;
  aggregation: Aggregation;
  requires: { reference: string; node: Node }[];
  node: Node;
}

export interface GroupDefinition {
  id: string;
  label: string;
  max?: number;
  min?: number;
  items: ItemDefinition[];
  node: Node;
}

export interface BandDefinition {
  alertColor: AlertColor;
  label: string;
  min?: BoundSource;
  below?: BoundSource;
  node: Node;
}

export interface ModelDefinition {
  id: string;
  name: { zh: string; en: string };
  version: string;
  notes?: string;
  reference?: string;
  variable?: { name: string; node: Node };
  members?: ExpressionSource;
  scoring: Scoring;
  groups: GroupDefinition[];
  bands: BandDefinition[];
  file: YamlFile;
}

const MODEL_FIELDS = [
  'id',
  'name',
  'version',
  'notes',
  'reference',
  'entity',
  'variable',
  'members',
  'scoring',
  'groups',
  'bands',
];
const GROUP_FIELDS = ['id', 'label', 'max', 'min', 'items'];
const ITEM_FIELDS = ['id', 'label', 'condition', 'points', 'perMember', 'aggregation', 'requires'];
const BAND_FIELDS = ['alertColor', 'label', 'min', 'below'];

/** Unknown keys are refused: a misspelt `pionts` must not silently become an item worth nothing. */
function checkFields(file: YamlFile, map: YAMLMap, allowed: readonly string[], what: string): void {
  for (const [key, keyNode] of mapEntries(map)) {
    if (!allowed.includes(key))
      throw file.error(
        'unknown_field',
        `${what} has no field "${key}" (allowed: ${allowed.join(', ')})`,
        keyNode,
      );
  }
}

function optionalInteger(file: YamlFile, map: YAMLMap, key: string): number | undefined {
  const node = entry(map, key);
  if (node === undefined || node === null) return undefined;
  const value = scalarValue(node);
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw file.error('not_integer', `${key} must be a whole number, not ${JSON.stringify(value)}`, node);
  return value;
}

function optionalBool(file: YamlFile, map: YAMLMap, key: string): boolean {
  const node = entry(map, key);
  if (node === undefined || node === null) return false;
  const value = scalarValue(node);
  if (typeof value !== 'boolean') throw file.error('bad_field', `${key} must be true or false`, node);
  return value;
}

function bound(file: YamlFile, map: YAMLMap, key: string): BoundSource | undefined {
  const node = entry(map, key);
  if (node === undefined || node === null) return undefined;
  const value = scalarValue(node);
  if (typeof value === 'number' && Number.isFinite(value)) return { value };
  if (typeof value === 'string') {
    checkIdentifier(file, value, node, 'band bound parameter');
    return { parameter: value };
  }
  throw file.error('bad_field', `${key} must be a number or a parameter name`, node);
}

function parseItem(file: YamlFile, node: Node): ItemDefinition {
  const map = asMap(file, node, 'an item');
  checkFields(file, map, ITEM_FIELDS, 'an item');
  const id = requiredString(file, map, 'id', node);
  checkIdentifier(file, id, entry(map, 'id'), 'item id');
  const points = optionalInteger(file, map, 'points');
  if (points === undefined) throw file.error('missing_field', `item ${id} needs points`, node);
  const perMember = optionalBool(file, map, 'perMember');
  const aggregationText = optionalString(file, map, 'aggregation');
  if (aggregationText !== undefined && !perMember)
    throw file.error('bad_field', 'aggregation applies to perMember items only', entry(map, 'aggregation'));
  if (aggregationText !== undefined && !AGGREGATIONS.includes(aggregationText as Aggregation))
    throw file.error(
      'bad_field',
      `aggregation must be one of ${AGGREGATIONS.join(', ')}`,
      entry(map, 'aggregation'),
    );
  const requiresNode = entry(map, 'requires');
  const requires = (requiresNode ? asSeq(file, requiresNode, 'requires') : []).map((n) => {
    const reference = scalarValue(n);
    if (typeof reference !== 'string')
      throw file.error('bad_field', 'a required fact is a name like household.x or member.y', n);
    return { reference, node: n };
  });
  return {
    id,
    label: requiredString(file, map, 'label', node),
    condition: file.expression(entry(map, 'condition'), `condition of item ${id}`),
    points,
    perMember,
    aggregation: (aggregationText as Aggregation | undefined) ?? 'average',
    requires,
    node,
  };
}

function parseGroup(file: YamlFile, node: Node): GroupDefinition {
  const map = asMap(file, node, 'a group');
  checkFields(file, map, GROUP_FIELDS, 'a group');
  const id = requiredString(file, map, 'id', node);
  checkIdentifier(file, id, entry(map, 'id'), 'group id');
  const max = optionalInteger(file, map, 'max');
  const min = optionalInteger(file, map, 'min');
  if (max !== undefined && min !== undefined && min > max)
    throw file.error('bad_field', `group ${id}: min ${min} is above max ${max}`, entry(map, 'min'));
  const items = asSeq(file, entry(map, 'items'), `items of group ${id}`).map((n) => parseItem(file, n));
  if (items.length === 0) throw file.error('bad_shape', `group ${id} has no items`, node);
  return {
    id,
    label: requiredString(file, map, 'label', node),
    ...(max === undefined ? {} : { max }),
    ...(min === undefined ? {} : { min }),
    items,
    node,
  };
}

function parseBand(file: YamlFile, node: Node): BandDefinition {
  const map = asMap(file, node, 'a band');
  checkFields(file, map, BAND_FIELDS, 'a band');
  const alertColor = requiredString(file, map, 'alertColor', node);
  if (!ALERT_COLORS.includes(alertColor as AlertColor))
    throw file.error(
      'bad_field',
      `alertColor must be one of ${ALERT_COLORS.join(', ')}`,
      entry(map, 'alertColor'),
    );
  const min = bound(file, map, 'min');
  const below = bound(file, map, 'below');
  return {
    alertColor: alertColor as AlertColor,
    label: requiredString(file, map, 'label', node),
    ...(min ? { min } : {}),
    ...(below ? { below } : {}),
    node,
  };
}

export function parseIndicatorModel(fileName: string, text: string): ModelDefinition {
  const file = new YamlFile(fileName, text);
  const map = file.rootMap('an indicator model file');
  checkFields(file, map, MODEL_FIELDS, 'an indicator model');
  const id = requiredString(file, map, 'id', map);
  checkIdentifier(file, id, entry(map, 'id'), 'model id');
  const nameMap = asMap(file, entry(map, 'name'), 'name ({ zh, en })');
  const entity = optionalString(file, map, 'entity') ?? 'household';
  if (entity !== 'household')
    throw file.error(
      'bad_entity',
      'indicator models score households (entity: household)',
      entry(map, 'entity'),
    );
  const scoring = optionalString(file, map, 'scoring') ?? 'total';
  if (scoring !== 'total' && scoring !== 'perMemberAverage')
    throw file.error('bad_field', 'scoring must be total or perMemberAverage', entry(map, 'scoring'));
  const variableNode = entry(map, 'variable');
  const variable = optionalString(file, map, 'variable');
  if (variable !== undefined) checkIdentifier(file, variable, variableNode, 'score variable');
  const membersNode = entry(map, 'members');
  const versionValue = scalarValue(entry(map, 'version'));
  if (typeof versionValue !== 'string' && typeof versionValue !== 'number')
    throw file.error('missing_field', 'version is required (e.g. "2025.1")', entry(map, 'version') ?? map);
  const groups = asSeq(file, entry(map, 'groups'), 'groups').map((n) => parseGroup(file, n));
  const bands = asSeq(file, entry(map, 'bands'), 'bands').map((n) => parseBand(file, n));
  if (bands.length === 0) throw file.error('bad_shape', 'a model needs at least one band', map);
  const notes = optionalString(file, map, 'notes');
  const reference = optionalString(file, map, 'reference');
  return {
    id,
    name: {
      zh: requiredString(file, nameMap, 'zh', nameMap),
      en: requiredString(file, nameMap, 'en', nameMap),
    },
    version: String(versionValue),
    ...(notes === undefined ? {} : { notes }),
    ...(reference === undefined ? {} : { reference }),
    ...(variable !== undefined && variableNode ? { variable: { name: variable, node: variableNode } } : {}),
    ...(membersNode ? { members: file.expression(membersNode, 'members filter') } : {}),
    scoring,
    groups,
    bands,
    file,
  };
}
