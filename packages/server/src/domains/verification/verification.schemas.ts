/** Request and response schemas of the verification routes (also the OpenAPI document). */
import { Type } from 'typebox';
import { FIGURES } from './figures.ts';
import { REASON_MAX } from './reconcile.service.ts';
import { SupporterRelationships } from './supporters.service.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const NStr = Nullable(Type.String());
const NNum = Type.Union([Type.Number(), Type.Null()]);
const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);

export const ById = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const AsOfQuery = Type.Object(
  { asOf: Type.Optional(Type.String({ maxLength: 20, description: '核对截止日期 YYYY-MM-DD，默认今天' })) },
  { additionalProperties: false },
);

const ParameterRef = Type.Object({
  name: Type.String(),
  description: Type.String(),
  value: Type.Number(),
  unit: Type.String(),
  effectiveDate: Type.String(),
  regionPrefix: NStr,
  reference: Type.String(),
});

const Income = Type.Object({
  wageIncome: Type.Integer(),
  wageYear: NNum,
  pensionIncome: Type.Integer(),
  exemptPension: Type.Integer(),
  transferIncome: Type.Integer(),
});
const Assets = Type.Object({
  deposits: Type.Integer(),
  securities: Type.Integer(),
  insurance: Type.Integer(),
  total: Type.Integer(),
});

export const VerificationReport = Type.Object({
  documentNumber: Type.String(),
  asOf: Type.String(),
  household: Type.Object({
    id: Type.String(),
    householdNumber: Type.String(),
    regionCode: Type.String(),
    regionName: Type.String(),
    townshipName: NStr,
    address: Type.String(),
    urban: Type.Boolean(),
  }),
  sourcesLoaded: Type.Array(
    Type.Object({
      source: Type.String(),
      label: Type.String(),
      labelEn: Type.String(),
      lastAsOf: Type.String(),
    }),
  ),
  persons: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      idNumberMasked: Type.String(),
      sex: Type.String(),
      birthDate: Type.String(),
      role: Type.Union([Type.Literal('member'), Type.Literal('supporter')]),
      relationship: Type.String(),
      income: Type.Union([Income, Type.Null()]),
      assets: Type.Union([Assets, Type.Null()]),
      records: Type.Array(
        Type.Object({
          id: Type.String(),
          source: Type.String(),
          sourceLabel: Type.String(),
          sourceLabelEn: Type.String(),
          department: Type.String(),
          recordKey: Type.String(),
          nameMismatch: Type.Boolean(),
          text: Type.String(),
          provenance: Type.Object({
            importId: Type.String(),
            fileName: NStr,
            via: NStr,
            importedAt: NStr,
            validFrom: Type.String(),
            seenAsOf: Type.String(),
          }),
        }),
      ),
    }),
  ),
  totals: Type.Object({
    wageIncome: Type.Integer(),
    pensionIncome: Type.Integer(),
    exemptIncome: Type.Integer(),
    transferIncome: Type.Integer(),
    financialAssets: Type.Integer(),
    housingUnits: Type.Integer(),
    vehicleCount: Type.Integer(),
    disabilityVehicles: Type.Integer(),
    businessCount: Type.Integer(),
  }),
  properties: Type.Array(
    Type.Object({
      personId: Type.String(),
      personName: Type.String(),
      certificateNumber: Scalar,
      location: Scalar,
      use: Scalar,
      useLabel: Type.String(),
      registeredOn: Scalar,
      areaM2: NNum,
    }),
  ),
  vehicles: Type.Array(
    Type.Object({
      personId: Type.String(),
      personName: Type.String(),
      plate: Scalar,
      kind: Scalar,
      kindLabel: Type.String(),
      brand: Scalar,
      purchasePriceFen: Scalar,
      registeredOn: Scalar,
    }),
  ),
  businessRoles: Type.Array(
    Type.Object({
      personId: Type.String(),
      personName: Type.String(),
      entityName: Scalar,
      creditCode: Scalar,
      entityType: Scalar,
      role: Scalar,
      roleLabel: Type.String(),
      registeredCapitalFen: Scalar,
      registeredOn: Scalar,
    }),
  ),
  flags: Type.Array(
    Type.Object({
      code: Type.String(),
      personId: NStr,
      text: Type.String(),
      textEn: Type.String(),
      parameter: ParameterRef,
      also: Type.Array(ParameterRef),
    }),
  ),
  notes: Type.Array(Type.Object({ zh: Type.String(), en: Type.String() })),
});

const FigureSource = Type.Union([
  Type.Literal('declared'),
  Type.Literal('homeVisit'),
  Type.Literal('verified'),
  Type.Literal('override'),
  Type.Null(),
]);
const Reconciled = Type.Object({
  name: Type.String(),
  label: Type.String(),
  labelEn: Type.String(),
  unit: Type.String(),
  declared: NNum,
  homeVisit: NNum,
  verified: NNum,
  highest: NNum,
  highestFrom: FigureSource,
  approved: NNum,
  approvedFrom: FigureSource,
  overrideReason: NStr,
});

export const Reconciliation = Type.Object({
  householdId: Type.String(),
  asOf: Type.String(),
  documentNumber: Type.String(),
  declaredAsOf: NStr,
  homeVisit: Type.Union([
    Type.Object({ visitedOn: Type.String(), investigators: Type.Array(Type.String()), note: NStr }),
    Type.Null(),
  ]),
  figures: Type.Array(Reconciled),
  approval: Type.Union([
    Type.Object({
      asOf: Type.String(),
      approvedBy: Type.String(),
      approvedAt: Type.String(),
      figures: Type.Array(Reconciled),
    }),
    Type.Null(),
  ]),
});

/** Figures by catalogue name; unknown names are refused by the service with a Chinese message. */
const FiguresBody = Type.Record(Type.String({ maxLength: 60 }), Type.Number(), {
  maxProperties: FIGURES.length,
});

export const StatementBody = Type.Object(
  {
    asOf: Type.String({ maxLength: 20 }),
    figures: FiguresBody,
    investigators: Type.Optional(Type.Array(Type.String({ maxLength: 50 }), { maxItems: 10 })),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const ApproveBody = Type.Object(
  {
    asOf: Type.String({ maxLength: 20 }),
    overrides: Type.Optional(
      Type.Record(
        Type.String({ maxLength: 60 }),
        Type.Object(
          // The reason's length is checked by the service (Chinese message naming the figure).
          { value: Type.Number(), reason: Type.String({ maxLength: REASON_MAX * 4 }) },
          { additionalProperties: false },
        ),
        { maxProperties: FIGURES.length },
      ),
    ),
  },
  { additionalProperties: false },
);

export const SupporterBody = Type.Object(
  {
    idNumber: Type.String({ maxLength: 30 }),
    relationship: Type.Union(SupporterRelationships.map((r) => Type.Literal(r))),
    validFrom: Type.Optional(Type.String({ maxLength: 20 })),
  },
  { additionalProperties: false },
);

export const Supporter = Type.Object({
  id: Type.String(),
  personId: Type.String(),
  name: NStr,
  idNumberMasked: NStr,
  relationship: Type.String(),
  validFrom: Type.String(),
  validTo: NStr,
});
