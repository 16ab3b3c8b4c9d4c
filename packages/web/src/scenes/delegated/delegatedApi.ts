/** Calls of 委托核对 and 身后一件事 (server: domains/verification/delegated.routes.ts). */
import { api, call } from '../../api/client';
import type { paths } from '../../api/generated/schema';

type Body<P extends keyof paths> = paths[P]['post'] extends {
  requestBody: { content: { 'application/json': infer T } };
}
  ? T
  : never;

export type DelegatedBody = Body<'/api/verification/delegated'>;
export type EstateBody = Body<'/api/verification/estate'>;
export type Purpose = Awaited<ReturnType<typeof listPurposes>>[number];
export type DelegatedRequest = Awaited<ReturnType<typeof listRequests>>[number];
export type DelegatedResult = Awaited<ReturnType<typeof getResult>>;
export type EstateSummary = Awaited<ReturnType<typeof listEstate>>[number];
export type EstateInquiry = Awaited<ReturnType<typeof getEstate>>;
export type AccessEntry = Awaited<ReturnType<typeof getAccess>>[number];

const path = (id: string) => ({ path: { id } });
/** One key per form: a retried click or a lost answer files once. */
export const newIdempotencyKey = () => `web-${crypto.randomUUID()}`;

export const listPurposes = () => call(api.GET('/api/verification/purposes'));

export const listRequests = (status?: 'requested' | 'completed' | 'refused') =>
  call(api.GET('/api/verification/delegated', { params: { query: status ? { status } : {} } }));

export const fileRequest = (body: DelegatedBody, key: string) =>
  call(api.POST('/api/verification/delegated', { body, params: { header: { 'idempotency-key': key } } }));

export const getRequest = (id: string) =>
  call(api.GET('/api/verification/delegated/{id}', { params: path(id) }));

export const getResult = (id: string) =>
  call(api.GET('/api/verification/delegated/{id}/result', { params: path(id) }));

export const completeRequest = (id: string) =>
  call(api.POST('/api/verification/delegated/{id}/complete', { params: path(id), body: {} }));

export const refuseRequest = (id: string, reason: string) =>
  call(api.POST('/api/verification/delegated/{id}/refuse', { params: path(id), body: { reason } }));

export const getAccess = (id: string) =>
  call(api.GET('/api/verification/delegated/{id}/access', { params: path(id) }));

export const listEstate = () => call(api.GET('/api/verification/estate'));

export const fileEstate = (body: EstateBody, key: string) =>
  call(api.POST('/api/verification/estate', { body, params: { header: { 'idempotency-key': key } } }));

export const getEstate = (id: string) => call(api.GET('/api/verification/estate/{id}', { params: path(id) }));

export const getEstateAccess = (id: string) =>
  call(api.GET('/api/verification/estate/{id}/access', { params: path(id) }));

/** The PDF is opened by the browser itself (same-origin cookie). */
export const estatePdfUrl = (id: string) => `/api/verification/estate/${encodeURIComponent(id)}/report.pdf`;

/** The authorisation scan, downloaded by the browser itself (same-origin cookie); logged by the server. */
export const authorisationUrl = (id: string) =>
  `/api/verification/delegated/${encodeURIComponent(id)}/authorisation`;

/** A record's fields as one line in the page's language (the server sends both). */
export const fieldsLine = (
  fields: readonly { label: string; labelEn: string; text: string; textEn: string }[],
  en: boolean,
) => fields.map((f) => (en ? `${f.labelEn}: ${f.textEn}` : `${f.label}：${f.text}`)).join(en ? '; ' : '；');
