/**
 * Every registry call of the household and person pages, in one place, and the adapters from the
 * server's shapes (registry.schemas.ts: attributes as dated rows, values as objects, the head found
 * among the members) to what the pages show. The pages only see the interfaces below.
 */
import { api, call } from '../../api/client';
import type { components } from '../../api/generated/schema';
import { todayInChina } from '../../components/chinaToday';

export const CATEGORIES = [
  'dibao',
  'tekun',
  'nearDibao',
  'relapseWatch',
  'expenditureHardship',
  'otherHardship',
] as const satisfies readonly components['schemas']['AssistanceCategory'][];
export type Category = (typeof CATEGORIES)[number];

export const ATTRIBUTE_KINDS = [
  'healthCondition',
  'disability',
  'seriousIllness',
  'workCapacity',
  'employment',
  'schooling',
  'careDependency',
] as const satisfies readonly components['schemas']['AttributeKind'][];
// The lists are what the selects offer; `satisfies` fails the typecheck when the server's enums change.
export type AttributeKind = components['schemas']['AttributeKind'];

export type Sex = 'male' | 'female';
export type CareDependency = Record<
  'eating' | 'dressing' | 'bedTransfer' | 'toilet' | 'walkingIndoors' | 'bathing',
  boolean
>;

export interface Attributes {
  healthCondition?: string | null;
  disability?: { type: string; grade: number } | null;
  seriousIllness?: { diagnosis?: string } | boolean | null;
  workCapacity?: string | null;
  employment?: string | null;
  schooling?: string | null;
  careDependency?: CareDependency | null;
}

export interface HouseholdSummary {
  id: string;
  householdNumber: string;
  regionCode: string;
  regionName: string;
  address: string;
  urban: boolean;
  headName: string | null;
  idNumberMasked: string | null;
  phoneMasked: string | null;
  memberCount: number;
  categories: Category[];
}

export interface Member {
  id: string;
  name: string;
  sex: Sex;
  birthDate: string;
  age: number;
  relationshipToHead: Relationship;
  idNumberMasked: string;
  phoneMasked: string | null;
  hukouRegionCode?: string | null;
  hukouRegionName?: string | null;
  residenceRegionCode?: string | null;
  residenceRegionName?: string | null;
  attributes: Attributes;
}

export interface CategoryRecord {
  id: string;
  category: Category;
  personId?: string | null;
  personName?: string | null;
  validFrom: string;
  validTo: string | null;
  monthlyAmountFen: number;
}

export interface HistoryEntry {
  id?: string;
  /** 'attribute' or 'category'. */
  type: string;
  kind: string;
  personId?: string | null;
  personName?: string | null;
  value: unknown;
  validFrom: string;
  validTo?: string | null;
  recordedAt?: string;
}

export interface Household {
  id: string;
  householdNumber: string;
  regionCode: string;
  regionName: string;
  address: string;
  urban: boolean;
  headPersonId: string | null;
  headName: string | null;
  version: number;
  asOf: string;
  members: Member[];
  categories: CategoryRecord[];
  history: HistoryEntry[];
}

export interface Person extends Member {
  householdId: string;
  householdNumber: string;
  version: number;
  history: HistoryEntry[];
}

export interface Page<T> {
  items: T[];
  /** Exact, or when `totalCapped` the cap (10,000): "more than total". */
  total: number;
  totalCapped?: boolean;
  page: number;
  pageSize: number;
}

export interface HouseholdQuery {
  regionCode?: string;
  category?: Category;
  name?: string;
  idNumber?: string;
  phone?: string;
  /** 户号, matched from its start on the server. */
  householdNumber?: string;
  page: number;
  pageSize: number;
}

export interface PersonInput {
  name: string;
  sex: Sex;
  birthDate: string;
  idNumber: string;
  phone?: string | null;
  relationshipToHead: Relationship;
  hukouRegionCode?: string;
  residenceRegionCode?: string;
}

export interface HouseholdInput {
  householdNumber: string;
  regionCode: string;
  address: string;
  urban: boolean;
  head: Omit<PersonInput, 'relationshipToHead'>;
}

// ---- the server's shapes (generated from registry.schemas.ts) ----

type Schemas = components['schemas'];
type ServerAttribute = Schemas['PersonAttribute'];
type ServerCategory = Schemas['HouseholdCategory'];
type ServerHousehold = Schemas['HouseholdDetail'];
type ServerPersonDetail = Schemas['PersonDetail'];
export type Relationship = Schemas['Relationship'];

// ---- adapters ----

/** {status: 'healthy'} → 'healthy'; disability, illness and care stay objects. */
export function attributeShown(kind: string, value: Record<string, unknown>): unknown {
  switch (kind) {
    case 'healthCondition':
    case 'employment':
      return value.status;
    case 'workCapacity':
      return value.capacity;
    case 'schooling':
      return value.stage;
    default:
      return value;
  }
}

function attributesInForce(rows: ServerAttribute[], on: string): Attributes {
  const out: Record<string, unknown> = {};
  for (const row of rows)
    if (row.validFrom <= on && (row.validTo === null || row.validTo > on))
      out[row.kind] = attributeShown(row.kind, row.value);
  return out as Attributes;
}

