/** TypeBox schemas of the what-if (政策测算) API: validation, response shape, OpenAPI, web types. */
import { Type } from 'typebox';
import { RegionCode } from '../../http/schemas.ts';
import { MAX_CHANGES } from './whatIf.changes.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const IsoDate = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD' });
const ParameterValue = Type.Union([Type.Number(), Type.String({ maxLength: 64 }), Type.Boolean()]);

export const ParametersQuery = Type.Object(
  { onDate: Type.Optional(IsoDate), regionCode: Type.Optional(RegionCode) },
  { additionalProperties: false },
);

export const WhatIfParameters = Type.Object({
  onDate: Type.String(),
  regionCode: Type.String(),
  catalogVersion: Type.String(),
  items: Type.Array(
    Type.Object({
      name: Type.String(),
      description: Type.String(),
      unit: Type.String(),
      type: Type.String(),
      reference: Type.String(),
      value: Nullable(ParameterValue),
      effectiveDate: Nullable(Type.String()),
      policies: Type.Array(Type.String()),
    }),
  ),
});

const Change = Type.Union([
  Type.Object(
    { scalePercent: Type.Number({ description: '按百分比调整，+5 即提高 5%' }) },
    { additionalProperties: false },
  ),
  // Any JSON value, checked against the parameter's type by the service: a typed union here would
  // let Ajv's type coercion turn `true` into 1 (or 1 into true) before anyone looked at it.
  Type.Object(
    { set: Type.Unknown({ description: '新值：数值（金额单位：分）、文字或是/否，须与参数类型一致' }) },
    { additionalProperties: false, required: ['set'] },
  ),
]);

export const StartWhatIfBody = Type.Object(
  {
    onDate: Type.Optional(IsoDate),
    regionCode: Type.Optional(RegionCode),
    changes: Type.Array(
      Type.Object(
        {
          parameter: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z][A-Za-z0-9_]*$' }),
          change: Change,
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: MAX_CHANGES },
    ),
  },
  { additionalProperties: false },
);

const Counts = {
  baselineEligible: Type.Integer(),
  scenarioEligible: Type.Integer(),
  newlyEligible: Type.Integer(),
  newlyIneligible: Type.Integer(),
  baselineAmountFen: Type.Integer(),
  scenarioAmountFen: Type.Integer(),
  changeFen: Type.Integer(),
  needsInformation: Type.Integer({ description: 'households the baseline could not decide (facts missing)' }),
};

const Totals = {
  households: Type.Integer(),
  householdsGaining: Type.Integer(),
  householdsLosing: Type.Integer(),
  householdsNeedingInformation: Type.Integer(),
  newlyEligible: Type.Integer(),
  newlyIneligible: Type.Integer(),
  monthlyBaselineFen: Type.Integer(),
  monthlyScenarioFen: Type.Integer(),
  monthlyChangeFen: Type.Integer(),
};

export const WhatIfRun = Type.Object({
  id: Type.String(),
  regionCode: Type.String(),
  onDate: Type.String(),
  catalogVersion: Type.String(),
  startedBy: Type.String(),
  changes: Type.Array(
    Type.Object({
      parameter: Type.String(),
      description: Type.String(),
      unit: Type.String(),
      change: Type.Union([
        Type.Object({ scalePercent: Type.Number() }),
        Type.Object({ set: ParameterValue }),
      ]),
    }),
  ),
  status: Type.Union([Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
  total: Type.Integer(),
  processed: Type.Integer(),
  createdAt: Type.String(),
  finishedAt: Nullable(Type.String()),
  durationMs: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  result: Nullable(
    Type.Object({
      summary: Type.Object(Totals),
      policies: Type.Array(
        Type.Object({
          policyId: Type.String(),
          name: Type.String(),
          nameEn: Type.String(),
          unit: Type.String({ description: 'fen/month, fen/year or fen (once)' }),
          ...Counts,
          townships: Type.Array(Type.Object({ regionCode: Type.String(), ...Counts })),
        }),
      ),
      townships: Type.Array(Type.Object({ regionCode: Type.String(), name: Type.String(), ...Totals })),
    }),
  ),
});
