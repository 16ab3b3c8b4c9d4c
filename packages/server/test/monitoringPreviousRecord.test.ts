/**
 * A monitoring run reads each record with the earlier version it replaced (RECORD_COLUMNS'
 * `previous`: closed by the record's import, same source and key, newest): what triggers such as
 * "disability grade changed" compare against. Migration 035 indexes that probe by key; this checks
 * the answer is the replaced version of the same key, not another record the import closed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSystem } from '../src/db/scope.ts';
import { unmatchedRecords } from '../src/domains/monitoring/monitoring.records.repo.ts';
import { createTestDatabase, type TestDatabase } from './testDb.ts';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.transaction(async (tx) => {
    // The two imports' own rows are not what this is about: skip the foreign keys.
    await tx.query('SET LOCAL session_replication_role = replica');
    const insert = `INSERT INTO source_record (source, record_key, department, region_code, id_number_cipher,
        id_number_index, id_number_masked, name, data, content_hash, valid_from, valid_to, seen_as_of, import_id, closed_by)
      VALUES ('disability', $1, 'disabled_persons_federation', '420921101001', '\\x00'::bytea,
        decode(repeat($2, 64), 'hex'), '420921********1234', '某某', $3::jsonb, '\\x00'::bytea,
        $4::date, $5::date, $4::date, $6::uuid, $7::uuid)`;
    // Key k1: grade 3 from import A, replaced by grade 2 in import B. Key k2 and k3: also closed by B.
    await tx.query(insert, ['k1', 'a', '{"grade":"3"}', '2024-01-01', '2025-06-01', A, B]);
    await tx.query(insert, ['k2', 'b', '{"grade":"1"}', '2024-01-01', '2025-06-01', A, B]);
    await tx.query(insert, ['k3', 'c', '{"grade":"4"}', '2024-01-01', '2025-06-01', A, B]);
    await tx.query(insert, ['k1', 'a', '{"grade":"2"}', '2025-06-01', null, B, null]);
    await tx.query(insert, ['k4', 'd', '{"grade":"1"}', '2025-06-01', null, B, null]);
  });
}, 120_000);
afterAll(async () => t?.drop());

describe('the earlier version of a record', () => {
  it('is the replaced version of the same key, and none for a record that replaced nothing', async () => {
    const rows = await asSystem(t.db, (tx) =>
      unmatchedRecords(tx, {
        windows: [{ source: 'disability', field: 'validFrom', after: '2024-07-01' }],
        asOf: '2025-07-01',
        after: null,
        limit: 10,
      }),
    );
    expect(rows.map((r) => [r.record_key, r.data, r.previous])).toEqual([
      ['k1', { grade: '2' }, { grade: '3' }],
      ['k4', { grade: '1' }, null],
    ]);
  });
});
