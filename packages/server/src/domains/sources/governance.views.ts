/** API shapes of data governance: disputes and quality figures (registered with sourceSchemas). */
import { Type } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Status = Type.Union([Type.Literal('open'), Type.Literal('corrected'), Type.Literal('rejected')]);

export const SourceDispute = Type.Object(
  {
    id: Type.String(),
    recordId: Type.Integer(),
    source: Type.String(),
    recordKey: Type.String(),
    department: Type.String(),
    regionCode: Type.String(),
    idNumberMasked: Type.String(),
    name: Type.String(),
    reason: Type.String(),
    status: Status,
    answer: Nullable(Type.String()),
    raisedBy: Type.String(),
    raisedAt: Type.String(),
    answeredBy: Nullable(Type.String()),
    answeredAt: Nullable(Type.String()),
    repeated: Type.Optional(Type.Boolean()),
  },
  { $id: 'SourceDispute' },
);

export const SourceQuality = Type.Object(
  {
    source: Type.String(),
    label: Type.String(),
    labelEn: Type.String(),
    department: Type.String(),
    openRecords: Type.Integer(),
    matchRate: Nullable(Type.Number()),
    nameMismatches: Type.Integer(),
    rowsRead: Type.Integer(),
    rejectedShare: Nullable(Type.Number()),
    importsWithAnomalies: Type.Integer(),
    openDisputes: Type.Integer(),
    answeredDisputes: Type.Integer(),
    newestAsOf: Nullable(Type.String()),
    daysSinceAsOf: Nullable(Type.Integer()),
  },
  { $id: 'SourceQuality' },
);

export const governanceSchemas = [SourceDispute, SourceQuality];
