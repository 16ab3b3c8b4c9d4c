/** TypeBox schemas of the registry API: request validation, response shape, OpenAPI and web types. */
import { Type } from 'typebox';
import { RegionCode } from '../../http/schemas.ts';
import { AttributeKinds, Categories, Relationships } from './registry.model.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });

export const RelationshipSchema = Type.Union(
  Relationships.map((r) => Type.Literal(r)),
  { $id: 'Relationship' },
);
export const CategorySchema = Type.Union(
  Categories.map((c) => Type.Literal(c)),
  { $id: 'AssistanceCategory' },
);
export const AttributeKindSchema = Type.Union(
  AttributeKinds.map((k) => Type.Literal(k)),
  { $id: 'AttributeKind' },
);

const PersonOut = {
  id: Type.String(),
  name: Type.String(),
  idNumberMasked: Type.String({ description: '420921********1234' }),
  birthDate: Type.String(),
  sex: Type.Union([Type.Literal('male'), Type.Literal('female')]),
  phoneMasked: Nullable(Type.String({ description: '138****5678' })),
  hukouRegionCode: Nullable(Type.String()),
  residenceRegionCode: Nullable(Type.String()),
  householdId: Nullable(Type.String()),
  householdNumber: Nullable(Type.String()),
  relationshipToHead: Type.Ref('Relationship'),
  regionCode: Type.String(),
  deathDate: Nullable(Type.String()),
  mergedInto: Nullable(Type.String()),
  version: Type.Integer(),
};

export const Person = Type.Object(PersonOut, { $id: 'Person' });

export const Attribute = Type.Object(
  {
    id: Type.String(),
    personId: Type.String(),
    kind: Type.Ref('AttributeKind'),
    value: Type.Record(Type.String(), Type.Unknown(), {
      description:
        'healthCondition {status} | disability {type, grade 1–4, certificateNumber?} | seriousIllness {diagnosis, icd10?, diagnosedOn?} | workCapacity {capacity} | employment {status, formal?, employerName?} | schooling {stage, schoolName?} | careDependency {eating, dressing, bedTransfer, toilet, walkingIndoors, bathing: boolean (true = unaided)}',
    }),
    validFrom: Type.String(),
    validTo: Nullable(Type.String()),
    recordedAt: Type.String(),
    recordedBy: Nullable(Type.String()),
  },
  { $id: 'PersonAttribute' },
);

export const CategoryRecord = Type.Object(
  {
    id: Type.String(),
    householdId: Type.String(),
    category: Type.Ref('AssistanceCategory'),
    validFrom: Type.String(),
    validTo: Nullable(Type.String()),
    monthlyAmountFen: Nullable(Type.Integer()),
    endReason: Nullable(Type.String()),
    recordedAt: Type.String(),
  },
  { $id: 'HouseholdCategory' },
);

export const Transfer = Type.Object(
  {
    id: Type.String(),
    kind: Type.Union([
      Type.Literal('join'),
      Type.Literal('transfer'),
      Type.Literal('leave'),
      Type.Literal('relationship'),
    ]),
    fromHouseholdId: Nullable(Type.String()),
    toHouseholdId: Nullable(Type.String()),
    relationshipToHead: Nullable(Type.String()),
    movedOn: Type.String(),
    reason: Nullable(Type.String()),
    recordedAt: Type.String(),
  },
  { $id: 'PersonTransfer' },
);

export const PersonDetail = Type.Object(
  {
    ...PersonOut,
    attributes: Type.Array(Type.Ref('PersonAttribute')),
    transfers: Type.Array(Type.Ref('PersonTransfer')),
  },
  { $id: 'PersonDetail' },
);

const HouseholdFields = {
  id: Type.String(),
  householdNumber: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  townshipName: Nullable(Type.String()),
  address: Type.String(),
  urban: Type.Boolean(),
  headPersonId: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
};

export const HouseholdDetail = Type.Object(
  {
    ...HouseholdFields,
    asOf: Type.String({ description: 'Members, attributes and categories are those in force on this date' }),
    headPersonIdAsOf: Nullable(Type.String()),
    members: Type.Array(
      Type.Object({
        ...PersonOut,
        memberSince: Nullable(Type.String()),
        ageOnDate: Type.Integer(),
        attributes: Type.Array(Type.Ref('PersonAttribute')),
      }),
    ),
    categories: Type.Array(Type.Ref('HouseholdCategory')),
    categoryHistory: Type.Array(Type.Ref('HouseholdCategory')),
  },
  { $id: 'HouseholdDetail' },
);

