/** Calls of the departmental-data page (server: domains/sources/sources.routes.ts). */
import { api, call } from '../../api/client';
import type { components } from '../../api/generated/schema';

export type SourceType = components['schemas']['SourceType'];
export type SourceImport = components['schemas']['SourceImport'];
export type SourceRecord = components['schemas']['SourceRecord'];

export const listSources = () => call(api.GET('/api/sources'));

export const listImports = (page: number) =>
  call(api.GET('/api/sources/imports', { params: { query: { page, pageSize: 10 } } }));

export const getImport = (id: string) =>
  call(api.GET('/api/sources/imports/{id}', { params: { path: { id } } }));

export const listUnmatched = (page: number) =>
  call(api.GET('/api/sources/records', { params: { query: { unmatched: true, page, pageSize: 10 } } }));

export const errorReportUrl = (id: string) => `/api/sources/imports/${id}/errors.csv`;

/**
 * Sends the file's raw bytes (no multipart: the server streams them to disk) with XHR, because
 * fetch cannot report upload progress. Resolves with the import as the server claimed it.
 */
export async function uploadFile(
  source: string,
  file: File,
  asOf: string,
  onProgress: (percent: number) => void,
): Promise<SourceImport> {
  const csrf = (await (await fetch('/api/auth/csrf', { credentials: 'same-origin' })).json()) as {
    token: string;
  };
  const query = new URLSearchParams({ fileName: file.name, asOf });
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/sources/${encodeURIComponent(source)}/imports?${query}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('x-csrf-token', csrf.token);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = { message: xhr.statusText };
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as SourceImport);
      else reject(body);
    };
    xhr.onerror = () => reject({ message: '无法连接服务器', messageEn: 'cannot reach the server' });
    xhr.send(file);
  });
}

export type SourceDispute = components['schemas']['SourceDispute'];
export type SourceQuality = components['schemas']['SourceQuality'];
export type DisputeStatus = SourceDispute['status'];

export const listRecords = (source: string | undefined, page: number) =>
  call(
    api.GET('/api/sources/records', {
      params: { query: { ...(source ? { source } : {}), page, pageSize: 10 } },
    }),
  );

export const getQuality = () => call(api.GET('/api/sources/quality'));

export const listDisputes = (status: DisputeStatus | undefined, page: number) =>
  call(
    api.GET('/api/sources/disputes', {
      params: { query: { ...(status ? { status } : {}), page, pageSize: 10 } },
    }),
  );

export const raiseDispute = (recordId: number, reason: string) =>
  call(
    api.POST('/api/sources/records/{id}/disputes', { params: { path: { id: recordId } }, body: { reason } }),
  );

export const answerDispute = (id: string, status: 'corrected' | 'rejected', answer: string) =>
  call(api.POST('/api/sources/disputes/{id}/answer', { params: { path: { id } }, body: { status, answer } }));
