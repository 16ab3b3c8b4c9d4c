/** Calls of documents and decision records (server: domains/decisions), typed by the generated schema. */
import { api, call } from '../../api/client';
import type { components, paths } from '../../api/generated/schema';

export type StatutoryDocument = components['schemas']['StatutoryDocument'];
export type CaseDecision = components['schemas']['CaseDecision'];

export const caseDocuments = (id: string) =>
  call(api.GET('/api/intake/cases/{id}/documents', { params: { path: { id } } }));

export const myDocuments = () => call(api.GET('/api/resident/documents'));

export type ServiceBody = NonNullable<
  paths['/api/documents/{id}/service']['post']['requestBody']
>['content']['application/json'];

/** 打印送达回执: numbered on the first call, the same receipt after. */
export const printReceipt = (id: string) =>
  call(api.POST('/api/documents/{id}/receipt', { params: { path: { id } } }));

/** 登记送达, once per document; the key makes a retried submission of the same form one record. */
export const recordService = (id: string, body: ServiceBody, key: string) =>
  call(
    api.POST('/api/documents/{id}/service', {
      params: { path: { id }, header: { 'idempotency-key': key } },
      body,
    }),
  );

export type DocumentService = components['schemas']['DocumentService'];
export type CorrectionBody = NonNullable<
  paths['/api/documents/{id}/service/correction']['post']['requestBody']
>['content']['application/json'];

/** 更正送达记录: names the record corrected, so a stale form is a 409; the key makes a retry one row. */
export const correctService = (id: string, body: CorrectionBody, key: string) =>
  call(
    api.POST('/api/documents/{id}/service/correction', {
      params: { path: { id }, header: { 'idempotency-key': key } },
      body,
    }),
  );

/** The stored PDF; a plain link, so the browser downloads it with the session cookie. */
export const staffDocumentUrl = (id: string) => `/api/documents/${id}/pdf`;
export const residentDocumentUrl = (id: string) => `/api/resident/documents/${id}/pdf`;
