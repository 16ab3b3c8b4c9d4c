/** Calls of the verification report page (server: domains/verification/verification.routes.ts). */
import { api, call } from '../../api/client';
import type { components } from '../../api/generated/schema';

type Schemas = components['schemas'];
export type Report = Awaited<ReturnType<typeof getReport>>;
export type Reconciliation = Awaited<ReturnType<typeof getReconciliation>>;
export type Supporter = Awaited<ReturnType<typeof listSupporters>>[number];
export type SupporterRelationship = 'son' | 'daughter' | 'spouse' | 'parent' | 'other';
export type { Schemas };

const path = (id: string) => ({ path: { id } });

export const getReport = (id: string, asOf: string) =>
  call(api.GET('/api/verification/households/{id}/report', { params: { ...path(id), query: { asOf } } }));

/** The PDF is opened by the browser itself (same-origin cookie), not fetched as JSON. */
export const reportPdfUrl = (id: string, asOf: string) =>
  `/api/verification/households/${encodeURIComponent(id)}/report.pdf?asOf=${encodeURIComponent(asOf)}`;

export const getReconciliation = (id: string, asOf: string) =>
  call(
    api.GET('/api/verification/households/{id}/reconciliation', { params: { ...path(id), query: { asOf } } }),
  );

export const approve = (
  id: string,
  asOf: string,
  overrides: Record<string, { value: number; reason: string }>,
) =>
  call(
    api.POST('/api/verification/households/{id}/approval', { params: path(id), body: { asOf, overrides } }),
  );

export const listSupporters = (id: string) =>
  call(api.GET('/api/verification/households/{id}/supporters', { params: path(id) }));

export const addSupporter = (id: string, idNumber: string, relationship: SupporterRelationship) =>
  call(
    api.POST('/api/verification/households/{id}/supporters', {
      params: path(id),
      body: { idNumber, relationship },
    }),
  );
