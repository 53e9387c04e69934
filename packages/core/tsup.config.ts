import { defineConfig } from 'tsup';

export default defineConfig({
  // The library, the `berth` CLI (`@berth/core/cli` and the bin) as entries of their own.
  entry: {
    index: 'src/index.ts',
    'cli/run-cli': 'src/cli/run-cli.ts',
    'cli/bin': 'src/cli/bin.ts',
    // OpenTelemetry (`@berth/core/otel`): its own entry, so only it imports the optional @opentelemetry/api.
    'otel/index': 'src/otel/index.ts',
  },
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // Keep 'node:' on builtin imports: unambiguous for bundlers and runtimes other than Node.
  removeNodeProtocol: false,
});
