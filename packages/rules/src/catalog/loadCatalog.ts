/**
 * Loads a catalogue from texts (never paths: the package does no I/O), checks everything a policy
 * author can get wrong, and compiles every expression once. Order: facts, parameters, variables
 * (dependency order, cycles refused), policies.
 */
import type { Environment } from '@marcbachmann/cel-js';
import { createCelEnvironment } from '../cel/environment.ts';
import { type PreparedExpression, prepareExpression } from '../cel/expression.ts';
import { DEFAULT_LIMITS, type ExpressionLimits } from '../cel/limits.ts';
import { RuleLoadError } from '../errors.ts';
import { expressionsOf, finishModel } from '../indicators/compileModel.ts';
import {
  compileIndicators,
  parseIndicatorFiles,
  type ScoreVariableDeclaration,
  scoreVariableClash,
} from '../indicators/loadIndicators.ts';
import { type Parameter, parseParameter } from '../parameters/parameter.ts';
import type { YamlFile } from '../yaml/yamlFile.ts';
import { closure, DependencyCycleError, topologicalOrder } from './dependencies.ts';
import { type FactSchema, parseFactFiles, parseFactReference } from './facts.ts';
import { type ConditionDefinition, type PolicyDefinition, parsePolicy } from './policies.ts';
import type {
  CatalogSources,
  CompiledCatalog,
  CompiledPolicy,
  CompiledVariable,
  ConditionExplanation,
} from './types.ts';
import { parseVariableFiles, type VariableDefinition } from './variables.ts';

export function loadParameters(files: Record<string, string>): Map<string, Parameter> {
  const out = new Map<string, Parameter>();
  for (const [fileName, text] of Object.entries(files)) {
    const parameter = parseParameter(fileName, text);
    const previous = out.get(parameter.name);
    if (previous) {
      throw new RuleLoadError(
        'duplicate_name',
        `parameter ${parameter.name} is also defined in ${previous.file}`,
        {
          file: fileName,
          line: 1,
          column: 1,
        },
      );
    }
    out.set(parameter.name, parameter);
  }
  return out;
}

/** Record types for the type checker: Household, Member and Parameters with every field typed. */
function environments(
  facts: FactSchema,
  variables: readonly Pick<VariableDefinition, 'name' | 'entity' | 'type'>[],
  parameters: Map<string, Parameter>,
  limits: ExpressionLimits,
) {
  const fieldsOf = (entity: 'household' | 'member') => {
    const fields: Record<string, string> = {};
    for (const [name, decl] of facts[entity]) fields[name] = decl.type;
    for (const v of variables) if (v.entity === entity) fields[v.name] = v.type;
    return fields;
  };
  const parameterFields: Record<string, string> = {};
  for (const [name, p] of parameters) parameterFields[name] = p.type;
  const types = { Household: fieldsOf('household'), Member: fieldsOf('member'), Parameters: parameterFields };
  const common = {
    household: 'Household',
    members: 'list<Member>',
    param: 'Parameters',
    evaluationDate: 'string',
    regionCode: 'string',
  };
  return {
    household: createCelEnvironment({ types, variables: common }, limits),
    member: createCelEnvironment({ types, variables: { ...common, member: 'Member' } }, limits),
  };
}

function checkUniqueNames(
  facts: FactSchema,
  variables: VariableDefinition[],
  parameters: Map<string, Parameter>,
  scoreVariables: ScoreVariableDeclaration[],
) {
  // One namespace for facts, variables and parameters keeps dependency analysis by field name sound.
  const seen = new Map<string, string>();
  for (const entity of ['household', 'member'] as const) {
    for (const name of facts[entity].keys()) seen.set(name, `fact ${entity}.${name}`);
  }
  for (const [name, p] of parameters) {
    if (seen.has(name)) {
      throw new RuleLoadError('duplicate_name', `parameter ${name} has the same name as ${seen.get(name)}`, {
        file: p.file,
        line: 1,
        column: 1,
      });
    }
    seen.set(name, `parameter ${name}`);
  }
  for (const v of variables) {
    const other = seen.get(v.name);
    if (other)
      throw v.file.error('duplicate_name', `variable ${v.name} has the same name as ${other}`, v.node);
    seen.set(v.name, `variable ${v.name}`);
  }
  for (const s of scoreVariables) {
    const other = seen.get(s.name);
    if (other) throw scoreVariableClash(s, other);
  }
}

