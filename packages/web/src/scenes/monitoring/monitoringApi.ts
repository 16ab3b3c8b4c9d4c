/** Calls of the 动态监测运行 page (server: domains/monitoring/monitoring.routes.ts), typed by the generated schema. */
import { api, call } from '../../api/client';
import type { paths } from '../../api/generated/schema';

type Json<T> = T extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;
export type MonitoringRun = Json<paths['/api/monitoring/runs/{id}']['get']>;
export type MonitoringAlert = Json<paths['/api/monitoring/runs/alerts']['get']>['items'][number];
export type AlertQuery = NonNullable<paths['/api/monitoring/runs/alerts']['get']['parameters']['query']>;

export interface BandSetting {
  label: string;
  red: number;
  yellow: number;
  blue: number;
}

export interface SettingResult {
  label: string;
  bounds: { red: number; yellow: number; blue: number };
  colours: Record<string, number>;
  raised: number;
  known: number;
  truePositive: number;
  precision: number | null;
  recall: number | null;
}

export interface Tally {
  alerts: number;
  withOutcome: number;
  truePositive: number;
  precision: number | null;
  /** Only against a complete truth (the synthetic county's). */
  recall?: number | null;
}

export interface CalibrationResult {
  id: string;
  modelId: string;
  modelVersion: string;
  households: number;
  raise: string[];
  truthSource: string;
  settings: SettingResult[];
  backTest: { overall: Tally; byCause: Record<string, Tally>; byColour: Record<string, Tally> };
}

export const listRuns = () =>
  call(api.GET('/api/monitoring/runs', { params: { query: { page: 1, pageSize: 20 } } }));

export const startRun = (body: { regionCode?: string; asOf?: string }) =>
  call(api.POST('/api/monitoring/runs', { body }));

export const resumeRun = (id: string) =>
  call(api.POST('/api/monitoring/runs/{id}/resume', { params: { path: { id } } }));

export const listAlerts = (query: AlertQuery) =>
  call(api.GET('/api/monitoring/runs/alerts', { params: { query } }));

export const calibrate = async (body: {
  villages: string[];
  settings: BandSetting[];
  asOf?: string;
  note?: string;
}) => (await call(api.POST('/api/monitoring/calibrations', { body }))) as CalibrationResult;
