import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { freePort } from '@berth/testkit';

/** apps/api, where `src/main.ts` and the app's dependencies are. */
export const APP_DIR = fileURLToPath(new URL('../..', import.meta.url));

/** The service as a child process, run from its sources the way `pnpm start` runs the build. */
export class Service {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    env: Record<string, string>,
    readonly port = 0,
    nodeArgs: string[] = [],
  ) {
    const args = [...nodeArgs, '--import', 'tsx', '--conditions=@berth/source', 'src/main.ts'];
    this.child = spawn(process.execPath, args, {
      cwd: APP_DIR,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        ...env,
        ...(port ? { PORT: String(port) } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk) => {
      this.stdout += chunk;
    });
    this.child.stderr!.on('data', (chunk) => {
      this.stderr += chunk;
    });
    this.exited = once(this.child, 'exit').then(([code, signal]) => ({ code, signal }));
  }

  static async start(env: Record<string, string>): Promise<Service> {
    const service = new Service(env, await freePort());
    await service.ready();
    return service;
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Resolves once `/health` answers 200; fails if the process exits first or takes over 60 s. */
  async ready(): Promise<void> {
    const deadline = Date.now() + 60_000;
    let exited = false;
    void this.exited.then(() => {
      exited = true;
    });
    while (Date.now() < deadline) {
      if (exited) throw new Error(`the service exited before it was ready:\n${this.stderr}${this.stdout}`);
      try {
        const reply = await fetch(`${this.base}/health`);
        if (reply.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the service was not ready within 60 s:\n${this.stderr}`);
  }

  /** Sends `signal` and waits for the exit, at most `limitMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', limitMs = 15_000) {
    const started = Date.now();
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), limitMs);
    try {
      const result = await this.exited;
      return { ...result, ms: Date.now() - started };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Runs the service expecting it to refuse to start; gives its exit code and output. */
export async function runToExit(env: Record<string, string>, nodeArgs: string[] = [], limitMs = 30_000) {
  // A free port unless the test sets PORT itself, so a service that does start cannot clash with anything.
  const service = new Service({ PORT: String(await freePort()), ...env }, 0, nodeArgs);
  const timer = setTimeout(() => service.child.kill('SIGKILL'), limitMs);
  try {
    const { code } = await service.exited;
    return { code, stderr: service.stderr, stdout: service.stdout };
  } finally {
    clearTimeout(timer);
  }
}
