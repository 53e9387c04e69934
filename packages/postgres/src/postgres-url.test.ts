import { ValidationError } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { checkPostgresUrl } from './postgres-url.js';

describe('checkPostgresUrl', () => {
  it('passes postgres: and postgresql: URLs through unchanged, for pg to read', () => {
    for (const url of [
      'postgres://localhost/app',
      'postgresql://user:p%40ss@db.internal:6432/app?sslmode=verify-full&application_name=api',
      'POSTGRES://localhost',
    ]) {
      expect(checkPostgresUrl(url)).toBe(url);
    }
  });

  it('refuses other schemes without echoing the password', () => {
    const error = (() => {
      try {
        checkPostgresUrl('mysql://root:secret@localhost/app');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect(error?.message).not.toContain('secret');
    expect(() => checkPostgresUrl('localhost:5432')).toThrow(ValidationError);
    expect(() => checkPostgresUrl('')).toThrow(ValidationError);
  });
});
