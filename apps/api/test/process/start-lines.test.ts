import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  defaultDatabaseUrl,
  hasEmbeddedDatabase,
  prepareStart,
  startMessage,
  waitUntilReady,
} from '../../scripts/start-lines.js';

describe("the development start's lines and default database", () => {
  const made: string[] = [];
  afterAll(async () => {
    for (const dir of made) await rm(dir, { recursive: true, force: true });
  });

  it('defaults to PGlite kept in .data/pglite below the working directory', () => {
    expect(defaultDatabaseUrl('/srv/app')).toEqual({
      url: 'pglite:///srv/app/.data/pglite',
      directory: '/srv/app/.data/pglite',
    });
  });

  it('says which database it starts on, without the password', () => {
    expect(startMessage('pglite://memory')).toContain('embedded PGlite in memory');
    expect(startMessage('pglite:///srv/app/.data/pglite')).toContain(
      'embedded PGlite in /srv/app/.data/pglite',
    );
    const line = startMessage('postgres://ada:s3cret@db.example:5432/app');
    expect(line).toContain('postgres://ada:***@db.example:5432/app');
    expect(line).not.toContain('s3cret');
    expect(line).toContain('pnpm start:prod');
  });

  it('says an embedded database on disk is created when its folder holds none yet, opened when it does', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'berth-start-'));
    made.push(cwd);
    const url = 'pglite://./data';
    expect(hasEmbeddedDatabase(join(cwd, 'data'))).toBe(false);
    expect(startMessage(url, cwd)).toContain('embedded PGlite in ./data (created on this start');
    // An empty folder (prepareStart makes it) is not a database yet.
    mkdirSync(join(cwd, 'data'));
    expect(startMessage(url, cwd)).toContain('(created on this start');
    // What PGlite's initdb writes first; the reopen itself is covered by start-script.test.ts.
    writeFileSync(join(cwd, 'data', 'PG_VERSION'), '17\n');
    expect(hasEmbeddedDatabase(join(cwd, 'data'))).toBe(true);
    expect(startMessage(url, cwd)).toContain('embedded PGlite in ./data (opened)');
    expect(startMessage(url, cwd)).not.toContain('created');
  });

  it('sets DATABASE_URL only when it is unset or empty, and makes the directory', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'berth-start-'));
    made.push(cwd);
    const env: NodeJS.ProcessEnv = { DATABASE_URL: ' ', PORT: '0' };
    prepareStart(env, cwd, performance.now());
    expect(env.DATABASE_URL).toBe(`pglite://${join(cwd, '.data', 'pglite')}`);
    expect(existsSync(join(cwd, '.data', 'pglite'))).toBe(true);

    const kept: NodeJS.ProcessEnv = { DATABASE_URL: 'pglite://memory', PORT: '0' };
    prepareStart(kept, cwd, performance.now());
    expect(kept.DATABASE_URL).toBe('pglite://memory');
  });

  it('announces readiness once the port accepts connections, with the address to try', async () => {
    const server = createServer((socket) => socket.destroy());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    try {
      const line = await waitUntilReady({ PORT: String(port), HOST: '0.0.0.0' }, performance.now());
      expect(line).toMatch(
        new RegExp(`^berth-api: ready in \\d+\\.\\d s on http://127\\.0\\.0\\.1:${port} `),
      );
      expect(line).toContain(`http://127.0.0.1:${port}/docs`);
    } finally {
      server.close();
    }
  });

  it('waits while nothing listens yet', async () => {
    const server = createServer((socket) => socket.destroy());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    server.close();
    await once(server, 'close');
    let settled = false;
    const ready = waitUntilReady({ PORT: String(port) }, performance.now()).then((line) => {
      settled = true;
      return line;
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(settled).toBe(false);
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    try {
      expect(await ready).toContain(`:${port}`);
    } finally {
      server.close();
    }
  });

  it('says nothing about readiness for PORT=0 or a PORT that is not a port', async () => {
    expect(await waitUntilReady({ PORT: '0' }, 0)).toBeUndefined();
    expect(await waitUntilReady({ PORT: 'http' }, 0)).toBeUndefined();
    expect(await waitUntilReady({ PORT: '70000' }, 0)).toBeUndefined();
  });
});
