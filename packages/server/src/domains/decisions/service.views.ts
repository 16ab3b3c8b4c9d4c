/** A document as listed, with its service (and the time for an appeal from it) and its receipt. */
import type { Queryable } from '../../db/database.ts';
import * as serviceRepo from './service.repo.ts';
import { appealDeadlines } from './serviceRules.ts';

export function serviceView(s: serviceRepo.ServiceRow, kind: string) {
  return {
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
    appeal: appealDeadlines(kind, s.served_on, s.region_code),
  };
}

export async function withService<T extends { id: string; kind: string }>(tx: Queryable, documents: T[]) {
  const ids = documents.map((d) => d.id);
  const [services, receipts] = await Promise.all([
    serviceRepo.servicesOf(tx, ids),
    serviceRepo.receiptsOf(tx, ids),
  ]);
  const serviceBy = new Map(services.map((s) => [s.document_id, s]));
  const receiptBy = new Map(receipts.map((r) => [r.served_document_id, r]));
  return documents.map((d) => {
    const s = serviceBy.get(d.id);
    const r = receiptBy.get(d.id);
    return {
      ...d,
      service: s ? serviceView(s, d.kind) : null,
      receipt: r ? { id: r.id, number: r.number } : null,
    };
  });
}
