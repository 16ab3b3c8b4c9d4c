/** Calls of the notice page (server: domains/notices/notices.routes.ts), typed by the generated schema. */
import { api, call } from '../../api/client';
import type { components } from '../../api/generated/schema';

export type PublicNotice = components['schemas']['PublicNotice'];

export const listNotices = (status: 'open' | 'closed' | undefined, page: number) =>
  call(api.GET('/api/notices', { params: { query: { page, pageSize: 20, ...(status ? { status } : {}) } } }));

export const getNotice = (id: string) => call(api.GET('/api/notices/{id}', { params: { path: { id } } }));

export const postNotice = (caseId: string, proposedAmountFen: number) =>
  call(api.POST('/api/notices', { body: { caseId, proposedAmountFen } }));

/** Open cases at their notice step (the workbench lists at most 100 a page; a township has fewer). */
export const casesAtNoticeStep = async () => {
  const [page, posted] = await Promise.all([
    call(api.GET('/api/intake/cases', { params: { query: { status: 'open', page: 1, pageSize: 100 } } })),
    call(api.GET('/api/notices', { params: { query: { status: 'open', page: 1, pageSize: 100 } } })),
  ]);
  const noticed = new Set(posted.items.map((n) => n.caseId));
  return page.items.filter((c) => c.currentStep?.id === 'publicNotice' && !noticed.has(c.id));
};
