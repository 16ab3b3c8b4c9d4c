/**
 * Policy files, one policy per file:
 *
 * ```yaml
 * id: dibao
 * name: { zh: 最低生活保障, en: Minimum living allowance }
 * reference: 《最低生活保障审核确认办法》（民发〔2021〕57号）
 * requiredFacts: [household.monthlyIncome]
 * conditions:
 *   - id: ownsCar
 *     veto: true
 *     expression: household.carCount > 0
 *     explanation: 家庭成员名下有机动车辆
 *   - id: incomeBelowStandard
 *     expression: household.perCapitaIncome < param.dibaoStandard
 *     explanation:
 *       whenTrue: 家庭月人均收入 {household.perCapitaIncome}，低于本地低保标准 {param.dibaoStandard}
 *       whenFalse: 家庭月人均收入 {household.perCapitaIncome}，不低于本地低保标准 {param.dibaoStandard}
 * amount:
 *   formula: (param.dibaoStandard - household.perCapitaIncome) * size(members)
 *   unit: fen/month
 *   rounding: dibaoRounding   # fen, yuan, or the name of a string parameter holding one of them
 * supersedes: [nearDibao]     # policies this one replaces when both apply (not both paid)
 * ```
 */
import { isScalar, type Node } from 'yaml';
import { ROUNDING_RULES, type RoundingRule } from '../money.ts';
import {
  asMap,
  asSeq,
  checkIdentifier,
  type ExpressionSource,
  entry,
  optionalString,
  requiredString,
  scalarValue,
  YamlFile,
} from '../yaml/yamlFile.ts';
import type { ConditionExplanation, RoundingSource } from './types.ts';

export interface ConditionDefinition {
  id: string;
  veto: boolean;
  explanation: ConditionExplanation;
  expression: ExpressionSource;
  node: Node;
}

export interface PolicyDefinition {
  id: string;
  name: { zh: string; en: string };
  reference: string;
  file: YamlFile;
  requiredFacts: { reference: string; node: Node }[];
  conditions: ConditionDefinition[];
  amount?: { formula: ExpressionSource; unit: string; rounding: RoundingSource; node: Node };
  /** Policies this one replaces when the household qualifies for both (tekun over dibao). */
  supersedes: { id: string; node: Node }[];
}

function parseExplanation(file: YamlFile, node: Node | null | undefined): ConditionExplanation {
  if (isScalar(node) && typeof node.value === 'string' && node.value !== '') return { text: node.value };
  const map = asMap(file, node, 'explanation (a Chinese text, or whenTrue/whenFalse texts)');
  const whenTrue = optionalString(file, map, 'whenTrue');
  const whenFalse = optionalString(file, map, 'whenFalse');
  if (!whenTrue || !whenFalse)
    throw file.error('missing_field', 'explanation needs both whenTrue and whenFalse', node);
  return { whenTrue, whenFalse };
}

function parseCondition(file: YamlFile, node: Node): ConditionDefinition {
  const map = asMap(file, node, 'a condition');
  const id = requiredString(file, map, 'id', node);
  checkIdentifier(file, id, entry(map, 'id'), 'condition id');
  const vetoValue = scalarValue(entry(map, 'veto')) ?? false;
  if (typeof vetoValue !== 'boolean')
    throw file.error('bad_field', 'veto must be true or false', entry(map, 'veto'));
  return {
    id,
    veto: vetoValue,
    explanation: parseExplanation(file, entry(map, 'explanation')),
    expression: file.expression(entry(map, 'expression'), `expression of condition ${id}`),
    node,
  };
}

function parseRounding(file: YamlFile, node: Node | null | undefined): RoundingSource {
  const value = scalarValue(node) ?? 'fen';
  if (typeof value !== 'string')
    throw file.error('bad_field', 'rounding must be fen, yuan or a parameter name', node);
  return ROUNDING_RULES.includes(value as RoundingRule)
    ? { rule: value as RoundingRule }
    : { parameter: value };
}

export function parsePolicy(fileName: string, text: string): PolicyDefinition {
  const file = new YamlFile(fileName, text);
  const map = file.rootMap('a policy file');
  const id = requiredString(file, map, 'id', map);
  checkIdentifier(file, id, entry(map, 'id'), 'policy id');
  const nameMap = asMap(file, entry(map, 'name'), 'name ({ zh, en })');
  const name = {
    zh: requiredString(file, nameMap, 'zh', nameMap),
    en: requiredString(file, nameMap, 'en', nameMap),
  };
  const requiredNode = entry(map, 'requiredFacts');
  const requiredFacts = (requiredNode ? asSeq(file, requiredNode, 'requiredFacts') : []).map((node) => {
    const reference = scalarValue(node);
    if (typeof reference !== 'string')
      throw file.error('bad_field', 'a required fact is a name like household.x', node);
    return { reference, node };
  });
  const conditions = asSeq(file, entry(map, 'conditions'), 'conditions').map((node) =>
    parseCondition(file, node),
  );
  const ids = new Set<string>();
  for (const condition of conditions) {
    if (ids.has(condition.id))
      throw file.error('duplicate_name', `condition ${condition.id} appears twice`, condition.node);
    ids.add(condition.id);
  }
  const amountNode = entry(map, 'amount');
  let amount: PolicyDefinition['amount'];
  if (amountNode) {
    const amountMap = asMap(file, amountNode, 'amount');
    amount = {
      formula: file.expression(entry(amountMap, 'formula'), 'amount formula'),
      unit: optionalString(file, amountMap, 'unit') ?? 'fen',
      rounding: parseRounding(file, entry(amountMap, 'rounding')),
      node: amountNode,
    };
  }
  const supersedesNode = entry(map, 'supersedes');
  const supersedes = (supersedesNode ? asSeq(file, supersedesNode, 'supersedes') : []).map((node) => {
    const other = scalarValue(node);
    if (typeof other !== 'string' || other === id)
      throw file.error('bad_field', 'supersedes lists the ids of other policies', node);
    return { id: other, node };
  });
  return {
    id,
    name,
    reference: requiredString(file, map, 'reference', map),
    file,
    requiredFacts,
    conditions,
    ...(amount ? { amount } : {}),
    supersedes,
  };
}
