/**
 * Registry benchmark: `npx tsx bench/registry/seed.bench.ts [--households 100000] [--seed 1] [--keep]`.
 *
 * 1. Creates a fresh database on the server named by DATABASE_URL (default
 *    postgres://postgres@127.0.0.1:5432/postgres), migrates it, and seeds N synthetic households of
 *    Xiaochang (420921) the way `doudi seed` does: streamed, batched unnest inserts, AES-256-GCM and
 *    HMAC blind index per person. Reports time, households/s, crypto CPU share, peak RSS (sampled
 *    every 250 ms, plus the process maximum).
 * 2. Signs in as a county officer through the real app (app.inject) and fetches the detail of 1,000
 *    random households, then 200 exact ID-number searches (blind index), reporting p50/p99.
 * The database is dropped at the end unless --keep.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { buildApp } from '../../packages/server/src/app.ts';
import { loadConfig } from '../../packages/server/src/config.ts';
import { openPostgres } from '../../packages/server/src/db/database.ts';
import { migrate } from '../../packages/server/src/db/migrate.ts';
import { systemActor } from '../../packages/server/src/demo/demoAccounts.ts';
import { cipherFor } from '../../packages/server/src/domains/registry/personalData.crypto.ts';
import { seedRegistry } from '../../packages/server/src/domains/registry/seed.ts';
import { createUser } from '../../packages/server/src/domains/users/users.service.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};
const households = Number(option('households', '100000'));
const seed = Number(option('seed', '1'));
const keep = args.includes('--keep');
const adminUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const name = `doudi_bench_registry_${Date.now().toString(36)}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
await admin.end();
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const db = await openPostgres(url.toString(), 10);
const config = {
  ...loadConfig({ NODE_ENV: 'test', DATABASE_URL: url.toString() }),
  jobs: false,
  webDist: '/nonexistent',
};
const rows: [string, string][] = [];

try {
  await migrate(db);
  let peak = process.memoryUsage().rss;
  const rssSamples: number[] = [];
  const sampler = setInterval(() => {
    const rss = process.memoryUsage().rss;
    peak = Math.max(peak, rss);
  }, 250);
  const cpuStart = process.cpuUsage();
  let nextSample = households / 10;
  const result = await seedRegistry(db, cipherFor(config.dataKey), systemActor, {
    households,
    seed,
    under: '420921',
    onProgress: (done, total) => {
      if (process.stderr.isTTY) process.stderr.write(`\r${done} / ${total}`);
      if (done >= nextSample) {
        rssSamples.push(mb(process.memoryUsage().rss));
        nextSample += households / 10;
      }
    },
  });
  clearInterval(sampler);
  if (process.stderr.isTTY) process.stderr.write('\n');
  const cpu = process.cpuUsage(cpuStart);
  const size = await db.query<{ size: string }>(
    'SELECT pg_size_pretty(pg_database_size(current_database())) AS size',
  );

  rows.push(
    ['households seeded', result.households.toLocaleString('en')],
    ['persons', result.persons.toLocaleString('en')],
    [
      'attributes / categories',
      `${result.attributes.toLocaleString('en')} / ${result.categories.toLocaleString('en')}`,
    ],
    ['batches (2,000 households, one transaction each)', String(result.batches)],
    [
      'seed wall time (of which villages + region import)',
      `${result.seconds.toFixed(1)} s (${result.setupSeconds.toFixed(1)} s)`,
    ],
    [
      'households/s (loading, after setup)',
      Math.round(result.households / (result.seconds - result.setupSeconds)).toLocaleString('en'),
    ],
    [
      'persons/s (loading, after setup)',
      Math.round(result.persons / (result.seconds - result.setupSeconds)).toLocaleString('en'),
    ],
    ['Node CPU (user+sys)', `${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`],
    [
      'of which encryption + blind index',
      `${result.cryptoSeconds.toFixed(1)} s (${((result.cryptoSeconds * 1e6) / result.persons).toFixed(1)} µs/person)`,
    ],
    [
      'peak RSS (sampled / process max)',
      `${mb(peak)} MB / ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
    ],
    ['RSS at each tenth', `${rssSamples.join(', ')} MB`],
    ['database size', size.rows[0]?.size ?? '?'],
  );

  // Detail API latency as a county officer, through the whole app (session, RLS, JSON schema).
  await createUser(db, systemActor, {
    username: 'bench.county',
    displayName: '县民政局（基准）',
    role: 'countyOfficer',
    regionCode: '420921000000',
    password: 'Bench-password-42',
  });
  const app = await buildApp(db, { ...config, apiRateLimit: 1_000_000 });
  await app.ready();
  const login = await app.inject({ method: 'GET', url: '/api/auth/csrf' });
  const csrfCookies = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const signIn = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { cookie: csrfCookies, 'x-csrf-token': login.json().token, 'content-type': 'application/json' },
    payload: JSON.stringify({ username: 'bench.county', password: 'Bench-password-42' }),
  });
  if (signIn.statusCode !== 200) throw new Error(`login failed: ${signIn.body}`);
  const cookie = [...login.cookies, ...signIn.cookies].map((c) => `${c.name}=${c.value}`).join('; ');
  const sample = await db.query<{ id: string }>('SELECT id FROM household ORDER BY random() LIMIT 1000');
  const ids = sample.rows.map((r) => r.id);
  const timings: number[] = [];
  for (const id of ids) {
    const t0 = performance.now();
    const response = await app.inject({ method: 'GET', url: `/api/households/${id}`, headers: { cookie } });
    timings.push(performance.now() - t0);
    if (response.statusCode !== 200) throw new Error(`detail ${id}: ${response.statusCode} ${response.body}`);
  }
  timings.sort((a, b) => a - b);
  rows.push([
    `household detail, ${ids.length} random (p50 / p99 / max)`,
    `${percentile(timings, 50).toFixed(1)} / ${percentile(timings, 99).toFixed(1)} / ${(timings.at(-1) ?? 0).toFixed(1)} ms`,
  ]);

  // Exact search by ID number through the blind index (the numbers are read back by decrypting).
  const cipher = cipherFor(config.dataKey);
  const people = await db.query<{ c: Uint8Array }>(
    'SELECT id_number_cipher AS c FROM person ORDER BY random() LIMIT 200',
  );
  const search: number[] = [];
  for (const p of people.rows) {
    const idNumber = cipher.decrypt('idNumber', p.c);
    const t0 = performance.now();
    const response = await app.inject({
      method: 'GET',
      url: `/api/households?idNumber=${idNumber}`,
      headers: { cookie },
    });
    search.push(performance.now() - t0);
    if (response.json().total !== 1) throw new Error(`search ${randomUUID()}: ${response.body}`);
  }
  search.sort((a, b) => a - b);
  rows.push([
    `search by ID number, ${search.length} (p50 / p99)`,
    `${percentile(search, 50).toFixed(1)} / ${percentile(search, 99).toFixed(1)} ms`,
  ]);
  const t0 = performance.now();
  const list = await app.inject({
    method: 'GET',
    url: '/api/households?category=dibao&pageSize=50',
    headers: { cookie },
  });
  rows.push([
    `list dibao households, county-wide, page 1 of ${list.json().total} (one call)`,
    `${(performance.now() - t0).toFixed(1)} ms`,
  ]);
  const t1 = performance.now();
  await app.inject({ method: 'GET', url: '/api/regions/420921000000/registry-stats', headers: { cookie } });
  rows.push(['county registry-stats (one call)', `${(performance.now() - t1).toFixed(1)} ms`]);
  await app.close();
} finally {
  await db.close();
  if (!keep) {
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await cleanup.end();
  }
}

const width = Math.max(...rows.map(([k]) => k.length));
console.log(
  `registry seed benchmark: ${households.toLocaleString('en')} households, seed ${seed}, PostgreSQL ${keep ? `(kept: ${name})` : ''}`,
);
console.log(`| ${'measure'.padEnd(width)} | value |`);
console.log(`| ${'-'.repeat(width)} | ----- |`);
for (const [k, v] of rows) console.log(`| ${k.padEnd(width)} | ${v} |`);
