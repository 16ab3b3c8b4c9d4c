import { defineConfig } from 'vitest/config';

// Browser tests: each file starts its own server and Chromium, so files run one at a time in one fork.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
