import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets, redactUrl, secretsOf } from './redact-url.js';

/** A base64 secret with every character that breaks naive parsing: `/`, `+`, `=`. */
const SECRET = 'aB3/x+Yz9/Q==';

describe('redactUrl', () => {
  it('replaces a well-formed password and keeps the user, hosts, path and options', () => {
    expect(redactUrl('postgres://app:s3cret@db.internal:5432/berth?sslmode=require')).toBe(
      'postgres://app:***@db.internal:5432/berth?sslmode=require',
    );
    expect(redactUrl('postgresql://app:p%40ss@db/x')).toBe('postgresql://app:***@db/x');
    expect(redactUrl('mysql://root:pw@127.0.0.1:3306/berth')).toBe('mysql://root:***@127.0.0.1:3306/berth');
    expect(redactUrl('mariadb://root:pw@h/berth')).toBe('mariadb://root:***@h/berth');
    expect(redactUrl('mongodb://u:pw@h1:27017,h2:27017,h3:27017/db?replicaSet=rs0')).toBe(
      'mongodb://u:***@h1:27017,h2:27017,h3:27017/db?replicaSet=rs0',
    );
    expect(redactUrl('mongodb+srv://u:pw@cluster0.example.net/db?retryWrites=true')).toBe(
      'mongodb+srv://u:***@cluster0.example.net/db?retryWrites=true',
    );
  });

  it('leaves URLs without credentials as they are', () => {
    for (const url of ['pglite://memory', 'pglite://./data', 'postgres://db/x', 'mongodb://h1,h2/db']) {
      expect(redactUrl(url)).toBe(url);
    }
    expect(redactUrl('postgres://app@db/x')).toBe('postgres://app@db/x');
  });

  it('redacts everything between :// and the last @ when the password has an unescaped / or @', () => {
    expect(redactUrl('postgres://postgres:SEC/RETPASS@127.0.0.1:5432/db')).toBe(
      'postgres://***@127.0.0.1:5432/db',
    );
    expect(redactUrl(`postgresql://app:${SECRET}@db:5432/x`)).toBe('postgresql://***@db:5432/x');
    expect(redactUrl('mysql://root:a@b@127.0.0.1/x')).toBe('mysql://***@127.0.0.1/x');
    expect(redactUrl(`mongodb+srv://u:${SECRET}@a@c0.example.net/db`)).toBe(
      'mongodb+srv://***@c0.example.net/db',
    );
    expect(redactUrl(`mongodb://u:${SECRET}@h1:1,h2:2/db?replicaSet=rs`)).toBe(
      'mongodb://***@h1:1,h2:2/db?replicaSet=rs',
    );
    expect(redactUrl('mariadb://u:pa?ss#word@h/x')).toBe('mariadb://***@h/x');
    expect(redactUrl('pglite://u:x/y@dir')).toBe('pglite://***@dir');
  });

  it('redacts secret query parameters and copes with text that is no URL', () => {
    expect(redactUrl('mysql://h/x?user=u&password=pw&ssl=true')).toBe(
      'mysql://h/x?user=u&password=***&ssl=true',
    );
    expect(redactUrl('mongodb://h/x?tlsCertificateKeyFilePassword=pw#f')).toBe(
      'mongodb://h/x?tlsCertificateKeyFilePassword=***#f',
    );
    expect(redactUrl('user:pw@host')).toBe(`${REDACTED}@host`);
    expect(redactUrl('')).toBe('');
    expect(redactUrl('://@')).toBe('://@');
  });

  for (const url of [
    `postgres://postgres:${SECRET}@127.0.0.1:1/db`,
    `postgresql://a:${SECRET}@b@h/x`,
    `mysql://root:${SECRET}@h/x`,
    `mariadb://root:${SECRET}@@h/x`,
    `mongodb://u:${SECRET}@h1,h2/db`,
    `mongodb+srv://u:${SECRET}@x.example.net/db`,
    `pglite://u:${SECRET}@dir`,
  ]) {
    it(`never shows the secret of ${url.split(':')[0]}`, () => {
      const redacted = redactUrl(url);
      for (const piece of ['aB3', 'x+Yz9', 'Q==', SECRET]) expect(redacted).not.toContain(piece);
    });
  }
});

describe('redactSecrets', () => {
  it('scrubs the URL and the pieces of its secret out of a driver message', () => {
    const url = `postgres://postgres:${SECRET}@127.0.0.1:5432/db`;
    const message = `getaddrinfo ENOTFOUND x+Yz9 while opening ${url} (password ${SECRET})`;
    const scrubbed = redactSecrets(message, url);
    expect(scrubbed).not.toContain('x+Yz9');
    expect(scrubbed).not.toContain(SECRET);
    expect(scrubbed).toContain('postgres://***@127.0.0.1:5432/db');
    expect(secretsOf('postgres://app:pw%2Fx@h/x')).toEqual(['pw%2Fx', 'pw/x']);
    expect(secretsOf('postgres://h/x')).toEqual([]);
  });
});
