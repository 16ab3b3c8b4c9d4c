/**
 * The public self-check (救助助手) request and answer. Everything is bounded: a resident's phone
 * cannot send an unbounded household, and nothing here names a person (no name, no ID number,
 * no phone). Money is entered in yuan, as residents think of it, and turned into fen exactly.
 */
import { type Static, Type } from 'typebox';
import { RegionCode } from '../../http/schemas.ts';
import {
  DailyTasks,
  DisabilityTypes,
  EmploymentStatuses,
  HealthStatuses,
  SchoolingStages,
  WorkCapacities,
} from '../registry/registry.model.ts';

export const MAX_MEMBERS = 15;
/** Monthly income per type and monthly income of a relative living apart, in yuan. */
export const MAX_MONTHLY_YUAN = 1_000_000;
/** Annual spending, deposits and one-off losses, in yuan. */
export const MAX_LARGE_YUAN = 100_000_000;

export const RELATIONSHIPS = [
  'self',
  'spouse',
  'child',
  'parent',
  'grandchild',
  'grandparent',
  'sibling',
  'other',
] as const;
export const CARE_TASKS = DailyTasks;
export const CATEGORIES = [
  'dibao',
  'tekun',
  'nearDibao',
  'expenditureHardship',
  'relapseWatch',
  'orphan',
] as const;

const monthlyYuan = (options: { default?: number; description?: string } = {}) =>
  Type.Number({ minimum: 0, maximum: MAX_MONTHLY_YUAN, ...options });
const largeYuan = (options: { default?: number } = {}) =>
  Type.Number({ minimum: 0, maximum: MAX_LARGE_YUAN, ...options });
const count = (fallback: number) => Type.Integer({ minimum: 0, maximum: 20, default: fallback });

export const SelfCheckMember = Type.Object(
  {
    relationship: Type.Enum(RELATIONSHIPS),
    age: Type.Optional(Type.Integer({ minimum: 0, maximum: 120 })),
    birthYear: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2100 })),
    sex: Type.Optional(Type.Enum(['male', 'female'])),
    health: Type.Enum(HealthStatuses),
    disabilityGrade: Type.Integer({ minimum: 0, maximum: 4, default: 0 }),
    disabilityType: Type.Optional(Type.Enum(['none', ...DisabilityTypes])),
    workCapacity: Type.Enum(WorkCapacities),
    employment: Type.Optional(Type.Enum(EmploymentStatuses)),
    schoolingStage: Type.Enum(['none', ...SchoolingStages]),
    boarding: Type.Optional(Type.Boolean()),
    /**
     * Daily tasks the person cannot do alone ([] = none). Left out when the resident does not
     * know: policies that need it then answer "needs more information". (No null: Ajv's type
     * coercion would turn null into a value.)
     */
    careNeeds: Type.Optional(
      Type.Array(Type.Enum(CARE_TASKS), { maxItems: CARE_TASKS.length, uniqueItems: true }),
    ),
    /** A liable relative (e.g. a married son) who lives apart: counted only for the support owed. */
    livesApart: Type.Optional(Type.Boolean()),
    monthlyIncomeYuan: Type.Optional(monthlyYuan()),
    hospitalCostYuanPerYear: Type.Optional(largeYuan()),
    parentsSituation: Type.Optional(
      Type.Enum(['none', 'bothDeceased', 'oneDeceasedOtherUnable', 'bothUnable']),
    ),
    jobSeekingRegistered: Type.Optional(Type.Boolean()),
    pensionInsured: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const zeroMonthly = (description: string) => Type.Optional(monthlyYuan({ default: 0, description }));

