import { defineConfig } from 'tsup';
import { tsupBase } from '../../tsup.base.js';

export default defineConfig({
  ...tsupBase,
  entry: ['src/index.ts', 'src/cli.ts'],
  // The CLI is a program, not an API: declarations for the library entry only.
  dts: { entry: 'src/index.ts' },
});
