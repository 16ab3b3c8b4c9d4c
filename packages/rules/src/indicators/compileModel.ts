/**
 * Checks an indicator model against the catalogue and compiles it: every condition type-checked as
 * bool (household items over `household`/`members`, per-member items over `member`), ids unique,
 * required facts declared, band bounds numbers or numeric parameters, and bands chained without
 * gaps or overlaps. Every failure is a RuleLoadError with file:line:column.
 */
import type { Environment } from '@marcbachmann/cel-js';
import { closure } from '../catalog/dependencies.ts';
import { type FactSchema, parseFactReference } from '../catalog/facts.ts';
import { type PreparedExpression, prepareExpression } from '../cel/expression.ts';
import type { ExpressionLimits } from '../cel/limits.ts';
import type { Parameter } from '../parameters/parameter.ts';
import type { BandDefinition, BoundSource, ModelDefinition } from './parseModel.ts';
import type { CompiledBand, CompiledIndicatorGroup, CompiledIndicatorModel } from './types.ts';

export interface ModelCompileContext {
  facts: FactSchema;
  parameters: ReadonlyMap<string, Parameter>;
  /** Every variable name (facts' namespace shared) and its direct dependencies. */
  variableNames: ReadonlySet<string>;
  envs: Record<'household' | 'member', Environment>;
  limits: ExpressionLimits;
}

const boundKey = (b: BoundSource | undefined) =>
  b === undefined ? undefined : 'value' in b ? `n:${b.value}` : `p:${b.parameter}`;
const showBound = (b: BoundSource) => ('value' in b ? String(b.value) : b.parameter);

/**
 * Bands must tile the number line: one band open below, one open above, and every `below` equal to
 * exactly one other band's `min` (the same number, or the same parameter). Checked on the bounds
 * as written, so it holds for parameter bounds too; their numeric order is checked when resolved.
 */
function checkBands(d: ModelDefinition, ctx: ModelCompileContext): void {
  const { file, bands } = d;
  for (const band of bands) {
    for (const b of [band.min, band.below]) {
      if (b && 'parameter' in b) {
        const p = ctx.parameters.get(b.parameter);
        if (!p)
          throw file.error('unknown_parameter', `band bound ${b.parameter} is not a parameter`, band.node);
        if (p.type !== 'int' && p.type !== 'double')
          throw file.error('bad_type', `band bound ${b.parameter} is a ${p.type}, not a number`, band.node);
      }
    }
    if (
      band.min &&
      band.below &&
      'value' in band.min &&
      'value' in band.below &&
      band.min.value >= band.below.value
    )
      throw file.error(
        'bad_band',
        `band ${band.label}: min ${band.min.value} is not below ${band.below.value}`,
        band.node,
      );
  }
  const openBelow = bands.filter((b) => !b.min);
  const openAbove = bands.filter((b) => !b.below);
  if (openBelow.length !== 1)
    throw file.error(
      openBelow.length === 0 ? 'band_gap' : 'band_overlap',
      `exactly one band must have no min (lowest scores); found ${openBelow.length}`,
      (openBelow[1] ?? (bands[0] as BandDefinition)).node,
    );
  if (openAbove.length !== 1)
    throw file.error(
      openAbove.length === 0 ? 'band_gap' : 'band_overlap',
      `exactly one band must have no below (highest scores); found ${openAbove.length}`,
      (openAbove[1] ?? (bands[0] as BandDefinition)).node,
    );
  const byMin = new Map<string, BandDefinition>();
  for (const band of bands) {
    const key = boundKey(band.min);
    if (key === undefined) continue;
    if (byMin.has(key))
      throw file.error('band_overlap', `two bands start at ${showBound(band.min as BoundSource)}`, band.node);
    byMin.set(key, band);
  }
  // Walk the chain from the lowest band; it must visit every band once.
  let current = openBelow[0] as BandDefinition;
  const visited = new Set([current]);
  while (current.below) {
    const next = byMin.get(boundKey(current.below) as string);
    if (!next)
      throw file.error(
        'band_gap',
        `band ${current.label} ends below ${showBound(current.below)} but no band starts there`,
        current.node,
      );
    if (visited.has(next))
      throw file.error('band_overlap', `bands loop at ${showBound(current.below)}`, next.node);
    visited.add(next);
    current = next;
  }
  const stray = bands.find((b) => !visited.has(b));
  if (stray) throw file.error('band_overlap', `band ${stray.label} overlaps the others`, stray.node);
}