export const SelfCheckRequest = Type.Object(
  {
    regionCode: RegionCode,
    /** Defaults to the village's own urban/rural flag. */
    urban: Type.Optional(Type.Boolean()),
    members: Type.Array(SelfCheckMember, { minItems: 1, maxItems: MAX_MEMBERS }),
    incomeYuanPerMonth: Type.Optional(
      Type.Object(
        {
          wage: zeroMonthly('工资'),
          business: zeroMonthly('经营'),
          agricultural: zeroMonthly('种养殖'),
          property: zeroMonthly('租金、利息'),
          remittance: zeroMonthly('外出务工寄回'),
          pension: zeroMonthly('养老金、退休金'),
          transfer: zeroMonthly('赡养费、赔偿等'),
        },
        { additionalProperties: false, default: {} },
      ),
    ),
    spendingYuanPerYear: Type.Optional(
      Type.Object(
        {
          medical: Type.Optional(largeYuan({ default: 0 })),
          education: Type.Optional(largeYuan({ default: 0 })),
          pensionContribution: Type.Optional(largeYuan({ default: 0 })),
        },
        { additionalProperties: false, default: {} },
      ),
    ),
    property: Type.Optional(
      Type.Object(
        {
          housingUnits: Type.Optional(count(1)),
          vehicles: Type.Optional(count(0)),
          businesses: Type.Optional(count(0)),
          /** Left out when the resident does not know; dibao then asks for it instead of guessing. */
          depositsYuan: Type.Optional(largeYuan()),
          dilapidatedHouse: Type.Optional(Type.Boolean({ default: false })),
        },
        { additionalProperties: false, default: {} },
      ),
    ),
    circumstances: Type.Optional(
      Type.Object(
        {
          publicEmployee: Type.Optional(Type.Boolean({ default: false })),
          luxuryConsumption: Type.Optional(Type.Boolean({ default: false })),
          recentHousePurchase: Type.Optional(Type.Boolean({ default: false })),
          suddenHardship: Type.Optional(
            Type.Enum(['none', 'accident', 'illness', 'fire', 'disaster', 'death'], { default: 'none' }),
          ),
          suddenLossYuan: Type.Optional(largeYuan({ default: 0 })),
          disasterAffected: Type.Optional(Type.Boolean({ default: false })),
          houseCollapsed: Type.Optional(Type.Boolean({ default: false })),
          onlyChildLostOrDisabled: Type.Optional(Type.Boolean({ default: false })),
          unionMemberHardship: Type.Optional(Type.Boolean({ default: false })),
          currentCategories: Type.Optional(
            Type.Array(Type.Enum(CATEGORIES), {
              maxItems: CATEGORIES.length,
              uniqueItems: true,
              default: [],
            }),
          ),
        },
        { additionalProperties: false, default: {} },
      ),
    ),
  },
  { additionalProperties: false },
);
export type SelfCheckRequest = Static<typeof SelfCheckRequest>;
export type SelfCheckMember = Static<typeof SelfCheckMember>;

export const SelfCheckResult = Type.Object(
  {
    policyId: Type.String(),
    name: Type.String(),
    nameEn: Type.String(),
    department: Type.String(),
    category: Type.String(),
    /** likely: 可能符合; maybe: 需补充信息后再看; unlikely: 暂不符合. Guidance, never a decision. */
    status: Type.Enum(['likely', 'maybe', 'unlikely']),
    /** For a policy that follows from a status the household may get first: that category (dibao…). */
    after: Type.Union([Type.Enum(CATEGORIES), Type.Null()]),
    amountFen: Type.Union([Type.Integer(), Type.Null()]),
    amountPeriod: Type.Union([Type.Enum(['month', 'year', 'once']), Type.Null()]),
    why: Type.Array(Type.String()),
    missing: Type.Array(Type.String()),
    documents: Type.Array(Type.String()),
    office: Type.String(),
    phone: Type.String(),
    timeLimitWorkingDays: Type.Union([Type.Integer(), Type.Null()]),
  },
  { $id: 'SelfCheckResult' },
);
export type SelfCheckResult = Static<typeof SelfCheckResult>;

export const SelfCheckResponse = Type.Object(
  {
    date: Type.String(),
    regionCode: Type.String(),
    regionName: Type.String(),
    urban: Type.Boolean(),
    catalogVersion: Type.String(),
    notice: Type.String(),
    noticeEn: Type.String(),
    results: Type.Array(Type.Ref('SelfCheckResult')),
  },
  { $id: 'SelfCheckResponse' },
);

export const PublicRegion = Type.Object(
  {
    code: Type.String(),
    name: Type.String(),
    level: Type.Integer(),
    /** Residents' committees are urban, villages rural; null where the level decides nothing. */
    urban: Type.Union([Type.Boolean(), Type.Null()]),
    childCount: Type.Integer(),
  },
  { $id: 'PublicRegion' },
);

export const selfCheckSchemas = [SelfCheckResult, SelfCheckResponse, PublicRegion];
