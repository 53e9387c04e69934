/**
 * A parsed JSON body. Tests read response bodies freely and let assertions check their shape, so this is
 * deliberately untyped.
 */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by assertions, not by types
export type Json = any;

/** A response as the tests look at it: status, headers, parsed JSON (or undefined) and the raw text. */
export interface Reply<T = Json> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  readonly text: string;
}

export interface RequestOptions {
  /** Sent as `application/json`. */
  json?: unknown;
  /** Sent as is, with whatever content type `headers` names (or none). */
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
}

/** The session token header (see src/session-token.ts). */
const SESSION = 'berth-session';

/** A PostgreSQL token's WAL location as a number, to keep the furthest of several answers. */
function tokenPosition(token: string): bigint | undefined {
  const match = /^postgres\.([0-9A-F]+)\/([0-9A-F]+)$/i.exec(token);
  return match ? (BigInt(`0x${match[1]}`) << 32n) + BigInt(`0x${match[2]}`) : undefined;
}

/**
 * A tiny client over real `fetch`, bound to one server. Like a well-behaved client of the contract, it
 * sends back the furthest session token it was given (`berth-session`), so it reads its own writes when the
 * service reads from replicas; a request that names the header itself sends that instead.
 */
export class Http {
  sessionToken: string | undefined;

  constructor(readonly base: string) {}

  #remember(token: string | null): void {
    if (!token) return;
    const next = tokenPosition(token);
    const current = this.sessionToken === undefined ? undefined : tokenPosition(this.sessionToken);
    if (next === undefined || current === undefined || next > current) this.sessionToken = token;
  }

  async request<T = Json>(method: string, path: string, options: RequestOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.sessionToken !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === SESSION)) {
      headers[SESSION] = this.sessionToken;
    }
    let body: string | Uint8Array | undefined = options.raw;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.base}${path}`, { method, headers, body });
    this.#remember(response.headers.get(SESSION));
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  get<T = Json>(path: string, headers?: Record<string, string>) {
    return this.request<T>('GET', path, { headers });
  }
  post<T = Json>(path: string, json: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, { json, headers });
  }
  patch<T = Json>(path: string, json: unknown, headers?: Record<string, string>) {
    return this.request<T>('PATCH', path, { json, headers });
  }
  delete<T = Json>(path: string, headers?: Record<string, string>) {
    return this.request<T>('DELETE', path, { headers });
  }
}
