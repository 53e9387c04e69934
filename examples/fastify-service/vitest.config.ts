import { defineConfig } from 'vitest/config';

// In this repository the example runs on the workspace packages' sources (no build needed); a copy of it
// outside uses the published packages and needs none of this.
export default defineConfig({
  resolve: { conditions: ['@berth/source'] },
  ssr: { resolve: { conditions: ['@berth/source'] } },
  // PGlite boots slowly on a busy machine.
  test: { include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
});
