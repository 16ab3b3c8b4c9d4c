/** Request and response schemas of the alert loop (they also make the OpenAPI document). */
import { Type } from 'typebox';
import { Departments } from '../access/permissions.ts';
import { pageFields } from '../registry/registry.schemas.ts';
import { Actions, Colours, HandlingKinds, Outcomes, RequestCategories, Statuses } from './loop.ts';

const IsoDate = Type.String({ format: 'date' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const OneOf = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const RaiseBody = Type.Object(
  {
    householdId: Type.Optional(
      Type.String({ format: 'uuid', description: '工作人员上报时必填；群众本人点单时不填' }),
    ),
    category: OneOf(RequestCategories),
    description: Text(1000),
    colour: Type.Optional(OneOf(Colours)),
  },
  { additionalProperties: false },
);

export const ActionBody = Type.Object(
  {
    version: Type.Integer({
      minimum: 1,
      maximum: 2_000_000_000,
      description: '您看到的预警版本号（乐观并发）',
    }),
    action: OneOf(Actions),
    handling: Type.Optional(OneOf(HandlingKinds)),
    policyId: Type.Optional(Type.String({ pattern: '^[a-z][A-Za-z0-9]{0,59}$' })),
    referralDepartment: Type.Optional(OneOf(Departments)),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    outcome: Type.Optional(OneOf(Outcomes)),
  },
  { additionalProperties: false },
);

export const AlertQuery = Type.Object(
  {
    ...pageFields(100),
    status: Type.Optional(OneOf(Statuses)),
    colour: Type.Optional(OneOf(Colours)),
    department: Type.Optional(Type.String({ pattern: '^[a-z][A-Za-z]{1,40}$' })),
    regionCode: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })),
    householdId: Type.Optional(Type.String({ format: 'uuid' })),
    overdue: Type.Optional(Type.Boolean()),
    mine: Type.Optional(Type.Boolean({ description: '只看本人可接单、办理的' })),
  },
  { additionalProperties: false },
);

export const Alert = Type.Object(
  {
    id: Type.String(),
    householdId: Nullable(Type.String()),
    householdNumber: Nullable(Type.String()),
    headName: Nullable(Type.String()),
    regionCode: Type.String(),
    regionName: Nullable(Type.String()),
    cause: Type.String(),
    causeZh: Type.String(),
    origin: Type.String(),
    colour: Type.String(),
    score: Nullable(Type.Number()),
    summaryZh: Type.String(),
    status: Type.String(),
    statusZh: Type.String(),
    requestCategory: Nullable(Type.String()),
    requestText: Nullable(Type.String()),
    raisedByName: Nullable(Type.String()),
    leadDepartment: Nullable(Type.String()),
    supportingDepartments: Type.Array(Type.String()),
    dispatchRule: Nullable(Type.String()),
    responsibleRegionCode: Nullable(Type.String()),
    dispatchedOn: Nullable(IsoDate),
    acceptDueOn: Nullable(IsoDate),
    handleDueOn: Nullable(IsoDate),
    overdue: Type.Boolean(),
    escalationLevel: Type.Integer(),
    /** The handling clock after acceptance: green, yellow (80% of the working days used), red (overdue). */
    handleDueStatus: Nullable(
      Type.Union([Type.Literal('green'), Type.Literal('yellow'), Type.Literal('red')]),
    ),
    handleFromOn: Nullable(IsoDate),
    handleWorkingDays: Nullable(Type.Integer()),
    handleUsedWorkingDays: Nullable(Type.Integer()),
    handleEscalationLevel: Type.Integer(),
    handleEscalatedTo: Nullable(Type.String()),
    acceptedByName: Nullable(Type.String()),
    acceptedOn: Nullable(IsoDate),
    handling: Nullable(Type.String()),
    intakeCaseId: Nullable(Type.String()),
    referralDepartment: Nullable(Type.String()),
    handlingNote: Nullable(Type.String()),
    feedback: Nullable(Type.String()),
    outcome: Nullable(Type.String()),
    closeReason: Nullable(Type.String()),
    raiseCount: Type.Integer(),
    firstRaisedAt: Type.String(),
    lastRaisedAt: Type.String(),
    closedAt: Nullable(Type.String()),
    version: Type.Integer(),
    /** What the signed-in user may do now (the server checks again on every action). */
    allowedActions: Type.Array(Type.String()),
  },
  { $id: 'Alert' },
);

export const AlertEvent = Type.Object({
  seq: Type.String(),
  at: Type.String(),
  action: Type.String(),
  fromStatus: Nullable(Type.String()),
  toStatus: Nullable(Type.String()),
  detail: Nullable(Type.Record(Type.String(), Type.Unknown())),
  actorName: Type.String(),
});

export const AlertDetail = Type.Object(
  {
    alert: Type.Ref('Alert'),
    evidence: Type.Array(Type.Unknown()),
    events: Type.Array(AlertEvent),
  },
  { $id: 'AlertDetail' },
);

export const RaiseResult = Type.Object({
  alert: Type.Ref('Alert'),
  /** true: the same request again (same key) or an open request for this household got one more report. */
  replayed: Type.Boolean(),
  merged: Type.Boolean(),
});

export const AlertReminder = Type.Object({
  id: Type.String(),
  alertId: Type.String(),
  kind: Type.Union([
    Type.Literal('acceptEscalated'),
    Type.Literal('handleDueSoon'),
    Type.Literal('handleEscalated'),
  ]),
  message: Type.String(),
  dueOn: Nullable(IsoDate),
  regionCode: Type.String(),
  department: Nullable(Type.String()),
  createdAt: Type.String(),
});

export const alertSchemas = [Alert, AlertDetail];
