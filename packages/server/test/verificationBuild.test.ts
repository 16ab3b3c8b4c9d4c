/**
 * The pure parts of verification, without a database: summaries and flags from records and
 * parameters, figures' validation, and the PDF module (font lookup, refusal without a font,
 * hostile text rendered as text).
 */
import type { ParameterValue } from '@doudi/rules';
import { describe, expect, it } from 'vitest';
import { findCjkFont, renderPdf } from '../src/documents/pdf.ts';
import { figureProblem } from '../src/domains/verification/figures.ts';
import { summarise, yuanText } from '../src/domains/verification/report.build.ts';
import type { CoveredPerson, RecordRow } from '../src/domains/verification/verification.repo.ts';
import { AppError } from '../src/http/errors.ts';

const PARAMS: Record<string, number> = {
  maxHousingUnits: 1,
  vehiclePurchasePriceLimit: 5_000_000,
  businessCapitalLimit: 10_000_000,
  financialAssetMonths: 24,
  dibaoStandardUrban: 75_000,
  dibaoStandardRural: 59_000,
};
const param = (name: string): ParameterValue => ({
  name,
  value: PARAMS[name] as number,
  effectiveDate: '2021-07-01',
  regionPrefix: null,
  reference: '测试依据',
  unit: 'fen',
  description: name,
});
const person = (id: string, role: 'member' | 'supporter', name = id): CoveredPerson => ({
  id,
  name,
  id_number_masked: '420921********0011',
  birth_date: '1960-01-01',
  sex: 'male',
  region_code: '420921100001',
  role,
  relationship: role === 'member' ? 'head' : 'son',
});
let seq = 0;
const record = (personId: string, source: string, data: Record<string, unknown>): RecordRow => ({
  id: String(++seq),
  person_id: personId,
  source,
  record_key: `K${seq}`,
  department: 'finance',
  name_mismatch: false,
  data,
  valid_from: '2025-06-30',
  seen_as_of: '2025-06-30',
  import_id: 'i',
  file_name: 'f.csv',
  via: 'cli',
  imported_at: null,
});

describe('report summaries and flags', () => {
  const persons = [person('a', 'member', '甲'), person('b', 'member', '乙'), person('s', 'supporter', '丙')];

  it('wages come from the latest tax year not after the report year, all employers summed', () => {
    const s = summarise(
      persons,
      [
        record('a', 'tax', { year: 2023, wageIncomeFen: 1_200_000 }),
        record('a', 'tax', { year: 2024, wageIncomeFen: 2_400_000 }),
        record('a', 'tax', { year: 2024, wageIncomeFen: 1_200_000 }),
        record('a', 'tax', { year: 2026, wageIncomeFen: 99_999_999 }),
        // A supporter's income is shown for them, never added to the household's.
        record('s', 'tax', { year: 2024, wageIncomeFen: 12_000_000 }),
      ],
      '2025-06-30',
      true,
      param,
    );
    expect(s.incomeByPerson.get('a')).toMatchObject({ wageIncome: 300_000, wageYear: 2024 });
    expect(s.household.wageIncome).toBe(300_000);
    expect(s.incomeByPerson.get('s')?.wageIncome).toBe(1_000_000);
  });

  it('excludes disability vehicles, counts homes not shops, and flags at the parameter, not below', () => {
    const s = summarise(
      persons,
      [
        record('a', 'vehicle', { plate: 'A1', purchasePriceFen: 5_000_000, disabilityVehicle: false }),
        record('a', 'vehicle', { plate: 'A2', purchasePriceFen: 90_000_000, disabilityVehicle: true }),
        record('b', 'realEstate', { use: 'residential' }),
        record('b', 'realEstate', { use: 'commercial' }),
        record('b', 'business', {
          entityName: 'X',
          role: 'shareholder',
          entityType: 'company',
          registeredCapitalFen: 10_000_000,
        }),
      ],
      '2025-06-30',
      true,
      param,
    );
    expect(s.household).toMatchObject({
      vehicleCount: 1,
      disabilityVehicles: 1,
      housingUnits: 1,
      businessCount: 1,
    });
    // Exactly at the limits: nothing flagged.
    expect(s.flags).toEqual([]);
  });

  it('financial assets are checked against standard × months × members, supporters not counted', () => {
    const limit = 75_000 * 24 * 2;
    const s = summarise(
      persons,
      [
        record('a', 'bankDeposit', { balanceFen: limit }),
        record('b', 'securities', { marketValueFen: 1 }),
        record('s', 'bankDeposit', { balanceFen: 999_999_999 }),
      ],
      '2025-06-30',
      true,
      param,
    );
    expect(s.household.financialAssets).toBe(limit + 1);
    expect(s.flags).toHaveLength(1);
    expect(s.flags[0]).toMatchObject({ code: 'financialAssets' });
    expect(s.flags[0]?.text).toContain('低保标准750元×24个月×2人');
  });

  it('money reads as a caseworker writes it', () => {
    expect(yuanText(38_000_000)).toBe('38万元');
    expect(yuanText(450_050)).toBe('4,500.5元');
    expect(yuanText(0)).toBe('0元');
  });

  it('figures: only known names, whole non-negative numbers in range', () => {
    expect(figureProblem('wageIncome', 100)).toBeUndefined();
    expect(figureProblem('wageIncome', -1)).toContain('非负整数');
    expect(figureProblem('wageIncome', Number.NaN)).toContain('非负整数');
    expect(figureProblem('wageIncome', '100')).toContain('非负整数');
    expect(figureProblem('housingUnits', 1001)).toContain('过大');
    expect(figureProblem('__proto__', 1)).toContain('没有名为');
  });
});

describe('PDF documents', () => {
  it('finds a CJK font, honours DOUDI_PDF_FONT, and refuses clearly without one', async () => {
    const font = findCjkFont();
    expect(font, 'install fonts-wqy-microhei').toBeDefined();
    expect(findCjkFont({ DOUDI_PDF_FONT: `${font?.path}#X` })).toEqual({ path: font?.path, family: 'X' });
    const spec = { title: '测试', documentNumber: '测〔2025〕1号', blocks: [] };
    const refused = (() => {
      try {
        void renderPdf(spec, null);
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).statusCode).toBe(503);
    expect((refused as AppError).message).toContain('fonts-wqy-microhei');
  });

  it('renders hostile and long text as text, across pages, with every page numbered', async () => {
    const hostile = '</script><script>alert(1)</script> ) Tj /JavaScript (x) \u0000 \u202e 𠀀';
    const pdf = await renderPdf({
      title: hostile,
      documentNumber: '测〔2025〕1号',
      blocks: [
        { kind: 'paragraph', text: hostile.repeat(20) },
        {
          kind: 'table',
          columns: [{ header: 'A' }, { header: 'B' }],
          rows: Array.from({ length: 120 }, () => [hostile, '1']),
        },
        { kind: 'table', columns: [{ header: 'A' }], rows: [], empty: '无' },
      ],
      createdAt: new Date('2025-07-01T00:00:00Z'),
    });
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-')).toBe(true);
    expect(text).not.toContain('/JavaScript');
    expect((text.match(/\/Type \/Page\b/g) ?? []).length).toBeGreaterThan(2);
  });
});
