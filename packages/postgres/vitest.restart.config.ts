import { defineConfig } from 'vitest/config';

// `pnpm test:restart`: restarts the PostgreSQL server under load, which disrupts every other test using it,
// so it never runs with the default tests. (Options built apart from `defineConfig`: see vitest.config.ts.)
const config = {
  resolve: { conditions: ['@berth/source'] },
  ssr: { resolve: { conditions: ['@berth/source'] } },
  test: {
    include: ['test/restart/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
};

export default defineConfig(config);
