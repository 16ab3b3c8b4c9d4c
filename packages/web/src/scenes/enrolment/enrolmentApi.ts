/** Calls of the enrolment page (server: domains/enrolment/enrolment.routes.ts), typed by the generated schema. */
import { api, call } from '../../api/client';
import type { components, paths } from '../../api/generated/schema';

export type Enrolment = components['schemas']['Enrolment'];
export type EnrolmentTask = components['schemas']['EnrolmentTask'];
export type ChangeBody =
  paths['/api/enrolments/{id}/changes']['post']['requestBody']['content']['application/json'];

export const LEGAL_GROUNDS = [
  'incomeChange',
  'membersChange',
  'assetsChange',
  'noLongerEligible',
  'refusedWork',
  'phaseOut',
] as const;
export const CHANGE_KINDS = ['increase', 'cut', 'stop', 'phaseOut'] as const;

export const listEnrolments = (status: 'active' | 'phaseOut' | 'stopped' | undefined, page: number) =>
  call(
    api.GET('/api/enrolments', { params: { query: { page, pageSize: 20, ...(status ? { status } : {}) } } }),
  );
export const listTasks = () => call(api.GET('/api/enrolments/tasks'));
export const getEnrolment = (id: string) =>
  call(api.GET('/api/enrolments/{id}', { params: { path: { id } } }));

export const proposeChange = (id: string, body: ChangeBody, key: string) =>
  call(
    api.POST('/api/enrolments/{id}/changes', {
      params: { path: { id }, header: { 'idempotency-key': key } },
      body,
    }),
  );

export const decideTask = (
  id: string,
  decision: 'approve' | 'reject' | 'done',
  version: number,
  note?: string,
) =>
  call(
    api.POST('/api/enrolments/tasks/{id}/decision', {
      params: { path: { id } },
      body: { decision, version, ...(note ? { note } : {}) },
    }),
  );
