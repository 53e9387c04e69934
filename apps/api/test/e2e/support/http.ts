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

/** A tiny client over real `fetch`, bound to one server. */
export class Http {
  constructor(readonly base: string) {}

  async request<T = Json>(method: string, path: string, options: RequestOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | Uint8Array | undefined = options.raw;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.base}${path}`, { method, headers, body });
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
