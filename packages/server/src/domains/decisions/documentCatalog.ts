/**
 * catalog/documents/documents.yaml: issuers, number prefixes and titles of the statutory documents,
 * checked at load (file:line:column errors like the process templates). A deployment adds its
 * counties and titles there without touching code.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Type } from 'typebox';
import { intakeCatalogDir } from '../intake/catalogPaths.ts';
import { loadCheckedYaml } from '../intake/checkedYaml.ts';

export const DocumentKinds = [
  'acceptance',
  'intakeRefusal',
  'confirmation',
  'refusal',
  'termination',
  'serviceReceipt',
] as const;
export type DocumentKind = (typeof DocumentKinds)[number];
/** The documents served on the household (everything but the receipt of service itself). */
export type ServedKind = Exclude<DocumentKind, 'serviceReceipt'>;

const Word = Type.String({ minLength: 1, maxLength: 6, pattern: '^[^\\s〔〕]+$' });
const Title = Type.String({ minLength: 2, maxLength: 40 });
const Schema = Type.Object(
  {
    counties: Type.Record(
      Type.String({ pattern: '^[0-9]{6}$' }),
      Type.Object(
        { abbreviation: Word, court: Type.Optional(Type.String({ maxLength: 40 })) },
        { additionalProperties: false },
      ),
    ),
    departments: Type.Record(
      Type.String(),
      Type.Object({ word: Word, name: Type.String({ maxLength: 30 }) }, { additionalProperties: false }),
    ),
    types: Type.Object(
      Object.fromEntries(
        DocumentKinds.map((k) => [
          k,
          Type.Object({ word: Word, title: Title }, { additionalProperties: false }),
        ]),
      ),
      { additionalProperties: false },
    ),
    policies: Type.Record(
      Type.String({ pattern: '^[a-z][A-Za-z0-9]{0,59}$' }),
      Type.Object(
        {
          word: Word,
          item: Type.String({ maxLength: 30 }),
          titles: Type.Optional(Type.Partial(Type.Record(Type.String(), Title))),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

interface Loaded {
  counties: Record<string, { abbreviation: string; court?: string }>;
  departments: Record<string, { word: string; name: string }>;
  types: Record<DocumentKind, { word: string; title: string }>;
  policies: Record<string, { word: string; item: string; titles?: Partial<Record<string, string>> }>;
}

let cache: { dir: string; value: Loaded } | undefined;

export function documentCatalog(): Loaded {
  const dir = intakeCatalogDir();
  if (cache?.dir !== dir) {
    const file = path.join(dir, 'documents', 'documents.yaml');
    const checked = loadCheckedYaml(file, readFileSync(file, 'utf8'), Schema);
    const value = checked.value as unknown as Loaded;
    for (const id of Object.keys(value.policies))
      for (const k of Object.keys(value.policies[id]?.titles ?? {}))
        if (!(DocumentKinds as readonly string[]).includes(k))
          throw checked.error(['policies', id, 'titles', k], `unknown document type ${k}`);
    cache = { dir, value };
  }
  return cache.value;
}

export interface Issuer {
  /** 孝昌县民政局 / 孝昌县花园镇人民政府 */
  name: string;
  /** Number prefix, e.g. 孝民低保确: also the numbering series. */
  series: string;
  county: string;
  /** Where the addressee may seek reconsideration and sue (refusals and terminations). */
  reconsideration: string;
  court: string;
}

/**
 * Who issues a document of this kind for this item, and the prefix of its number. Notices at intake
 * come from the township that took the application; decisions from the county office that owns the
 * item (civil affairs, or the referral's department); "受委托" when a township decided for the county.
 */
export function issuerOf(a: {
  kind: DocumentKind;
  policyId: string;
  department: string | null;
  countyCode: string;
  countyName: string;
  townshipName: string | null;
  delegated: boolean;
}): Issuer {
  const c = documentCatalog();
  const county = c.counties[a.countyCode];
  const abbreviation = county?.abbreviation ?? [...a.countyName][0] ?? '县';
  const dept = c.departments[a.department ?? 'civilAffairs'] ??
    c.departments.civilAffairs ?? { word: '民', name: '民政局' };
  const policyWord = c.policies[a.policyId]?.word ?? '综';
  const typeWord = c.types[a.kind].word;
  const atTownship = (a.kind === 'acceptance' || a.kind === 'intakeRefusal') && a.townshipName;
  const bureau = `${a.countyName}${dept.name}`;
  const name = atTownship
    ? `${a.townshipName}人民政府`
    : a.delegated && a.townshipName
      ? `${a.townshipName}人民政府（受${bureau}委托）`
      : bureau;
  return {
    name,
    series: `${abbreviation}${dept.word}${policyWord}${typeWord}`,
    county: a.countyCode,
    reconsideration: `${a.countyName}人民政府`,
    court: county?.court ?? `${a.countyName}人民法院`,
  };
}

export function itemName(policyId: string, fallback: string): string {
  return documentCatalog().policies[policyId]?.item ?? fallback;
}

export function titleOf(kind: DocumentKind, policyId: string, fallbackItem: string): string {
  const c = documentCatalog();
  const own = c.policies[policyId]?.titles?.[kind];
  return own ?? c.types[kind].title.replace('{item}', itemName(policyId, fallbackItem));
}

/** 孝民低保确〔2026〕第0007号 */
export function formatNumber(series: string, year: number, seq: number): string {
  return `${series}〔${year}〕第${String(seq).padStart(4, '0')}号`;
}
