import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateCounty } from './generate.ts';
import { TEST_VILLAGES } from './testVillages.ts';
import type { GenerateOptions } from './types.ts';

const base: GenerateOptions = { seed: 7, households: 2_000, villages: TEST_VILLAGES, asOf: '2025-06-30' };

function digest(options: GenerateOptions): string {
  const hash = createHash('sha256');
  for (const h of generateCounty(options)) hash.update(JSON.stringify(h));
  return hash.digest('hex');
}

describe('generateCounty', () => {
  it('is deterministic: the same seed gives byte-identical households, records and truth', () => {
    expect(digest(base)).toBe(digest(base));
  });

  it('gives a different county for a different seed', () => {
    expect(digest({ ...base, seed: 8 })).not.toBe(digest(base));
  });

  it('generates a prefix: the first households do not depend on how many follow', () => {
    const few = [...generateCounty({ ...base, households: 50 })].map((h) => JSON.stringify(h));
    const many = [...generateCounty({ ...base, households: 200 })].slice(0, 50).map((h) => JSON.stringify(h));
    expect(many).toEqual(few);
  });

  it('streams lazily: nothing is generated before the first read', () => {
    const it = generateCounty({ ...base, households: 1_000_000_000 });
    const first = it.next();
    expect(first.done).toBe(false);
    expect(first.value?.household.id).toBe('420921-0000001');
  });

  it('yields the requested number of households with stable ids', () => {
    const ids = [...generateCounty({ ...base, households: 30 })].map((h) => h.household.id);
    expect(ids).toHaveLength(30);
    expect(ids[29]).toBe('420921-0000030');
  });

  it('uses money in integer fen and dates in ISO form', () => {
    for (const { household, records, truth } of generateCounty({ ...base, households: 300 })) {
      const json = JSON.stringify({ household, records, truth }, (key, value) => {
        if (typeof value === 'number' && /Fen$/.test(key)) expect(Number.isInteger(value), key).toBe(true);
        if (typeof value === 'string' && /(Date|On|Since)$/.test(key))
          expect(value, key).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        return value;
      });
      expect(json.length).toBeGreaterThan(0);
      for (const e of household.enrolments) expect(Number.isInteger(e.monthlyAmountFen)).toBe(true);
    }
  });

  it('gives enrolled dibao households a gap-filling amount and tekun a single supported person', () => {
    let dibao = 0;
    let tekun = 0;
    for (const { household } of generateCounty({ ...base, households: 2_000 })) {
      for (const e of household.enrolments) {
        if (e.category === 'dibao') {
          dibao++;
          expect(e.monthlyAmountFen).toBeGreaterThan(0);
        }
        if (e.category === 'tekun') {
          tekun++;
          expect(e.personIds).toHaveLength(1);
          expect(household.members.filter((p) => p.deathDate === null)).toHaveLength(1);
        }
        expect(e.startDate.endsWith('-01')).toBe(true);
        expect(e.startDate <= '2025-06-30').toBe(true);
      }
    }
    expect(dibao).toBeGreaterThan(40);
    expect(tekun).toBeGreaterThan(3);
  });

  it('rejects bad options', () => {
    const run = (o: Partial<GenerateOptions>) => () => generateCounty({ ...base, ...o }).next();
    expect(run({ asOf: '2025-02-30' })).toThrow(/asOf/);
    expect(run({ villages: [] })).toThrow(/village/);
    expect(run({ households: -1 })).toThrow(/households/);
    expect(run({ seed: 1.5 })).toThrow(/seed/);
    expect(
      run({ villages: [{ code: '4209211', name: 'x', townshipCode: '420921100', urban: false }] }),
    ).toThrow(/12 digits/);
  });

  it('names some persons with rare characters, including ones outside the BMP', () => {
    let rare = 0;
    let astral = 0;
    for (const { household } of generateCounty({ ...base, households: 5_000 })) {
      for (const p of household.members) {
        const chars = Array.from(p.name);
        expect(chars.length).toBeGreaterThanOrEqual(2);
        expect(chars.length).toBeLessThanOrEqual(4);
        if (/[𠮷㛃䶮龑𡒄㼆堃喆淏昇]/u.test(p.name)) rare++;
        if (/[\u{20000}-\u{2FFFF}]/u.test(p.name)) astral++;
      }
    }
    expect(rare).toBeGreaterThan(10);
    expect(astral).toBeGreaterThan(0);
  });
});
