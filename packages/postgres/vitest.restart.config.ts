import { defineConfig } from 'vitest/config';

// `pnpm test:restart`: restarts the PostgreSQL server under load. Never run alongside other tests.
export default defineConfig({
  resolve: { conditions: ['@berth/source'] },
  ssr: { resolve: { conditions: ['@berth/source'] } },
  test: {
    include: ['test/restart/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
