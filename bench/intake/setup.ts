/**
 * Before the clock: the county (synthetic households under 420921, the real townships and villages),
 * the staff accounts (caseworkers spread over the townships, verification-centre officers at the
 * county), and the real server (`doudi serve`) in a child process listening on a free port, so the
 * load generator and the server do not share an event loop and each one's CPU can be read apart.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { loadConfig } from '../../packages/server/src/config.ts';
import type { Database } from '../../packages/server/src/db/database.ts';
import { systemActor } from '../../packages/server/src/demo/demoAccounts.ts';
import { cipherFor } from '../../packages/server/src/domains/registry/personalData.crypto.ts';
import { seedRegistry } from '../../packages/server/src/domains/registry/seed.ts';
import { createUser } from '../../packages/server/src/domains/users/users.service.ts';

export const PASSWORD = 'Bench-intake-2026';
const COUNTY = '420921000000';

export interface Staff {
  username: string;
  role: 'caseworker' | 'verificationCentre';
  township: string;
  /** Households of the township (a caseworker applies for these); empty for the county. */
  households: string[];
}

/** Seeds households and staff; returns the staff, caseworkers first. */
export async function seedCounty(
  db: Database,
  options: { households: number; caseworkers: number; verifiers: number },
): Promise<Staff[]> {
  await seedRegistry(db, cipherFor(loadConfig({ NODE_ENV: 'test' }).dataKey), systemActor, {
    households: options.households,
    seed: 6,
    under: '420921',
  });
  const byTownship = new Map<string, string[]>();
  const rows = await db.query<{ id: string; township: string }>(
    `SELECT id, rpad(left(region_code, 9), 12, '0') AS township FROM household ORDER BY household_number`,
  );
  for (const r of rows.rows) {
    const list = byTownship.get(r.township) ?? [];
    if (list.length === 0) byTownship.set(r.township, list);
    list.push(r.id);
  }
  const townships = [...byTownship.keys()].sort();
  // One Argon2 hash, copied to every account: hashing 200 passwords is not what is measured.
  await createUser(db, systemActor, {
    username: 'bench.template',
    displayName: '基准模板',
    role: 'caseworker',
    regionCode: townships[0] as string,
    password: PASSWORD,
  });
  const staff: Staff[] = [];
  for (let i = 0; i < options.caseworkers; i++) {
    const township = townships[i % townships.length] as string;
    staff.push({
      username: `bench.cw${i}`,
      role: 'caseworker',
      township,
      households: byTownship.get(township) ?? [],
    });
  }
  for (let i = 0; i < options.verifiers; i++)
    staff.push({ username: `bench.vc${i}`, role: 'verificationCentre', township: COUNTY, households: [] });
  await db.query(
    `INSERT INTO app_user (username, display_name, role, department, region_code, password_hash)
     SELECT u.username, '基准' || u.username, u.role, NULL, u.region, t.password_hash
       FROM unnest($1::text[], $2::text[], $3::text[]) AS u(username, role, region),
            (SELECT password_hash FROM app_user WHERE username = 'bench.template') t`,
    [staff.map((s) => s.username), staff.map((s) => s.role), staff.map((s) => s.township)],
  );
  await db.exec('ANALYZE');
  return staff;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface Server {
  base: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `doudi serve` on the database, without background jobs and with the per-address rate
 * limits raised (every simulated caseworker comes from 127.0.0.1); waits until /readyz answers.
 * With `profileDir`, the server writes a V8 CPU profile there when it stops.
 */
export async function startServer(url: string, logLevel: string, profileDir = ''): Promise<Server> {
  const port = await freePort();
  const root = path.resolve(import.meta.dirname, '../..');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      path.join(root, 'packages/server/bin/doudi.mjs'),
      'serve',
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: url,
        NODE_ENV: 'development',
        DOUDI_JOBS: 'false',
        DOUDI_API_RATE_LIMIT: '100000000',
        DOUDI_LOGIN_RATE_LIMIT: '100000',
        LOG_LEVEL: logLevel,
        DOUDI_WEB_DIST: '/nonexistent',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('server did not become ready in 300 s');
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    base,
    pid: child.pid as number,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
