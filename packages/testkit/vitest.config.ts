import { defineConfig } from 'vitest/config';

// The suite itself is tested by running it on real adapters (see each adapter's test/conformance.test.ts).
// Vitest reads `ssr.resolve.conditions` for node tests, so the source condition is set on both.
export default defineConfig({
  resolve: { conditions: ['@berth/source'] },
  ssr: { resolve: { conditions: ['@berth/source'] } },
  test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'], passWithNoTests: true },
});
