import { createHash } from 'node:crypto';

/** The SHA-256 of a migration's text, hex: what the history records and `up` compares. */
export function migrationChecksum(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