export const HouseholdListItem = Type.Object(
  {
    id: Type.String(),
    householdNumber: Type.String(),
    regionCode: Type.String(),
    regionName: Type.String(),
    address: Type.String(),
    urban: Type.Boolean(),
    version: Type.Integer(),
    head: Nullable(Type.Object({ id: Type.String(), name: Type.String(), idNumberMasked: Type.String() })),
    memberCount: Type.Integer(),
    categories: Type.Array(Type.Ref('AssistanceCategory')),
  },
  { $id: 'HouseholdListItem' },
);

export const registrySchemas = [
  RelationshipSchema,
  CategorySchema,
  AttributeKindSchema,
  Person,
  Attribute,
  CategoryRecord,
  Transfer,
  PersonDetail,
  HouseholdDetail,
  HouseholdListItem,
];

const PersonFields = {
  name: Type.String({ minLength: 1, maxLength: 100, description: '1–50 characters (code points)' }),
  idNumber: Type.String({ minLength: 1, maxLength: 30 }),
  birthDate: Type.Optional(IsoDate),
  sex: Type.Optional(Type.Union([Type.Literal('male'), Type.Literal('female')])),
  phone: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
  hukouRegionCode: Type.Optional(RegionCode),
  residenceRegionCode: Type.Optional(RegionCode),
};

export const PersonInput = Type.Object(
  { ...PersonFields, relationshipToHead: Type.Ref('Relationship') },
  { additionalProperties: false },
);

export const CreateHouseholdBody = Type.Object(
  {
    householdNumber: Type.String({ pattern: '^[0-9A-Za-z-]{1,40}$' }),
    regionCode: RegionCode,
    address: Type.String({ minLength: 1, maxLength: 200 }),
    urban: Type.Optional(Type.Boolean()),
    registeredOn: Type.Optional(IsoDate),
    head: Type.Object(PersonFields, { additionalProperties: false }),
    members: Type.Optional(Type.Array(PersonInput, { maxItems: 30 })),
  },
  { additionalProperties: false },
);

export const HouseholdQuery = {
  regionCode: Type.Optional(RegionCode),
  category: Type.Optional(Type.Ref('AssistanceCategory')),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  nameMode: Type.Optional(Type.Union([Type.Literal('prefix'), Type.Literal('contains')])),
  idNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
  phone: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  householdNumber: Type.Optional(
    Type.String({
      pattern: '^[0-9A-Za-z-]{1,40}$',
      description: '户号：默认前缀匹配；householdNumberMode=exact 精确匹配',
    }),
  ),
  householdNumberMode: Type.Optional(Type.Union([Type.Literal('prefix'), Type.Literal('exact')])),
  asOf: Type.Optional(IsoDate),
};

export const Paged = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    page: Type.Integer(),
    pageSize: Type.Integer(),
  });

/** The household list page: keyset cursor and an honest, possibly capped total. */
export const HouseholdPage = Type.Object({
  items: Type.Array(Type.Ref('HouseholdListItem')),
  total: Type.Integer({ description: '符合条件的户数；totalCapped 为 true 时表示“超过此数”' }),
  totalCapped: Type.Boolean({ description: 'true：符合条件的超过 total（10000）户，未逐一计数' }),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  nextCursor: Nullable(Type.String({ description: '下一页游标，作为 after 传回；null 表示没有下一页' })),
});

export const HouseholdPaging = {
  page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1, description: '按页码最多翻到前 10000 户' }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
  after: Type.Optional(
    Type.String({
      pattern: '^[0-9]{12}:[0-9A-Za-z-]{1,40}$',
      description: '上一页返回的 nextCursor：从其后继续（任何深度同样快）',
    }),
  ),
};

/** Page and page-size query fields; lists of heavier rows allow smaller pages. */
export const pageFields = (maxPageSize = 200, defaultPageSize = 20) => ({
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: maxPageSize, default: defaultPageSize }),
});

export const Paging = pageFields();

export const IsoDateSchema = IsoDate;
export const NullableOf = Nullable;
