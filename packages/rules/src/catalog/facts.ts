/**
 * Fact declarations: the inputs the server hands the engine for one household, each with a type,
 * so expressions are type-checked at load time and inputs are checked once at the boundary
 * (integers must be safe integers, see `cel/ints.ts`).
 *
 * ```yaml
 * household:
 *   monthlyIncome: { type: int, unit: fen/month, label: 家庭月收入 }
 * member:
 *   age: { type: int, unit: year, label: 年龄 }
 *   workCapacity: { type: string, label: 劳动能力, values: { full: 完全, partial: 部分, none: 丧失 } }
 * ```
 *
 * `values` names a coded string fact's codes in Chinese, so a trace asking for the fact says which
 * answers there are in words a caseworker uses, not the codes the expressions compare.
 */
import type { YAMLMap } from 'yaml';
import type { RuleLoadError } from '../errors.ts';
import {
  asMap,
  checkIdentifier,
  entry,
  mapEntries,
  optionalString,
  requiredString,
  scalarValue,
  YamlFile,
} from '../yaml/yamlFile.ts';

export type Entity = 'household' | 'member';

export const VALUE_TYPES = [
  'int',
  'double',
  'string',
  'bool',
  'list<int>',
  'list<double>',
  'list<string>',
  'list<bool>',
] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

export interface FactDeclaration {
  name: string;
  entity: Entity;
  type: ValueType;
  unit: string;
  label: string;
  /** Code → Chinese name, for coded `string` and `list<string>` facts. */
  values?: ReadonlyMap<string, string>;
  file: string;
}

export interface FactSchema {
  household: Map<string, FactDeclaration>;
  member: Map<string, FactDeclaration>;
}

export function parseFactFiles(files: Record<string, string>): FactSchema {
  const schema: FactSchema = { household: new Map(), member: new Map() };
  for (const [fileName, text] of Object.entries(files)) {
    const file = new YamlFile(fileName, text);
    const root = file.rootMap('a facts file');
    for (const [key, keyNode, value] of mapEntries(root)) {
      if (key !== 'household' && key !== 'member') {
        throw file.error(
          'bad_entity',
          `facts are declared under "household" or "member", not "${key}"`,
          keyNode,
        );
      }
      for (const [name, nameNode, declNode] of mapEntries(asMap(file, value, key))) {
        checkIdentifier(file, name, nameNode, 'fact name');
        const decl = asMap(file, declNode, `fact ${name}`);
        const type = requiredString(file, decl, 'type', declNode);
        if (!VALUE_TYPES.includes(type as ValueType)) {
          throw file.error('bad_type', `type must be one of ${VALUE_TYPES.join(', ')}`, entry(decl, 'type'));
        }
        if (schema[key].has(name)) {
          throw file.error('duplicate_name', `fact ${key}.${name} is declared twice`, nameNode);
        }
        const values = valuesOf(file, decl, type as ValueType);
        schema[key].set(name, {
          name,
          entity: key,
          type: type as ValueType,
          unit: optionalString(file, decl, 'unit') ?? '',
          label: optionalString(file, decl, 'label') ?? name,
          ...(values ? { values } : {}),
          file: fileName,
        });
      }
    }
  }
  return schema;
}

function valuesOf(file: YamlFile, decl: YAMLMap, type: ValueType): Map<string, string> | undefined {
  const node = entry(decl, 'values');
  if (node === undefined) return undefined;
  if (type !== 'string' && type !== 'list<string>')
    throw file.error('bad_values', `values name the codes of a string fact, not of ${type}`, node);
  const values = new Map<string, string>();
  for (const [code, codeNode, zh] of mapEntries(asMap(file, node, 'values'))) {
    checkIdentifier(file, code, codeNode, 'value code');
    const name = scalarValue(zh);
    if (typeof name !== 'string' || name.trim() === '')
      throw file.error('bad_values', `value ${code} needs its Chinese name`, codeNode);
    values.set(code, name);
  }
  return values;
}

/** The fact's label for people, with its coded answers in Chinese: 劳动能力（完全、部分、丧失）. */
export function factLabelZh(d: FactDeclaration): string {
  return d.values ? `${d.label}（${[...d.values.values()].join('、')}）` : d.label;
}

/** A required-fact reference such as `household.monthlyIncome` or `member.age`. */
export function parseFactReference(
  schema: FactSchema,
  reference: string,
  fail: (message: string) => RuleLoadError,
): FactDeclaration {
  const [entity, name, extra] = reference.split('.');
  if (extra !== undefined || (entity !== 'household' && entity !== 'member') || !name) {
    throw fail(`required fact "${reference}" must read household.<name> or member.<name>`);
  }
  const decl = schema[entity].get(name);
  if (!decl) throw fail(`required fact "${reference}" is not declared`);
  return decl;
}
