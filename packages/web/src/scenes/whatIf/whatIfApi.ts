/** Calls of the 政策测算 page (server: domains/whatIf/whatIf.routes.ts), typed by the generated schema. */
import { api, call } from '../../api/client';
import type { paths } from '../../api/generated/schema';

type Json<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

export type WhatIfParameters = Json<'/api/what-if/parameters', 'get'>;
export type WhatIfParameter = WhatIfParameters['items'][number];
export type WhatIfRun = Json<'/api/what-if/runs/{id}', 'get'>;
export type WhatIfResult = NonNullable<WhatIfRun['result']>;
export type StartBody = NonNullable<
  paths['/api/what-if/runs']['post']['requestBody']
>['content']['application/json'];

export const listParameters = (onDate: string) =>
  call(api.GET('/api/what-if/parameters', { params: { query: { onDate } } }));

export const startWhatIf = (body: StartBody) => call(api.POST('/api/what-if/runs', { body }));

export const getWhatIf = (id: string) =>
  call(api.GET('/api/what-if/runs/{id}', { params: { path: { id } } }));

/** Fen as yuan with a sign when asked: "+¥1,234.00". */
export function yuan(fen: number, signed = false): string {
  const abs = Math.abs(Math.round(fen));
  const text = `¥${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
  if (fen < 0) return `-${text}`;
  return signed && fen > 0 ? `+${text}` : text;
}

/** A parameter value for people: money in yuan with its period, ratios and counts as they are. */
export function parameterValueText(value: WhatIfParameter['value'], unit: string, en: boolean): string {
  if (value === null) return en ? 'not set' : '未设定';
  if (typeof value !== 'number') return String(value);
  if (unit.startsWith('fen')) {
    const per =
      unit === 'fen/month' ? (en ? '/month' : '/月') : unit === 'fen/year' ? (en ? '/year' : '/年') : '';
    return `${yuan(value)}${per}`;
  }
  const units: Record<string, [string, string]> = {
    month: [' 个月', ' months'],
    year: [' 年', ' years'],
    count: [' 个', ''],
    point: [' 分', ' points'],
  };
  const suffix = units[unit];
  return `${value}${suffix ? (en ? suffix[1] : suffix[0]) : ''}`;
}
