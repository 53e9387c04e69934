import { defineConfig } from 'tsup';

export default defineConfig({
  // entities.js is what `berth migrate` reads (berth.config.mjs).
  entry: ['src/main.ts', 'src/entities.ts'],
  format: ['esm'],
  dts: false,
  clean: true,
  sourcemap: true,
  target: 'node20',
});
