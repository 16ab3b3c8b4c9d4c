/**
 * Household list and region counts at scale:
 *   npx tsx bench/registry/list.bench.ts [--database <url>] [--households 20000] [--calls 200] [--keep]
 *
 * With --database, reuses a database already seeded (e.g. the 1,000,000 households kept by
 * `seed.bench.ts --keep`) and migrates it first (migration 004 builds the region summary).
 * Without it, creates a database on DATABASE_URL's server, seeds --households, and drops it at
 * the end unless --keep.
 *
 * Every call goes through the real app (app.inject: session, row-level security as doudi_app,
 * JSON schema) as a county officer. Each measure runs a few warm-up calls, then --calls timed
 * ones with varying arguments (random townships, villages, deep cursors); prints p50/p99/max
 * against the 200 ms target.
 */
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
const existing = option('database', '');
const households = Number(option('households', '20000'));
const calls = Number(option('calls', '200'));
const keep = args.includes('--keep');
const adminUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const TARGET_MS = 200;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

let url = existing;
let created: string | undefined;
if (!url) {
  created = `doudi_bench_list_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${created}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${created}`;
  url = u.toString();
}
const db = await openPostgres(url, 10);
const config = {
  ...loadConfig({ NODE_ENV: 'test', DATABASE_URL: url }),
  jobs: false,
  webDist: '/nonexistent',
};
const rows: [string, string, string][] = [];

try {
  const t0 = performance.now();
  const migrated = await migrate(db);
  const migrateSeconds = (performance.now() - t0) / 1000;
  if (!existing)
    await seedRegistry(db, cipherFor(config.dataKey), systemActor, { households, seed: 1, under: '420921' });
  process.stderr.write(
    `migrated${existing ? '' : ' and seeded'} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );
  // What autovacuum does on its own after a bulk load: the visibility map lets the list's page
  // come from an index-only scan.
  await db.exec('VACUUM (ANALYZE) household');
  const size = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM household');
  const total = size.rows[0]?.n ?? 0;

  const username = 'bench.list.county';
  const user = await db.query('SELECT 1 FROM app_user WHERE username = $1', [username]);
  if (user.rows.length === 0)
    await createUser(db, systemActor, {
      username,
      displayName: '县民政局（列表基准）',
      role: 'countyOfficer',
      regionCode: '420921000000',
      password: 'Bench-password-42',
    });
  const app = await buildApp(db, { ...config, apiRateLimit: 1_000_000 });
  await app.ready();
  const csrf = await app.inject({ method: 'GET', url: '/api/auth/csrf' });
  const signIn = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: {
      cookie: csrf.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
      'x-csrf-token': csrf.json().token,
      'content-type': 'application/json',
    },
    payload: JSON.stringify({ username, password: 'Bench-password-42' }),
  });
  if (signIn.statusCode !== 200) throw new Error(`login failed: ${signIn.body}`);
  const cookie = [...csrf.cookies, ...signIn.cookies].map((c) => `${c.name}=${c.value}`).join('; ');

  // Arguments drawn from the data: townships and villages that have households, deep cursors.
  const townships = (
    await db.query<{ code: string }>(
      `SELECT DISTINCT rpad(left(region_code, 9), 12, '0') AS code FROM registry_summary WHERE measure = 'households'`,
    )
  ).rows.map((r) => r.code);
  const villages = (
    await db.query<{ code: string }>(
      `SELECT region_code AS code FROM registry_summary WHERE measure = 'households' AND n > 0`,
    )
  ).rows.map((r) => r.code);
  const cursors = (
    await db.query<{ c: string }>(
      `SELECT region_code || ':' || household_number AS c FROM household TABLESAMPLE SYSTEM (1) LIMIT $1`,
      [calls],
    )
  ).rows.map((r) => r.c);
  const prefixes = (
    await db.query<{ p: string }>(
      `SELECT left(household_number, length(household_number) - 2) AS p FROM household TABLESAMPLE SYSTEM (1) LIMIT $1`,
      [calls],
    )
  ).rows.map((r) => r.p);
  const pick = <T>(list: T[], i: number): T => list[i % list.length] as T;

  async function measure(name: string, urlFor: (i: number) => string, check?: (body: never) => void) {
    for (let i = 0; i < 3; i++) await app.inject({ method: 'GET', url: urlFor(i), headers: { cookie } });
    const timings: number[] = [];
    for (let i = 0; i < calls; i++) {
      const started = performance.now();
      const response = await app.inject({ method: 'GET', url: urlFor(i), headers: { cookie } });
      timings.push(performance.now() - started);
      if (response.statusCode !== 200) throw new Error(`${name}: ${response.statusCode} ${response.body}`);
      check?.(response.json() as never);
    }
    timings.sort((a, b) => a - b);
    process.stderr.write(`${name}: done\n`);
    const p99 = percentile(timings, 99);
    rows.push([
      name,
      `${percentile(timings, 50).toFixed(1)} / ${p99.toFixed(1)} / ${(timings.at(-1) ?? 0).toFixed(1)} ms`,
      p99 < TARGET_MS ? 'yes' : 'NO',
    ]);
  }

  let countyTotal = 0;
  await measure(
    'county list, first page (20)',
    () => '/api/households',
    (b: { total: number }) => {
      countyTotal = b.total;
    },
  );
  await measure(
    'county list, deep keyset page (random cursor)',
    (i) => `/api/households?after=${pick(cursors, i)}`,
  );
  await measure('county list, offset page 500 (rows 9,981–10,000)', () => '/api/households?page=500');
  await measure('county list, category dibao, first page', () => '/api/households?category=dibao');
  await measure('county list, category tekun, first page', () => '/api/households?category=tekun');
  await measure(
    'county list, category dibao, deep keyset page',
    (i) => `/api/households?category=dibao&after=${pick(cursors, i)}`,
  );
  await measure(
    'township list, first page (random township)',
    (i) => `/api/households?regionCode=${pick(townships, i)}`,
  );
  await measure(
    'county list, 户号 prefix (random)',
    (i) => `/api/households?householdNumber=${pick(prefixes, i)}`,
  );
  await measure('stats: county', () => '/api/regions/420921000000/registry-stats');
  await measure('stats: township (random)', (i) => `/api/regions/${pick(townships, i)}/registry-stats`);
  await measure('stats: village (random)', (i) => `/api/regions/${pick(villages, i)}/registry-stats`);
  await app.close();

  console.log(
    `registry list benchmark: ${total.toLocaleString('en')} households (${existing ? 'existing database' : 'seeded here'}), ` +
      `${calls} timed calls per line after 3 warm-up; list total shown ${countyTotal.toLocaleString('en')}; ` +
      `migrations applied now: ${migrated.applied.map((f) => f.split('/').at(-1)).join(', ') || 'none'} (${migrateSeconds.toFixed(1)} s)`,
  );
} finally {
  await db.close();
  if (created && !keep) {
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${created} WITH (FORCE)`);
    await cleanup.end();
  }
}

const width = Math.max(...rows.map(([k]) => k.length));
console.log(
  `| ${'call (as a county officer, through the app)'.padEnd(width)} | p50 / p99 / max | p99 < ${TARGET_MS} ms |`,
);
console.log(`| ${'-'.repeat(width)} | --------------- | ------------ |`);
for (const [k, v, ok] of rows) console.log(`| ${k.padEnd(width)} | ${v} | ${ok} |`);
