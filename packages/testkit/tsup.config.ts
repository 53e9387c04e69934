import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // Keep 'node:' on builtin imports: unambiguous for bundlers and runtimes other than Node.
  removeNodeProtocol: false,
  // The suite registers its cases with the runner of the adapter that runs it, so vitest is never bundled.
  external: ['vitest'],
});
