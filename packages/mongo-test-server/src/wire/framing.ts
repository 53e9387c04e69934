/** Size of the standard message header: messageLength, requestID, responseTo, opCode (int32 LE each). */
export const HEADER_SIZE = 16;

/** The largest message we accept; matches the `maxMessageSizeBytes` advertised in `hello`. */
export const MAX_MESSAGE_SIZE = 48_000_000;

/** Thrown when the byte stream cannot be a MongoDB message (the connection is then closed). */
export class FramingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FramingError';
  }
}

/**
 * Reassembles complete wire messages from arbitrary TCP chunks. Each call to {@link push} returns
 * the messages that became complete, header included.
 */
export class MessageFramer {
  #chunks: Buffer[] = [];
  #buffered = 0;

  push(chunk: Buffer): Buffer[] {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    const messages: Buffer[] = [];
    while (this.#buffered >= 4) {
      const head = this.#peek(4);
      const length = head.readInt32LE(0);
      if (length < HEADER_SIZE || length > MAX_MESSAGE_SIZE) {
        throw new FramingError(`invalid message length ${length}`);
      }
      if (this.#buffered < length) break;
      messages.push(this.#take(length));
    }
    return messages;
  }

  #peek(size: number): Buffer {
    if ((this.#chunks[0]?.length ?? 0) < size) this.#chunks = [Buffer.concat(this.#chunks)];
    return this.#chunks[0] as Buffer;
  }

  #take(size: number): Buffer {
    const all = this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks);
    const message = all.subarray(0, size);
    const rest = all.subarray(size);
    this.#chunks = rest.length > 0 ? [rest] : [];
    this.#buffered = rest.length;
    return message;
  }
}
