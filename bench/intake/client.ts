/**
 * The load generator's side of the wire: one signed-in browser per simulated caseworker (cookie jar,
 * CSRF token) over Node's fetch (undici, keep-alive connections to the listening server), and the
 * latency and status of every request by operation.
 */
import { percentile } from '../lib/index.ts';

export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the bench reads a few fields of many response shapes
  json: any;
  ms: number;
}

export class Stats {
  readonly latencies = new Map<string, number[]>();
  /** "status code" (e.g. "409 CASE_VERSION_CONFLICT") → count, for every answer that was not 200. */
  readonly failures = new Map<string, number>();
  requests = 0;

  record(op: string, ms: number, status: number, code?: string) {
    this.requests += 1;
    const list = this.latencies.get(op) ?? [];
    if (list.length === 0) this.latencies.set(op, list);
    list.push(ms);
    if (status !== 200) {
      const key = `${status || 'network'} ${code ?? ''}`.trim();
      this.failures.set(key, (this.failures.get(key) ?? 0) + 1);
    }
  }

  /** One row per operation: count, p50, p99, max (ms). */
  rows(): string[][] {
    const out: string[][] = [];
    const all: number[] = [];
    for (const [op, list] of [...this.latencies].sort(([a], [b]) => a.localeCompare(b))) {
      const sorted = [...list].sort((a, b) => a - b);
      all.push(...list);
      out.push([op, String(list.length), ...summary(sorted)]);
    }
    all.sort((a, b) => a - b);
    out.push(['**all requests**', String(all.length), ...summary(all)]);
    return out;
  }

  p99(): number {
    const all = [...this.latencies.values()].flat().sort((a, b) => a - b);
    return percentile(all, 99);
  }
}

const summary = (sorted: number[]) => [
  percentile(sorted, 50).toFixed(1),
  percentile(sorted, 99).toFixed(1),
  (sorted.at(-1) ?? Number.NaN).toFixed(1),
];

export class Browser {
  private readonly cookies = new Map<string, string>();
  private csrf: string | undefined;

  constructor(
    private readonly base: string,
    private readonly stats: Stats,
  ) {}

  /** One request; network failures and timeouts come back as status 0 (never thrown). */
  async request(
    op: string,
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    const started = performance.now();
    let status = 0;
    // biome-ignore lint/suspicious/noExplicitAny: see Reply
    let json: any = null;
    try {
      const response = await fetch(`${this.base}${path}`, {
        method,
        headers: {
          cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          ...(method !== 'GET' && this.csrf ? { 'x-csrf-token': this.csrf } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      status = response.status;
      for (const cookie of response.headers.getSetCookie()) {
        const [pair] = cookie.split(';');
        const eq = pair?.indexOf('=') ?? -1;
        if (pair && eq > 0) this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
      }
      const text = await response.text();
      json = text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    } catch {
      status = 0;
    }
    const ms = performance.now() - started;
    this.stats.record(op, ms, status, status !== 200 ? json?.code : undefined);
    return { status, json, ms };
  }

  async login(username: string, password: string): Promise<void> {
    const csrf = await this.request('sign in (before the clock)', 'GET', '/api/auth/csrf');
    this.csrf = csrf.json?.token;
    const r = await this.request('sign in (before the clock)', 'POST', '/api/auth/login', {
      username,
      password,
    });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.json)}`);
  }
}
