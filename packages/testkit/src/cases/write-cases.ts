import type { SuiteContext } from '../support/suite-context.js';
import { fieldKindCases } from './field-kind-cases.js';
import { operatorCases } from './operator-cases.js';
import { roundingCases } from './rounding-cases.js';
import { setWriteCases } from './set-write-cases.js';
import { upsertCases } from './upsert-cases.js';

/** Writes beyond one row at a time: `updateMany`/`deleteMany`, numeric operators, upserts. */
export function writeCases(ctx: SuiteContext): void {
  setWriteCases(ctx);
  operatorCases(ctx);
  roundingCases(ctx);
  fieldKindCases(ctx);
  upsertCases(ctx);
}
