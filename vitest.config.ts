import { defineConfig } from 'vitest/config';

// Unit and integration tests of every package. Integration tests open a real database:
// embedded PGlite by default, the PostgreSQL server when DOUDI_TEST_ON_SERVER=1 and
// TEST_DATABASE_URL are set (scripts/test.mjs runs the suite both ways).
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'packages/web/**'],
    globalSetup: ['packages/server/test/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // One module cache per worker, not per file: every file imports the whole server, and
    // re-importing it for each of ~120 files was 40% of the run (PostgreSQL pass 289 s -> 170 s,
    // PGlite pass -> 234 s). Test files keep no module state of their own; the one that sets an
    // environment variable restores it in `finally`.
    isolate: false,
  },
});
