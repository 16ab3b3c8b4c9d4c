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
  },
});
