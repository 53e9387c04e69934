import { BerthError } from './berth-error.js';

/** One problem with a value: which field (a dotted path where nested) and what is wrong with it. */
export interface ValidationIssue {
  /**
   * The field at fault, a dotted path where nested (`'address.city'`); absent when the problem is with the input as a
   * whole.
   */
  readonly field?: string;
  /** What is wrong with the value, in words meant for the caller (e.g. `'must be at least 1 character'`). */
  readonly message: string;
}

/** Input that does not fit the entity definition or the query language: unknown fields, wrong types, bad cursors. */
export class ValidationError extends BerthError {
  readonly code = 'VALIDATION';
  readonly retryable = false;
  /** Every problem found, not only the first: the input is checked whole before anything is sent. */
  readonly issues: readonly ValidationIssue[];

  constructor(message: string, issues: readonly ValidationIssue[] = []) {
    super(message);
    this.issues = issues;
  }
}
