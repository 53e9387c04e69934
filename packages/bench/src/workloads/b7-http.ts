import { type ChildProcess, fork, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Contender, runGroup } from '../harness/group.js';
import { log } from '../harness/log.js';
import type { Segment } from '../harness/measure.js';
import type { FigureRecord } from '../harness/types.js';
import type { LoadRequest, LoadResult } from '../http/load.js';
import { type Bench, settings } from './common.js';
import { childExecArgv } from '../harness/berth-origin.js';

const HTTP_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'http');
const PACKAGE_DIR = join(HTTP_DIR, '..', '..');
const CONNECTIONS = 64;
const POOL = 8;
const ROUTES = ['get', 'list', 'patch'] as const;
// berth from the same place as this process: the built packages, or the sources under `pnpm bench:source`.
const TSX = childExecArgv();

interface Server {
  child: ChildProcess;
  port: number;
}

async function startServer(backend: string): Promise<Server> {
  const child = spawn(process.execPath, [...TSX, join(HTTP_DIR, 'server.ts'), backend, String(POOL)], {
    cwd: PACKAGE_DIR,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the B7 server did not start within 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`the B7 server exited with ${code}`)));
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
  });
  return { child, port };
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

class LoadProcess {
  readonly child = fork(join(HTTP_DIR, 'load.ts'), [], { cwd: PACKAGE_DIR, execArgv: TSX, stdio: 'inherit' });
  #seq = 0;
  #pending = new Map<number, { resolve(r: LoadResult): void; reject(e: Error): void }>();

  constructor() {
    this.child.on('message', (m: { seq: number; result?: LoadResult; error?: string }) => {
      const p = this.#pending.get(m.seq);
      this.#pending.delete(m.seq);
      if (m.error) p?.reject(new Error(m.error));
      else p?.resolve(m.result!);
    });
  }

  run(request: LoadRequest): Promise<LoadResult> {
    const seq = ++this.#seq;
    return new Promise((resolve, reject) => {
      this.#pending.set(seq, { resolve, reject });
      this.child.send({ ...request, seq });
    });
  }
}

async function fetchJson(url: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, init);
  return { status: response.status, body: await response.json() };
}

/**
 * B7: HTTP on apps/api. Two server processes run the same app (apps/api's `buildApp` on berth, plus the raw
 * twin of three routes under /raw); autocannon loads one of them from a third process with 64 connections,
 * alternating A-B-B-A between berth's routes on one server and the raw routes on the other.
 */
export async function b7(bench: Bench): Promise<void> {
  const { backend } = bench;
  log(`B7 ${backend}: HTTP on apps/api`);
  let berthServer: Server | undefined;
  let rawServer: Server | undefined;
  let load: LoadProcess | undefined;
  try {
    [berthServer, rawServer] = [await startServer(backend), await startServer(backend)];
    load = new LoadProcess();
    const ids = bench.data.employeeIds.slice(8_100, 12_100);
    const s = settings(bench, 'micro', CONNECTIONS);
    const segmentS = bench.quick ? 1 : 2;
    const warmS = bench.quick ? 1 : 2;
    const rawName = backend === 'postgres' ? 'raw pg twin' : 'raw mysql2 twin';
    for (const route of ROUTES) {
      const contender = (name: string, base: string, sampleId: string): Contender => {
        const segment = async (warm: boolean): Promise<Segment> => {
          const r = await load!.run({
            url: base,
            route,
            ids,
            connections: CONNECTIONS,
            durationS: warm ? warmS : segmentS,
          });
          if (r.non2xx > 0 || r.errors > 0)
            throw new Error(`${name} ${route}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
          return {
            ops: r.ok,
            elapsedMs: segmentS * 1000,
            throughput: r.requestsPerSec,
            p50: r.p50,
            p99: r.p99,
            meanLatency: r.meanLatency,
          };
        };
        const sample = async () => {
          if (route === 'get') return (await fetchJson(`${base}/employees/${sampleId}`)).body;
          if (route === 'list') {
            // Each side encodes its cursor its own way; the rows and whether there is a next page must agree.
            const page = (await fetchJson(`${base}/employees?department=dept-3&limit=20`)).body as {
              items: unknown[];
              nextCursor: string | null;
            };
            return { items: page.items, more: page.nextCursor !== null };
          }
          const { status, body } = await fetchJson(`${base}/employees/${sampleId}`, {
            method: 'PATCH',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ salary: 4242 }),
          });
          const b = body as Record<string, unknown>;
          return { status, keys: Object.keys(b), salary: b.salary, version: b.version };
        };
        return { name, op: () => Promise.resolve(), segment, sample };
      };
      const sampleIds = bench.data.employeeIds.slice(12_200, 12_210);
      const result = await runGroup({
        backend,
        workload: `HTTP ${route === 'get' ? 'GET one employee' : route === 'list' ? 'GET a list page' : 'PATCH'}, ${CONNECTIONS} connections, pool ${POOL}`,
        baseline: contender(
          rawName,
          `http://127.0.0.1:${rawServer.port}/raw`,
          sampleIds[route === 'patch' ? 1 : 0]!,
        ),
        candidates: [
          contender('berth', `http://127.0.0.1:${berthServer.port}`, sampleIds[route === 'patch' ? 2 : 0]!),
        ],
        settings: { ...s, rounds: bench.quick ? 3 : 4 },
        figures: [
          {
            id: 'B7',
            candidate: 'berth',
            baseline: rawName,
            metric: 'throughput',
            target: { op: '>=', value: 0.95 },
          },
          {
            id: 'B7',
            candidate: 'berth',
            baseline: rawName,
            metric: 'p99',
            target: { op: '<=', value: 1.1 },
          },
        ],
      });
      bench.records.push(...result.records);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`B7 ${backend} failed: ${message}`);
    bench.records.push(failed(backend, message));
  } finally {
    load?.child.disconnect();
    await Promise.all([stop(berthServer?.child), stop(rawServer?.child), stop(load?.child)]);
  }
}

function failed(backend: string, reason: string): FigureRecord {
  return {
    id: 'B7',
    backend,
    workload: 'HTTP on apps/api',
    candidate: 'berth',
    baseline: 'raw twin',
    metric: 'throughput',
    ratio: Number.NaN,
    spread: Number.NaN,
    rounds: [],
    target: '>= 0.95',
    pass: false,
    verdict: 'fail',
    noisy: false,
    band: Number.NaN,
    selfRatio: Number.NaN,
    candidateValue: Number.NaN,
    baselineValue: Number.NaN,
    unit: 'req/s',
    note: `could not run: ${reason}`,
  };
}
