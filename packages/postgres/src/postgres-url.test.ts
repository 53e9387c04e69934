import { ValidationError } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { checkPostgresUrl, takePgbouncerParam } from './postgres-url.js';

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

describe('takePgbouncerParam', () => {
  it("reads and removes berth's pgbouncer parameter, leaving the rest for pg", () => {
    expect(takePgbouncerParam('postgres://h:6432/app?pgbouncer=true&sslmode=require')).toEqual({
      url: 'postgres://h:6432/app?sslmode=require',
      pgbouncer: true,
    });
    expect(takePgbouncerParam('postgres://h/app?pgbouncer=0')).toEqual({
      url: 'postgres://h/app',
      pgbouncer: false,
    });
    expect(takePgbouncerParam('postgres://h/app?application_name=x')).toEqual({
      url: 'postgres://h/app?application_name=x',
      pgbouncer: undefined,
    });
  });

  it('refuses a value that is not a boolean with ValidationError', () => {
    expect(() => takePgbouncerParam('postgres://h/app?pgbouncer=yes-please')).toThrow(ValidationError);
  });
});
