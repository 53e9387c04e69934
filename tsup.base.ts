import type { Options } from 'tsup';

/**
 * What every package's build shares, so the packages cannot drift apart (one stripped `node:` from its
 * builtin imports while another kept it): ES modules for Node 20 with declarations and source maps, the
 * output folder cleaned first. Each package's `tsup.config.ts` adds its entries and anything of its own.
 */
export const tsupBase = {
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  // Keep 'node:' on builtin imports: unambiguous for bundlers and runtimes other than Node.
  removeNodeProtocol: false,
} satisfies Options;
