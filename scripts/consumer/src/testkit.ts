// Type-checked only (never run): an adapter author's use of the published conformance suite.
import { connect } from '@berth/core';
import { type ConformanceTarget, conformanceEntities, runConformanceSuite } from '@berth/testkit';

export const target: ConformanceTarget = {
  name: 'pglite',
  open: (options) => connect('pglite://memory', options),
  readRaw: async () => [],
};
export const register = (): void => runConformanceSuite(target);
export const entityCount: number = conformanceEntities.length;
