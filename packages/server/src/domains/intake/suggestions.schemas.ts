/** Schemas of the intake suggestions API (规则引擎在受理时提示可申请的事项). */
import { Type } from 'typebox';

const MonthlyFen = (description: string) =>
  Type.Integer({ minimum: 0, maximum: 100_000_000, description: `${description}（分/月）` });
const YearlyFen = (description: string) =>
  Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: `${description}（分/年）` });
const Count = (description: string) => Type.Integer({ minimum: 0, maximum: 100, description });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/**
 * What the applicant declares at the window, under the catalogue's fact names: these stand in for
 * the household's recorded economic facts in this evaluation only (nothing is stored). Only these
 * names, only these types and ranges: anything else is refused before the engine sees it.
 */
export const DeclaredFacts = Type.Object(
  {
    wageIncome: Type.Optional(MonthlyFen('工资性收入')),
    businessIncome: Type.Optional(MonthlyFen('经营净收入')),
    agriculturalIncome: Type.Optional(MonthlyFen('农业生产净收入')),
    propertyIncome: Type.Optional(MonthlyFen('财产净收入')),
    remittanceIncome: Type.Optional(MonthlyFen('务工寄回收入')),
    pensionIncome: Type.Optional(MonthlyFen('计入收入的养老金')),
    transferIncome: Type.Optional(MonthlyFen('其他转移净收入')),
    medicalExpenseAnnual: Type.Optional(YearlyFen('近12个月自付医疗费用')),
    educationExpenseAnnual: Type.Optional(YearlyFen('近12个月教育支出')),
    financialAssets: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000_000 })),
    housingUnits: Type.Optional(Count('住房套数')),
    vehicleCount: Type.Optional(Count('机动车辆数')),
    businessCount: Type.Optional(Count('登记市场主体数')),
    ownsHome: Type.Optional(Type.Boolean()),
    dilapidatedHouse: Type.Optional(Type.Boolean()),
    publicEmployee: Type.Optional(Type.Boolean()),
    luxuryConsumption: Type.Optional(Type.Boolean()),
    recentHousePurchase: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const SuggestionsBody = Type.Object(
  {
    householdId: Type.String({ format: 'uuid' }),
    declared: Type.Optional(DeclaredFacts),
    residenceRegionCode: Type.Optional(
      Type.String({
        pattern: '^[0-9]{12}$',
        description:
          '居住地申办：申请人居住的村（社区）。提交前不调取户籍地登记的家庭信息，只列出可申请的事项和材料',
      }),
    ),
  },
  { additionalProperties: false },
);

export const SuggestionsResult = Type.Object({
  date: Type.String(),
  householdId: Type.String(),
  regionCode: Type.String(),
  catalogVersion: Type.String(),
  economySource: Type.String({ description: 'declared（本次窗口申报）/ approved / recorded / none' }),
  notice: Type.String(),
  items: Type.Array(
    Type.Object({
      policyId: Type.String(),
      name: Type.String(),
      nameEn: Type.String(),
      department: Type.String(),
      status: Type.String({ description: 'eligible / needsInformation / ineligible / error' }),
      suggested: Type.Boolean({ description: '规则判断可能符合，建议受理' }),
      receiving: Type.Boolean({ description: '该户已在享受（已认定该类别）' }),
      openCaseId: Nullable(Type.String({ description: '该户已有未办结的同一事项案件' })),
      amountFen: Nullable(Type.Integer()),
      amountUnit: Nullable(Type.String()),
      missingFacts: Type.Array(Type.String()),
      traceZh: Type.String(),
      templateId: Type.String(),
      templateName: Type.String(),
      templateNameEn: Type.String(),
      documents: Type.Array(
        Type.Object({ id: Type.String(), name: Type.String(), nameEn: Type.String(), from: Type.String() }),
      ),
    }),
  ),
});
