/** Calls of documents and decision records (server: domains/decisions), typed by the generated schema. */
import { api, call } from '../../api/client';
import type { components } from '../../api/generated/schema';

export type StatutoryDocument = components['schemas']['StatutoryDocument'];
export type CaseDecision = components['schemas']['CaseDecision'];

export const caseDocuments = (id: string) =>
  call(api.GET('/api/intake/cases/{id}/documents', { params: { path: { id } } }));

export const myDocuments = () => call(api.GET('/api/resident/documents'));

/** The stored PDF; a plain link, so the browser downloads it with the session cookie. */
export const staffDocumentUrl = (id: string) => `/api/documents/${id}/pdf`;
export const residentDocumentUrl = (id: string) => `/api/resident/documents/${id}/pdf`;
