import { defineConfig } from 'vitest/config';

// Tests run from the sources of workspace packages. Vitest runs node tests in Vite's SSR environment,
// which reads `ssr.resolve.conditions`, not `resolve.conditions`, so the condition is set on both.
// Test files share one MariaDB database and count its server-side connections, so they run one at a time.
export default defineConfig({
  resolve: { conditions: ['@berth/source'] },
  ssr: { resolve: { conditions: ['@berth/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['./test/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 15_000,
    hookTimeout: 30_000,
  },
});
