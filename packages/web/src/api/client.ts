/**
 * The one API client: openapi-fetch typed by the generated `paths`, plus the two things every
 * call needs — the CSRF double-submit header on writes, and a way back to the login page when
 * the session has ended.
 */
import createClient from 'openapi-fetch';
import i18n from '../i18n';
import type { components, paths } from './generated/schema';

export type ErrorBody = components['schemas']['ErrorResponse'];
export type Account = components['schemas']['Account'];
export type Region = components['schemas']['Region'];
export type User = components['schemas']['User'];
export type Role = components['schemas']['Role'];

/** An API failure carrying the server's error body (or a synthetic one for network failures). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
  }
  get code(): string {
    return this.body.code;
  }
  get field(): string | undefined {
    return this.body.field;
  }
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
let csrfToken: Promise<string> | undefined;

async function fetchCsrfToken(): Promise<string> {
  const response = await fetch('/api/auth/csrf', { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`csrf ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

function csrf(refresh = false): Promise<string> {
  if (refresh || !csrfToken) {
    csrfToken = fetchCsrfToken();
    // A failed fetch must not be cached, or every later write would fail too.
    csrfToken.catch(() => {
      csrfToken = undefined;
    });
  }
  return csrfToken;
}

async function isCsrfRejection(response: Response): Promise<boolean> {
  if (response.status !== 403) return false;
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as Partial<ErrorBody> | null;
  return body?.code === 'CSRF_INVALID';
}

/** Where to go when the server says the session is gone; set by the router at start-up. */
let onUnauthenticated: (() => void) | undefined;
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

// These answer 401 as part of their normal flow (wrong password), not because a session ended.
const NO_REDIRECT = ['/api/auth/login', '/api/auth/logout'];

async function apiFetch(request: Request): Promise<Response> {
  const write = WRITE_METHODS.has(request.method);
  // Keep an unread copy: a write may have to be sent twice when the CSRF token was stale.
  const spare = write ? request.clone() : undefined;
  if (write) request.headers.set('x-csrf-token', await csrf());
  let response = await fetch(request);
  if (spare && (await isCsrfRejection(response))) {
    spare.headers.set('x-csrf-token', await csrf(true));
    response = await fetch(spare);
  }
  const path = new URL(request.url).pathname;
  if (response.status === 401 && !NO_REDIRECT.includes(path)) onUnauthenticated?.();
  return response;
}

export const api = createClient<paths>({ baseUrl: window.location.origin, fetch: apiFetch });

/** Login and logout rotate the session, and with it the cookie the CSRF token is bound to. */
export function resetCsrf(): void {
  csrfToken = undefined;
}

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Returns the data of a successful call, or throws an ApiError with the server's message. */
export function unwrap<T>(result: FetchResult<T>): T {
  if (result.error !== undefined || !result.response.ok) {
    const body = result.error as Partial<ErrorBody> | undefined;
    throw new ApiError(result.response.status, {
      code: body?.code ?? `HTTP_${result.response.status}`,
      message: body?.message ?? '服务器出错了，请稍后再试',
      messageEn: body?.messageEn ?? 'the server failed, please try again later',
      requestId: body?.requestId ?? '',
      ...(body?.field ? { field: body.field } : {}),
    });
  }
  return result.data as T;
}

/** Calls the API and unwraps; network failures become an ApiError with status 0. */
export async function call<T>(request: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await request;
  } catch {
    throw new ApiError(0, {
      code: 'NETWORK',
      message: '无法连接服务器，请检查网络后重试',
      messageEn: 'cannot reach the server, check the network and try again',
      requestId: '',
    });
  }
  return unwrap(result);
}

/** The message to show a person, in the language they chose. */
export function errorText(error: unknown): string {
  const en = i18n.language === 'en';
  if (error instanceof ApiError) {
    if (!en) return error.body.message;
    // The server's English messages start in lower case ("outside your region scope").
    const text = error.body.messageEn;
    return text.charAt(0).toUpperCase() + text.slice(1);
  }
  return en ? 'Something went wrong' : '出现了意外错误';
}
