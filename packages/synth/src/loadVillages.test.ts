import { describe, expect, it } from 'vitest';
import { loadVillagesFromChinaDivision } from './loadVillages.ts';

describe('loadVillagesFromChinaDivision', () => {
  it('reads Xiaochang: 454 villages and communities in 15 townships', async () => {
    const villages = await loadVillagesFromChinaDivision('420921');
    expect(villages).toHaveLength(454);
    expect(new Set(villages.map((v) => v.townshipCode)).size).toBe(15);
    expect(villages.every((v) => /^420921\d{6}$/.test(v.code) && v.code.startsWith(v.townshipCode))).toBe(
      true,
    );
    expect(villages.every((v) => (v.townshipName ?? '').length > 0)).toBe(true);
    const urban = villages.filter((v) => v.urban);
    expect(urban.length).toBe(27);
    expect(urban.every((v) => v.name.endsWith('社区居委会'))).toBe(true);
    expect(villages[0]).toEqual({
      code: '420921100001',
      name: '花园社区居委会',
      townshipCode: '420921100',
      urban: true,
      townshipName: '花园镇',
    });
  });

  it('rejects a malformed or unknown county code', async () => {
    await expect(loadVillagesFromChinaDivision('4209')).rejects.toThrow(/6 digits/);
    await expect(loadVillagesFromChinaDivision('999999')).rejects.toThrow(/no villages/);
  });
});
