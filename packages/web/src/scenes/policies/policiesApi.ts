/** Policy administration calls; types come from the generated OpenAPI schema. */
import { api, call } from '../../api/client';
import type { components, paths } from '../../api/generated/schema';

type Ok<P extends keyof paths, M extends 'get' | 'post' | 'put'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

export type Ledger = Ok<'/api/policies', 'get'>;
export type LedgerPolicy = Ledger['policies'][number];
export type LedgerFile = Ledger['files'][number];
export type FileDetail = Ok<'/api/policies/file', 'get'>;
export type PolicyVersion = components['schemas']['PolicyVersion'];
export type PolicyDraft = components['schemas']['PolicyDraft'];
export type CheckResult = components['schemas']['PolicyCheckResult'];
export type Diff = Ok<'/api/policies/draft/diff', 'get'>;
export type VersionText = Ok<'/api/policies/version', 'get'>;

export const loadLedger = (date?: string) =>
  call(api.GET('/api/policies', { params: { query: date ? { date } : {} } }));

export const loadFile = (file: string) =>
  call(api.GET('/api/policies/file', { params: { query: { file } } }));

export const loadVersion = (file: string, versionNo: number) =>
  call(api.GET('/api/policies/version', { params: { query: { file, versionNo } } }));

export const saveDraft = (body: { file: string; body: string; scenarioBody?: string; revision?: number }) =>
  call(api.PUT('/api/policies/draft', { body }));

export const discardDraft = (file: string) =>
  call(api.DELETE('/api/policies/draft', { params: { query: { file } } }));

export const checkDraft = (file: string, effectiveDate?: string) =>
  call(
    api.POST('/api/policies/draft/check', { body: { file, ...(effectiveDate ? { effectiveDate } : {}) } }),
  );

export const diffDraft = (file: string) =>
  call(api.GET('/api/policies/draft/diff', { params: { query: { file } } }));

export const publishDraft = (body: {
  file: string;
  effectiveDate: string;
  reason: string;
  revision: number;
}) => call(api.POST('/api/policies/draft/publish', { body }));

/** "第 2 版" or "基线" for a version number (0 = the baseline shipped with the release). */
export function versionLabel(
  t: (key: string, options?: Record<string, unknown>) => string,
  n: number,
): string {
  return n === 0 ? t('policies.baseline') : t('policies.versionNo', { n });
}

/** The page address of a file's detail or editor (file names contain slashes: query string). */
export const detailPath = (file: string) => `/policies/detail?file=${encodeURIComponent(file)}`;
export const editorPath = (file: string) => `/policies/edit?file=${encodeURIComponent(file)}`;
