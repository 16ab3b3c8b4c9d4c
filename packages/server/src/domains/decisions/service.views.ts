/**
 * A document as listed, with its service (and the time for an appeal from it), the records that
 * service corrected (superseded, newest first) and its receipt.
 */
import type { Queryable } from '../../db/database.ts';
import * as serviceRepo from './service.repo.ts';
import { appealDeadlines } from './serviceRules.ts';

function recordView(s: serviceRepo.ServiceRow) {
  return {
    id: s.id,
    method: s.method,
    servedOn: s.served_on,
    recipientName: s.recipient_name,
    recipientRelation: s.recipient_relation,
    witnessName: s.witness_name,
    refusalReason: s.refusal_reason,
    trackingNumber: s.tracking_number,
    serverName: s.server_name,
    note: s.note,
    recordedByName: s.recorded_by_name,
    recordedAt: new Date(s.recorded_at).toISOString(),
    correctionReason: s.correction_reason,
  };
}

/** The current record; `history` holds the records it replaced, newest first. */
export function serviceView(s: serviceRepo.ServiceRow, kind: string, history: serviceRepo.ServiceRow[] = []) {
  return {
    ...recordView(s),
    appeal: appealDeadlines(kind, s.served_on, s.region_code),
    superseded: history.map(recordView),
  };
}

/** The chain of records ending in `current`, without it, newest first. */
function supersededBy(current: serviceRepo.ServiceRow, rows: readonly serviceRepo.ServiceRow[]) {
  const byId = new Map(rows.map((s) => [s.id, s]));
  const chain: serviceRepo.ServiceRow[] = [];
  for (let s = current.corrects ? byId.get(current.corrects) : undefined; s; ) {
    chain.push(s);
    s = s.corrects ? byId.get(s.corrects) : undefined;
  }
  return chain;
}

export async function withService<T extends { id: string; kind: string }>(tx: Queryable, documents: T[]) {
  const ids = documents.map((d) => d.id);
  const [records, receipts] = await Promise.all([
    serviceRepo.serviceHistoryOf(tx, ids),
    serviceRepo.receiptsOf(tx, ids),
  ]);
  const serviceBy = new Map(serviceRepo.currentOf(records).map((s) => [s.document_id, s]));
  const receiptBy = new Map(receipts.map((r) => [r.served_document_id, r]));
  return documents.map((d) => {
    const s = serviceBy.get(d.id);
    const r = receiptBy.get(d.id);
    return {
      ...d,
      service: s ? serviceView(s, d.kind, supersededBy(s, records)) : null,
      receipt: r ? { id: r.id, number: r.number } : null,
    };
  });
}
