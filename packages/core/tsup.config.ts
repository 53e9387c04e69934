import { defineConfig } from 'tsup';
import { tsupBase } from '../../tsup.base.js';

export default defineConfig({
  ...tsupBase,
  // The library, the `berth` CLI (`@berth/core/cli` and the bin) as entries of their own.
  entry: {
    index: 'src/index.ts',
    'cli/run-cli': 'src/cli/run-cli.ts',
    'cli/bin': 'src/cli/bin.ts',
    // OpenTelemetry (`@berth/core/otel`): its own entry, so only it imports the optional @opentelemetry/api.
    'otel/index': 'src/otel/index.ts',
  },
});
