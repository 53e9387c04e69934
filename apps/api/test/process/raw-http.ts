import { connect, type Socket } from 'node:net';

/** One response as read off the wire. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What became of one request sent on a raw socket: its response, or why there was none. */
export type Outcome = { readonly response: RawResponse } | { readonly error: string };

/**
 * A keep-alive HTTP/1.1 connection over a raw socket: requests are written byte for byte (several may be
 * written at once, pipelined) and responses read in order, so a test controls exactly when bytes leave.
 * Only what the service sends is understood: responses framed by `content-length`.
 */
export class RawConnection {
  readonly #socket: Socket;
  #buffer = Buffer.alloc(0);
  readonly #waiting: Array<(outcome: Outcome) => void> = [];
  #ended: string | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#drain();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => this.#end(error.code ?? error.message));
    socket.on('close', () => this.#end('closed before the response'));
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1', noDelay: true });
      socket.once('connect', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  /** Writes the requests in one write (pipelined when more than one); one promise per request. */
  send(...requests: string[]): Array<Promise<Outcome>> {
    const outcomes = requests.map(() => new Promise<Outcome>((resolve) => this.#waiting.push(resolve)));
    if (this.#ended) this.#end(this.#ended);
    else this.#socket.write(requests.join(''));
    return outcomes;
  }

  close(): void {
    this.#socket.destroy();
  }

  #drain(): void {
    for (;;) {
      const head = this.#buffer.indexOf('\r\n\r\n');
      if (head < 0) return;
      const lines = this.#buffer.subarray(0, head).toString('latin1').split('\r\n');
      const status = Number(lines[0]!.split(' ')[1]);
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = Number(headers['content-length'] ?? 0);
      if (this.#buffer.length < head + 4 + length) return;
      const body = this.#buffer.subarray(head + 4, head + 4 + length).toString('utf8');
      this.#buffer = this.#buffer.subarray(head + 4 + length);
      this.#waiting.shift()?.({ response: { status, headers, body } });
    }
  }

  #end(why: string): void {
    this.#ended ??= why;
    for (const resolve of this.#waiting.splice(0)) resolve({ error: this.#ended });
  }
}

/** A request as bytes, with a JSON body when one is given. */
export function rawRequest(method: string, path: string, body?: unknown): string {
  if (body === undefined) return `${method} ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`;
  const text = JSON.stringify(body);
  return (
    `${method} ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`
  );
}
