/**
 * Row validation reads ISO dates by char code and checks them by calendar arithmetic (validate.ts,
 * for speed on million-row files): on random year, month and day texts it must accept exactly
 * what dayjs's strict parse of the same text accepts within the range, and keep the text as given.
 */
import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findSource } from '../src/domains/sources/catalogue/index.ts';
import { validateRow } from '../src/domains/sources/validate.ts';

dayjs.extend(customParseFormat);
const spec = findSource('bankDeposit');
if (!spec) throw new Error('bankDeposit missing from the catalogue');
const cells: Record<string, string> = {
  recordId: 'R-1',
  idNumber: '11010519491231002X',
  name: '张三',
  assetId: 'A-1',
  bank: '中国农业银行',
  kind: '储蓄存款',
  balanceFen: '1.00',
};
const row = (balanceOn: string) => ({
  get: (field: { name: string }) => (field.name === 'balanceOn' ? balanceOn : cells[field.name]),
  column: (field: { header: string }) => field.header,
});

describe('validateRow: ISO dates', () => {
  it('accepts a date exactly when the calendar has it and the year is between 1880 and 2200', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(
        fc.integer({ min: 1870, max: 2210 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.constantFrom('', ' 00:00', ' 00:00:00'),
        (year, month, day, time) => {
          const text = `${year}-${two(month)}-${two(day)}`;
          const result = validateRow(spec, row(text + time), '2026-11-24');
          const real = dayjs(text, 'YYYY-MM-DD', true).isValid() && year >= 1880 && year <= 2200;
          if (real) expect(result).toMatchObject({ record: { data: { balanceOn: text } } });
          else expect(result).toMatchObject({ problems: [{ column: '余额日期' }] });
        },
      ),
      { numRuns: 3000 },
    );
  });
});