/** Compiles one model (its variable closure is filled in by `finishModel` once variables are ordered). */
export function compileModel(d: ModelDefinition, ctx: ModelCompileContext): CompiledIndicatorModel {
  const { file } = d;
  const ids = new Set<string>();
  const unique = (id: string, node: BandDefinition['node'], what: string) => {
    if (ids.has(id)) throw file.error('duplicate_name', `${what} ${id} appears twice in this model`, node);
    ids.add(id);
  };
  let integerScore = d.scoring === 'total';
  const groups: CompiledIndicatorGroup[] = d.groups.map((g) => {
    unique(g.id, g.node, 'group');
    return {
      id: g.id,
      label: g.label,
      ...(g.max === undefined ? {} : { max: g.max }),
      ...(g.min === undefined ? {} : { min: g.min }),
      items: g.items.map((item) => {
        unique(item.id, item.node, 'item');
        if (item.perMember && item.aggregation === 'average') integerScore = false;
        const condition = prepareExpression(
          item.perMember ? ctx.envs.member : ctx.envs.household,
          item.condition,
          ['bool'],
          ctx.limits,
        );
        const requires = item.requires.map((r) => {
          const decl = parseFactReference(ctx.facts, r.reference, (m) =>
            file.error('bad_required_fact', m, r.node),
          );
          if (decl.entity === 'member' && !item.perMember)
            throw file.error(
              'bad_required_fact',
              `${r.reference}: member facts need perMember: true`,
              r.node,
            );
          return decl;
        });
        return {
          id: item.id,
          label: item.label,
          points: item.points,
          perMember: item.perMember,
          aggregation: item.aggregation,
          condition,
          requires,
        };
      }),
    };
  });
  checkBands(d, ctx);
  const members = d.members ? prepareExpression(ctx.envs.member, d.members, ['bool'], ctx.limits) : undefined;
  const bands: CompiledBand[] = d.bands.map((b) => ({
    alertColor: b.alertColor,
    label: b.label,
    ...(b.min ? { min: b.min } : {}),
    ...(b.below ? { below: b.below } : {}),
  }));
  const parameters = new Set<string>();
  for (const b of bands)
    for (const x of [b.min, b.below]) if (x && 'parameter' in x) parameters.add(x.parameter);
  for (const e of expressionsOf({ groups, members })) for (const p of e.parameters) parameters.add(p);
  return {
    id: d.id,
    name: d.name,
    version: d.version,
    ...(d.notes === undefined ? {} : { notes: d.notes }),
    ...(d.reference === undefined ? {} : { reference: d.reference }),
    file: file.file,
    ...(d.variable ? { variable: d.variable.name } : {}),
    ...(members ? { members } : {}),
    scoring: d.scoring,
    integerScore,
    groups,
    bands,
    variables: [],
    parameters: [...parameters].sort(),
  };
}

/** Every expression of a model: the member filter and each item's condition. */
export function expressionsOf(
  model: Pick<CompiledIndicatorModel, 'groups' | 'members'>,
): PreparedExpression[] {
  return [
    ...(model.members ? [model.members] : []),
    ...model.groups.flatMap((g) => g.items.map((i) => i.condition)),
  ];
}

/** Variables a model reads directly (before ordering). */
export function directVariables(model: CompiledIndicatorModel, variableNames: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  for (const e of expressionsOf(model)) for (const n of e.fieldNames) if (variableNames.has(n)) out.add(n);
  return [...out].sort();
}

/** Fills in the variable closure and the parameters those variables read. */
export function finishModel(
  model: CompiledIndicatorModel,
  dependencies: ReadonlyMap<string, readonly string[]>,
  order: readonly string[],
  parametersOf: (variable: string) => Iterable<string>,
): CompiledIndicatorModel {
  const variables = closure(directVariables(model, new Set(dependencies.keys())), dependencies, order);
  const parameters = new Set(model.parameters);
  for (const v of variables) for (const p of parametersOf(v)) parameters.add(p);
  return { ...model, variables, parameters: [...parameters].sort() };
}
