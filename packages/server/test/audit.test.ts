import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asSystem } from '../src/db/scope.ts';
import { appendAudit } from '../src/domains/audit/audit.repo.ts';
import { verifyAuditChain } from '../src/domains/audit/auditVerify.ts';
import { createTestDatabase, onServer, type TestDatabase } from './testDb.ts';

describe('audit trail', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase();
    for (let i = 1; i <= 5; i++) {
      await asSystem(t.db, (tx) =>
        appendAudit(tx, {
          action: 'test.write',
          entityType: 'thing',
          entityId: String(i),
          regionCode: '420921100000',
          before: null,
          after: { i, name: '张三' },
        }),
      );
    }
  });
  afterEach(() => t.drop());

  it('chains every row to the one before it, and verifies whole', async () => {
    const rows = (
      await t.db.query<{ seq: number; prev_hash: string; hash: string }>(
        'SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq',
      )
    ).rows;
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    for (let i = 1; i < rows.length; i++) expect(rows[i]?.prev_hash).toBe(rows[i - 1]?.hash);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, rowsChecked: 5 });
  });

  it('the database refuses UPDATE, DELETE and TRUNCATE, even for the owner', async () => {
    await expect(t.db.query(`UPDATE audit_log SET action = 'x' WHERE seq = 2`)).rejects.toThrow(/只能追加/);
    await expect(t.db.query('DELETE FROM audit_log WHERE seq = 2')).rejects.toThrow(/只能追加/);
    await expect(t.db.query('TRUNCATE audit_log')).rejects.toThrow(/只能追加/);
  });

  it('the application role has no UPDATE or DELETE privilege at all', async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query('SET LOCAL ROLE doudi_app');
        await tx.query(`UPDATE audit_log SET action = 'x'`);
      }),
    ).rejects.toThrow(/permission denied/);
  });

  // Someone with the database superuser's power switches the triggers off and edits history.
  async function behindTheApplicationsBack(sql: string) {
    await t.db.transaction(async (tx) => {
      await tx.query('SET LOCAL session_replication_role = replica');
      await tx.query(sql);
    });
  }

  it('names the first changed row when a row is edited behind the application', async () => {
    await behindTheApplicationsBack(`UPDATE audit_log SET after = '{"i": 3, "name": "李四"}' WHERE seq = 3`);
    expect(await verifyAuditChain(t.db)).toMatchObject({
      ok: false,
      firstBrokenSeq: 3,
      problem: 'contentChanged',
      rowsChecked: 2,
    });
  });

  it('detects a row recomputed to hide an edit: the next link breaks', async () => {
    await behindTheApplicationsBack(
      `UPDATE audit_log a SET actor_id = 'mallory', hash = audit_row_hash(ROW(a.seq, a.at, 'mallory', a.actor_role, a.action, a.entity_type, a.entity_id, a.region_code, a.before, a.after, a.request_id, a.prev_hash, a.hash)::audit_log) WHERE seq = 2`,
    );
    expect(await verifyAuditChain(t.db)).toMatchObject({
      ok: false,
      firstBrokenSeq: 3,
      problem: 'linkBroken',
    });
  });

  it('detects a deleted row in the middle and at the end', async () => {
    await behindTheApplicationsBack('DELETE FROM audit_log WHERE seq = 4');
    expect(await verifyAuditChain(t.db)).toMatchObject({
      ok: false,
      firstBrokenSeq: 4,
      problem: 'rowMissing',
    });
  });

  it('detects the last rows cut off', async () => {
    await behindTheApplicationsBack('DELETE FROM audit_log WHERE seq = 5');
    expect(await verifyAuditChain(t.db)).toMatchObject({
      ok: false,
      firstBrokenSeq: 5,
      problem: 'tailMissing',
    });
  });

  it('concurrent writers never fork the chain', async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        asSystem(t.db, async (tx) => {
          await appendAudit(tx, { action: 'test.concurrent', entityType: 'thing', entityId: `c${i}` });
        }),
      ),
    );
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, rowsChecked: 45 });
    if (onServer) expect(t.db.engine).toBe('postgres');
  });
});
