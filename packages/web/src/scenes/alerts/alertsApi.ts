/** Calls of the alert loop (server: domains/alerts/alerts.routes.ts), typed by the generated schema. */
import { api, call } from '../../api/client';
import type { components, paths } from '../../api/generated/schema';

type Json<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : never;
type Body<P extends keyof paths> = paths[P]['post'] extends {
  requestBody: { content: { 'application/json': infer T } };
}
  ? T
  : never;

export type Alert = components['schemas']['Alert'];
export type AlertDetail = components['schemas']['AlertDetail'];
export type AlertEvent = AlertDetail['events'][number];
export type Portrait = Json<'/api/alerts/{id}/portrait', 'get'>;
export type Dashboard = Json<'/api/alerts/dashboard', 'get'>;
export type Timeline = Json<'/api/alerts/households/{id}/timeline', 'get'>;
export type RaiseBody = Body<'/api/alerts'>;
export type ActionBody = Body<'/api/alerts/{id}/actions'>;
export type AlertQuery = NonNullable<paths['/api/alerts']['get']['parameters']['query']>;

export const listAlerts = (query: AlertQuery) => call(api.GET('/api/alerts', { params: { query } }));
export const getAlert = (id: string) => call(api.GET('/api/alerts/{id}', { params: { path: { id } } }));
export const getPortrait = (id: string) =>
  call(api.GET('/api/alerts/{id}/portrait', { params: { path: { id } } }));
export const getTimeline = (id: string) =>
  call(api.GET('/api/alerts/households/{id}/timeline', { params: { path: { id } } }));
export const getDashboard = (regionCode?: string) =>
  call(api.GET('/api/alerts/dashboard', { params: { query: regionCode ? { regionCode } : {} } }));
export const act = (id: string, body: ActionBody) =>
  call(api.POST('/api/alerts/{id}/actions', { params: { path: { id } }, body }));
export type MyRequest = Json<'/api/alerts/mine', 'get'>[number];
export const myRequests = () => call(api.GET('/api/alerts/mine'));
export const sweep = () => call(api.POST('/api/alerts/sweep'));
export type AlertReminder = Json<'/api/alerts/reminders', 'get'>[number];
export const listReminders = (limit: number) =>
  call(api.GET('/api/alerts/reminders', { params: { query: { limit } } }));

/** The key is made once per form and kept, so a retried tap on a weak signal raises once. */
export const raiseAlert = (body: RaiseBody, idempotencyKey: string) =>
  call(api.POST('/api/alerts', { body, params: { header: { 'idempotency-key': idempotencyKey } } }));

export const newKey = () => `alert-${crypto.randomUUID()}`;

export const dashboardXlsxUrl = (regionCode?: string) =>
  `/api/alerts/dashboard.xlsx${regionCode ? `?regionCode=${encodeURIComponent(regionCode)}` : ''}`;

export const COLOUR_TAG: Record<string, string> = {
  red: 'red',
  yellow: 'gold',
  blue: 'blue',
  green: 'green',
};
/** The handling clock after acceptance (green, yellow at 80% of the working days, red overdue). */
export const DUE_TAG: Record<string, string> = { green: 'green', yellow: 'gold', red: 'red' };

export const COLOUR_HEX: Record<string, string> = {
  red: '#cf1322',
  yellow: '#d4b106',
  blue: '#1677ff',
  green: '#389e0d',
};
