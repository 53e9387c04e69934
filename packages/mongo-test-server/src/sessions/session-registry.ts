/**
 * The logical sessions the server knows: a session exists from the first command carrying its `lsid`
 * until `endSessions`/`killSessions`, like mongod's session catalog. Killed sessions are remembered so
 * that a client still using one can be treated as having lost its connection (see `kill`).
 */
export class SessionRegistry {
  readonly #live = new Set<string>();
  readonly #killed = new Set<string>();

  /** Number of live sessions. */
  get size(): number {
    return this.#live.size;
  }

  /** Records a command carrying this session. */
  touch(key: string): void {
    this.#live.add(key);
  }

  /** `endSessions`/`killSessions`: the server forgets the session. */
  end(key: string): void {
    this.#live.delete(key);
  }

  /** Forgets the session and remembers that it was killed. */
  kill(key: string): void {
    this.#live.delete(key);
    this.#killed.add(key);
  }

  isKilled(key: string): boolean {
    return this.#killed.has(key);
  }

  /** A restarted server (or a reset) knows no sessions. */
  clear(): void {
    this.#live.clear();
    this.#killed.clear();
  }
}
