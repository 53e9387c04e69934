import { defineConfig } from 'tsup';
import { tsupBase } from '../../tsup.base.js';

export default defineConfig({
  ...tsupBase,
  // The faults entry is its own file tree, importable without vitest (plain Node programs).
  entry: { index: 'src/index.ts', 'faults/index': 'src/faults/index.ts' },
  // The suite registers its cases with the runner of the adapter that runs it, so vitest is never bundled.
  external: ['vitest'],
});
