/** One idle connection, as the sweep sees it. */
export interface IdleConnection {
  /** How long it has been idle. */
  readonly idleForMs: number;
  /** How long ago it was opened. */
  readonly ageMs: number;
}

/** The limits the sweep enforces (see `MysqlDriverConfig`). */
export interface IdleLimits {
  /** Connections kept open even when idle. */
  readonly min: number;
  /** Most idle connections kept. */
  readonly maxIdle: number;
  /** Idle connections beyond `min` close after this long; 0 never. */
  readonly idleTimeoutMs: number;
  /** Any idle connection this old closes; 0 never. */
  readonly maxLifetimeMs: number;
}

/**
 * Decides which idle connections to close, longest idle first: those past their lifetime (whatever `min`
 * says: the driver reopens `min` afterwards), those beyond `maxIdle`, and those idle past `idleTimeoutMs`
 * while more than `min` are open. Returns the reason per connection, `undefined` to keep it.
 * `total` counts every open connection, idle or not.
 */
export function pickIdleToClose(
  idle: readonly IdleConnection[],
  total: number,
  limits: IdleLimits,
): ('lifetime' | 'idle' | undefined)[] {
  let open = total;
  let idleLeft = idle.length;
  return idle.map((connection) => {
    let reason: 'lifetime' | 'idle' | undefined;
    if (limits.maxLifetimeMs > 0 && connection.ageMs >= limits.maxLifetimeMs) reason = 'lifetime';
    else if (idleLeft > limits.maxIdle) reason = 'idle';
    else if (limits.idleTimeoutMs > 0 && open > limits.min && connection.idleForMs >= limits.idleTimeoutMs)
      reason = 'idle';
    if (reason) {
      open--;
      idleLeft--;
    }
    return reason;
  });
}
