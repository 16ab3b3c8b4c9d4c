/**
 * The load generator's side of the wire: one signed-in browser per simulated caseworker (cookie jar,
 * CSRF token) over node:http (keep-alive connections to the listening server), and the
 * latency and status of every request by operation.
 */
import http from 'node:http';
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

// node:http with one keep-alive agent for every simulated browser: the load generator shares the
// machine's two cores with the server under test, and fetch (undici through the web streams) cost
// about twice the CPU per request.
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

function send(
  url: string,
  method: string,
  payload: string | undefined,
  headers: Record<string, string>,
): Promise<{ status: number; setCookies: string[]; text: string; json: boolean }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, agent, timeout: 30_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          setCookies: response.headers['set-cookie'] ?? [],
          text: Buffer.concat(chunks).toString('utf8'),
          json: (response.headers['content-type'] ?? '').includes('json'),
        }),
      );
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', reject);
    request.end(payload);
  });
}

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
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const response = await send(`${this.base}${path}`, method, payload, {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(method !== 'GET' && this.csrf ? { 'x-csrf-token': this.csrf } : {}),
        ...(payload !== undefined
          ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }
          : {}),
        ...headers,
      });
      status = response.status;
      for (const cookie of response.setCookies) {
        const [pair] = cookie.split(';');
        const eq = pair?.indexOf('=') ?? -1;
        if (pair && eq > 0) this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
      }
      const text = response.text;
      json = text && response.json ? JSON.parse(text) : text;
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
