import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ADAPTER_PACKAGES, connect } from './connect.js';
import { AdapterNotInstalledError } from './errors/adapter-not-installed-error.js';
import { BerthError } from './errors/berth-error.js';
import { DriverNotInstalledError } from './errors/driver-not-installed-error.js';
import { InvalidAdapterError } from './errors/invalid-adapter-error.js';
import { ValidationError } from './errors/validation-error.js';

/** An importer that behaves as Node does for a package that is not installed. */
const missing = (name: string) => async (requested: string) => {
  if (requested === name) {
    throw Object.assign(new Error(`Cannot find package '${name}' imported from /app/index.js`), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
  }
  throw new Error(`unexpected import of ${requested}`);
};

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('connect: adapter packages', () => {
  it('maps every scheme to its adapter and driver', () => {
    expect(ADAPTER_PACKAGES).toEqual({
      postgres: { package: '@berth/postgres', driver: 'pg' },
      postgresql: { package: '@berth/postgres', driver: 'pg' },
      mysql: { package: '@berth/mysql', driver: 'mysql2' },
      mariadb: { package: '@berth/mysql', driver: 'mysql2' },
      mongodb: { package: '@berth/mongodb', driver: 'mongodb' },
      'mongodb+srv': { package: '@berth/mongodb', driver: 'mongodb' },
      pglite: { package: '@berth/pglite', driver: '@electric-sql/pglite' },
    });
  });

  it('fails with a one-line AdapterNotInstalledError when the importer cannot find the package', async () => {
    const importAdapter = vi.fn(missing('@berth/mysql'));
    const error = await rejection(connect('mysql://user:pw@localhost:3306/app', { importAdapter }));
    expect(importAdapter).toHaveBeenCalledWith('@berth/mysql');
    expect(error).toBeInstanceOf(AdapterNotInstalledError);
    expect(error).toBeInstanceOf(BerthError);
    const e = error as AdapterNotInstalledError;
    expect(e.code).toBe('ADAPTER_NOT_INSTALLED');
    expect(e.retryable).toBe(false);
    expect(e.name).toBe('AdapterNotInstalledError');
    expect(e.scheme).toBe('mysql');
    expect(e.packageName).toBe('@berth/mysql');
    expect(e.driverPackage).toBe('mysql2');
    expect(e.message.split('\n')).toHaveLength(1);
    expect(e.message).toContain('@berth/mysql');
    expect(e.message).toContain('mysql2');
  });

  it('recognises CommonJS-style not-found errors too', async () => {
    const importAdapter = async () => {
      throw Object.assign(new Error("Cannot find module '@berth/postgres'\nRequire stack:\n- /app/x.js"), {
        code: 'MODULE_NOT_FOUND',
      });
    };
    const error = await rejection(connect('postgres://localhost/app', { importAdapter }));
    expect(error).toBeInstanceOf(AdapterNotInstalledError);
    expect(error.message).toBe(
      'the "postgres" backend needs the @berth/postgres package: install it with "npm install @berth/postgres pg"',
    );
  });

  it('reads the scheme case-insensitively and maps aliases', async () => {
    const importAdapter = vi.fn(missing('@berth/mysql'));
    const error = await rejection(connect('MariaDB://localhost/app', { importAdapter }));
    expect(importAdapter).toHaveBeenCalledWith('@berth/mysql');
    expect((error as AdapterNotInstalledError).scheme).toBe('mariadb');
    const srv = vi.fn(missing('@berth/mongodb'));
    expect(
      await rejection(connect('mongodb+srv://cluster.example/app', { importAdapter: srv })),
    ).toBeInstanceOf(AdapterNotInstalledError);
    expect(srv).toHaveBeenCalledWith('@berth/mongodb');
  });

  it('passes on other import failures unchanged', async () => {
    const boom = new SyntaxError('Unexpected token in @berth/mysql/dist/index.js');
    const error = await rejection(
      connect('mysql://localhost/app', {
        importAdapter: async () => {
          throw boom;
        },
      }),
    );
    expect(error).toBe(boom);
    // Another package missing is not this adapter missing.
    const other = await rejection(connect('mysql://localhost/app', { importAdapter: missing('left-pad') }));
    expect(other).not.toBeInstanceOf(AdapterNotInstalledError);
  });

  it('refuses a module without a berth adapter with a clear error', async () => {
    for (const module of [
      {},
      { adapter: {} },
      { adapter: { createDriver: 'no' } },
      { default: {} },
      null,
      undefined,
    ]) {
      const error = await rejection(connect('mysql://localhost/app', { importAdapter: async () => module }));
      expect(error).toBeInstanceOf(InvalidAdapterError);
      expect((error as InvalidAdapterError).code).toBe('INVALID_ADAPTER');
      expect((error as InvalidAdapterError).packageName).toBe('@berth/mysql');
      expect(error.message).toBe('@berth/mysql does not export a berth adapter');
    }
  });

  it('hands the URL and pool options to the adapter', async () => {
    const createDriver = vi.fn(() => {
      throw new Error('driver refused');
    });
    const pool = { max: 3 };
    const error = await rejection(
      connect('pglite://memory', { pool, importAdapter: async () => ({ adapter: { createDriver } }) }),
    );
    expect(error.message).toBe('driver refused');
    expect(createDriver).toHaveBeenCalledWith('pglite://memory', pool);
  });
});

describe('connect: a driver that is not installed', () => {
  // Node's own resolver, asked by an ES module in a folder with no node_modules (ESM ignores NODE_PATH, which
  // pnpm sets for test runners): the genuine error a missing peer gives, rebuilt from its message and code.
  const empty = mkdtempSync(join(tmpdir(), 'berth-no-driver-'));
  afterAll(() => rmSync(empty, { recursive: true, force: true }));
  const resolverError = (name: string): Error => {
    const script = `import(${JSON.stringify(name)}).then(() => console.log('{}'), (e) => console.log(JSON.stringify({ message: e.message, code: e.code })))`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: empty,
      encoding: 'utf8',
    });
    const { message, code } = JSON.parse(out) as { message?: string; code?: string };
    if (!message) throw new Error(`${name} resolved from an empty folder`);
    return Object.assign(new Error(message), { code });
  };

  it('an adapter whose import fails on its driver gives DriverNotInstalledError, not AdapterNotInstalledError', async () => {
    // As @berth/mongodb does: it imports mongodb statically, so loading the adapter is what fails.
    const cause = resolverError('mongodb');
    const error = await rejection(
      connect('mongodb://127.0.0.1:27017/app', {
        importAdapter: async () => {
          throw cause;
        },
      }),
    );
    expect(error).toBeInstanceOf(DriverNotInstalledError);
    expect(error).toBeInstanceOf(BerthError);
    const e = error as DriverNotInstalledError;
    expect(e.code).toBe('DRIVER_NOT_INSTALLED');
    expect(e.retryable).toBe(false);
    expect(e.scheme).toBe('mongodb');
    expect(e.packageName).toBe('@berth/mongodb');
    expect(e.driverPackage).toBe('mongodb');
    expect(e.cause).toBe(cause);
    expect(e.message).toBe(
      'the "mongodb" backend\'s adapter @berth/mongodb needs its driver mongodb, which is not installed: install it with "npm install mongodb"',
    );
  });

  it('a driver the adapter loads when it opens its pool, wrapped in its own error, is found in the causes', async () => {
    // As @berth/postgres and @berth/mysql do: the driver is imported lazily, and the adapter wraps the failure.
    const error = await rejection(
      connect('mysql://user:secret@127.0.0.1:3306/app', {
        importAdapter: async () => ({
          adapter: {
            backend: 'mysql',
            createDriver: () => {
              throw new Error('could not load mysql2', { cause: resolverError('mysql2/promise') });
            },
          },
        }),
      }),
    );
    expect(error).toBeInstanceOf(DriverNotInstalledError);
    expect((error as DriverNotInstalledError).driverPackage).toBe('mysql2');
    expect(error.message).not.toContain('secret');
  });

  it('another package missing inside the adapter is passed on unchanged', async () => {
    const cause = resolverError('left-pad');
    const error = await rejection(
      connect('pglite://memory', {
        importAdapter: async () => {
          throw cause;
        },
      }),
    );
    expect(error).toBe(cause);
  });
});

describe('connect: unknown schemes', () => {
  it.each([
    'oracle://localhost/db',
    'sqlite:///tmp/x.db',
    'http://localhost',
    'localhost:5432',
    'no-scheme',
    '',
    ':memory:',
    'constructor://x',
    '__proto__://x',
    'hasOwnProperty://x',
    'toString://x',
  ])('refuses %j with a ValidationError listing the schemes', async (url) => {
    const importAdapter = vi.fn(async () => ({}));
    const error = await rejection(connect(url, { importAdapter }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/^unsupported database URL scheme ".*": use one of /);
    expect(error.message).toContain(
      'postgres:, postgresql:, mysql:, mariadb:, mongodb:, mongodb+srv:, pglite:',
    );
    expect(importAdapter).not.toHaveBeenCalled();
  });

  it('names the scheme it was given', async () => {
    const error = await rejection(connect('Oracle://localhost'));
    expect(error.message).toContain('"oracle"');
  });

  it('refuses a URL that is not a string', async () => {
    const error = await rejection(connect(undefined as unknown as string));
    expect(error).toBeInstanceOf(ValidationError);
  });
});
