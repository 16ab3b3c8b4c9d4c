/**
 * Configuration comes only from environment variables (documented in the README), read once
 * at start and passed down: no module reads process.env on its own, so tests can build any
 * configuration they need.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';

export interface Config {
  /** `production` turns on secure cookies and turns off demo accounts. */
  environment: 'development' | 'production' | 'test';
  /** PostgreSQL server; when empty the embedded PGlite database in `dataDir` is used. */
  databaseUrl: string | undefined;
  /** Folder of the embedded database (PGlite) and other local files. */
  dataDir: string;
  host: string;
  port: number;
  /** Secret for signed cookies; generated per process when unset outside production. */
  cookieSecret: string;
  /** Key for personal data encryption and blind indexes (issue 3); 32 bytes hex. */
  dataKey: string;
  /** Send cookies with the Secure flag (HTTPS only). */
  secureCookies: boolean;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  /** Failed logins in a row before an account is locked, and for how long. */
  lockoutThreshold: number;
  lockoutMinutes: number;
  /** Requests per minute per client address on the login route and on the whole API. */
  loginRateLimit: number;
  apiRateLimit: number;
  /** Self-checks per minute per client address (public, each evaluates the whole catalogue). */
  selfCheckRateLimit: number;
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  /** Largest departmental data file accepted (upload or CLI), in bytes. */
  sourceMaxBytes: number;
  logLevel: string;
  /** Start background jobs (pg-boss) with the server. */
  jobs: boolean;
  /** Folder of the built web client, served at `/`. */
  webDist: string;
  /**
   * Tests only (DOUDI_CLOCK_FILE): a file holding an ISO instant that is "now" for the intake clocks
   * (steps, notices, enrolment), so browser tests can let a 7-day notice pass. Refused in production.
   */
  clockFile?: string | undefined;
}

function int(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`配置项必须是非负整数：${value}`);
  return parsed;
}

const repoRoot = path.resolve(import.meta.dirname, '../../..');

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const environment =
    env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  const production = environment === 'production';
  if (production && !env.DOUDI_COOKIE_SECRET) throw new Error('生产环境必须设置 DOUDI_COOKIE_SECRET');
  if (production && !env.DOUDI_DATA_KEY) throw new Error('生产环境必须设置 DOUDI_DATA_KEY');
  if (production && env.DOUDI_CLOCK_FILE) throw new Error('生产环境不得设置 DOUDI_CLOCK_FILE（仅供测试）');
  return {
    environment,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.DOUDI_DATA_DIR || path.join(repoRoot, '.doudi-data')),
    host: env.HOST || '127.0.0.1',
    port: int(env.PORT, 3000),
    cookieSecret: env.DOUDI_COOKIE_SECRET || randomBytes(32).toString('hex'),
    // A fixed development key keeps the demo database readable across restarts; production must set its own.
    dataKey: env.DOUDI_DATA_KEY || 'd0d1d0d1d0d1d0d1d0d1d0d1d0d1d0d1d0d1d0d1d0d1d0d1d0d1d0d1d0d1d0d1',
    secureCookies: env.DOUDI_SECURE_COOKIES ? env.DOUDI_SECURE_COOKIES === 'true' : production,
    sessionIdleMinutes: int(env.DOUDI_SESSION_IDLE_MINUTES, 120),
    sessionAbsoluteHours: int(env.DOUDI_SESSION_HOURS, 12),
    lockoutThreshold: int(env.DOUDI_LOCKOUT_THRESHOLD, 5),
    lockoutMinutes: int(env.DOUDI_LOCKOUT_MINUTES, 15),
    loginRateLimit: int(env.DOUDI_LOGIN_RATE_LIMIT, 20),
    apiRateLimit: int(env.DOUDI_API_RATE_LIMIT, 1200),
    selfCheckRateLimit: int(env.DOUDI_SELF_CHECK_RATE_LIMIT, 10),
    bodyLimit: int(env.DOUDI_BODY_LIMIT, 1_048_576),
    sourceMaxBytes: int(env.DOUDI_SOURCE_MAX_BYTES, 128 * 1024 * 1024),
    logLevel: env.LOG_LEVEL || (environment === 'test' ? 'silent' : 'info'),
    jobs: env.DOUDI_JOBS ? env.DOUDI_JOBS === 'true' : true,
    webDist: path.resolve(env.DOUDI_WEB_DIST || path.join(repoRoot, 'packages/web/dist')),
    clockFile: env.DOUDI_CLOCK_FILE ? path.resolve(env.DOUDI_CLOCK_FILE) : undefined,
  };
}
