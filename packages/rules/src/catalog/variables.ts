/**
 * Variables: named values derived from facts, parameters and other variables, each defined by a
 * CEL formula, per household or per member (OpenFisca's "formulas").
 *
 * ```yaml
 * perCapitaIncome:
 *   entity: household
 *   type: int
 *   unit: fen/month
 *   label: 家庭月人均收入
 *   formula: divideRound(household.monthlyIncome, size(members))
 * ```
 */
import type { Node } from 'yaml';
import {
  asMap,
  checkIdentifier,
  type ExpressionSource,
  entry,
  mapEntries,
  optionalString,
  requiredString,
  YamlFile,
} from '../yaml/yamlFile.ts';
import { type Entity, VALUE_TYPES, type ValueType } from './facts.ts';

export interface VariableDefinition {
  name: string;
  entity: Entity;
  type: ValueType;
  unit: string;
  label: string;
  reference?: string;
  formula: ExpressionSource;
  file: YamlFile;
  node: Node | null;
}

export function parseVariableFiles(files: Record<string, string>): VariableDefinition[] {
  const out: VariableDefinition[] = [];
  for (const [fileName, text] of Object.entries(files)) {
    const file = new YamlFile(fileName, text);
    for (const [name, nameNode, declNode] of mapEntries(file.rootMap('a variables file'))) {
      checkIdentifier(file, name, nameNode, 'variable name');
      const decl = asMap(file, declNode, `variable ${name}`);
      const entity = requiredString(file, decl, 'entity', declNode);
      if (entity !== 'household' && entity !== 'member') {
        throw file.error('bad_entity', 'entity must be household or member', entry(decl, 'entity'));
      }
      const type = requiredString(file, decl, 'type', declNode);
      if (!VALUE_TYPES.includes(type as ValueType)) {
        throw file.error('bad_type', `type must be one of ${VALUE_TYPES.join(', ')}`, entry(decl, 'type'));
      }
      const reference = optionalString(file, decl, 'reference');
      out.push({
        name,
        entity,
        type: type as ValueType,
        unit: optionalString(file, decl, 'unit') ?? '',
        label: optionalString(file, decl, 'label') ?? name,
        ...(reference === undefined ? {} : { reference }),
        formula: file.expression(entry(decl, 'formula'), `formula of ${name}`),
        file,
        node: nameNode,
      });
    }
  }
  return out;
}