function compileVariables(
  definitions: VariableDefinition[],
  envs: Record<'household' | 'member', Environment>,
  limits: ExpressionLimits,
  scoreVariables: CompiledVariable[],
  modelFileOf: (variable: string) => ScoreVariableDeclaration | undefined,
): { variables: Map<string, CompiledVariable>; order: string[] } {
  const names = new Set([...definitions.map((d) => d.name), ...scoreVariables.map((v) => v.name)]);
  const variables = new Map<string, CompiledVariable>(scoreVariables.map((v) => [v.name, v]));
  for (const d of definitions) {
    const formula = prepareExpression(envs[d.entity], d.formula, [d.type], limits);
    variables.set(d.name, {
      name: d.name,
      entity: d.entity,
      type: d.type,
      unit: d.unit,
      label: d.label,
      ...(d.reference === undefined ? {} : { reference: d.reference }),
      file: d.file.file,
      formula,
      dependencies: [...formula.fieldNames].filter((n) => names.has(n)).sort(),
    });
  }
  const dependencies = new Map([...variables].map(([name, v]) => [name, v.dependencies]));
  try {
    return { variables, order: topologicalOrder([...names], dependencies) };
  } catch (error) {
    if (!(error instanceof DependencyCycleError)) throw error;
    const model = modelFileOf(error.cycle[0] as string);
    if (model) throw model.model.file.error('dependency_cycle', error.message, model.model.variable?.node);
    const first = definitions.find((d) => d.name === error.cycle[0]) as VariableDefinition;
    throw new RuleLoadError('dependency_cycle', error.message, first.formula.position(0));
  }
}

function checkTemplate(
  file: YamlFile,
  text: string | undefined,
  known: (ref: string) => boolean,
  node: ConditionDefinition['node'],
) {
  for (const match of (text ?? '').matchAll(/\{([^}]*)\}/g)) {
    if (!known(match[1] as string)) {
      throw file.error(
        'bad_placeholder',
        `explanation placeholder {${match[1]}} names no household value or parameter`,
        node,
      );
    }
  }
}

function compilePolicy(
  d: PolicyDefinition,
  catalog: Omit<CompiledCatalog, 'policies' | 'localSlots' | 'indicators'>,
  env: Environment,
): CompiledPolicy {
  const { facts, parameters, variables, variableOrder, limits } = catalog;
  const known = (ref: string) => {
    const [scope, name = '', extra] = ref.split('.');
    if (extra !== undefined) return false;
    if (scope === 'param') return parameters.has(name);
    return (
      scope === 'household' && (facts.household.has(name) || variables.get(name)?.entity === 'household')
    );
  };
  const conditions = d.conditions.map((c) => {
    for (const text of Object.values(c.explanation) as string[]) checkTemplate(d.file, text, known, c.node);
    return {
      id: c.id,
      veto: c.veto,
      explanation: c.explanation as ConditionExplanation,
      expression: prepareExpression(env, c.expression, ['bool'], limits),
    };
  });
  const amountFormula = d.amount
    ? prepareExpression(env, d.amount.formula, ['int', 'double'], limits)
    : undefined;
  const rounding = d.amount?.rounding;
  if (rounding && 'parameter' in rounding) {
    const p = parameters.get(rounding.parameter);
    if (p?.type !== 'string') {
      throw d.file.error(
        'bad_rounding',
        `rounding must be fen, yuan or a string parameter, not "${rounding.parameter}"`,
        d.amount?.node,
      );
    }
  }
  const expressions: PreparedExpression[] = [
    ...conditions.map((c) => c.expression),
    ...(amountFormula ? [amountFormula] : []),
  ];
  const directVariables = expressions.flatMap((e) => [...e.fieldNames].filter((n) => variables.has(n)));
  const dependencyMap = new Map([...variables].map(([name, v]) => [name, v.dependencies]));
  const policyVariables = closure(directVariables, dependencyMap, variableOrder);
  const parameterNames = new Set(expressions.flatMap((e) => [...e.parameters]));
  for (const name of policyVariables)
    for (const p of (variables.get(name) as CompiledVariable).formula.parameters) parameterNames.add(p);
  if (rounding && 'parameter' in rounding) parameterNames.add(rounding.parameter);
  return {
    id: d.id,
    name: d.name,
    reference: d.reference,
    file: d.file.file,
    conditions,
    ...(amountFormula && rounding
      ? { amount: { formula: amountFormula, unit: d.amount?.unit ?? 'fen', rounding } }
      : {}),
    requiredFacts: d.requiredFacts.map((r) =>
      parseFactReference(facts, r.reference, (message) => d.file.error('bad_required_fact', message, r.node)),
    ),
    variables: policyVariables,
    parameters: [...parameterNames].sort(),
    supersedes: d.supersedes.map((s) => s.id),
  };
}

