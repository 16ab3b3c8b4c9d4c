/** Request and response schemas of the home visit (入户调查) API. */
import { Type } from 'typebox';

const Fen = (max: number, description: string) => Type.Integer({ minimum: 0, maximum: max, description });
const MONTHLY_MAX = 100_000_000; // 1,000,000 yuan a month: anything above is a typing slip
const Count = (description: string) => Type.Integer({ minimum: 0, maximum: 100, description });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/**
 * Figures found, under the catalogue's fact names (catalog/facts/household.yaml) and the names the
 * take-highest reconciliation uses (domains/verification/figures.ts): money in fen.
 */
export const VisitFigures = Type.Object(
  {
    wageIncome: Type.Optional(Fen(MONTHLY_MAX, '工资性收入（分/月）')),
    businessIncome: Type.Optional(Fen(MONTHLY_MAX, '经营净收入（分/月）')),
    agriculturalIncome: Type.Optional(Fen(MONTHLY_MAX, '农业生产净收入（分/月）')),
    propertyIncome: Type.Optional(Fen(MONTHLY_MAX, '财产净收入（分/月）')),
    remittanceIncome: Type.Optional(Fen(MONTHLY_MAX, '务工寄回收入（分/月）')),
    pensionIncome: Type.Optional(Fen(MONTHLY_MAX, '计入收入的养老金（分/月）')),
    transferIncome: Type.Optional(Fen(MONTHLY_MAX, '其他转移净收入（分/月）')),
    financialAssets: Type.Optional(Fen(1_000_000_000_000, '家庭金融资产（分）')),
    housingUnits: Type.Optional(Count('住房套数')),
    vehicleCount: Type.Optional(Count('机动车辆数（不含残疾人专用车）')),
    businessCount: Type.Optional(Count('登记市场主体数')),
  },
  { additionalProperties: false },
);

export const HousingStructures = ['brickConcrete', 'brickWood', 'earthWood', 'simple', 'other'] as const;

export const VisitLiving = Type.Object(
  {
    housingStructure: Type.Optional(Type.Union(HousingStructures.map((s) => Type.Literal(s)))),
    floorAreaM2: Type.Optional(Type.Integer({ minimum: 0, maximum: 5000 })),
    dilapidatedHouse: Type.Optional(Type.Boolean({ description: '住房明显破旧、存在安全隐患' })),
    appliances: Type.Optional(Type.String({ maxLength: 200, description: '主要家电、家具' })),
    condition: Type.Optional(Type.String({ maxLength: 500, description: '生活状况描述' })),
  },
  { additionalProperties: false },
);

export const SaveVisitBody = Type.Object(
  {
    visitedAt: Type.String({ format: 'date-time', description: '入户时间' }),
    location: Type.Object(
      {
        source: Type.Union([Type.Literal('device'), Type.Literal('manual')], {
          description: 'device：经本人同意取得的手机定位；manual：手工填写的地址',
        }),
        latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
        longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
        accuracyM: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })),
        address: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
      },
      { additionalProperties: false },
    ),
    secondInvestigator: Type.String({
      pattern: '^[A-Za-z0-9_.@-]{3,64}$',
      description: '第二名调查人员的登录名（须为本地区另一名工作人员，由其本人登录确认）',
    }),
    figures: VisitFigures,
    living: VisitLiving,
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const HomeVisit = Type.Object(
  {
    id: Type.String(),
    caseId: Type.String(),
    step: Type.String(),
    householdId: Type.String(),
    regionCode: Type.String(),
    status: Type.String({ description: 'awaitingConfirmation（待第二名调查人员确认）/ confirmed' }),
    visitedAt: Type.String(),
    location: Type.Object({
      source: Type.String(),
      latitude: Nullable(Type.Number()),
      longitude: Nullable(Type.Number()),
      accuracyM: Nullable(Type.Number()),
      address: Nullable(Type.String()),
    }),
    firstInvestigator: Type.Object({ id: Type.String(), name: Type.String() }),
    secondInvestigator: Type.Object({ id: Type.String(), name: Type.String(), username: Type.String() }),
    confirmedAt: Nullable(Type.String()),
    figures: Type.Record(Type.String(), Type.Integer()),
    living: Type.Record(Type.String(), Type.Unknown()),
    note: Nullable(Type.String()),
    photos: Type.Array(
      Type.Object({
        id: Type.String(),
        width: Type.Integer(),
        height: Type.Integer(),
        bytes: Type.Integer(),
        caption: Nullable(Type.String()),
        createdAt: Type.String(),
      }),
    ),
    version: Type.Integer(),
    replayed: Type.Boolean({ description: '同样内容的重复提交：返回已保存的记录' }),
    takeHighest: Type.String({
      description: 'verification：调查数字已交家庭经济状况核对的就高认定；visitOnly：只保存在调查记录上',
    }),
  },
  { additionalProperties: false },
);

export const ConfirmVisitBody = Type.Object(
  { version: Type.Integer({ minimum: 1, maximum: 2_000_000_000 }) },
  { additionalProperties: false },
);
