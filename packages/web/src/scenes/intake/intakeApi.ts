/** Calls of the intake workbench (server: domains/intake/intake.routes.ts), typed by the generated schema. */
import { api, call } from '../../api/client';
import type { components } from '../../api/generated/schema';

export type IntakeCase = components['schemas']['IntakeCase'];
export type IntakeCaseDetail = components['schemas']['IntakeCaseDetail'];

export interface CaseFilters {
  status?: 'open' | 'awaitingApplicant' | 'completed' | 'refused' | 'rejected' | 'withdrawn' | undefined;
  dueStatus?: 'green' | 'yellow' | 'red' | undefined;
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
