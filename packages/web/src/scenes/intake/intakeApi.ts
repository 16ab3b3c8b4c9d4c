/** Calls of the intake workbench (server: domains/intake/intake.routes.ts), typed by the generated schema. */
import { api, call } from '../../api/client';
import type { components, paths } from '../../api/generated/schema';

type Body<P extends keyof paths, M extends 'post' | 'put'> = paths[P][M] extends {
  requestBody: { content: { 'application/json': infer T } };
}
  ? T
  : never;
type Json<P extends keyof paths, M extends 'get' | 'post' | 'put'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

export type IntakeCase = components['schemas']['IntakeCase'];
export type IntakeCaseDetail = components['schemas']['IntakeCaseDetail'];

export interface CaseFilters {
  status?: 'open' | 'awaitingApplicant' | 'completed' | 'refused' | 'rejected' | 'withdrawn' | undefined;
  dueStatus?: 'green' | 'yellow' | 'red' | undefined;
  office?: 'township' | 'county' | 'department' | 'verificationCentre' | undefined;
  /** staffRelative: the county's 近亲属备案 list. */
  flag?: 'staffRelative' | 'spotCheck' | undefined;
  page: number;
  pageSize: number;
}

export const listCases = (query: CaseFilters) => call(api.GET('/api/intake/cases', { params: { query } }));
export const overdue = () => call(api.GET('/api/intake/overdue'));
export const getCase = (id: string) => call(api.GET('/api/intake/cases/{id}', { params: { path: { id } } }));

export interface TransitionRequest {
  version: number;
  step: string;
  action: 'complete' | 'resubmit' | 'refuse' | 'reject' | 'withdraw' | 'extend';
  outcome?: string | undefined;
  documents?: string[] | undefined;
  investigators?: string[] | undefined;
  reason?: string | undefined;
}

export const transition = (id: string, body: TransitionRequest) =>
  call(api.POST('/api/intake/cases/{id}/transitions', { params: { path: { id } }, body }));

// ---- window intake wizard ----

export type Suggestions = Json<'/api/intake/suggestions', 'post'>;
export type SuggestionItem = Suggestions['items'][number];
export type IntakeApplication = components['schemas']['IntakeApplication'];
export type SubmitBody = Body<'/api/intake/applications', 'post'>;
export type Declared = Body<'/api/intake/suggestions', 'post'>['declared'];

export const suggest = (householdId: string, declared?: Declared, residenceRegionCode?: string) =>
  call(
    api.POST('/api/intake/suggestions', {
      body: { householdId, declared, ...(residenceRegionCode ? { residenceRegionCode } : {}) },
    }),
  );

/** The key is made once per wizard and kept, so a retried click or a lost answer submits once. */
export const submitApplication = (body: SubmitBody, idempotencyKey: string) =>
  call(
    api.POST('/api/intake/applications', {
      body,
      params: { header: { 'idempotency-key': idempotencyKey } },
    }),
  );

export const getApplication = (id: string) =>
  call(api.GET('/api/intake/applications/{id}', { params: { path: { id } } }));

// ---- home visit ----

export type HomeVisit = Json<'/api/intake/cases/{id}/home-visit', 'put'>;
export type SaveVisitBody = Body<'/api/intake/cases/{id}/home-visit', 'put'>;

export const caseVisit = (caseId: string) =>
  call(api.GET('/api/intake/cases/{id}/home-visit', { params: { path: { id: caseId } } }));

export const saveVisit = (caseId: string, body: SaveVisitBody) =>
  call(api.PUT('/api/intake/cases/{id}/home-visit', { params: { path: { id: caseId } }, body }));

export const uploadPhoto = (visitId: string, file: Blob, caption?: string) =>
  call(
    api.POST('/api/intake/home-visits/{id}/photos', {
      params: { path: { id: visitId }, query: caption ? { caption } : {} },
      body: file as never,
      bodySerializer: (b: unknown) => b as Blob,
      headers: { 'content-type': file.type || 'application/octet-stream' },
    }),
  );

export const photoUrl = (visitId: string, photoId: string) =>
  `/api/intake/home-visits/${visitId}/photos/${photoId}`;

export const confirmVisit = (visitId: string, version: number) =>
  call(
    api.POST('/api/intake/home-visits/{id}/confirm', {
      params: { path: { id: visitId } },
      body: { version },
    }),
  );

export const awaitingMe = () => call(api.GET('/api/intake/home-visits/awaiting-me'));