/** Every `supersedes` names a policy of the catalogue, and no two policies supersede each other. */
function checkSupersedes(definitions: PolicyDefinition[]): void {
  const byId = new Map(definitions.map((d) => [d.id, d]));
  for (const d of definitions) {
    for (const s of d.supersedes) {
      const other = byId.get(s.id);
      if (!other) throw d.file.error('unknown_policy', `supersedes names no policy: ${s.id}`, s.node);
      if (other.supersedes.some((o) => o.id === d.id))
        throw d.file.error('supersedes_cycle', `${d.id} and ${s.id} supersede each other`, s.node);
    }
  }
}

/** Loads and compiles a whole catalogue. Throws `RuleLoadError` (file:line:column) on the first problem. */
export function loadCatalog(
  sources: Partial<CatalogSources>,
  limits: ExpressionLimits = DEFAULT_LIMITS,
): CompiledCatalog {
  const facts = parseFactFiles(sources.facts ?? {});
  const parameters = loadParameters(sources.parameters ?? {});
  const definitions = parseVariableFiles(sources.variables ?? {});
  const indicatorFiles = parseIndicatorFiles(sources.indicators ?? {});
  const scoreDeclarations = indicatorFiles.scoreVariables;
  checkUniqueNames(facts, definitions, parameters, scoreDeclarations);
  const envs = environments(facts, [...definitions, ...scoreDeclarations], parameters, limits);
  const indicatorCompiled = compileIndicators(indicatorFiles.definitions, {
    facts,
    parameters,
    variableNames: new Set([...definitions, ...scoreDeclarations].map((d) => d.name)),
    envs,
    limits,
  });
  const { variables, order } = compileVariables(
    definitions,
    envs,
    limits,
    indicatorCompiled.scoreVariables,
    (name) => scoreDeclarations.find((d) => d.name === name),
  );
  const dependencyMap = new Map([...variables].map(([name, v]) => [name, v.dependencies]));
  const indicators = indicatorCompiled.models.map((m) =>
    finishModel(m, dependencyMap, order, (v) => variables.get(v)?.formula.parameters ?? []),
  );
  const base = { facts, parameters, variables, variableOrder: order, limits };
  const policies: CompiledPolicy[] = [];
  const policyDefinitions: PolicyDefinition[] = [];
  const ids = new Map<string, string>();
  for (const [fileName, text] of Object.entries(sources.policies ?? {})) {
    const definition = parsePolicy(fileName, text);
    policyDefinitions.push(definition);
    const previous = ids.get(definition.id);
    if (previous)
      throw definition.file.error(
        'duplicate_name',
        `policy ${definition.id} is also defined in ${previous}`,
        definition.file.root,
      );
    ids.set(definition.id, fileName);
    policies.push(compilePolicy(definition, base, envs.household));
  }
  checkSupersedes(policyDefinitions);
  const allExpressions = [
    ...[...variables.values()].map((v) => v.formula),
    ...policies.flatMap((p) => [
      ...p.conditions.map((c) => c.expression),
      ...(p.amount ? [p.amount.formula] : []),
    ]),
  ];
  allExpressions.push(...indicators.flatMap((m) => expressionsOf(m)));
  const localSlots = Math.max(0, ...allExpressions.map((e) => e.localSlots));
  return { ...base, policies, indicators, localSlots };
}
