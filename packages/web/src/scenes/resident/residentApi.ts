/** Calls of the resident portal (server: domains/residents, domains/notices), typed by the generated schema. */
import { api, call } from '../../api/client';
import type { components } from '../../api/generated/schema';

export type ResidentPortal = components['schemas']['ResidentPortal'];
export type PortalCase = ResidentPortal['applications'][number]['cases'][number];

export const requestCode = (phone: string) =>
  call(api.POST('/api/resident/sign-in/code', { body: { phone } }));

export const signIn = (body: { phone: string; code: string; idNumber?: string | undefined }) =>
  call(api.POST('/api/resident/sign-in', { body }));

export const loadPortal = () => call(api.GET('/api/resident/portal'));

/** Items a resident may apply for online (the rest go through the window or a grid worker). */
export const ONLINE_ITEMS = ['dibao', 'tekun', 'temporaryAid', 'nearDibao', 'expenditureHardship'] as const;

/** One key per filled-in form: a retried submission of the same form creates one application. */
export function newIdempotencyKey(): string {
  return `web-${crypto.randomUUID()}`;
}

export const applyOnline = (householdId: string, items: string[], note: string | undefined, key: string) =>
  call(
    api.POST('/api/intake/applications', {
      params: { header: { 'idempotency-key': key } },
      body: {
        householdId,
        channel: 'online',
        items: items.map((policyId) => ({ policyId })),
        ...(note ? { note } : {}),
      },
    }),
  );

export const objectToNotice = (id: string, reason: string, anonymous: boolean, key: string) =>
  call(
    api.POST('/api/notices/{id}/objections', {
      params: { path: { id }, header: { 'idempotency-key': key } },
      body: { reason, anonymous },
    }),
  );

export const yuan = (fen: number) => (fen / 100).toFixed(2);
