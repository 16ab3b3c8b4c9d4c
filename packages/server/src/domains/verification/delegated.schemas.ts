/** Request and response schemas of delegated verification and the estate inquiry (OpenAPI too). */
import { Type } from 'typebox';
import { MAX_SUBJECTS, SubjectRelationships } from './delegated.service.ts';
import { AUTH_FILE_MAX } from './delegatedShared.ts';
import { HeirRelationships } from './estate.service.ts';

const NStr = Type.Union([Type.String(), Type.Null()]);
const NNum = Type.Union([Type.Number(), Type.Null()]);
const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);
const Bilingual = Type.Object({ zh: Type.String(), en: Type.String() });
const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));

export const ById = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ maxLength: 200, description: '8到100位字母、数字或 ._:-；重试时用同一个值' }),
  ),
});

// Lengths in the schema are generous bounds (the service gives the Chinese message for each field).
const Authorisation = Type.Object(
  {
    reference: Type.String({ maxLength: 400, description: '授权书编号' }),
    signedOn: Type.String({ maxLength: 20, description: '签署日期 YYYY-MM-DD' }),
    fileBase64: Type.Optional(
      Type.String({
        maxLength: Math.ceil((AUTH_FILE_MAX * 4) / 3) + 8,
        description: '授权书扫描件（PDF/JPEG/PNG）',
      }),
    ),
  },
  { additionalProperties: false },
);

export const DelegatedBody = Type.Object(
  {
    purpose: Type.String({ maxLength: 200 }),
    subjects: Type.Array(
      Type.Object(
        {
          idNumber: Type.String({ maxLength: 30 }),
          name: Type.String({ maxLength: 200 }),
          relationship: literals(SubjectRelationships),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: MAX_SUBJECTS },
    ),
    authorisation: Authorisation,
    reference: Type.Optional(Type.String({ maxLength: 400 })),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const Purpose = Type.Object({
  id: Type.String(),
  name: Bilingual,
  departments: Type.Array(Type.String()),
  validDays: Type.Integer(),
  sources: Type.Array(
    Type.Object({
      source: Type.String(),
      label: Type.String(),
      labelEn: Type.String(),
      fields: Type.Array(Type.String()),
    }),
  ),
  legal: Type.Array(Type.String()),
});

const Subject = Type.Object({
  name: Type.String(),
  idNumberMasked: Type.String(),
  relationship: Type.String(),
});
const Status = Type.Union([Type.Literal('requested'), Type.Literal('completed'), Type.Literal('refused')]);

export const DelegatedRequest = Type.Object({
  id: Type.String(),
  purpose: Type.String(),
  purposeName: Bilingual,
  department: Type.String(),
  regionCode: Type.String(),
  subjects: Type.Array(Subject),
  reference: NStr,
  note: NStr,
  authorisation: Type.Object({ reference: Type.String(), signedOn: Type.String(), fileType: NStr }),
  status: Status,
  asOf: NStr,
  expiresOn: NStr,
  expired: Type.Boolean(),
  resultPurgedOn: NStr,
  refusalReason: NStr,
  decidedByName: NStr,
  decidedAt: NStr,
  requestedByName: Type.String(),
  requestedAt: Type.String(),
});
export const FiledRequest = Type.Intersect([DelegatedRequest, Type.Object({ replayed: Type.Boolean() })]);

export const ListQuery = Type.Object(
  {
    status: Type.Optional(Status),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);

const Field = Type.Object({
  name: Type.String(),
  label: Type.String(),
  labelEn: Type.String(),
  value: Scalar,
  text: Type.String(),
  textEn: Type.String(),
});

export const DelegatedResult = Type.Object({
  request: DelegatedRequest,
  result: Type.Object({
    purpose: Type.String(),
    purposeName: Bilingual,
    legal: Type.Array(Type.String()),
    asOf: Type.String(),
    subjects: Type.Array(
      Type.Object({
        name: Type.String(),
        idNumberMasked: Type.String(),
        relationship: Type.String(),
        sources: Type.Array(
          Type.Object({
            source: Type.String(),
            label: Type.String(),
            labelEn: Type.String(),
            lastAsOf: NStr,
            records: Type.Array(
              Type.Object({
                department: Type.String(),
                validFrom: Type.String(),
                seenAsOf: Type.String(),
                nameMismatch: Type.Boolean(),
                fields: Type.Array(Field),
              }),
            ),
          }),
        ),
      }),
    ),
  }),
});

export const CompleteBody = Type.Object(
  { asOf: Type.Optional(Type.String({ maxLength: 20 })) },
  { additionalProperties: false },
);
export const RefuseBody = Type.Object(
  { reason: Type.String({ maxLength: 2000 }) },
  { additionalProperties: false },
);

export const AccessLog = Type.Array(
  Type.Object({
    id: Type.String(),
    action: Type.String(),
    actorName: Type.String(),
    actorRole: Type.String(),
    actorDepartment: NStr,
    accessedAt: Type.String(),
  }),
);

export const EstateBody = Type.Object(
  {
    deceased: Type.Object(
      { idNumber: Type.String({ maxLength: 30 }), name: Type.String({ maxLength: 200 }) },
      { additionalProperties: false },
    ),
    deathCertificate: Type.Optional(Type.String({ maxLength: 400 })),
    heir: Type.Object(
      {
        idNumber: Type.String({ maxLength: 30 }),
        name: Type.String({ maxLength: 200 }),
        relationship: literals(HeirRelationships),
      },
      { additionalProperties: false },
    ),
    notarisedReference: Type.Optional(Type.String({ maxLength: 400 })),
    authorisation: Authorisation,
  },
  { additionalProperties: false },
);

export const EstateSummary = Type.Object({
  id: Type.String(),
  documentNumber: Type.String(),
  status: Type.Union([Type.Literal('issued'), Type.Literal('refused')]),
  refusalReason: NStr,
  refusalReasonEn: NStr,
  deceased: Type.Object({ name: Type.String(), idNumberMasked: Type.String(), deathDate: NStr }),
  heir: Type.Object({
    name: Type.String(),
    idNumberMasked: Type.String(),
    relationship: Type.String(),
    kinshipBasis: NStr,
    notarisedReference: NStr,
  }),
  deathCertificate: NStr,
  deathEvidence: Type.Array(Type.Object({ kind: Type.String(), date: Type.String(), department: NStr })),
  authorisation: Type.Object({ reference: Type.String(), signedOn: Type.String() }),
  requestedByName: Type.String(),
  requestedAt: Type.String(),
});
export const FiledEstate = Type.Intersect([EstateSummary, Type.Object({ replayed: Type.Boolean() })]);

export const EstateInquiry = Type.Intersect([
  EstateSummary,
  Type.Object({
    report: Type.Union([
      Type.Object({
        asOf: Type.String(),
        issuedOn: Type.String(),
        sections: Type.Array(
          Type.Object({
            key: Type.String(),
            label: Type.String(),
            labelEn: Type.String(),
            sources: Type.Array(
              Type.Object({
                source: Type.String(),
                label: Type.String(),
                labelEn: Type.String(),
                lastAsOf: NStr,
                afterDeath: NStr,
              }),
            ),
            total: NNum,
            items: Type.Array(
              Type.Object({
                source: Type.String(),
                label: Type.String(),
                labelEn: Type.String(),
                department: Type.String(),
                validFrom: Type.String(),
                seenAsOf: Type.String(),
                afterDeath: Type.Boolean(),
                fields: Type.Array(Field),
              }),
            ),
          }),
        ),
        notes: Type.Array(Bilingual),
      }),
      Type.Null(),
    ]),
  }),
]);
