/** Request and response schemas of the intake API (they also make the OpenAPI document). */
import { Type } from 'typebox';
import { pageFields } from '../registry/registry.schemas.ts';
import { Offices } from './templates.ts';
import { Actions } from './transitions.ts';

const Id = Type.String({ pattern: '^[a-z][A-Za-z0-9]{0,59}$', maxLength: 60 });
const IsoDate = Type.String({ format: 'date' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const SubmitApplicationBody = Type.Object(
  {
    householdId: Type.String({ format: 'uuid' }),
    channel: Type.Union([Type.Literal('online'), Type.Literal('window'), Type.Literal('gridWorker')]),
    authorisation: Type.Optional(
      Type.Object(
        {
          agentName: Text(50),
          relationship: Text(50),
          document: Text(100),
          signedOn: IsoDate,
        },
        {
          additionalProperties: false,
          description: '代为申请的授权委托：代理人、与申请人关系、授权书、签署日期',
        },
      ),
    ),
    items: Type.Array(
      Type.Object(
        {
          policyId: Id,
          documents: Type.Optional(Type.Array(Id, { maxItems: 30, uniqueItems: true })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 10 },
    ),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
    staffRelative: Type.Optional(
      Type.Object(
        {
          memberName: Text(50),
          staffName: Text(50),
          post: Type.Union([Type.Literal('assistanceStaff'), Type.Literal('villageCommittee')]),
          relation: Text(20),
        },
        {
          additionalProperties: false,
          description:
            '近亲属备案：申请家庭成员是社会救助经办人员（assistanceStaff）或村（居）民委员会成员（villageCommittee）的近亲属',
        },
      ),
    ),
    residence: Type.Optional(
      Type.Object(
        {
          regionCode: Type.String({ pattern: '^[0-9]{12}$' }),
          permitNumber: Type.String({ minLength: 1, maxLength: 30 }),
        },
        {
          additionalProperties: false,
          description: '居住地申办：申请人居住的村（社区，须在本辖区）和居住证号码；本地须开展居住地申办',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

export const TransitionBody = Type.Object(
  {
    version: Type.Integer({
      minimum: 1,
      maximum: 2_000_000_000,
      description: '您看到的案件版本号（乐观并发）',
    }),
    action: Type.Union(Actions.map((a) => Type.Literal(a))),
    step: Id,
    outcome: Type.Optional(Id),
    documents: Type.Optional(Type.Array(Id, { maxItems: 30, uniqueItems: true })),
    investigators: Type.Optional(Type.Array(Text(50), { maxItems: 5 })),
    reason: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const HandoverBody = Type.Object(
  {
    toUsername: Type.String({ pattern: '^[A-Za-z0-9_.@-]{3,64}$' }),
    version: Type.Integer({ minimum: 1, maximum: 2_000_000_000 }),
  },
  { additionalProperties: false },
);

export const CaseQuery = Type.Object(
  {
    status: Type.Optional(
      Type.Union(
        ['open', 'awaitingApplicant', 'completed', 'refused', 'rejected', 'withdrawn'].map((s) =>
          Type.Literal(s),
        ),
      ),
    ),
    office: Type.Optional(Type.Union(Offices.map((o) => Type.Literal(o)))),
    dueStatus: Type.Optional(
      Type.Union([Type.Literal('green'), Type.Literal('yellow'), Type.Literal('red')]),
    ),
    regionCode: Type.Optional(Type.String({ pattern: '^[0-9]{2,12}$' })),
    flag: Type.Optional(
      Type.Union([Type.Literal('staffRelative'), Type.Literal('spotCheck')], {
        description: '只列带此标记的案件：staffRelative 为近亲属备案',
      }),
    ),
    ...pageFields(100),
  },
  { additionalProperties: false },
);

const Clock = Type.Object({
  startedOn: Type.String(),
  dueOn: Type.String(),
  workingDays: Type.Integer(),
  usedWorkingDays: Type.Integer(),
  dueStatus: Type.String({ description: 'green / yellow（已用80%）/ red（超期）' }),
});

export const IntakeCase = Type.Object(
  {
    id: Type.String(),
    applicationId: Type.String(),
    itemNo: Type.Integer(),
    householdId: Type.String(),
    regionCode: Type.String(),
    policyId: Type.String(),
    policyName: Type.String(),
    policyNameEn: Type.String(),
    templateId: Type.String(),
    templateName: Type.String(),
    templateNameEn: Type.String(),
    department: Nullable(Type.String()),
    status: Type.String(),
    currentStep: Nullable(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        nameEn: Type.String(),
        office: Type.String(),
        officeName: Type.String(),
        legalGround: Type.String(),
        outcomes: Type.Array(Type.String()),
        investigators: Type.Integer(),
        refusal: Nullable(Type.String()),
        documents: Type.Array(
          Type.Object({
            id: Type.String(),
            name: Type.String(),
            nameEn: Type.String(),
            from: Type.String(),
            recordedOn: Nullable(Type.String()),
          }),
        ),
        clock: Nullable(Clock),
      }),
    ),
    completedSteps: Type.Array(Type.String()),
    flags: Type.Array(Type.String()),
    receivedOn: Type.String(),
    caseDueOn: Type.String(),
    extendedReason: Nullable(Type.String()),
    outcomeReason: Nullable(Type.String()),
    version: Type.Integer(),
    closedAt: Nullable(Type.String()),
  },
  { $id: 'IntakeCase' },
);

export const IntakeCaseDetail = Type.Object(
  {
    ...IntakeCase.properties,
    documents: Type.Array(
      Type.Object({ id: Type.String(), name: Type.String(), step: Type.String(), recordedOn: Type.String() }),
    ),
    events: Type.Array(
      Type.Object({
        seq: Type.Integer(),
        at: Type.String(),
        onDate: Type.String(),
        action: Type.String(),
        fromStep: Nullable(Type.String()),
        fromStepName: Nullable(Type.String()),
        toStep: Nullable(Type.String()),
        toStepName: Nullable(Type.String()),
        outcome: Nullable(Type.String()),
        legalGround: Nullable(Type.String()),
        detail: Type.Record(Type.String(), Type.Unknown()),
        actorName: Type.String(),
        actorRole: Type.String(),
      }),
    ),
    steps: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        nameEn: Type.String(),
        office: Type.String(),
        workingDays: Type.Integer(),
      }),
    ),
  },
  { $id: 'IntakeCaseDetail' },
);

export const IntakeApplication = Type.Object(
  {
    id: Type.String(),
    householdId: Type.String(),
    regionCode: Type.String(),
    channel: Type.String(),
    authorisation: Nullable(Type.Record(Type.String(), Type.Unknown())),
    staffRelative: Nullable(Type.Record(Type.String(), Type.String(), { description: '近亲属备案' })),
    residence: Nullable(
      Type.Object(
        { permitNumber: Type.String(), hukouRegionCode: Type.String() },
        { description: '居住地申办：居住证号码和户籍所在地；regionCode 为居住地' },
      ),
    ),
    note: Nullable(Type.String()),
    receivedOn: Type.String(),
    submittedBy: Type.String(),
    ownerId: Type.String(),
    ownerName: Type.String(),
    version: Type.Integer(),
    createdAt: Type.String(),
    replayed: Type.Boolean({ description: '同一 Idempotency-Key 的重试：返回第一次提交的申请' }),
    cases: Type.Array(Type.Ref('IntakeCase')),
  },
  { $id: 'IntakeApplication' },
);

export const TransitionResult = Type.Object({
  result: Type.String({ description: 'moved / finished / returned / resumed / extended' }),
  missingDocuments: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), nameEn: Type.String() }),
  ),
  case: Type.Ref('IntakeCaseDetail'),
});

export const intakeSchemas = [IntakeCase, IntakeCaseDetail, IntakeApplication];
