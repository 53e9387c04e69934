import { describe, expect, it } from 'vitest';
import { systemNameOf, withSystemName } from './db-system-name.js';

describe('systemNameOf', () => {
  const never = () => undefined;

  it('the backend names the system when nothing else does', () => {
    expect(systemNameOf({ learnt: never, backend: 'postgres' })()).toBe('postgresql');
    expect(systemNameOf({ learnt: never, backend: 'pglite' })()).toBe('postgresql');
    expect(systemNameOf({ learnt: never, backend: 'mongodb' })()).toBe('mongodb');
    expect(systemNameOf({ learnt: never, url: 'mysql://h/db', backend: 'mysql' })()).toBe('mysql');
  });

  it('a mariadb:// URL on the MySQL adapter is MariaDB until the server says otherwise', () => {
    expect(systemNameOf({ learnt: never, url: 'mariadb://u:p@h:3307/db', backend: 'mysql' })()).toBe(
      'mariadb',
    );
    // What the server said wins over the scheme: a mariadb:// URL that reached a MySQL server.
    expect(systemNameOf({ learnt: () => 'mysql', url: 'mariadb://h/db', backend: 'mysql' })()).toBe('mysql');
    // The scheme names MariaDB only for the MySQL adapter; garbage names nothing.
    expect(systemNameOf({ learnt: never, url: 'mariadb://h/db', backend: 'other' })()).toBe('other_sql');
    expect(systemNameOf({ learnt: never, url: 'not a url', backend: 'mysql' })()).toBe('mysql');
  });

  it('what the driver learnt names it from the moment it learnt it, and stays', () => {
    let learnt: string | undefined;
    let asked = 0;
    const system = systemNameOf({
      learnt: () => {
        asked++;
        return learnt;
      },
      url: 'mysql://h/db',
      backend: 'mysql',
    });
    expect(system()).toBe('mysql');
    learnt = 'mariadb';
    expect(system()).toBe('mariadb');
    const before = asked;
    learnt = undefined;
    expect(system()).toBe('mariadb');
    expect(asked).toBe(before);
  });

  it('the name the caller gave wins over everything', () => {
    expect(
      systemNameOf({ told: 'tidb', learnt: () => 'mariadb', url: 'mariadb://h', backend: 'mysql' })(),
    ).toBe('tidb');
  });
});

describe('withSystemName', () => {
  it('builds the attributes again only when the name changes', () => {
    let name = 'mysql';
    let built = 0;
    const attributes = withSystemName(
      () => name,
      (system) => {
        built++;
        return { 'db.system.name': system };
      },
    );
    const first = attributes();
    expect(attributes()).toBe(first);
    expect(built).toBe(1);
    name = 'mariadb';
    expect(attributes()).toEqual({ 'db.system.name': 'mariadb' });
    expect(built).toBe(2);
  });
});
