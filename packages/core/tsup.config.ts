import { defineConfig } from 'tsup';
import { tsupBase } from '../../tsup.base.js';

export default defineConfig({
  ...tsupBase,
  // The library, and the `berth` CLI (`@berth/core/cli` and the bin) as entries of their own.
  entry: { index: 'src/index.ts', 'cli/run-cli': 'src/cli/run-cli.ts', 'cli/bin': 'src/cli/bin.ts' },
});
