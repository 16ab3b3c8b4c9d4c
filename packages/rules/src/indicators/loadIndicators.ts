/**
 * The catalogue's hooks for indicator models: parse the files, declare each model's score variable
 * (so conditions and formulas can read `household.<variable>`), compile the models, and make the
 * score variables ordinary `CompiledVariable`s whose `run` scores the model. A policy or variable
 * that reads the score thus goes through the same dependency order, lazy computation and trace as
 * any other variable.
 */
import type { CompiledVariable } from '../catalog/types.ts';
import type { PreparedExpression } from '../cel/expression.ts';
import type { RuleLoadError } from '../errors.ts';
import { compileModel, directVariables, type ModelCompileContext } from './compileModel.ts';
import { type ModelDefinition, parseIndicatorModel } from './parseModel.ts';
import { scoreVariableRunner } from './score.ts';
import type { CompiledIndicatorModel } from './types.ts';

export interface ScoreVariableDeclaration {
  name: string;
  entity: 'household';
  type: 'int' | 'double';
  model: ModelDefinition;
}

/** Parses every model file; refuses two models with one id or one score variable name. */
export function parseIndicatorFiles(files: Record<string, string>): {
  definitions: ModelDefinition[];
  scoreVariables: ScoreVariableDeclaration[];
} {
  const definitions: ModelDefinition[] = [];
  const scoreVariables: ScoreVariableDeclaration[] = [];
  const ids = new Map<string, string>();
  const variables = new Map<string, string>();
  for (const [fileName, text] of Object.entries(files)) {
    const d = parseIndicatorModel(fileName, text);
    const previous = ids.get(d.id);
    if (previous)
      throw d.file.error(
        'duplicate_name',
        `indicator model ${d.id} is also defined in ${previous}`,
        d.file.root,
      );
    ids.set(d.id, fileName);
    definitions.push(d);
    if (d.variable) {
      const other = variables.get(d.variable.name);
      if (other)
        throw d.file.error(
          'duplicate_name',
          `score variable ${d.variable.name} is also exported by ${other}`,
          d.variable.node,
        );
      variables.set(d.variable.name, fileName);
      const averaged =
        d.scoring === 'perMemberAverage' ||
        d.groups.some((g) => g.items.some((i) => i.perMember && i.aggregation === 'average'));
      scoreVariables.push({
        name: d.variable.name,
        entity: 'household',
        type: averaged ? 'double' : 'int',
        model: d,
      });
    }
  }
  return { definitions, scoreVariables };
}

/** A name clash between a score variable and a fact, parameter or variable, located in the model file. */
export function scoreVariableClash(declaration: ScoreVariableDeclaration, other: string): RuleLoadError {
  const { model } = declaration;
  return model.file.error(
    'duplicate_name',
    `score variable ${declaration.name} has the same name as ${other}`,
    model.variable?.node,
  );
}

/**
 * Compiles the models and builds their score variables. `allVariableNames` holds the ordinary
 * variables and the score variables, so a model may read another model's score.
 */
export function compileIndicators(
  definitions: ModelDefinition[],
  ctx: ModelCompileContext,
): { models: CompiledIndicatorModel[]; scoreVariables: CompiledVariable[] } {
  const models = definitions.map((d) => compileModel(d, ctx));
  const scoreVariables: CompiledVariable[] = [];
  for (const model of models) {
    if (!model.variable) continue;
    const expressions = model.groups.flatMap((g) => g.items.map((i) => i.condition));
    const first = expressions[0] as PreparedExpression;
    // A PreparedExpression whose run scores the model; the rest describes it for traces.
    const formula: PreparedExpression = {
      ...first,
      source: `indicator model ${model.id} (${model.file})`,
      type: model.integerScore ? 'int' : 'double',
      run: scoreVariableRunner(model, ctx.limits.iterationBudget),
      localSlots: Math.max(0, ...expressions.map((e) => e.localSlots), model.members?.localSlots ?? 0),
      fieldNames: new Set(expressions.flatMap((e) => [...e.fieldNames])),
      parameters: new Set(expressions.flatMap((e) => [...e.parameters])),
    };
    scoreVariables.push({
      name: model.variable,
      entity: 'household',
      type: model.integerScore ? 'int' : 'double',
      unit: 'point',
      label: `${model.name.zh}得分`,
      ...(model.reference ? { reference: model.reference } : {}),
      file: model.file,
      formula,
      dependencies: directVariables(model, ctx.variableNames),
    });
  }
  return { models, scoreVariables };
}
