import { BerthError } from './berth-error.js';

/** One problem with a value: which field (a dotted path where nested) and what is wrong with it. */
export interface ValidationIssue {
  readonly field?: string;
  readonly message: string;
}

/** Input that does not fit the entity definition or the query language: unknown fields, wrong types, bad cursors. */
export class ValidationError extends BerthError {
  readonly code = 'VALIDATION';
  readonly retryable = false;
  readonly issues: readonly ValidationIssue[];

  constructor(message: string, issues: readonly ValidationIssue[] = []) {
    super(message);
    this.issues = issues;
  }
}
