/** TypeBox schemas of the screening (政策找人) API: validation, response shape, OpenAPI, web types. */
import { Type } from 'typebox';
import { RegionCode } from '../../http/schemas.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
export const PolicyId = Type.String({
  pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$',
  description: 'policy id, e.g. dibao',
});

export const ScreeningRun = Type.Object(
  {
    id: Type.String(),
    regionCode: Type.String(),
    onDate: Type.String(),
    catalogVersion: Nullable(Type.String()),
    status: Type.Union([
      Type.Literal('queued'),
      Type.Literal('running'),
      Type.Literal('done'),
      Type.Literal('failed'),
    ]),
    startedBy: Type.String(),
    total: Type.Integer(),
    processed: Type.Integer(),
    householdsFound: Nullable(Type.Integer()),
    pairsFound: Nullable(Type.Integer()),
    pairsNewly: Nullable(Type.Integer()),
    policies: Type.Array(
      Type.Object({
        policyId: Type.String(),
        name: Type.String(),
        nameEn: Type.String(),
        eligible: Type.Integer(),
        newly: Type.Integer(),
        needsInfo: Type.Integer(),
        amountFen: Type.Integer(),
        errors: Type.Integer(),
      }),
      { description: 'Per policy: households found (eligible, not receiving), newly, needing information' },
    ),
    error: Nullable(Type.String()),
    attempts: Type.Integer(),
    createdAt: Type.String(),
    startedAt: Nullable(Type.String()),
    finishedAt: Nullable(Type.String()),
    durationMs: Nullable(Type.Integer()),
  },
  { $id: 'ScreeningRun' },
);

export const ScreeningResult = Type.Object(
  {
    householdId: Type.String(),
    householdNumber: Type.String(),
    regionCode: Type.String(),
    villageName: Type.String(),
    townshipName: Type.String(),
    address: Type.String(),
    headName: Nullable(Type.String()),
    headIdNumberMasked: Nullable(Type.String()),
    policies: Type.Array(
      Type.Object({ policyId: Type.String(), amountFen: Nullable(Type.Integer()), newly: Type.Boolean() }),
    ),
    needsInformation: Type.Array(Type.String()),
    monthlyTotalFen: Type.Integer({ description: 'sum of the monthly (fen/month) amounts found' }),
  },
  { $id: 'ScreeningResult' },
);

const PrescriptionItem = Type.Object({
  order: Type.Integer(),
  policyId: Type.String(),
  name: Type.String(),
  nameEn: Type.String(),
  group: Type.Integer({ description: '1 basic livelihood, 2 special aid, 3 services, 4 monitoring' }),
  groupLabel: Type.String(),
  category: Type.String(),
  department: Type.String(),
  amountFen: Nullable(Type.Integer()),
  amountUnit: Nullable(Type.String()),
  why: Type.String({ description: 'the trace in Chinese' }),
  documents: Type.Array(Type.String()),
  office: Type.String(),
  phone: Type.String(),
  timeLimitWorkingDays: Nullable(Type.Integer()),
});

export const ScreeningHousehold = Type.Object(
  {
    run: Type.Ref('ScreeningRun'),
    household: Type.Ref('ScreeningResult'),
    catalogVersion: Type.String(),
    catalogChanged: Type.Boolean({ description: 'the catalogue in force differs from the run’s' }),
    economySource: Nullable(Type.Union([Type.Literal('declared'), Type.Literal('approved')])),
    economyAsOf: Nullable(Type.String()),
    policies: Type.Array(
      Type.Object({
        policyId: Type.String(),
        name: Type.String(),
        nameEn: Type.String(),
        status: Type.Union([
          Type.Literal('eligible'),
          Type.Literal('ineligible'),
          Type.Literal('needsInformation'),
          Type.Literal('error'),
        ]),
        receiving: Type.Boolean(),
        amountFen: Nullable(Type.Integer()),
        amountUnit: Nullable(Type.String()),
        missingFacts: Type.Array(Type.String()),
        traceZh: Type.String(),
      }),
    ),
    prescription: Type.Object({
      items: Type.Array(PrescriptionItem),
      needsInformation: Type.Array(
        Type.Object({ policyId: Type.String(), name: Type.String(), missing: Type.Array(Type.String()) }),
      ),
    }),
  },
  { $id: 'ScreeningHousehold' },
);

export const StartRunBody = Type.Object(
  {
    regionCode: Type.Optional(RegionCode),
    onDate: Type.Optional(Type.String({ format: 'date', description: 'YYYY-MM-DD; default today' })),
  },
  { additionalProperties: false },
);

export const ResultsQuery = Type.Object(
  {
    regionCode: Type.Optional(RegionCode),
    policy: Type.Optional(PolicyId),
    newly: Type.Optional(Type.Boolean()),
    kind: Type.Optional(Type.Union([Type.Literal('eligible'), Type.Literal('needsInfo')])),
    page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
    pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
  },
  { additionalProperties: false },
);

export const screeningSchemas = [ScreeningRun, ScreeningResult, ScreeningHousehold];
