/**
 * The after-death estate report (身后一件事) from the deceased's records: one section per kind of
 * estate, as of the date of death (《民法典》第一千一百二十一条: succession opens at death; 第一千
 * 一百二十二条: the estate is the lawful personal property left at death). Pure: the service reads.
 *
 * Which version of a record: the one in force on the date of death. Departments send snapshots
 * (a bank's month-end file); when a source holds nothing for the person on the date of death but a
 * later snapshot does (the account still stands in the deceased's name), the earliest later
 * snapshot is shown with its date, marked as after the death, rather than reporting nothing.
 */
import { formatRecord } from './delegatedFields.ts';
import { sourceLabel } from './delegatedShared.ts';

export interface EstateHit {
  source: string;
  department: string;
  data: Record<string, unknown>;
  valid_from: string;
  valid_to: string | null;
  seen_as_of: string;
}

export const ESTATE_SECTIONS = [
  {
    key: 'deposits',
    zh: '银行存款与理财',
    en: 'Bank deposits and wealth products',
    sources: ['bankDeposit'],
    total: 'balanceFen',
  },
  {
    key: 'securities',
    zh: '证券与基金',
    en: 'Securities and funds',
    sources: ['securities'],
    total: 'marketValueFen',
  },
  {
    key: 'insurance',
    zh: '商业保险',
    en: 'Commercial insurance',
    sources: ['commercialInsurance'],
    total: 'cashValueFen',
  },
  {
    key: 'housingFund',
    zh: '住房公积金',
    en: 'Housing provident fund',
    sources: ['providentFund'],
    total: 'balanceFen',
  },
  { key: 'property', zh: '不动产', en: 'Real estate', sources: ['realEstate'] },
  { key: 'vehicles', zh: '车辆和船舶', en: 'Vehicles and boats', sources: ['vehicle'] },
  {
    key: 'business',
    zh: '市场主体及社会组织任职',
    en: 'Business and organisation roles',
    sources: ['business', 'socialOrganisation'],
  },
  { key: 'pensions', zh: '社会保险待遇', en: 'Social insurance and pensions', sources: ['socialInsurance'] },
] as const;

export const ESTATE_SOURCES: string[] = ESTATE_SECTIONS.flatMap((s) => [...s.sources]);

export function buildEstateSections(
  hits: readonly EstateHit[],
  deathDate: string,
  loaded: Map<string, string>,
) {
  const chosen = new Map<string, { hits: EstateHit[]; afterDeath: string | null }>();
  for (const source of ESTATE_SOURCES) {
    const mine = hits.filter((h) => h.source === source);
    const atDeath = mine.filter(
      (h) => h.valid_from <= deathDate && (h.valid_to === null || h.valid_to > deathDate),
    );
    if (atDeath.length > 0 || mine.length === 0) {
      chosen.set(source, { hits: atDeath, afterDeath: null });
      continue;
    }
    // The earliest later snapshot (ISO dates sort as text).
    const first = mine.map((h) => h.valid_from).sort()[0] as string;
    chosen.set(source, {
      hits: mine.filter((h) => h.valid_from === first),
      afterDeath: first,
    });
  }
  return ESTATE_SECTIONS.map((section) => {
    const items = section.sources.flatMap((source) => {
      const c = chosen.get(source);
      return (c?.hits ?? []).map((h) => ({
        source,
        ...sourceLabel(source),
        department: h.department,
        validFrom: h.valid_from,
        seenAsOf: h.seen_as_of,
        afterDeath: c?.afterDeath !== null && c?.afterDeath !== undefined,
        fields: formatRecord(source, h.data),
        data: h.data,
      }));
    });
    const totalField = 'total' in section ? section.total : null;
    const total = totalField
      ? items.reduce(
          (s, i) => s + (typeof i.data[totalField] === 'number' ? (i.data[totalField] as number) : 0),
          0,
        )
      : null;
    return {
      key: section.key,
      label: section.zh,
      labelEn: section.en,
      sources: section.sources.map((source) => ({
        source,
        ...sourceLabel(source),
        lastAsOf: loaded.get(source) ?? null,
        afterDeath: chosen.get(source)?.afterDeath ?? null,
      })),
      total,
      items: items.map(({ data: _data, ...rest }) => rest),
    };
  });
}

export type EstateSection = ReturnType<typeof buildEstateSections>[number];
