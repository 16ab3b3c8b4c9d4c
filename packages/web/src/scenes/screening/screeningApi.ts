/** Every call of the 政策找人 page (server: domains/screening/screening.routes.ts), typed by the generated schema. */
import { api, call } from '../../api/client';
import type { components } from '../../api/generated/schema';

export type ScreeningRun = components['schemas']['ScreeningRun'];
export type ScreeningResult = components['schemas']['ScreeningResult'];
export type ScreeningHousehold = components['schemas']['ScreeningHousehold'];
export type PrescriptionItem = ScreeningHousehold['prescription']['items'][number];

export interface ResultFilters {
  regionCode?: string | undefined;
  policy?: string | undefined;
  newly?: boolean | undefined;
  kind?: 'eligible' | 'needsInfo' | undefined;
  page: number;
  pageSize: number;
}

export const listRuns = () =>
  call(api.GET('/api/screening/runs', { params: { query: { page: 1, pageSize: 20 } } }));

export const getRun = (id: string) => call(api.GET('/api/screening/runs/{id}', { params: { path: { id } } }));

export const startRun = (body: { regionCode?: string; onDate?: string }) =>
  call(api.POST('/api/screening/runs', { body }));

export function listResults(id: string, filters: ResultFilters) {
  const query = Object.fromEntries(
    Object.entries(filters).filter(([, v]) => v !== undefined && v !== ''),
  ) as ResultFilters;
  return call(api.GET('/api/screening/runs/{id}/results', { params: { path: { id }, query } }));
}

export const householdDetail = (id: string, householdId: string) =>
  call(
    api.GET('/api/screening/runs/{id}/households/{householdId}', { params: { path: { id, householdId } } }),
  );

/** Amount with its unit, in yuan: "¥1,234.00/月". */
export function amountText(
  fen: number | null | undefined,
  unit: string | null | undefined,
  en: boolean,
): string {
  if (fen === null || fen === undefined) return '—';
  const abs = Math.abs(Math.trunc(fen));
  const yuan = `${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
  const per =
    unit === 'fen/month' ? (en ? '/month' : '/月') : unit === 'fen/year' ? (en ? '/year' : '/年') : '';
  return `¥${yuan}${per}`;
}
