import { defineConfig } from 'vitest/config';

// Tests run from the sources of workspace packages. Vitest runs node tests in Vite's SSR environment,
// which reads `ssr.resolve.conditions`, not `resolve.conditions`, so the condition is set on both.
export default defineConfig({
  resolve: { conditions: ['@berth/source'] },
  ssr: { resolve: { conditions: ['@berth/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // An embedded engine or a test server starts in seconds on a busy two-core machine: the bounds judge
    // behaviour, not speed.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
