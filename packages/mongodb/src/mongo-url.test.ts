import { ValidationError } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { parseMongoUrl } from './mongo-url.js';

describe('parseMongoUrl', () => {
  it('reads the database from the path of mongodb:// and mongodb+srv:// URLs', () => {
    expect(parseMongoUrl('mongodb://localhost:27017/app').database).toBe('app');
    expect(parseMongoUrl('mongodb://u:p@h1:1,h2:2/app?replicaSet=rs0').database).toBe('app');
    expect(parseMongoUrl('mongodb+srv://cluster.example.net/my%20db?retryWrites=true').database).toBe(
      'my db',
    );
    expect(parseMongoUrl('MONGODB://h/app').database).toBe('app');
    expect(parseMongoUrl('mongodb://localhost:27017/?directConnection=true').database).toBeUndefined();
    expect(parseMongoUrl('mongodb://localhost').database).toBeUndefined();
  });

  it('refuses other schemes', () => {
    for (const url of ['postgres://h/db', 'mongodb:/h/db', '', 'http://h/db']) {
      expect(() => parseMongoUrl(url)).toThrow(ValidationError);
    }
  });
});
