import { Agent, request as httpRequest } from 'node:http';

/** One answered HTTP request, with when it was sent and answered (`performance.now()`). */
export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  readonly startedAt: number;
  readonly endedAt: number;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

export interface RequestOptions {
  readonly body?: string | Buffer | undefined;
  readonly headers?: Record<string, string>;
  /** Aborts after this long (default 30 s) and rejects. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * A raw HTTP client over node:http: bodies are sent byte for byte (malformed JSON, NUL bytes), paths are
 * not normalised, and every request is timed.
 */
export class HttpClient {
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 256 });

  constructor(readonly base: string) {}

  request(method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
    const url = new URL(this.base);
    const startedAt = performance.now();
    const headers: Record<string, string | number> = { ...options.headers };
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      headers['content-length'] = Buffer.byteLength(options.body);
    }
    return new Promise<Reply>((resolve, reject) => {
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          headers,
          agent: this.#agent,
          signal: options.signal,
          timeout: options.timeoutMs ?? 30_000,
          insecureHTTPParser: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = text ? JSON.parse(text) : undefined;
            } catch {
              json = undefined;
            }
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text,
              json,
              startedAt,
              endedAt: performance.now(),
            });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within the timeout`)));
      req.on('error', reject);
      req.end(options.body);
    });
  }

  json(method: string, path: string, body?: unknown, options: Omit<RequestOptions, 'body'> = {}) {
    return this.request(method, path, {
      ...options,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** The contract's error code of a reply, if it carries one. */
export function errorCode(reply: Reply): string | undefined {
  const body = reply.json as { error?: { code?: unknown } } | undefined;
  return typeof body?.error?.code === 'string' ? body.error.code : undefined;
}