function ageOn(birthDate: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return on.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

function categoryRecord(c: ServerCategory): CategoryRecord {
  return { ...c, personId: null, personName: null, monthlyAmountFen: c.monthlyAmountFen ?? 0 };
}

function attributeHistory(a: ServerAttribute, personName?: string): HistoryEntry {
  return {
    id: a.id,
    type: 'attribute',
    kind: a.kind,
    personId: a.personId,
    personName: personName ?? null,
    value: attributeShown(a.kind, a.value),
    validFrom: a.validFrom,
    validTo: a.validTo,
    recordedAt: a.recordedAt,
  };
}

function toHousehold(h: ServerHousehold): Household {
  const headId = h.headPersonIdAsOf ?? h.headPersonId;
  const members: Member[] = h.members.map((m) => ({
    ...m,
    age: m.ageOnDate,
    hukouRegionName: m.hukouRegionCode,
    residenceRegionName: m.residenceRegionCode,
    attributes: attributesInForce(m.attributes, h.asOf),
  }));
  const history: HistoryEntry[] = [
    ...h.categoryHistory.map((c) => ({
      id: c.id,
      type: 'category',
      kind: c.category,
      value: c.monthlyAmountFen,
      validFrom: c.validFrom,
      validTo: c.validTo,
    })),
    ...h.members.flatMap((m) => m.attributes.map((a) => attributeHistory(a, m.name))),
  ];
  return {
    ...h,
    headPersonId: headId,
    headName: h.members.find((m) => m.id === headId)?.name ?? null,
    members,
    // The table shows every period, so a caseworker sees what ended too.
    categories: h.categoryHistory.map(categoryRecord),
    history,
  };
}

function toPerson(p: ServerPersonDetail): Person {
  const on = todayInChina();
  return {
    ...p,
    householdId: p.householdId ?? '',
    householdNumber: p.householdNumber ?? '—',
    age: ageOn(p.birthDate, on),
    hukouRegionName: p.hukouRegionCode,
    residenceRegionName: p.residenceRegionCode,
    attributes: attributesInForce(p.attributes, on),
    history: p.attributes.map((a) => attributeHistory(a)),
  };
}

// ---- calls ----

export async function listHouseholds(query: HouseholdQuery): Promise<Page<HouseholdSummary>> {
  const page = await call(api.GET('/api/households', { params: { query } }));
  return {
    ...page,
    items: page.items.map((h) => ({
      ...h,
      headName: h.head?.name ?? null,
      idNumberMasked: h.head?.idNumberMasked ?? null,
      // The list does not carry phones; searching by phone still works.
      phoneMasked: null,
    })),
  };
}

export const getHousehold = (id: string, asOf?: string) =>
  call(api.GET('/api/households/{id}', { params: { path: { id }, query: asOf ? { asOf } : {} } })).then(
    toHousehold,
  );

export const createHousehold = (body: HouseholdInput) => call(api.POST('/api/households', { body }));

export const addMember = (id: string, body: PersonInput) =>
  call(api.POST('/api/households/{id}/members', { params: { path: { id } }, body }));

export const getPerson = (id: string) =>
  call(api.GET('/api/persons/{id}', { params: { path: { id } } })).then(toPerson);

/** Sex and birth date come from the ID number; the server changes name, phone and relationship. */
export const updatePerson = (
  id: string,
  body: { version: number; name?: string; phone?: string | null; relationshipToHead?: Relationship },
) => call(api.PATCH('/api/persons/{id}', { params: { path: { id } }, body }));

export const transferPerson = (
  id: string,
  body: { toHouseholdId: string; relationshipToHead: Relationship; reason: string; movedOn: string },
) => call(api.POST('/api/persons/{id}/transfer', { params: { path: { id } }, body }));

export const recordAttribute = (
  id: string,
  body: { kind: AttributeKind; value: Record<string, unknown>; validFrom: string },
) => call(api.POST('/api/persons/{id}/attributes', { params: { path: { id } }, body }));

export const addCategory = (
  id: string,
  body: { category: Category; validFrom: string; monthlyAmountFen?: number },
) => call(api.POST('/api/households/{id}/categories', { params: { path: { id } }, body }));

export const endCategory = (
  householdId: string,
  categoryId: string,
  body: { validTo: string; reason: string },
) =>
  call(
    api.POST('/api/households/{id}/categories/{categoryId}/end', {
      params: { path: { id: householdId, categoryId } },
      body,
    }),
  );

export const revealField = (personId: string, field: 'idNumber' | 'phone', purpose: string) =>
  call(
    api.POST('/api/persons/{id}/reveal', { params: { path: { id: personId } }, body: { field, purpose } }),
  );

/** Address, urban/rural and a change of head; `version` guards against two people editing at once. */
export const updateHousehold = (
  id: string,
  body: {
    version: number;
    address?: string;
    urban?: boolean;
    headPersonId?: string;
    previousHeadRelationship?: Relationship;
  },
) => call(api.PATCH('/api/households/{id}', { params: { path: { id } }, body }));
