import { ValidationError } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { parseMysqlUrl } from './mysql-url.js';

describe('parseMysqlUrl', () => {
  it('reads host, port, user, password and database, percent-decoded', () => {
    expect(parseMysqlUrl('mysql://app:p%40ss%3Aword@db.example:3307/shop')).toEqual({
      host: 'db.example',
      port: 3307,
      user: 'app',
      password: 'p@ss:word',
      database: 'shop',
    });
  });

  it('accepts mariadb:// and defaults the port and user', () => {
    expect(parseMysqlUrl('mariadb://127.0.0.1/berth')).toEqual({
      host: '127.0.0.1',
      port: 3306,
      user: 'root',
      database: 'berth',
    });
    expect(parseMysqlUrl('mysql://[::1]:3306')).toEqual({ host: '::1', port: 3306, user: 'root' });
  });

  it('reads socketPath and ssl, and refuses unknown parameters', () => {
    expect(parseMysqlUrl('mysql://u@localhost/db?socketPath=/run/mysqld/mysqld.sock&ssl=true')).toMatchObject(
      {
        socketPath: '/run/mysqld/mysqld.sock',
        tls: { systemCa: true },
      },
    );
    expect(parseMysqlUrl('mysql://u@localhost/db?ssl=false').tls).toEqual({ mode: 'disable' });
    expect(() => parseMysqlUrl('mysql://u@localhost/db?sll=true')).toThrow(ValidationError);
    expect(() => parseMysqlUrl('mysql://u@localhost/db?ssl=yes')).toThrow(ValidationError);
  });

  it("reads MySQL's ssl-mode, ssl-ca, ssl-cert and ssl-key, and refuses PREFERRED", () => {
    const url =
      'mysql://u@localhost/db?ssl-mode=verify_identity&ssl-ca=/ca.pem&ssl-cert=/c.pem&ssl-key=/c.key';
    expect(parseMysqlUrl(url).tls).toEqual({
      mode: 'verify-full',
      caFile: '/ca.pem',
      certFile: '/c.pem',
      keyFile: '/c.key',
    });
    expect(parseMysqlUrl('mysql://h/db?ssl-mode=REQUIRED').tls).toEqual({ mode: 'require' });
    expect(parseMysqlUrl('mysql://h/db?ssl-mode=VERIFY_CA&ssl-ca=system').tls).toEqual({
      mode: 'verify-ca',
      caFile: 'system',
    });
    expect(parseMysqlUrl('mysql://h/db?ssl-mode=DISABLED').tls).toEqual({ mode: 'disable' });
    expect(parseMysqlUrl('mysql://h/db').tls).toBeUndefined();
    expect(() => parseMysqlUrl('mysql://h/db?ssl-mode=PREFERRED')).toThrow(/falls back to plain TCP/);
    expect(() => parseMysqlUrl('mysql://h/db?ssl-mode=sometimes')).toThrow(ValidationError);
  });

  it('refuses other schemes and malformed URLs', () => {
    expect(() => parseMysqlUrl('postgres://localhost/db')).toThrow(/mysql:\/\/ or mariadb:\/\//);
    expect(() => parseMysqlUrl('not a url')).toThrow(ValidationError);
    expect(() => parseMysqlUrl('mysql://localhost/a/b')).toThrow(/one database/);
  });
});
