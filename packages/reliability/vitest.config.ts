import { defineConfig } from 'vitest/config';

// Only the fault kit's own tests run under vitest; the scenarios are run by `src/run.ts` and print figures.
export default defineConfig({
  resolve: { conditions: ['@berth/source'] },
  ssr: { resolve: { conditions: ['@berth/source'] } },
  test: { include: ['test/**/*.test.ts'], testTimeout: 20_000 },
});
