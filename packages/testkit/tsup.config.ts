import { defineConfig } from 'tsup';
import { tsupBase } from '../../tsup.base.js';

export default defineConfig({
  ...tsupBase,
  entry: ['src/index.ts'],
  // The suite registers its cases with the runner of the adapter that runs it, so vitest is never bundled.
  external: ['vitest'],
});
