/**
 * A monitoring run reads only the source records some trigger can count on its date (triggers.ts
 * recordWindows, monitoring.records.repo.ts): dated by the trigger's date field after the widest
 * window's start and not after the date. A county's claims pile up for years while a window looks
 * back 12 months at most. This checks the windows, that the SQL keeps exactly the records the
 * triggers count (dates compared as the triggers compare them), and that the alerts are the same
 * as from every record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSystem } from '../src/db/scope.ts';
import { type Context, candidateDrafts } from '../src/domains/monitoring/monitoring.batch.ts';
import { unmatchedRecords } from '../src/domains/monitoring/monitoring.repo.ts';
import { loadTriggers, type RecordWindow, recordWindows } from '../src/domains/monitoring/triggers.ts';
import { diskCatalog } from '../src/domains/rules/activeCatalog.ts';
import { createTestDatabase, type TestDatabase } from './testDb.ts';

const AS_OF = '2025-07-01';
const triggers = loadTriggers();
let t: TestDatabase;

/** Claims and certificates of two persons not in the registry (so read as candidates). */
const CLAIMS: [key: string, person: string, dischargeDate: unknown, outOfPocketFen: number][] = [
  ['c-in', 'a', '2025-03-10', 3_000_000],
  ['c-in-2', 'a', '2024-07-02', 2_500_000], // the first day of the 12-month window
  ['c-edge', 'a', '2024-07-01', 9_000_000], // the day before it opens: counts for no trigger
  ['c-old', 'a', '2023-05-01', 9_000_000],
  ['c-future', 'a', '2025-08-01', 9_000_000], // after the run's date
  ['c-asof', 'b', AS_OF, 1_200_000],
  ['c-not-iso', 'b', '2025-01-5', 9_000_000],
  ['c-number', 'b', 20250301, 9_000_000],
];

beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.transaction(async (tx) => {
    await tx.query('SET LOCAL session_replication_role = replica'); // no import rows needed
    const insert = `INSERT INTO source_record (source, record_key, department, region_code, id_number_cipher,
        id_number_index, id_number_masked, name, data, content_hash, valid_from, seen_as_of, import_id)
      VALUES ($1, $2, 'x', '420921101001', '\\x00'::bytea, decode(repeat($3, 64), 'hex'), '420921********1234',
        '某某', $4::jsonb, '\\x00'::bytea, $5::date, $5::date, gen_random_uuid())`;
    for (const [key, person, date, fen] of CLAIMS) {
      const data = {
        hospital: '县人民医院',
        dischargeDate: date,
        totalFen: fen * 2,
        insurancePaidFen: fen,
        outOfPocketFen: fen,
        inpatient: 'yes',
      };
      await tx.query(insert, ['medicalClaim', key, person, JSON.stringify(data), '2024-01-01']);
    }
    // A certificate counted by its own valid_from (grade changed) or its issue date (new).
    await tx.query(insert, [
      'disabilityCertificate',
      'd-new',
      'a',
      '{"grade":"2","issuedOn":"2020-01-01"}',
      '2025-05-01',
    ]);
    await tx.query(insert, [
      'disabilityCertificate',
      'd-old',
      'b',
      '{"grade":"2","issuedOn":"2020-01-01"}',
      '2023-05-01',
    ]);
  });
}, 120_000);
afterAll(async () => t?.drop());

const read = (windows: readonly RecordWindow[]) =>
  asSystem(t.db, (tx) => unmatchedRecords(tx, { windows, asOf: AS_OF, after: null, limit: 100 }));

describe('the records a run reads', () => {
  it('are windowed per source and date field, by the widest window of its triggers', () => {
    const windows = recordWindows(triggers, AS_OF);
    const claims = windows.filter((w) => w.source === 'medicalClaim');
    // Three claim triggers on dischargeDate (12, 3 and 12 months): one window, the 12 months'.
    expect(claims).toEqual([{ source: 'medicalClaim', field: 'dischargeDate', after: '2024-07-01' }]);
    expect(windows.find((w) => w.source === 'disabilityCertificate' && w.field === 'validFrom')).toEqual({
      source: 'disabilityCertificate',
      field: 'validFrom',
      after: '2024-07-01',
    });
    const keys = new Set(windows.map((w) => `${w.source}|${w.field}`));
    expect(keys.size).toBe(windows.length);
    expect(new Set(windows.map((w) => w.source))).toEqual(new Set(triggers.triggers.map((x) => x.source)));
  });

  it('are those dated inside a window, as the triggers compare dates', async () => {
    const rows = await read(recordWindows(triggers, AS_OF));
    // The not-ISO text sorts inside the window as text: read, and then no date to the triggers.
    expect(rows.map((r) => r.record_key).sort()).toEqual(['c-asof', 'c-in', 'c-in-2', 'c-not-iso', 'd-new']);
  });

  it('give the alerts that every record gives', async () => {
    // Windows wide open (every record up to the date): what the run read before windows.
    const open = recordWindows(triggers, AS_OF).map((w) => ({ ...w, after: '1900-01-01' }));
    const all = await read(open);
    expect(all.length).toBeGreaterThan(6);
    const ctx: Context = {
      catalog: diskCatalog().catalog,
      models: [],
      triggers,
      windows: recordWindows(triggers, AS_OF),
      asOf: AS_OF,
    };
    const windowed = candidateDrafts(ctx, await read(recordWindows(triggers, AS_OF)));
    const every = candidateDrafts(ctx, all);
    expect(windowed.drafts.length).toBeGreaterThan(0);
    expect(windowed).toEqual(every);
    // The 12-month sum is the two claims inside the window (and not the day before it opens).
    const sum = windowed.drafts.find((d) => d.cause === 'trigger:medicalOutOfPocket12m');
    expect(sum?.score).toBe(5_500_000);
  });

  it('are none when no trigger reads any source', async () => {
    expect(await read([])).toEqual([]);
  });
});
