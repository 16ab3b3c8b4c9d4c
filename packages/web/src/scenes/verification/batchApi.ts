/** Calls of the 批量核对 page (server: domains/verification/batch.routes.ts), typed by the generated schema. */
import { api, call } from '../../api/client';
import type { paths } from '../../api/generated/schema';

type Json<T> = T extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;
export type BatchRun = Json<paths['/api/verification/batch/runs/{id}']['get']>;
export type BatchChange = Json<paths['/api/verification/batch/changes']['get']>['items'][number];
export type ChangeQuery = NonNullable<paths['/api/verification/batch/changes']['get']['parameters']['query']>;
export type StartBody = NonNullable<
  paths['/api/verification/batch/runs']['post']['requestBody']
>['content']['application/json'];

export const CHANGE_KINDS = [
  'newVehicle',
  'newProperty',
  'depositIncrease',
  'death',
  'newBusiness',
  'newFlag',
] as const;

export const listBatchRuns = () =>
  call(api.GET('/api/verification/batch/runs', { params: { query: { page: 1, pageSize: 10 } } }));

export const startBatchRun = (body: StartBody) => call(api.POST('/api/verification/batch/runs', { body }));

export const resumeBatchRun = (id: string) =>
  call(api.POST('/api/verification/batch/runs/{id}/resume', { params: { path: { id } } }));

export const listChanges = (query: ChangeQuery) =>
  call(api.GET('/api/verification/batch/changes', { params: { query } }));

export const acknowledgeChange = (id: string, note?: string) =>
  call(
    api.POST('/api/verification/batch/changes/{id}/acknowledge', {
      params: { path: { id } },
      body: note ? { note } : {},
    }),
  );

/** Household numbers from pasted text or an uploaded file: one per line or separated by commas. */
export function parseNumbers(text: string): string[] {
  return [
    ...new Set(
      text
        .replace(/^\uFEFF/, '')
        .split(/[\s,，;；]+/)
        .map((s) => s.replace(/^"|"$/g, '').trim())
        .filter((s) => s !== '' && s !== '户号'),
    ),
  ];
}
