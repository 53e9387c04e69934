import { defineConfig } from 'vitest/config';

// Tests run from the sources of workspace packages. Vitest runs node tests in Vite's SSR environment,
// which reads `ssr.resolve.conditions`, not `resolve.conditions`, so the condition is set on both.
export default defineConfig({
  resolve: { conditions: ['@berth/source'] },
  ssr: { resolve: { conditions: ['@berth/source'] } },
  test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
