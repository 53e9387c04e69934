import { describe, expect, it } from 'vitest';
import { describeDatabaseUrl, formatDatabaseTarget } from './describe-database-url.js';

const cases: [string, string, string, string][] = [
  ['postgres://postgres@127.0.0.1:5432/app', 'postgres', '127.0.0.1:5432', 'app'],
  ['postgresql://u:p@db.example.com/app?sslmode=require', 'postgresql', 'db.example.com', 'app'],
  ['postgres://postgres:SEC/RETPASS@127.0.0.1:5432/app', 'postgres', '127.0.0.1:5432', 'app'],
  ['postgres://u:a@b@host:5432/app', 'postgres', 'host:5432', 'app'],
  ['mysql://root:pa?ss#wo/rd=@127.0.0.1:3306/shop', 'mysql', '127.0.0.1:3306', 'shop'],
  ['mariadb://root@[::1]:3306/shop', 'mariadb', '[::1]:3306', 'shop'],
  ['mongodb://u:p+q/r==@a:27017,b:27018/app?replicaSet=rs0', 'mongodb', 'a:27017,b:27018', 'app'],
  ['mongodb+srv://u:p@cluster0.example.net/app', 'mongodb+srv', 'cluster0.example.net', 'app'],
  ['postgres://127.0.0.1', 'postgres', '127.0.0.1', ''],
  ['pglite://memory', 'pglite', '', 'memory'],
  ['pglite://./data/app', 'pglite', '', './data/app'],
];

describe('describeDatabaseUrl', () => {
  it.each(cases)('%s', (url, scheme, hosts, database) => {
    const target = describeDatabaseUrl(url);
    expect(target).toEqual({ scheme, hosts, database });
    const text = formatDatabaseTarget(target);
    for (const secret of ['SEC', 'RETPASS', 'pa?ss', 'p+q', ':p@', 'a@b', 'wo/rd']) {
      expect(text).not.toContain(secret);
    }
  });

  it('survives text that is no URL', () => {
    expect(describeDatabaseUrl('not a url')).toEqual({ scheme: 'not a url', hosts: '', database: '' });
    expect(describeDatabaseUrl('')).toEqual({ scheme: '', hosts: '', database: '' });
  });
});
