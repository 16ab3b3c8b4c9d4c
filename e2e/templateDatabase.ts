/**
 * A migrated database holding the demo county, built once and cloned for every browser test file
 * (`CREATE DATABASE … TEMPLATE`, about a second): starting a server on a fresh database spent half of
 * its ~15 s on migrations, the county's regions and the demo accounts' Argon2 hashes, once per file.
 *
 * The template's name carries a hash of the server, rules and synthetic-data sources and the catalogue,
 * and the day (demo data is dated), so a change or a new day builds a new one; older templates are
 * dropped then. It is built under a temporary name and renamed when complete, so a run killed
 * half-way never leaves a half-built template behind.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

const REPO_ROOT = path.resolve(import.meta.dirname, '..');
// Everything the build reads, not only migrations and demo code: a change to, say, how personal data
// is encrypted must not meet a template built the old way earlier the same day.
const INPUTS = ['packages/server/src', 'packages/rules/src', 'packages/synth/src', 'catalog'];

/** Runs one doudi command to completion against the given environment. */
export function runDoudi(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['packages/server/bin/doudi.mjs', ...args], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`doudi ${args.join(' ')} 失败（退出码 ${code}）：\n${output}`)),
    );
  });
}

function templateKey(): string {
  const hash = createHash('sha256');
  for (const dir of INPUTS) {
    const files = readdirSync(path.join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' }).sort();
    for (const file of files) {
      const full = path.join(REPO_ROOT, dir, file);
      try {
        hash.update(file).update(readFileSync(full));
      } catch {
        // a directory
      }
    }
  }
  hash.update(new Date().toISOString().slice(0, 10));
  return hash.digest('hex').slice(0, 16);
}

const withUrl = (adminUrl: string, name: string) => {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
};

/** The template's name on the server of `adminUrl`, built first if this code and day have none. */
export async function templateDatabase(adminUrl: string, env: NodeJS.ProcessEnv): Promise<string> {
  const name = `doudi_e2e_tpl_${templateKey()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return name;
    const stale = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'doudi\\_e2e\\_tpl\\_%'",
    );
    for (const { datname } of stale.rows)
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    const building = `doudi_e2e_build_${randomBytes(6).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${building}`);
    const dataDir = await mkdtemp(path.join(tmpdir(), 'doudi-e2e-tpl-'));
    try {
      await runDoudi(['demo', 'seed'], {
        ...env,
        DATABASE_URL: withUrl(adminUrl, building),
        DOUDI_DATA_DIR: dataDir,
      });
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    } catch (error) {
      await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
      throw error;
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
    return name;
  } finally {
    await admin.end();
  }
}
