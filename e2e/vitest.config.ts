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
    // A browser step that times out is tried once more (a click lost while a dropdown slid in, a
    // loaded two-core machine): each such flake had cost a session's CI. Only timeouts are
    // retried; a wrong value fails at once. The default reporter marks a retried test.
    retry: { count: 1, condition: /Timeout|timed out/ },
  },
});
