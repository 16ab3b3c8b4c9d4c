/**
 * Walks the audit chain from the first row and names the first row that does not hold:
 * its hash does not match its content, it does not point at the previous row's hash, a
 * sequence number is missing, or the chain ends before the head says it should.
 */
import type { Queryable } from '../../db/database.ts';
import { readChainBatch, readChainHead } from './audit.repo.ts';

export type ChainProblem = 'contentChanged' | 'linkBroken' | 'rowMissing' | 'tailMissing';

export interface ChainVerification {
  ok: boolean;
  rowsChecked: number;
  firstBrokenSeq?: number;
  problem?: ChainProblem;
  message: string;
  messageEn: string;
}

const GENESIS_HASH = '0'.repeat(64);
const BATCH = 5_000;

export async function verifyAuditChain(db: Queryable): Promise<ChainVerification> {
  let previousHash = GENESIS_HASH;
  let previousSeq = 0;
  let rowsChecked = 0;
  const broken = (seq: number, problem: ChainProblem, message: string): ChainVerification => ({
    ok: false,
    rowsChecked,
    firstBrokenSeq: seq,
    problem,
    message,
    messageEn: `audit row ${seq} fails the check (${problem})`,
  });
  for (;;) {
    const rows = await readChainBatch(db, previousSeq, BATCH);
    for (const row of rows) {
      if (row.seq !== previousSeq + 1) {
        return broken(previousSeq + 1, 'rowMissing', `第 ${previousSeq + 1} 条审计记录缺失`);
      }
      if (row.hash !== row.expected) {
        return broken(row.seq, 'contentChanged', `第 ${row.seq} 条审计记录的内容被改动过（哈希不符）`);
      }
      if (row.prev_hash !== previousHash) {
        return broken(row.seq, 'linkBroken', `第 ${row.seq} 条审计记录与前一条的链接断开`);
      }
      previousHash = row.hash;
      previousSeq = row.seq;
      rowsChecked++;
    }
    if (rows.length < BATCH) break;
  }
  const head = await readChainHead(db);
  if (head.last_seq !== previousSeq || head.last_hash !== previousHash) {
    return broken(
      previousSeq + 1,
      'tailMissing',
      `审计链应有 ${head.last_seq} 条记录，只找到 ${previousSeq} 条`,
    );
  }
  return {
    ok: true,
    rowsChecked,
    message: `审计链完整，共校验 ${rowsChecked} 条记录`,
    messageEn: `The audit chain is intact: ${rowsChecked} rows checked`,
  };
}
