import { defineConfig } from 'vitest/config';

// Tests run from the sources of workspace packages. Vitest runs node tests in Vite's SSR environment,
// which reads `ssr.resolve.conditions`, not `resolve.conditions`, so the condition is set on both.
// The server-restart test disrupts every other PostgreSQL test, so it runs alone: `pnpm test:restart`.
// The options are built apart from `defineConfig`: when the workspace holds two installs of vitest (the
// testkit's and the root's), TypeScript can see `test` added to one vite's config type and not the other's.
const config = {
  resolve: { conditions: ['@berth/source'] },
  ssr: { resolve: { conditions: ['@berth/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/restart/**', '**/node_modules/**'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
};

export default defineConfig(config);
