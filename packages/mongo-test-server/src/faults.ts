import type { Document } from 'bson';

/** What to do to one command before it runs (for timeout and failure tests). */
export interface CommandFault {
  /** Wait this long before executing (or reply MaxTimeMSExpired if the command's maxTimeMS is shorter). */
  delayMs?: number;
  /** Never reply; the connection stays open (simulates a hung server). */
  blackhole?: boolean;
  /** Destroy the client's socket instead of replying (simulates a network failure). */
  closeConnection?: boolean;
  /** Execute the command, then destroy the socket instead of replying (a lost reply). */
  dropReply?: boolean;
  /**
   * Execute the command, then reply MaxTimeMSExpired (code 50) in its place: its time ran out after its
   * work was done, as when a commit waits for its write concern, or a multi-document write is cut off
   * after changing some documents (here: all of them, the far end of "partly applied"). In a transaction
   * the failed statement aborts it, as mongod does; a commit so answered stays committed.
   */
  expireAfterRunning?: boolean;
  /** Reply with this error instead of executing, e.g. `{ code: 91, errmsg: 'shutting down' }`. */
  error?: { code: number; errmsg: string; codeName?: string; errorLabels?: string[] };
}

/** Describes the command a {@link CommandHook} is asked about. */
export interface CommandInfo {
  readonly name: string;
  readonly db: string;
  readonly command: Readonly<Document>;
}

/** Decides per command whether to inject a fault; return nothing to run the command normally. */
export type CommandHook = (info: CommandInfo) => CommandFault | undefined;

/** Options narrowing a fault to some commands. */
export interface FaultScope {
  /** Command names affected. Default: every command except the monitoring `hello`/`isMaster`. */
  readonly commands?: readonly string[];
}

const MONITORING = new Set(['hello', 'ismaster']);

function inScope(commands: ReadonlySet<string> | undefined, name: string): boolean {
  return commands ? commands.has(name) : !MONITORING.has(name.toLowerCase());
}

/**
 * Holds the configured delay/blackhole/hook. Monitoring commands are exempt by default so the
 * driver keeps seeing a healthy primary while operations time out.
 */
export class FaultInjector {
  #delay: { ms: number; commands: ReadonlySet<string> | undefined } = { ms: 0, commands: undefined };
  #blackhole: { commands: ReadonlySet<string> | undefined } | undefined;
  #hook: CommandHook | undefined;

  setDelay(ms: number, scope: FaultScope = {}): void {
    this.#delay = { ms: Math.max(0, ms), commands: scope.commands ? new Set(scope.commands) : undefined };
  }

  setBlackhole(enabled: boolean, scope: FaultScope = {}): void {
    this.#blackhole = enabled
      ? { commands: scope.commands ? new Set(scope.commands) : undefined }
      : undefined;
  }

  setHook(hook: CommandHook | undefined): void {
    this.#hook = hook;
  }

  clear(): void {
    this.#delay = { ms: 0, commands: undefined };
    this.#blackhole = undefined;
    this.#hook = undefined;
  }

  /** The fault to apply to a command (an empty object when none). */
  faultFor(info: CommandInfo): CommandFault {
    const hooked = this.#hook?.(info);
    if (hooked) return hooked;
    if (this.#blackhole && inScope(this.#blackhole.commands, info.name)) return { blackhole: true };
    if (this.#delay.ms > 0 && inScope(this.#delay.commands, info.name)) return { delayMs: this.#delay.ms };
    return {};
  }
}
