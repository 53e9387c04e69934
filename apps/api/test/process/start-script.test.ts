import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '@berth/testkit';

/** The repository root, where the README's `pnpm start` runs. */
const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));

/** Whether something accepts TCP connections on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** `pnpm start` at the root, as a user runs it, until /health answers 200 (a cold PGlite boot is slow). */
async function pnpmStart(env: Record<string, string>, port: number) {
  const child: ChildProcess = spawn('pnpm', ['start'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }));
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (gone) throw new Error(`pnpm start exited before it was ready:\n${output}`);
    if (Date.now() > deadline) {
      // SIGTERM, which pnpm passes on: a SIGKILL would leave the service running without its parent.
      child.kill('SIGTERM');
      throw new Error(`pnpm start was not ready within 180 s:\n${output}`);
    }
    const status = await fetch(`http://127.0.0.1:${port}/health`).then(
      (reply) => reply.status,
      () => 0,
    );
    if (status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, exited, output: () => output };
}

// The signal goes to pnpm, as a process manager or `kill` sends it. Without `exec` in the root script, pnpm
// signals a shell, the shell dies, pnpm exits 143 and the service is left running, orphaned.
describe('pnpm start (the README quick start)', { timeout: 240_000 }, () => {
  const cleanup: Array<() => unknown> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`runs from the sources, says so and when it is ready; ${signal} to pnpm stops the service`, async () => {
      const port = await freePort();
      const dir = await mkdtemp(join(tmpdir(), 'berth-start-'));
      cleanup.push(() => rm(dir, { recursive: true, force: true }));
      const url = signal === 'SIGTERM' ? 'pglite://memory' : `pglite://${dir}`;
      const started = await pnpmStart({ DATABASE_URL: url }, port);
      cleanup.push(() => started.child.kill('SIGTERM'));
      expect(started.output()).toContain(
        'berth-api: starting from the TypeScript sources on embedded PGlite',
      );
      // The ready line comes from a poll every 100 ms, so it may trail the first 200 a little.
      const readyLine = /berth-api: ready in \d+\.\d s on http:\/\/127\.0\.0\.1:\d+/;
      for (let i = 0; i < 100 && !readyLine.test(started.output()); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(started.output()).toMatch(readyLine);

      started.child.kill(signal);
      const timer = setTimeout(() => started.child.kill('SIGKILL'), 30_000);
      const exit = await started.exited;
      clearTimeout(timer);
      expect(exit, started.output()).toEqual({ code: 0, signal: null });
      // Nothing is left behind: the service itself stopped, not only pnpm.
      expect(await listening(port)).toBe(false);
    });
  }

  it('says an embedded database on disk is created on its first start and opened on a later one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'berth-start-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const lines: string[] = [];
    for (let start = 0; start < 2; start++) {
      const port = await freePort();
      const started = await pnpmStart({ DATABASE_URL: `pglite://${dir}` }, port);
      cleanup.push(() => started.child.kill('SIGTERM'));
      started.child.kill('SIGTERM');
      expect(await started.exited, started.output()).toEqual({ code: 0, signal: null });
      lines.push(
        started
          .output()
          .split('\n')
          .find((line) => line.includes('starting from')) ?? '',
      );
    }
    expect(lines[0]).toContain(`embedded PGlite in ${dir} (created on this start, which takes longer)`);
    expect(lines[1]).toContain(`embedded PGlite in ${dir} (opened)`);
  });
});
