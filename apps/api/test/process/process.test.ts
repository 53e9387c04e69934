import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_DIR, Service, runToExit } from './child.js';
import { type Outcome, RawConnection, rawRequest } from './raw-http.js';

const employee = {
  name: 'Grace',
  email: 'grace@example.com',
  department: 'navy',
  salary: 90_000,
  hiredAt: '1943-06-01T00:00:00Z',
};

/** The one line an operator sees, without the trailing newline. */
function oneLine(text: string): string {
  const lines = text.trimEnd().split('\n');
  expect(lines, text).toHaveLength(1);
  return lines[0]!;
}

// Each start compiles the sources with tsx and boots PGlite's WebAssembly: seconds each, more on a busy CI.
describe('the service as a process (PGlite)', { timeout: 120_000 }, () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('starts with DATABASE_URL=pglite://memory and answers /health', async () => {
    const service = await Service.start({ DATABASE_URL: 'pglite://memory' });
    cleanup.push(() => service.stop('SIGKILL'));
    const health = await (await fetch(`${service.base}/health`)).json();
    expect(health).toMatchObject({ status: 'ok', backend: 'pglite', pool: { max: expect.any(Number) } });
    const created = await fetch(`${service.base}/employees`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(employee),
    });
    expect(created.status).toBe(201);
    const stopped = await service.stop('SIGINT');
    expect(stopped.code).toBe(0);
  });

  it('SIGTERM lets the request in flight finish, refuses new ones, and exits 0 within 10 s', async () => {
    const service = await Service.start({ DATABASE_URL: 'pglite://memory' });
    cleanup.push(() => service.stop('SIGKILL'));
    const body = JSON.stringify({ ...employee, email: 'inflight@example.com' });
    let signalled = 0;
    // A request whose body is still arriving when the signal comes: it is in flight for sure.
    const inFlight = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        `${service.base}/employees`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode!, text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        signalled = Date.now();
        service.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(10)), 500);
      }, 300);
    });
    const reply = await inFlight;
    expect(reply.status, reply.text).toBe(201);
    expect(JSON.parse(reply.text)).toMatchObject({ email: 'inflight@example.com', version: 1 });
    // A new connection is refused (fetch's pooled keep-alive socket would still be served, by design).
    const refused = await RawConnection.open(service.port).then(
      (connection) => {
        connection.close();
        return 'accepted';
      },
      (error: NodeJS.ErrnoException) => error.code,
    );
    expect(refused).toBe('ECONNREFUSED');
    const { code } = await service.exited;
    expect(code).toBe(0);
    // Well within the contract's 10 s: the finished request's keep-alive socket must not hold the close.
    expect(Date.now() - signalled).toBeLessThan(4_000);
  });

  it('SIGTERM answers every request sent on keep-alive sockets around the signal and keeps every 201', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'berth-api-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const service = await Service.start({ DATABASE_URL: `pglite://${dir}` });
    cleanup.push(() => service.stop('SIGKILL'));
    // Keep-alive sockets that have each served a request: idle in Node's eyes when the signal lands.
    const sockets = await Promise.all(Array.from({ length: 12 }, () => RawConnection.open(service.port)));
    cleanup.push(async () => {
      for (const socket of sockets) socket.close();
    });
    for (const socket of sockets) {
      const [warm] = socket.send(rawRequest('GET', '/health'));
      expect(await warm).toMatchObject({ response: { status: 200 } });
    }
    let n = 0;
    const post = () => rawRequest('POST', '/employees', { ...employee, email: `race-${n++}@example.com` });
    const sent: Array<{ when: string; outcome: Promise<Outcome> }> = [];
    const record = (when: string, outcomes: Array<Promise<Outcome>>) => {
      for (const outcome of outcomes) sent.push({ when, outcome });
    };

    // Just before the signal: single requests, three pipelined on one socket, and six fresh connections
    // (connected, but maybe not yet accepted: Node accepts one connection per turn of its event loop).
    const fresh = await Promise.all(Array.from({ length: 6 }, () => RawConnection.open(service.port)));
    for (const socket of sockets.slice(0, 4)) record('before', socket.send(post()));
    record('pipelined', sockets[4]!.send(post(), post(), post()));
    cleanup.push(async () => {
      for (const socket of fresh) socket.close();
    });
    for (const socket of fresh) record('fresh', socket.send(post()));
    await new Promise((resolve) => setImmediate(resolve));
    const signalled = Date.now();
    service.child.kill('SIGTERM');
    // As the signal lands (same tick), then staggered over the next few milliseconds.
    for (const socket of sockets.slice(5, 9)) record('at the signal', socket.send(post()));
    for (const [i, socket] of sockets.slice(9).entries()) {
      await new Promise((resolve) => setTimeout(resolve, 1 + i * 2));
      record(`${1 + i * 2} ms after`, socket.send(post()));
    }

    const outcomes = await Promise.all(
      sent.map(async ({ when, outcome }) => ({ when, outcome: await outcome })),
    );
    const unanswered = outcomes.filter(({ outcome }) => 'error' in outcome);
    expect(unanswered, JSON.stringify(unanswered)).toEqual([]);
    const created = outcomes.flatMap(({ outcome }) =>
      'response' in outcome && outcome.response.status === 201
        ? [JSON.parse(outcome.response.body) as { id: string; email: string }]
        : [],
    );
    const { code } = await service.exited;
    expect(code).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(5_000);

    const again = await Service.start({ DATABASE_URL: `pglite://${dir}` });
    cleanup.push(() => again.stop('SIGKILL'));
    for (const { id, email } of created) {
      const read = await fetch(`${again.base}/employees/${id}`);
      expect([id, read.status]).toEqual([id, 200]);
      expect(await read.json()).toMatchObject({ id, email });
    }
    expect((await again.stop('SIGTERM')).code).toBe(0);
  });

  it('keeps data across restarts with DATABASE_URL=pglite://<dir>', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'berth-api-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const first = await Service.start({ DATABASE_URL: `pglite://${dir}` });
    const created = await fetch(`${first.base}/employees`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(employee),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await first.stop('SIGTERM')).code).toBe(0);

    const second = await Service.start({ DATABASE_URL: `pglite://${dir}` });
    cleanup.push(() => second.stop('SIGKILL'));
    const read = await fetch(`${second.base}/employees/${id}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id, email: employee.email, version: 1 });
    expect((await second.stop('SIGTERM')).code).toBe(0);
  });

  it('an unsupported scheme is one line on stderr and exit code 1', async () => {
    const { code, stderr } = await runToExit({ DATABASE_URL: 'foo://x' });
    expect(code).toBe(1);
    expect(oneLine(stderr)).toMatch(/DATABASE_URL.*unsupported scheme "foo:"/);
  });

  it('invalid configuration values are one line on stderr and exit code 1', async () => {
    for (const [name, value] of [
      ['PORT', 'abc'],
      ['PORT', '70000'],
      ['DB_POOL_MAX', '0'],
      ['DB_POOL_MAX', '1.5'],
      ['DB_ACQUIRE_TIMEOUT_MS', '-1'],
      ['DB_STATEMENT_TIMEOUT_MS', '1e4'],
      ['LOG_LEVEL', 'loud'],
    ] as const) {
      const { code, stderr } = await runToExit({ DATABASE_URL: 'pglite://memory', [name]: value });
      expect([name, value, code]).toEqual([name, value, 1]);
      expect(oneLine(stderr)).toContain(name);
    }
  });

  it('a database that cannot be opened is one line that never shows the password, whatever the URL', async () => {
    // Base64 secrets carry `/`, `+` and `=`; a second `@` or an unescaped `/` makes the URL malformed.
    const secret = 'SEC/RET+PASS=';
    for (const url of [
      // Each start costs seconds; every scheme's redaction is covered by src/redact-url.test.ts.
      `postgres://postgres:p@ss${secret}@127.0.0.1:1/berth`,
      `mongodb://u:${secret}@127.0.0.1:1,127.0.0.1:2/berth?serverSelectionTimeoutMS=500`,
    ]) {
      const { code, stderr } = await runToExit({ DATABASE_URL: url, DB_ACQUIRE_TIMEOUT_MS: '500' });
      expect([url, code]).toEqual([url, 1]);
      const line = oneLine(stderr);
      expect(line).toMatch(/^berth-api: cannot (open|create the schema)/);
      for (const piece of ['SEC', 'RET', 'PASS', secret])
        expect([url, line]).not.toEqual([url, expect.stringContaining(piece)]);
    }
  });

  it('a backend whose adapter is not installed is one line naming the package, and exit code 1', async () => {
    // Installed or not in this workspace, @berth/mongodb is made unresolvable for the child process.
    const hide = ['--import', pathToFileURL(join(APP_DIR, 'test/process/hide-adapter.mjs')).href];
    const { code, stderr } = await runToExit({ DATABASE_URL: 'mongodb://127.0.0.1:1/berth' }, hide);
    expect(code).toBe(1);
    expect(oneLine(stderr)).toMatch(/needs the @berth\/mongodb package: install it/);
  });
});
