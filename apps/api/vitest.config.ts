import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@berth/source'] },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Each backend's end-to-end file starts its own server and database; run them one after the other so
    // two suites never compete for the two cores and time out each other's pool deadlines.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
